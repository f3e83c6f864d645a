import { z } from 'zod';
import { MAX_AGREEMENT_CHARS, MAX_RAW_TEXT_CHARS, charCount, normaliseText, wellFormedString } from '../text.js';
import { entityId, userId } from './common.js';

/**
 * A group agreement's text: well-formed UTF-16 (a facilitator's editor never sends a lone
 * surrogate, so one is refused rather than silently replaced), normalised as message text is
 * (§3), then 1–4000 characters.
 */
export const agreementText = wellFormedString()
  .max(MAX_RAW_TEXT_CHARS)
  .transform(normaliseText)
  .refine((s) => s.length > 0, 'text is empty after normalising')
  .refine((s) => charCount(s) <= MAX_AGREEMENT_CHARS, `text is longer than ${MAX_AGREEMENT_CHARS} characters`);

/**
 * A group's agreement (its ground rules), as facilitators set it: each change is a new version,
 * 1, 2, 3 …; `by` is the user id of whoever set it.
 */
export const agreement = z.object({
  version: z.number().int().positive(),
  text: z.string(),
  at: z.number(),
  by: userId,
});
export type Agreement = z.infer<typeof agreement>;

/** The version a participant must accept (AGREEMENT_REQUIRED) or the one now current (AGREEMENT_CHANGED), with its text. */
export const agreementTerms = agreement.pick({ version: true, text: true });
export type AgreementTerms = z.infer<typeof agreementTerms>;

/** Who accepted which version of a group's agreement, and when: each person's latest acceptance. */
export const acceptance = z.object({ userId, version: z.number().int().positive(), at: z.number() });
export type Acceptance = z.infer<typeof acceptance>;

// `group:agree` (§5.1): a participant accepts a version of the group's agreement.
export const groupAgree = z.object({ groupId: entityId, version: z.number().int().positive() });
export const groupAgreeResult = z.object({ accepted: acceptance.pick({ version: true, at: true }) });
