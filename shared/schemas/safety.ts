import { z } from 'zod';
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
