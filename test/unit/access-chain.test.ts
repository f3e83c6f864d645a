import { expect } from 'chai';
import { canonicalJson, macOf } from '../../server/access/chain.js';
import { csvField, withNotice, REDISCLOSURE_NOTICE } from '../../shared/index.js';

describe('the access log chain: canonical JSON and MACs (issue 18)', () => {
  it('sorts keys at every level, keeps array order, and leaves undefined fields out', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined }, e: 'x' })).to.equal(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1,"e":"x"}',
    );
  });

  it('gives one MAC whatever the key order, another for any change, the key or the prev', () => {
    const entry = {
      seq: 3,
      at: 1_700_000_000_000,
      node: 'n1',
      actor: { id: 'u1', role: 'admin' as const },
      what: 'checkins' as const,
      about: ['u2'],
      prev: 'ab',
    };
    const key = 'k'.repeat(32);
    const mac = macOf(key, entry);
    expect(mac).to.match(/^[0-9a-f]{64}$/);
    expect(
      macOf(key, {
        prev: 'ab',
        about: ['u2'],
        what: 'checkins',
        actor: { role: 'admin', id: 'u1' },
        node: 'n1',
        at: 1_700_000_000_000,
        seq: 3,
      }),
    ).to.equal(mac);
    expect(macOf(key, { ...entry, mac: 'ignored' })).to.equal(mac);
    expect(macOf(key, { ...entry, about: ['u3'] })).not.to.equal(mac);
    expect(macOf(key, { ...entry, prev: 'ac' })).not.to.equal(mac);
    expect(macOf('j'.repeat(32), entry)).not.to.equal(mac);
  });
});

describe('CSV exports: the notice and fields', () => {
  it('puts the notice first, as one quoted field', () => {
    expect(withNotice('a,b\r\n1,2\r\n')).to.equal(`"${REDISCLOSURE_NOTICE}"\r\na,b\r\n1,2\r\n`);
    expect(REDISCLOSURE_NOTICE).to.match(
      /^This record which has been disclosed to you is protected by federal confidentiality rules \(42 CFR part 2\)\./,
    );
    expect(REDISCLOSURE_NOTICE).not.to.include('"');
  });

  it('quotes fields with commas, quotes or line breaks, and defuses spreadsheet formulas', () => {
    expect(csvField('plain')).to.equal('plain');
    expect(csvField('a, b')).to.equal('"a, b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField('line\nbreak')).to.equal('"line\nbreak"');
    expect(csvField('=HYPERLINK("x")')).to.equal(`"'=HYPERLINK(""x"")"`);
    expect(csvField(42)).to.equal('42');
    expect(csvField(undefined)).to.equal('');
  });
});
