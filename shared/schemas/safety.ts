import { z } from 'zod';
import { wellFormedString } from '../text.js';
import { checkinRule } from './checkins.js';
import { alertLifecycle, conversation, entityId, userId } from './common.js';

export const crisisResource = z.object({ name: z.string(), contact: z.string(), description: z.string() });
export type CrisisResource = z.infer<typeof crisisResource>;

/** Sent privately to a sender whose text matched a crisis phrase (§7). */
export const safetyResourcesEvent = z.object({ resources: z.array(crisisResource) });

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
  /** a check-in alert's check-in and the rule it tripped */
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

/** A group alert is named by its group and id; a program alert (admins) by its id alone. */
const alertRef = { alertId: entityId, groupId: entityId.optional() };
export const alertList = z.object({}).optional();
export const alertListResult = z.object({ alerts: z.array(staffAlert) });
export const alertAck = z.object(alertRef);
export const alertResolve = z.object({ ...alertRef, note: wellFormedString().max(500).optional() });
export const alertResult = z.object({ alert: staffAlert });
