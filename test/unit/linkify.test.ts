// The client's linkifier (client/src/linkify.ts): which parts of a message become links, and that
// nothing but an http(s) address ever does.
import { expect } from 'chai';
import { linkPieces } from '../../client/src/linkify.js';

const links = (text: string) => linkPieces(text).filter((p) => p.href);

describe('client linkifier', () => {
  it('links an http(s) address and keeps the text around it as text, every character once', () => {
    const text = 'Meeting notes: https://example.org/notes?week=3#top and http://example.com too';
    const pieces = linkPieces(text);
    expect(pieces).to.deep.equal([
      { text: 'Meeting notes: ' },
      { text: 'https://example.org/notes?week=3#top', href: 'https://example.org/notes?week=3#top' },
      { text: ' and ' },
      { text: 'http://example.com', href: 'http://example.com/' },
      { text: ' too' },
    ]);
    expect(pieces.map((p) => p.text).join('')).to.equal(text);
  });

  it('never links javascript:, data:, vbscript:, file: or any other scheme, however it is dressed', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      ' javascript://example.org/%0aalert(1)',
      'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'ftp://example.org/file',
      'mailto:someone@example.org',
      'java\u0000script:alert(1)',
      '<a href="javascript:alert(1)">click</a>',
      'xhttps://example.org',
      'fakehttp://example.org',
    ]) {
      expect(links(text), text).to.deep.equal([]);
      expect(
        linkPieces(text)
          .map((p) => p.text)
          .join(''),
        'the text stays whole',
      ).to.equal(text);
    }
  });

  it('links the http(s) part only when a hostile scheme precedes it, and never lets a link run into markup', () => {
    expect(linkPieces('javascript:https://example.org')).to.deep.equal([
      { text: 'javascript:' },
      { text: 'https://example.org', href: 'https://example.org/' },
    ]);
    expect(links('see https://example.org/"onmouseover="alert(1)')).to.deep.equal([
      { text: 'https://example.org/', href: 'https://example.org/' },
    ]);
    expect(links('<https://example.org/a><script>')).to.deep.equal([{ text: 'https://example.org/a', href: 'https://example.org/a' }]);
  });

  it('leaves trailing punctuation and an unopened closing bracket out of the link', () => {
    expect(links('Look at https://example.org/page.')[0]!.text).to.equal('https://example.org/page');
    expect(links('Really? https://example.org/a?!')[0]!.text).to.equal('https://example.org/a');
    expect(links('“https://example.org/quoted”')[0]!.text).to.equal('https://example.org/quoted');
    expect(links('(see https://example.org/x)')[0]!.text).to.equal('https://example.org/x');
    expect(links('https://en.wikipedia.org/wiki/Bridge_(game), here')[0]!.text).to.equal('https://en.wikipedia.org/wiki/Bridge_(game)');
    expect(links('[https://example.org/y]')[0]!.text).to.equal('https://example.org/y');
    expect(links('https://example.org/end。')[0]!.text).to.equal('https://example.org/end');
  });

  it('keeps text an address without a host, with a user before the host, or far too long', () => {
    expect(links('http:// nothing')).to.deep.equal([]);
    expect(links('https://')).to.deep.equal([]);
    expect(links('https://bank.example@evil.example/login')).to.deep.equal([]);
    expect(links('https://user:pass@example.org')).to.deep.equal([]);
    expect(links(`https://example.org/${'a'.repeat(3000)}`)).to.deep.equal([]);
  });

  it('stops at invisible and direction-changing characters, and encodes odd unicode in the href', () => {
    // U+202E would make the rest read backwards; U+200B is invisible; neither belongs in a link.
    expect(links('https://example.org/safe\u202Egnp.exe')[0]!.text).to.equal('https://example.org/safe');
    expect(links('https://example.org/a\u200Bevil')[0]!.text).to.equal('https://example.org/a');
    expect(links('https://example.org/a\u00A0b')[0]!.text).to.equal('https://example.org/a');
    const [idn] = links('https://bücher.example/straße');
    expect(idn!.text).to.equal('https://bücher.example/straße');
    expect(idn!.href).to.equal('https://xn--bcher-kva.example/stra%C3%9Fe');
    const [emoji] = links('https://example.org/🙂?q=𝔘');
    expect(emoji!.href).to.equal('https://example.org/%F0%9F%99%82?q=%F0%9D%94%98');
  });

  it('gives nothing for empty text and text without links', () => {
    expect(linkPieces('')).to.deep.equal([]);
    expect(linkPieces('just words, no links: example.org')).to.deep.equal([{ text: 'just words, no links: example.org' }]);
  });
});
