import { expect } from 'chai';
import type { z } from 'zod';
import {
  MAX_NAME_CHARS,
  MAX_RAW_TEXT_CHARS,
  MAX_TEXT_CHARS,
  charCount,
  displayName,
  messageText,
  normaliseName,
  normaliseText,
} from '../../shared/text.js';

/** Code point escape for test names, e.g. U+202E. */
const hex = (s: string): string => [...s].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');

/** A short printable description of a test input for failure messages. */
const show = (input: unknown): string => (typeof input === 'string' ? JSON.stringify(input).slice(0, 80) : String(input));

/** messageText or displayName: a string schema that normalises what it accepts. */
type TextSchema = z.ZodType<string>;

/** Parses and expects success; returns the normalised value. */
function accepted(schema: TextSchema, input: unknown): string {
  const result = schema.safeParse(input);
  if (!result.success) {
    expect.fail(`expected ${show(input)} to be accepted: ${result.error.message}`);
  }
  return result.data;
}

/** Parses and expects failure (never a throw). */
function refused(schema: TextSchema, input: unknown): void {
  let result: ReturnType<typeof schema.safeParse> | undefined;
  expect(() => {
    result = schema.safeParse(input);
  }).not.to.throw();
  expect(result?.success, `expected ${show(input)} to be refused`).to.equal(false);
}

const BIDI: ReadonlyArray<[string, string]> = [
  ['\u202A', 'LEFT-TO-RIGHT EMBEDDING'],
  ['\u202B', 'RIGHT-TO-LEFT EMBEDDING'],
  ['\u202C', 'POP DIRECTIONAL FORMATTING'],
  ['\u202D', 'LEFT-TO-RIGHT OVERRIDE'],
  ['\u202E', 'RIGHT-TO-LEFT OVERRIDE'],
  ['\u2066', 'LEFT-TO-RIGHT ISOLATE'],
  ['\u2067', 'RIGHT-TO-LEFT ISOLATE'],
  ['\u2068', 'FIRST STRONG ISOLATE'],
  ['\u2069', 'POP DIRECTIONAL ISOLATE'],
];
const ALL_BIDI = BIDI.map(([c]) => c).join('');

const EMOJI: ReadonlyArray<[string, string]> = [
  ['👩\u200D💻', 'woman technologist (ZWJ sequence)'],
  ['👨\u200D👩\u200D👧\u200D👦', 'family of four (three ZWJs)'],
  ['🏳\uFE0F\u200D🌈', 'rainbow flag (VS16 + ZWJ)'],
  ['🇳🇱', 'regional-indicator flag'],
  ['🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}', 'tag-sequence flag of Scotland'],
  ['👍🏽', 'thumbs up with a skin tone modifier'],
  ['🧑🏿\u200D🤝\u200D🧑🏻', 'people holding hands with two skin tones'],
  ['\u2764\uFE0F', 'red heart with VS16'],
  ['1\uFE0F\u20E3', 'keycap one'],
];

