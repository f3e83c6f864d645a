import { z } from 'zod';
import { MAX_NAME_CHARS, MAX_RAW_TEXT_CHARS, MAX_TEXT_CHARS, charCount, normaliseName, normaliseText } from './text-rules.js';

export * from './text-rules.js';

/**
 * A string that is well-formed UTF-16: no lone surrogate. Redis keeps what JSON.stringify writes,
 * and its Lua JSON decoder refuses a lone surrogate's escape, so one such id or reason made the
 * whole record undeletable; free text is normalised instead (normaliseText replaces them).
 */
export const wellFormedString = () => z.string().refine((s) => s.isWellFormed(), 'must not contain a lone surrogate (ill-formed UTF-16)');

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
