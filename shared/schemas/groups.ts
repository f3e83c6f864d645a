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

/** Someone waiting to be let in (§5.7): who, the name the group knows them by, and since when (epoch ms). */
export const waitingPerson = z.object({ userId, name: z.string(), since: z.number() });
export type WaitingPerson = z.infer<typeof waitingPerson>;

// Results.
/** A join that entered the room. `waiting`: who waits to be let in, for facilitators and admins only. */
export const groupJoinAdmitted = catchUpPage.extend({
  group,
  state: groupState,
  members: z.array(member),
  you: z.object({ muted: z.boolean(), mutedUntil: z.number().optional() }),
  waiting: z.array(waitingPerson).optional(),
});
/** A participant's join into a waiting room before a facilitator let them in: nothing of the room but its name. */
export const groupJoinWaiting = z.object({
  group: group.pick({ id: true, name: true }),
  waiting: z.object({ since: z.number() }),
});
export const groupJoinResult = z.union([groupJoinAdmitted, groupJoinWaiting]);
export const sentResult = z.object({ message });
export const reactResult = z.object({ reactions });

// Server → client events.
export const groupPresenceEvent = z.object({ groupId, user: userRef, online: z.boolean() });
export const groupTypingEvent = z.object({ groupId, userId, name: z.string(), typing: z.boolean() });
export const groupHandEvent = z.object({ groupId, userId, raised: z.boolean() });
export const groupReactionEvent = z.object({ groupId, messageId: entityId, reactions });
export const groupDeletedEvent = z.object({ groupId, messageId: entityId });
export const groupStateEvent = z.object({ groupId, state: groupState });
/** The whole waiting list of a group, longest waiting first, to its facilitators and the admins. */
export const groupWaitingEvent = z.object({ groupId, waiting: z.array(waitingPerson) });
/** To the person let in (all their sockets): join again to enter. */
export const groupAdmittedEvent = z.object({ groupId });
/** To the person turned away (all their sockets): they may knock again later. */
export const groupTurnedAwayEvent = z.object({ groupId });

export type GroupJoin = z.infer<typeof groupJoin>;
export type GroupSend = z.infer<typeof groupSend>;
export type GroupHistory = z.infer<typeof groupHistory>;
export type GroupJoinResult = z.infer<typeof groupJoinResult>;
export type GroupJoinAdmitted = z.infer<typeof groupJoinAdmitted>;
export type GroupJoinWaiting = z.infer<typeof groupJoinWaiting>;
