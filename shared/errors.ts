import { z } from 'zod';

/** The closed error vocabulary of docs/protocol.md §2, with the HTTP status each maps to (§8). */
export const ErrorCode = {
  /** payload fails its schema; `issues` lists path and message */
  BAD_REQUEST: 400,
  /** handshake or HTTP request without a valid token */
  UNAUTHORIZED: 401,
  /** role or enrolment does not allow it */
  FORBIDDEN: 403,
  /** does not exist, or the caller may not know that it exists */
  NOT_FOUND: 404,
  /** the caller is banned from that group */
  BANNED: 403,
  /** the caller is muted in that group (`retryAfterMs` when the mute ends) */
  MUTED: 403,
  /** a participant tries to join a locked group */
  ROOM_LOCKED: 403,
  /** a participant has not accepted the current version of the group's agreement (`agreement`: that version and its text) */
  AGREEMENT_REQUIRED: 403,
  /** an acceptance names a version of the group's agreement that is not the current one (`agreement`: the current one) */
  AGREEMENT_CHANGED: 409,
  /** a participant sends while the group's session is closed; a session is extended when none is open */
  SESSION_CLOSED: 409,
  /** a participant sends faster than slow mode allows (`retryAfterMs`) */
  SLOW_MODE: 429,
  /** the per-user flood limit is exceeded (`retryAfterMs`) */
  RATE_LIMITED: 429,
  /** anything unexpected; logged with a correlation id */
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ErrorCode;
export const errorCodes = Object.keys(ErrorCode) as [ErrorCode, ...ErrorCode[]];

export const issueSchema = z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() });
export type Issue = z.infer<typeof issueSchema>;

export const wireErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  retryAfterMs: z.number().int().positive().optional(),
  issues: z.array(issueSchema).optional(),
  /** AGREEMENT_REQUIRED and AGREEMENT_CHANGED: the version to accept and its text (the group's rules, not personal data) */
  agreement: z.object({ version: z.number().int().positive(), text: z.string() }).optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

/** What every acknowledgement carries (§2): narrow on `ok`. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: WireError };

/** A success ack or HTTP body for a result schema: `{ ok: true, data }`. */
export function okSchema<T extends z.ZodType>(data: T) {
  return z.object({ ok: z.literal(true), data });
}
/** A refusal ack or HTTP error body: `{ ok: false, error }`. */
export const errorBodySchema = z.object({ ok: z.literal(false), error: wireErrorSchema });

/** An ack (or HTTP body) schema for a result schema, for clients that validate what they receive. */
export function ackSchema<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [okSchema(data), errorBodySchema]);
}
