import { z } from 'zod';
import { wellFormedString } from '../text.js';
import { entityId, globalRole, userId } from './common.js';

// The access log and emergency-disclosure records (issue 18, §8.8).

/** What kind of data about people a read returned. */
export const accessWhat = z.enum([
  'checkins',
  'attendance',
  'reports',
  'alerts',
  'audit',
  'disclosures',
  'group',
  'export',
  'access_log',
  'partnerships',
]);
export type AccessWhat = z.infer<typeof accessWhat>;

/**
 * One entry of the access log: who read what about whom, when, on which node; ids only, never
 * text. `prev` is the MAC of the entry before it (or the chain's anchor), `mac` the
 * HMAC-SHA256 under ACCESS_LOG_KEY of the entry's canonical JSON without `mac`.
 */
export const accessEntry = z.object({
  seq: z.number().int().positive(),
  at: z.number(),
  node: z.string(),
  actor: z.object({ id: userId, role: globalRole }),
  what: accessWhat,
  about: z.array(userId),
  groupId: entityId.optional(),
  /** Further ids (e.g. the alert whose records were read). */
  detail: z.record(z.string(), entityId).optional(),
  prev: z.string(),
  mac: z.string(),
});
export type AccessEntry = z.infer<typeof accessEntry>;

const epochMs = z.coerce.number().int().nonnegative();
/** `GET /api/access-log`: newest first; filters combine. */
export const accessLogQuery = z.object({
  /** entries about this person */
  person: userId.optional(),
  /** entries by this actor */
  actor: userId.optional(),
  /** epoch ms, inclusive */
  from: epochMs.optional(),
  /** epoch ms, inclusive */
  to: epochMs.optional(),
  /** entries older than this seq: pass the last seq of the previous page */
  beforeSeq: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type AccessLogQuery = z.infer<typeof accessLogQuery>;
export const accessLogResult = z.object({ entries: z.array(accessEntry), hasMore: z.boolean() });

const name = wellFormedString()
  .max(400)
  .transform((s) => s.normalize('NFC').trim())
  .pipe(z.string().min(1).max(200));

/**
 * An emergency-disclosure record (42 CFR §2.51): made from an alert, never edited; a correction
 * is a new record naming the one it corrects.
 */
export const disclosure = z.object({
  id: entityId,
  alertId: entityId,
  /** The group whose queue holds the alert; absent for a program alert. */
  groupId: entityId.optional(),
  /** The person the alert is about (whose information was disclosed). */
  userId,
  recipientName: z.string(),
  recipientAffiliation: z.string(),
  /** The name of the person who made the disclosure. */
  disclosedBy: z.string(),
  /** When the disclosure was made (epoch ms). */
  at: z.number(),
  /** The nature of the emergency. */
  nature: z.string(),
  correctsId: entityId.optional(),
  /** Who recorded it, and when (epoch ms). */
  recordedBy: userId,
  recordedAt: z.number(),
});
export type Disclosure = z.infer<typeof disclosure>;

export const disclosureBody = z.object({
  /** The queue the alert is in (as in alert:ack); absent: the program's queue. */
  groupId: entityId.optional(),
  recipientName: name,
  recipientAffiliation: name,
  /** Default: the caller's display name. */
  disclosedBy: name.optional(),
  /** ISO 8601 with an offset; default: now. */
  at: z.iso.datetime({ offset: true }).optional(),
  nature: wellFormedString()
    .max(4000)
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(2000)),
  correctsId: entityId.optional(),
});
export const disclosureResult = z.object({ disclosure });

/** JSON exports carry the redisclosure notice (§2.32) in the document. */
export const disclosuresResult = z.object({ notice: z.string(), disclosures: z.array(disclosure) });
export const alertDisclosuresQuery = z.object({
  groupId: entityId.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
export const disclosuresQuery = z.object({
  person: userId.optional(),
  groupId: entityId.optional(),
  from: epochMs.optional(),
  to: epochMs.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});
