import { z } from 'zod';
import { wellFormedString } from '../text.js';
import { checkinRule } from './checkins.js';
import { alertLifecycle, conversation, entityId, userId } from './common.js';

/**
 * A number a phone can dial or text: digits with an optional leading `+` (E.164 like
 * `+18006624357`, or a short code like `988`). The client builds `tel:` and `sms:` links from
 * these alone, so nothing else may reach an href.
 */
const phoneNumber = z.string().regex(/^\+?[0-9]{2,15}$/, 'digits, optionally after a leading +');

/**
 * One crisis resource (§7): a name, a line saying how to reach it (`contact`, kept for clients
 * that show it as text), and what a tap does: `call`, `text` (with `textBody`, the keyword the
 * service asks for), `url` (https only). At least one of the three.
 */
export const crisisResource = z
  .strictObject({
    name: z.string().trim().min(1).max(120),
    contact: z.string().trim().min(1).max(200),
    description: z.string().trim().min(1).max(500),
    call: phoneNumber.optional(),
    text: phoneNumber.optional(),
    textBody: z
      .string()
      .regex(/^[\p{L}\p{N} ]{1,40}$/u, 'letters, digits and spaces, at most 40')
      .optional(),
    url: z
      .url({ protocol: /^https$/, hostname: z.regexes.domain })
      .max(500)
      .optional(),
  })
  .refine((r) => r.call !== undefined || r.text !== undefined || r.url !== undefined, 'needs call, text or url')
  .refine((r) => r.textBody === undefined || r.text !== undefined, 'textBody needs text');
export type CrisisResource = z.infer<typeof crisisResource>;

/** The resources in English and in Spanish; the client picks one by the browser's language. */
export const crisisResourceSets = z.strictObject({
  en: z.array(crisisResource).min(1).max(20),
  es: z.array(crisisResource).min(1).max(20),
});
export type CrisisResourceSets = z.infer<typeof crisisResourceSets>;

/**
 * Sent privately to a sender whose text matched a crisis phrase (§7), and the answer of
 * `GET /api/resources`. `resources` is the English set, as before the sets existed.
 */
export const safetyResourcesEvent = z.object({ resources: z.array(crisisResource), sets: crisisResourceSets });
export type SafetyResources = z.infer<typeof safetyResourcesEvent>;

/**
 * A crisis alert no facilitator could receive (the partners share no group, or none of the groups
 * it went to has a facilitator): it waits in the program's queue for the admins. Like a group's
 * crisis report it holds ids only, never what was written.
 */
export const programAlert = z.object({
  id: entityId,
  kind: z.literal('crisis'),
  conversation,
  messageId: entityId,
  /** who wrote the message */
  userId,
  /** why no facilitator was told */
  reason: z.enum(['no-shared-group', 'no-facilitator']),
  createdAt: z.number(),
  status: z.enum(['open', 'resolved']),
  resolvedBy: userId.optional(),
  resolvedAt: z.number().optional(),
  ...alertLifecycle,
});
export type ProgramAlert = z.infer<typeof programAlert>;

/**
 * One alert in the staff inbox (§5.5), as staff receive it: a group's queued report or crisis
 * alert (`scope: 'group'`), or a program alert for the admins (`scope: 'program'`). Ids, kind and
 * lifecycle only: never the message's text, nor a reporter's note. `severity` is `crisis` for a
 * crisis phrase and for a report with reason `crisis`; crisis alerts are listed first.
 */
export const staffAlert = z.object({
  id: entityId,
  scope: z.enum(['group', 'program']),
  groupId: entityId.optional(),
  kind: z.enum(['crisis', 'report', 'checkin']),
  severity: z.enum(['crisis', 'report']),
  /** absent for a check-in alert (§6.1), which concerns no message */
  conversation: conversation.optional(),
  messageId: entityId.optional(),
  /** who wrote the message, or who checked in */
  userId,
  /** a check-in alert's check-in (absent for rule silence: no check-in to name) and the rule it tripped */
  checkinId: entityId.optional(),
  rule: checkinRule.optional(),
  /** a report's reason; a program alert's reason (why no facilitator was told) */
  reason: z.string().optional(),
  createdAt: z.number(),
  status: z.enum(['open', 'acknowledged', 'resolved']),
  resolvedBy: userId.optional(),
  resolvedAt: z.number().optional(),
  ...alertLifecycle,
});
export type StaffAlert = z.infer<typeof staffAlert>;

/** An alert left unacknowledged, paged to the program's on-call staff (§7.1); `step` counts the pages, from 1. */
export const alertEscalatedEvent = z.object({ alert: staffAlert, step: z.number().int().positive(), at: z.number() });

/** A group alert is named by its group and id; a program alert (admins) by its id alone. */
const alertRef = { alertId: entityId, groupId: entityId.optional() };
export const alertList = z.object({}).optional();
export const alertListResult = z.object({ alerts: z.array(staffAlert) });
export const alertAck = z.object(alertRef);
export const alertResolve = z.object({ ...alertRef, note: wellFormedString().max(500).optional() });
export const alertResult = z.object({ alert: staffAlert });