describe('shared/text', () => {
  describe('charCount', () => {
    it('counts an empty string as zero characters', () => {
      expect(charCount('')).to.equal(0);
    });

    it('counts ASCII characters one each', () => {
      expect(charCount('hello')).to.equal(5);
    });

    it('counts an astral-plane emoji as one character although it is two UTF-16 units', () => {
      expect('😀'.length).to.equal(2);
      expect(charCount('😀')).to.equal(1);
      expect(charCount('😀'.repeat(2000))).to.equal(2000);
    });

    it('counts a ZWJ emoji sequence by its code points', () => {
      expect(charCount('👩\u200D💻')).to.equal(3);
      expect(charCount('👨\u200D👩\u200D👧\u200D👦')).to.equal(7);
    });

    it('counts a base letter and a combining accent as two characters', () => {
      expect(charCount('e\u0301')).to.equal(2);
      expect(charCount('é')).to.equal(1);
    });

    it('counts a lone surrogate as one character without throwing', () => {
      expect(charCount('\uD800')).to.equal(1);
      expect(charCount('a\uDC00b')).to.equal(3);
    });
  });

  describe('normaliseText', () => {
    it('leaves ordinary text unchanged', () => {
      expect(normaliseText('Hello, group. How is everyone today?')).to.equal('Hello, group. How is everyone today?');
    });

    for (const [ch, name] of BIDI) {
      it(`strips ${hex(ch)} ${name} from message text`, () => {
        expect(normaliseText(`a${ch}b`)).to.equal('ab');
        expect(normaliseText(`${ch}${ch}x${ch}`)).to.equal('x');
      });
    }

    it('strips every bidi override and isolate character at once', () => {
      expect(normaliseText(`${ALL_BIDI}safe${ALL_BIDI}text${ALL_BIDI}`)).to.equal('safetext');
    });

    it('unwraps RLO ... PDF wrapped text so the visual order cannot be spoofed', () => {
      expect(normaliseText('I said \u202Eeno on\u202C to the plan')).to.equal('I said eno on to the plan');
      expect(normaliseText(' \u202Eevil\u202C ')).to.equal('evil');
    });

    it('unwraps RLI ... PDI isolated text', () => {
      expect(normaliseText('\u2067txt.exe\u2069')).to.equal('txt.exe');
    });

    it('strips NUL, BEL and ESC', () => {
      expect(normaliseText('a\u0000b\u0007c\u001Bd')).to.equal('abcd');
    });

    it('strips an ANSI escape introducer so terminal escapes cannot survive intact', () => {
      expect(normaliseText('\u001B[31mred\u001B[0m')).to.equal('[31mred[0m');
    });

    it('strips carriage returns, turning CRLF into LF', () => {
      expect(normaliseText('line one\r\nline two\rthree')).to.equal('line one\nline twothree');
    });

    it('keeps line feeds and tabs inside the text', () => {
      expect(normaliseText('a\nb\tc\n\nd')).to.equal('a\nb\tc\n\nd');
    });

    it('strips every other C0 control character', () => {
      let all = '';
      for (let c = 0; c <= 0x1f; c++) all += String.fromCharCode(c);
      expect(normaliseText(`x${all}y`)).to.equal('x\t\ny');
    });

    it('strips DEL', () => {
      expect(normaliseText('a\u007Fb')).to.equal('ab');
    });

    it('strips the C1 controls U+0085 NEXT LINE and U+009F APPLICATION PROGRAM COMMAND', () => {
      expect(normaliseText('a\u0085b\u009Fc')).to.equal('abc');
    });

    it('strips every C1 control character', () => {
      let all = '';
      for (let c = 0x80; c <= 0x9f; c++) all += String.fromCharCode(c);
      expect(normaliseText(`x${all}y`)).to.equal('xy');
    });

    it('keeps the no-break space, which is not a control character, inside the text', () => {
      expect(normaliseText('a\u00A0b')).to.equal('a\u00A0b');
    });

    it('composes e + U+0301 COMBINING ACUTE ACCENT into é (NFC)', () => {
      const out = normaliseText('caf' + 'e\u0301');
      expect(out).to.equal('caf\u00E9');
      expect(out.length).to.equal(4);
    });

    it('maps U+212B ANGSTROM SIGN to U+00C5 Å (NFC)', () => {
      expect(normaliseText('\u212B')).to.equal('\u00C5');
    });

    it('composes A + U+030A COMBINING RING ABOVE into Å (NFC)', () => {
      expect(normaliseText('A\u030A')).to.equal('\u00C5');
    });

    it('composes decomposed Hangul jamo into a syllable (NFC)', () => {
      expect(normaliseText('\u1100\u1161\u11A8')).to.equal('\uAC01');
    });

    it('composes across a stripped control character, because stripping happens before NFC', () => {
      expect(normaliseText('e\u202E\u0301')).to.equal('\u00E9');
      expect(normaliseText('e\u0000\u0301')).to.equal('\u00E9');
    });

    for (const [emoji, name] of EMOJI) {
      it(`keeps the ${name} emoji byte-for-byte`, () => {
        expect(normaliseText(emoji)).to.equal(emoji);
        expect(normaliseText(`I feel ${emoji} today`)).to.equal(`I feel ${emoji} today`);
      });
    }

    it('keeps the zero-width joiner inside 👩‍💻 while stripping surrounding bidi characters', () => {
      expect(normaliseText('\u202E👩\u200D💻\u202C')).to.equal('👩\u200D💻');
    });

    it('replaces a lone high surrogate with U+FFFD instead of throwing', () => {
      expect(() => normaliseText('a\uD800b')).not.to.throw();
      expect(normaliseText('a\uD800b')).to.equal('a\uFFFDb');
    });

    it('replaces a lone low surrogate with U+FFFD instead of throwing', () => {
      expect(normaliseText('a\uDC00b')).to.equal('a\uFFFDb');
    });

    it('replaces reversed surrogate halves with two U+FFFD and keeps a valid pair intact', () => {
      expect(normaliseText('\uDE00\uD83D😀')).to.equal('\uFFFD\uFFFD😀');
    });

    it('replaces a trailing lone surrogate at the end of the text', () => {
      expect(normaliseText('hi \uD83D')).to.equal('hi \uFFFD');
    });

    it('trims surrounding spaces, tabs and newlines', () => {
      expect(normaliseText(' \t\n hello \n\t ')).to.equal('hello');
    });

    it('trims Unicode whitespace such as U+3000 and U+FEFF', () => {
      expect(normaliseText('\u3000\uFEFFhello\u2028\u00A0')).to.equal('hello');
    });

    it('trims whitespace that only becomes leading once bidi characters are stripped', () => {
      expect(normaliseText('\u202E  hello  \u2069')).to.equal('hello');
    });

    it('reduces whitespace-only text to the empty string', () => {
      expect(normaliseText(' \t\n\r\n ')).to.equal('');
    });

    it('reduces control-only text to the empty string', () => {
      expect(normaliseText('\u0000\u0007\u001B\u007F\u0085\u009F')).to.equal('');
    });

    it('reduces bidi-only text to the empty string', () => {
      expect(normaliseText(ALL_BIDI)).to.equal('');
    });
  });

  describe('messageText', () => {
    it('accepts a one-character message', () => {
      expect(accepted(messageText, 'k')).to.equal('k');
    });

    it('returns the normalised text, not the raw input', () => {
      expect(accepted(messageText, '  \u202Ecafe\u0301\u202C\r\n')).to.equal('caf\u00E9');
    });

    it('accepts exactly 2000 characters', () => {
      const text = 'a'.repeat(MAX_TEXT_CHARS);
      expect(MAX_TEXT_CHARS).to.equal(2000);
      expect(accepted(messageText, text)).to.equal(text);
    });

    it('refuses 2001 characters', () => {
      refused(messageText, 'a'.repeat(MAX_TEXT_CHARS + 1));
    });

    it('accepts 2000 astral-plane emoji because it counts code points, not UTF-16 units', () => {
      const text = '😀'.repeat(2000);
      expect(text.length).to.equal(4000);
      expect(accepted(messageText, text)).to.equal(text);
    });

    it('refuses 2001 astral-plane emoji', () => {
      refused(messageText, '😀'.repeat(2001));
    });

    it('counts each code point of a ZWJ sequence toward the limit', () => {
      // 👩‍💻 is three code points: 666 of them are 1998, plus "ab" is exactly 2000.
      const ok = '👩\u200D💻'.repeat(666) + 'ab';
      expect(charCount(ok)).to.equal(2000);
      expect(accepted(messageText, ok)).to.equal(ok);
      refused(messageText, ok + 'c');
    });

    it('accepts 2000 characters plus surrounding whitespace, trimmed to 2000', () => {
      const text = 'b'.repeat(2000);
      expect(accepted(messageText, `  \n\t ${text} \n\n `)).to.equal(text);
    });

    it('accepts 2000 characters wrapped in bidi characters, stripped to 2000', () => {
      const text = 'c'.repeat(2000);
      expect(accepted(messageText, `${ALL_BIDI}${text}${ALL_BIDI}`)).to.equal(text);
    });

    it('accepts 2000 characters interleaved with control characters, stripped to 2000', () => {
      const text = 'd'.repeat(2000);
      const noisy = [...text].join('\u0000');
      expect(accepted(messageText, noisy)).to.equal(text);
    });

    it('accepts 2000 composed characters given as 4000 decomposed code points', () => {
      const decomposed = 'e\u0301'.repeat(2000);
      expect(charCount(decomposed)).to.equal(4000);
      expect(accepted(messageText, decomposed)).to.equal('\u00E9'.repeat(2000));
    });

    it('refuses 2001 characters even when surrounded by whitespace and bidi characters', () => {
      refused(messageText, `  \u202E${'a'.repeat(2001)}\u202C  `);
    });

    it('refuses the empty string', () => {
      refused(messageText, '');
    });

    it('refuses whitespace-only text', () => {
      refused(messageText, ' \t\n \u3000 \r\n');
    });

    it('refuses control-only text', () => {
      refused(messageText, '\u0000\u0007\u001B\r\u007F\u0085\u009F');
    });

    it('refuses bidi-only text', () => {
      refused(messageText, ALL_BIDI);
    });

    it('refuses a mix of whitespace, controls and bidi characters that normalises to nothing', () => {
      refused(messageText, ` \u202E\u0000\n\u2066\t\u0085 \u2069`);
    });

    it('accepts raw input exactly at the raw cap when it normalises to 2000 characters', () => {
      const text = 'f'.repeat(2000);
      const padding = ' '.repeat((MAX_RAW_TEXT_CHARS - 2000) / 2);
      const raw = padding + text + padding;
      expect(raw.length).to.equal(MAX_RAW_TEXT_CHARS);
      expect(accepted(messageText, raw)).to.equal(text);
    });

    it('refuses raw input over the raw cap even though it would normalise to a short message', () => {
      const raw = 'hi' + ' '.repeat(MAX_RAW_TEXT_CHARS);
      expect(normaliseText(raw)).to.equal('hi');
      refused(messageText, raw);
    });

    it('refuses raw input over the raw cap made entirely of bidi characters', () => {
      refused(messageText, '\u202E'.repeat(MAX_RAW_TEXT_CHARS + 1));
    });

    it('refuses a megabyte of input without throwing', () => {
      refused(messageText, 'x'.repeat(1_000_000));
    });

    it('replaces lone surrogates with U+FFFD and accepts the message instead of throwing', () => {
      expect(accepted(messageText, 'ok \uD800 then \uDFFF')).to.equal('ok \uFFFD then \uFFFD');
    });

    it('accepts a message made only of lone surrogates as replacement characters', () => {
      expect(accepted(messageText, '\uD800\uDBFF')).to.equal('\uFFFD\uFFFD');
    });

    for (const [emoji, name] of EMOJI) {
      it(`accepts the ${name} emoji unchanged`, () => {
        expect(accepted(messageText, emoji)).to.equal(emoji);
      });
    }

    it('keeps line feeds and tabs in a multi-line message', () => {
      expect(accepted(messageText, 'Step 1:\n\tshow up\nStep 2:\n\tkeep showing up')).to.equal(
        'Step 1:\n\tshow up\nStep 2:\n\tkeep showing up',
      );
    });

    it('refuses values that are not strings', () => {
      refused(messageText, undefined);
      refused(messageText, null);
      refused(messageText, 42);
      refused(messageText, ['hi']);
      refused(messageText, { toString: () => 'hi' });
    });
  });

  describe('normaliseName', () => {
    it('leaves an ordinary name unchanged', () => {
      expect(normaliseName('Sam R.')).to.equal('Sam R.');
    });

    it('turns "Fac\\u200Bilitator" into "Facilitator"', () => {
      expect(normaliseName('Fac\u200Bilitator')).to.equal('Facilitator');
    });

    const invisibles: ReadonlyArray<[string, string]> = [
      ['\u200B', 'ZERO WIDTH SPACE'],
      ['\u200C', 'ZERO WIDTH NON-JOINER'],
      ['\u200D', 'ZERO WIDTH JOINER'],
      ['\u00AD', 'SOFT HYPHEN'],
      ['\uFEFF', 'BYTE ORDER MARK / ZERO WIDTH NO-BREAK SPACE'],
      ['\u200E', 'LEFT-TO-RIGHT MARK'],
      ['\u200F', 'RIGHT-TO-LEFT MARK'],
      ['\u061C', 'ARABIC LETTER MARK'],
      ['\u2060', 'WORD JOINER'],
      ['\u2061', 'FUNCTION APPLICATION'],
      ['\u2062', 'INVISIBLE TIMES'],
      ['\u2063', 'INVISIBLE SEPARATOR'],
      ['\u2064', 'INVISIBLE PLUS'],
      ['\u180E', 'MONGOLIAN VOWEL SEPARATOR'],
      ['\uFE0F', 'VARIATION SELECTOR-16'],
      ['\u034F', 'COMBINING GRAPHEME JOINER'],
      ['\u17B4', 'KHMER VOWEL INHERENT AQ'],
      ['\u180B', 'MONGOLIAN FREE VARIATION SELECTOR ONE'],
      ['\u115F', 'HANGUL CHOSEONG FILLER'],
      ['\u3164', 'HANGUL FILLER'],
      ['\uFFA0', 'HALFWIDTH HANGUL FILLER'],
      ['\uFFF9', 'INTERLINEAR ANNOTATION ANCHOR'],
      ['\u{1D173}', 'MUSICAL SYMBOL BEGIN BEAM'],
      ['\u{1BCA0}', 'SHORTHAND FORMAT LETTER OVERLAP'],
      ['\u{E0001}', 'LANGUAGE TAG'],
      ['\u{E0041}', 'TAG LATIN CAPITAL LETTER A'],
      ['\u{E0100}', 'VARIATION SELECTOR-17'],
      ...BIDI,
    ];
    for (const [ch, name] of invisibles) {
      it(`removes ${hex(ch)} ${name} so "Fac${hex(ch)}ilitator" becomes "Facilitator"`, () => {
        expect(normaliseName(`Fac${ch}ilitator`)).to.equal('Facilitator');
        expect(normaliseName(`${ch}Facilitator${ch}`)).to.equal('Facilitator');
      });
    }

    it('removes a line feed inside a name', () => {
      expect(normaliseName('Fac\nilitator')).to.equal('Facilitator');
    });

    it('removes a tab inside a name', () => {
      expect(normaliseName('Fac\tilitator')).to.equal('Facilitator');
    });

    it('removes carriage returns, vertical tabs, form feeds and NEXT LINE inside a name', () => {
      expect(normaliseName('Fa\rc\u000Bil\u000Cit\u0085ator')).to.equal('Facilitator');
    });

    it('never leaves a line break of any kind in a name', () => {
      const out = normaliseName('Sam\n\r\u000B\u000C\u0085\u2028\u2029Jones');
      expect(out).not.to.match(/[\n\r\u000B\u000C\u0085\u2028\u2029\t]/);
      expect(out).to.equal('Sam Jones');
    });

    it('removes C0 and C1 control characters and DEL', () => {
      expect(normaliseName('\u0000Sa\u0007m\u001B\u007F\u009F')).to.equal('Sam');
    });

    it('collapses runs of spaces into one space', () => {
      expect(normaliseName('Sam     R.')).to.equal('Sam R.');
    });

    it('collapses mixed Unicode whitespace into one ASCII space', () => {
      expect(normaliseName('Sam\u00A0\u2003\u3000\u202F R.')).to.equal('Sam R.');
    });

    it('collapses the spaces left around a removed invisible character', () => {
      expect(normaliseName('Sam \u200B R.')).to.equal('Sam R.');
      expect(normaliseName('Sam \u202E\u2066 R.')).to.equal('Sam R.');
    });

    it('trims leading and trailing whitespace', () => {
      expect(normaliseName('   Sam R.  \u3000 ')).to.equal('Sam R.');
    });

    it('composes decomposed accents (NFC)', () => {
      expect(normaliseName('Jose\u0301')).to.equal('Jos\u00E9');
      expect(normaliseName('\u212Bsa')).to.equal('\u00C5sa');
    });

    it('composes an accent across a removed zero-width character', () => {
      expect(normaliseName('Jose\u200B\u0301')).to.equal('Jos\u00E9');
    });

    it('replaces lone surrogates with U+FFFD instead of throwing', () => {
      expect(() => normaliseName('Sam\uD800')).not.to.throw();
      expect(normaliseName('Sam\uD800')).to.equal('Sam\uFFFD');
    });

    it('reduces a name of only invisible characters to the empty string', () => {
      expect(normaliseName('\u200B\u200C\u200D\u00AD\uFEFF\u200E\u200F\u2060\u{E0041}')).to.equal('');
    });
  });

  describe('displayName', () => {
    it('accepts a one-character name', () => {
      expect(accepted(displayName, 'A')).to.equal('A');
    });

    it('returns "Facilitator" for "Fac\\u200Bilitator", so the hidden character cannot set it apart', () => {
      expect(accepted(displayName, 'Fac\u200Bilitator')).to.equal('Facilitator');
    });

    it('returns "Facilitator" for a name laced with zero-width joiners, non-joiners, soft hyphens and BOMs', () => {
      expect(accepted(displayName, '\uFEFFF\u200Ca\u200Dc\u00ADi\u200Blitator\u200E')).to.equal('Facilitator');
    });

    it('returns "Facilitator" for a name padded with invisible tag characters', () => {
      expect(accepted(displayName, 'Facilitator\u{E0001}\u{E0020}')).to.equal('Facilitator');
    });

    it('accepts exactly 40 characters', () => {
      const name = 'n'.repeat(MAX_NAME_CHARS);
      expect(MAX_NAME_CHARS).to.equal(40);
      expect(accepted(displayName, name)).to.equal(name);
    });

    it('refuses 41 characters', () => {
      refused(displayName, 'n'.repeat(MAX_NAME_CHARS + 1));
    });

    it('accepts 40 astral-plane emoji because it counts code points', () => {
      const name = '🌱'.repeat(40);
      expect(accepted(displayName, name)).to.equal(name);
      refused(displayName, '🌱'.repeat(41));
    });

    it('accepts 40 characters once surrounding whitespace and invisible characters are removed', () => {
      const name = 'm'.repeat(40);
      expect(accepted(displayName, `  \u200B\u202E${name}\u2069\uFEFF  `)).to.equal(name);
    });

    it('accepts a name that is 40 characters only after its whitespace runs collapse', () => {
      const raw = 'a'.repeat(19) + '      ' + 'b'.repeat(20);
      expect(accepted(displayName, raw)).to.equal('a'.repeat(19) + ' ' + 'b'.repeat(20));
    });

    it('refuses a name that is still 41 characters after normalising', () => {
      refused(displayName, `\u200B${'a'.repeat(20)} ${'b'.repeat(20)}\u200B`);
    });

    it('refuses the empty string', () => {
      refused(displayName, '');
    });

    it('refuses a whitespace-only name', () => {
      refused(displayName, '   \t \n \u3000 ');
    });

    it('refuses a name that is empty after stripping zero-width and format characters', () => {
      refused(displayName, '\u200B\u200C\u200D\u00AD\uFEFF');
    });

    it('refuses a name made only of bidi and control characters', () => {
      refused(displayName, `${ALL_BIDI}\u0000\u0085\u200E\u200F`);
    });

    it('refuses a name made only of Hangul fillers', () => {
      refused(displayName, '\u3164\u115F\u1160\uFFA0');
    });

    it('refuses raw input over the raw name cap', () => {
      refused(displayName, 'Sam' + '\u200B'.repeat(300));
    });

    it('replaces lone surrogates with U+FFFD and accepts the name instead of throwing', () => {
      expect(accepted(displayName, 'Sam\uDC00')).to.equal('Sam\uFFFD');
    });

    it('refuses values that are not strings', () => {
      refused(displayName, undefined);
      refused(displayName, null);
      refused(displayName, 7);
    });
  });
});
