/**
 * Crisis phrase matching (docs/protocol.md §7): pure text in, yes/no out. No sockets, no store.
 *
 * Both the phrases and every message go through the same `normalise`, so the phrase file can be
 * written in plain English and still match the many ways people type in a chat:
 *   1. invisible characters (zero-width space, soft hyphen, …) are deleted, so "k\u200Bill" = "kill";
 *   2. NFKC (fullwidth and styled letters become plain), lower case, diacritics stripped ("kïll");
 *   3. runs of one repeated letter collapse to one ("diiiie" = "die", "kill" = "kil", "myselffff"):
 *      this is also what makes the single-l misspelling "kil myself" match;
 *   4. apostrophes are deleted ("don't" = "dont" = "don’t"). This runs after step 3 on purpose:
 *      "od'd" stays "odd" while the adjective "odd" becomes "od", so the two never collide;
 *   5. every other run of non-letters/digits (spaces, line breaks, punctuation, emoji) becomes one
 *      space, so "kill   myself", "kill-myself", "kill.myself" and "kill\nmyself" are the same;
 *   6. a few chat shorthands are spelled out (SHORTHAND below), so the list needs one line, not five.
 * Phrases match whole words at both ends (the text is padded with spaces and every phrase must sit
 * between two of them): "skill myself up" does not contain "kill myself". Inflections are opted
 * into per word with `word*` in the phrase file ("overdos*" matches "overdosed" on purpose: it is
 * a real inflection of the overdose group, so "I overdosed on coffee" alerts — an accepted false
 * positive). A lone `*` is any one word. Lines starting with `!` are exceptions: the harmless
 * phrasings they describe are cut out of the message before the phrases are looked for.
 *
 * Everything is compiled once in `createCrisisMatcher`; a call does a few replaces with
 * precompiled regexes and one `test`, so it is cheap enough to run on every message.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors.js';

const DEFAULT_FILE = new URL('./crisis-phrases.txt', import.meta.url);

// Deleted outright (not turned into a space), so they cannot be used to split a word.
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
// Every apostrophe look-alike becomes ASCII ' first; ´ must go before NFKC turns it into " ́".
const APOSTROPHE_LOOKALIKES = /[\u2018\u2019\u201B\u02BC\u0060\u00B4\u2032\uFF07]/g;
const MARKS = /\p{M}/gu;
const REPEATED_LETTER = /(\p{L})\1+/gu;
const APOSTROPHE = /'/g;
const TEXT_SEPARATORS = /[^\p{L}\p{N}]+/gu;
// Phrases keep `*` (the wildcard); in a message `*` is punctuation like any other.
const PHRASE_SEPARATORS = /[^\p{L}\p{N}*]+/gu;

// Keys are already normalised (so "wanna" is "wana", "cannot" is "canot"). Only the phrase list
// ever looks at the result, so turning "want 2" into "want to" cannot hurt other text.
const SHORTHAND: Readonly<Record<string, string>> = {
  wana: 'want to',
  'wan to': 'want to',
  'want 2': 'want to',
  gona: 'going to',
  canot: 'cant',
  'can not': 'cant',
  'do not': 'dont',
  'my self': 'myself',
};
const SHORTHAND_RE = new RegExp(`(?<= )(?:${Object.keys(SHORTHAND).join('|')})(?= )`, 'g');

/** Message or phrase -> " words separated by single spaces " (padded, see the module comment). */
function normalise(s: string, separators: RegExp = TEXT_SEPARATORS): string {
  const words = s
    .replace(INVISIBLE, '')
    .replace(APOSTROPHE_LOOKALIKES, "'")
    .normalize('NFKC')
    .toLowerCase()
    .normalize('NFD')
    .replace(MARKS, '')
    .replace(REPEATED_LETTER, '$1')
    .replace(APOSTROPHE, '')
    .replace(separators, ' ')
    .trim();
  return ` ${words} `.replace(SHORTHAND_RE, (m) => SHORTHAND[m] ?? m);
}

const WORD_CHAR = '[\\p{L}\\p{N}]';
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One phrase -> regex source. Throws on a phrase that cannot mean anything, so a bad list fails at start. */
function phraseSource(phrase: string): string {
  const words = normalise(phrase, PHRASE_SEPARATORS).trim().split(' ');
  // A phrase of wildcards only would alert on every message.
  if (words.every((w) => w === '*' || w === '')) throw new Error(`crisis phrase ${JSON.stringify(phrase)}: no words`);
  return words
    .map((w) => {
      if (w === '*') return `${WORD_CHAR}+`;
      const stem = w.endsWith('*') ? w.slice(0, -1) : w;
      if (stem === '' || stem.includes('*')) throw new Error(`crisis phrase ${JSON.stringify(phrase)}: bad use of *`);
      return escapeRe(stem) + (stem === w ? '' : `${WORD_CHAR}*`);
    })
    .join(' ');
}

/** Phrases -> one regex matching any of them as whole words, or null when there are none. */
function compile(phrases: string[], flags: string): RegExp | null {
  if (phrases.length === 0) return null;
  return new RegExp(`(?<= )(?:${phrases.map(phraseSource).join('|')})(?= )`, flags);
}

/** Lines of a phrase file without comments (`#…`) and blank lines, trimmed. `!` lines are kept. */
export function parsePhrases(fileText: string): string[] {
  return fileText
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/**
 * Reads a phrase file synchronously (once, at start): `path`, or the default list next to this
 * module. A given file that cannot be read is a ConfigError naming CRISIS_PHRASES_FILE (§10).
 */
export function loadPhrases(path?: string): string[] {
  if (path === undefined) return parsePhrases(readFileSync(DEFAULT_FILE, 'utf8'));
  try {
    return parsePhrases(readFileSync(path, 'utf8'));
  } catch {
    throw new ConfigError('invalid CRISIS_PHRASES_FILE: not a readable text file');
  }
}

/** The matcher for a phrase file, compiled once; a malformed phrase is a ConfigError naming CRISIS_PHRASES_FILE. */
export function loadCrisisMatcher(path?: string): (text: string) => boolean {
  const phrases = loadPhrases(path);
  try {
    return createCrisisMatcher(phrases);
  } catch (err) {
    throw new ConfigError(`invalid CRISIS_PHRASES_FILE: ${err instanceof Error ? err.message : 'bad phrase'}`);
  }
}

/**
 * Compiles `phrases` (as `parsePhrases` returns them; `!` lines are exceptions) into a matcher
 * that says whether a message contains a crisis phrase. Throws on a malformed phrase.
 */
export function createCrisisMatcher(phrases: string[]): (text: string) => boolean {
  const crisis = compile(
    phrases.filter((p) => !p.startsWith('!')),
    'u',
  );
  // `g` so replace cuts out every exception; replace resets lastIndex, so the regex can be shared.
  const exceptions = compile(
    phrases.filter((p) => p.startsWith('!')).map((p) => p.slice(1)),
    'gu',
  );
  return (text: string): boolean => {
    if (crisis === null) return false;
    let t = normalise(text);
    // "|" is not a word character, so no phrase can match across the cut.
    if (exceptions !== null) t = t.replace(exceptions, '|');
    return crisis.test(t);
  };
}
