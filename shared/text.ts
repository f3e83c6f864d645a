import { z } from 'zod';

/** The most characters (code points) a message may have after normalising (§3). */
export const MAX_TEXT_CHARS = 2000;
/** Raw input cap before normalising, so stripping cannot be used to make us chew megabytes. */
export const MAX_RAW_TEXT_CHARS = 10_000;
export const MAX_NAME_CHARS = 40;

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

/** Message text in a payload: normalised, then 1–2000 characters. */
export const messageText = z
  .string()
  .max(MAX_RAW_TEXT_CHARS)
  .transform(normaliseText)
  .refine((s) => s.length > 0, 'text is empty after normalising')
  .refine((s) => charCount(s) <= MAX_TEXT_CHARS, `text is longer than ${MAX_TEXT_CHARS} characters`);

/** A display name: normalised, then 1–40 characters. */
export const displayName = z
  .string()
  .max(200)
  .transform(normaliseName)
  .refine((s) => s.length > 0, 'name is empty after normalising')
  .refine((s) => charCount(s) <= MAX_NAME_CHARS, `name is longer than ${MAX_NAME_CHARS} characters`);
