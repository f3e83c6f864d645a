import { z } from 'zod';
import { conversation, entityId, userId } from './common.js';

const groupId = entityId;
const reason = z.string().max(500);

// Facilitator events (§5); served by the moderation capability.
export const modMute = z.object({ groupId, userId, minutes: z.number().int().min(1).max(1440).optional() });
export const modTarget = z.object({ groupId, userId });
export const modBan = z.object({ groupId, userId, reason: reason.optional() });
export const modDelete = z.object({ groupId, messageId: entityId, reason: reason.optional() });
export const modLock = z.object({ groupId, locked: z.boolean() });
export const modSlowmode = z.object({ groupId, seconds: z.number().int().min(0).max(300) });
export const modPin = z.object({ groupId, messageId: entityId.nullable() });
export const modSession = z.object({ groupId, open: z.boolean() });

export const reportReason = z.enum(['harassment', 'crisis', 'spam', 'privacy', 'other']);
export const report = z.object({ conversation, messageId: entityId, reason: reportReason, note: z.string().max(500).optional() });
export const reportResult = z.object({ reportId: entityId });

export const modNoticeEvent = z.object({
  groupId,
  action: z.enum(['muted', 'unmuted', 'removed', 'banned']),
  until: z.number().optional(),
  reason: z.string().optional(),
});
export const modAlertEvent = z.object({
  groupId: groupId.optional(),
  partnershipId: entityId.optional(),
  kind: z.enum(['report', 'crisis']),
  reportId: entityId,
  messageId: entityId,
  userId,
});
