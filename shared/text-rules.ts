// The text rules of §3 as plain functions: no zod here, so the browser client can import them
// without bundling the schema library (text.ts builds the schemas from these).

/** The most characters (code points) a message may have after normalising (§3). */
export const MAX_TEXT_CHARS = 2000;
/** Raw input cap before normalising, so stripping cannot be used to make us chew megabytes. */
export const MAX_RAW_TEXT_CHARS = 10_000;
export const MAX_NAME_CHARS = 40;
/** The most characters (code points) a group's agreement may have after normalising (§8.2). */
export const MAX_AGREEMENT_CHARS = 4000;

// C0 controls except \t (09) and \n (0A), DEL and C1 controls, bidi embeddings/overrides
// (U+202A–U+202E) and isolates (U+2066–U+2069).
const STRIPPED_IN_TEXT = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
// A display name is one line, and zero-width or invisible format characters would let someone
// pass as another person ("Fac\u200Bilitator"), so names lose those as well. Messages keep ZWJ:
// emoji sequences such as 👩‍💻 need it.
// Names lose every control (Cc: C0, DEL, C1 — so \t and line breaks too), every format character
// (Cf: ZWSP/ZWNJ/ZWJ, LRM/RLM/ALM, bidi embeddings/overrides/isolates, soft hyphen, BOM, word
// joiner and invisible operators, interlinear annotation, tag characters …) and every
// Default_Ignorable_Code_Point (combining grapheme joiner, variation selectors incl. U+E0100+,
// Hangul fillers, Khmer inherent vowels, Mongolian FVS, …). A hand-written BMP list missed the
// astral tag characters (U+E0000–U+E007F) among others, so "Facilitator\u{E0001}" passed as
// "Facilitator". The `u` flag makes the class match whole code points, astral ones included.
const STRIPPED_IN_NAME = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** Count characters as users see them in an editor: code points, not UTF-16 units. */
export function charCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Message text as §3 defines it: lone surrogates replaced, controls other than \n and \t and
 * bidi overrides/isolates removed, NFC, trimmed. Length is checked by the caller.
 * @example normaliseText(' \u202Eevil\u202C ') === 'evil'
 */
export function normaliseText(raw: string): string {
  return raw.toWellFormed().replace(STRIPPED_IN_TEXT, '').normalize('NFC').trim();
}

/** A display name: like text, plus no line breaks, tabs or invisible characters; inner runs of spaces collapse. */
export function normaliseName(raw: string): string {
  return raw.toWellFormed().replace(STRIPPED_IN_NAME, '').normalize('NFC').replace(/\s+/g, ' ').trim();
}
