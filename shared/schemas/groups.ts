import { z } from 'zod';
import { messageText } from '../text.js';
import {
  catchUpPage,
  clientMsgId,
  entityId,
  group,
  groupState,
  logEpoch,
  member,
  message,
  reactionEmoji,
  reactions,
  seq,
  userId,
  userRef,
} from './common.js';

const groupId = entityId;

// Client → server payloads (§5). Unknown fields are stripped, never refused (§2).
export const groupJoin = z.object({ groupId, since: seq.optional(), epoch: logEpoch.optional() });
export const groupLeave = z.object({ groupId });
export const groupSend = z.object({ groupId, text: messageText, clientMsgId });
export const groupHistory = z.object({
  groupId,
  beforeSeq: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export const groupTyping = z.object({ groupId, typing: z.boolean() });
export const groupHand = z.object({ groupId, raised: z.boolean() });
export const groupReact = z.object({ groupId, messageId: entityId, emoji: reactionEmoji });

// Results.
export const groupJoinResult = catchUpPage.extend({
  group,
  state: groupState,
  members: z.array(member),
  you: z.object({ muted: z.boolean(), mutedUntil: z.number().optional() }),
});
export const sentResult = z.object({ message });
export const reactResult = z.object({ reactions });

// Server → client events.
export const groupPresenceEvent = z.object({ groupId, user: userRef, online: z.boolean() });
export const groupTypingEvent = z.object({ groupId, userId, name: z.string(), typing: z.boolean() });
export const groupHandEvent = z.object({ groupId, userId, raised: z.boolean() });
export const groupReactionEvent = z.object({ groupId, messageId: entityId, reactions });
export const groupDeletedEvent = z.object({ groupId, messageId: entityId });
export const groupStateEvent = z.object({ groupId, state: groupState });

export type GroupJoin = z.infer<typeof groupJoin>;
export type GroupSend = z.infer<typeof groupSend>;
export type GroupHistory = z.infer<typeof groupHistory>;
export type GroupJoinResult = z.infer<typeof groupJoinResult>;
