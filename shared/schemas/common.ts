import { z } from 'zod';
import { displayName, wellFormedString } from '../text.js';
import { CHECKIN_CRAVING, CHECKIN_MOOD, REACTIONS } from '../vocabulary.js';

/** User ids are JWT `sub` values (§1). */
export const userId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 of A–Z a–z 0–9 _ -');
/** Group, message, partnership, invite and report ids: opaque, server-assigned, same alphabet. */
export const entityId = userId;
export const clientMsgId = wellFormedString().min(1).max(64);
export const seq = z.number().int().nonnegative();
/**
 * A conversation log's epoch (a Bridge addition to §4): drawn with its first message, so it
 * changes only when the store lost the log and seq started over from 1. '' for an empty log.
 */
export const logEpoch = wellFormedString().max(64);

export const globalRole = z.enum(['participant', 'facilitator', 'admin']);
export type GlobalRole = z.infer<typeof globalRole>;
export const groupRole = z.enum(['participant', 'facilitator']);
export type GroupRole = z.infer<typeof groupRole>;

export const userRef = z.object({ id: userId, name: z.string(), role: globalRole });
export type UserRef = z.infer<typeof userRef>;

export const conversation = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('group'), id: entityId }),
  z.object({ kind: z.literal('partner'), id: entityId }),
]);
export type Conversation = z.infer<typeof conversation>;

export const reactionEmoji = z.enum(REACTIONS);
export type ReactionEmoji = z.infer<typeof reactionEmoji>;
export const reactions = z.record(z.string(), z.array(userId));
export type Reactions = z.infer<typeof reactions>;

export const checkin = z.object({
  mood: z.number().int().min(CHECKIN_MOOD.min).max(CHECKIN_MOOD.max),
  craving: z.number().int().min(CHECKIN_CRAVING.min).max(CHECKIN_CRAVING.max),
  note: z.string().optional(),
});

/** §4. A deleted message keeps its seq and is served with text '' and deleted: true. */
export const message = z.object({
  id: entityId,
  seq: z.number().int().positive(),
  conversation,
  sender: userRef,
  kind: z.enum(['text', 'checkin', 'system']),
  text: z.string(),
  checkin: checkin.optional(),
  clientMsgId: clientMsgId.optional(),
  createdAt: z.number(),
  deleted: z.literal(true).optional(),
  reactions: reactions.optional(),
});
export type Message = z.infer<typeof message>;

/** A session's id: derived from its start instant, so every node names an occurrence the same. */
export const sessionId = entityId;
/** One occurrence of a group's sessions: its id and its start and end (epoch ms). */
export const scheduledSession = z.object({ id: sessionId, start: z.number(), end: z.number() });
export type ScheduledSession = z.infer<typeof scheduledSession>;

export const groupState = z.object({
  locked: z.boolean(),
  /** Participants not yet admitted this session wait until a facilitator lets them in (mod:admit). */
  waitingRoom: z.boolean(),
  slowModeSec: z.number().int().min(0).max(300),
  sessionOpen: z.boolean(),
  pinnedMessageId: entityId.nullable(),
  /** Partner messages between two members attending a live session are held until it ends (§6.2). */
  quietPartnerChat: z.boolean(),
  /** user ids with a raised hand, first raised first */
  handQueue: z.array(userId),
  /** The session open now (a group on a schedule; null when none is, or the group has no schedule). */
  session: scheduledSession.nullable(),
  /** When the next scheduled session starts (epoch ms); null without a schedule or when none is planned. */
  nextSessionStart: z.number().nullable(),
});
export type GroupState = z.infer<typeof groupState>;

export const group = z.object({
  id: entityId,
  name: z.string(),
  description: z.string().optional(),
  schedule: z.string().optional(),
  createdAt: z.number(),
  createdBy: userId,
  /**
   * Whether participants see messages from before they were enrolled. Absent means 'private':
   * a group's earlier sessions belong to those who were there.
   */
  earlierMessages: z.enum(['private', 'shared']).optional(),
});
export type Group = z.infer<typeof group>;

/** An enrolment as stored: the group role and the name the group knows the member by. */
export const enrolment = z.object({
  userId,
  role: groupRole,
  name: z.string(),
  /** The first seq this member may read in a group whose earlier messages are private; absent: 1. */
  fromSeq: z.number().int().positive().optional(),
});
export type Enrolment = z.infer<typeof enrolment>;

export const member = z.object({
  id: userId,
  name: z.string(),
  role: groupRole,
  online: z.boolean(),
  handRaised: z.boolean(),
});
export type Member = z.infer<typeof member>;

export { displayName };

/** A page of one conversation's log, oldest first. */
export const messagePage = z.object({ messages: z.array(message), hasMore: z.boolean() });
/** A join's or open's page: `resync` when the client's `since` was from an older epoch (the newest page instead). */
export const catchUpPage = messagePage.extend({ epoch: logEpoch, resync: z.literal(true).optional() });
export type MessagePage = z.infer<typeof messagePage>;

/**
 * The staff side of an alert's lifecycle, on a group's queued report and on a program alert:
 * open → acknowledged (by whom, when) → resolved (by whom, when, with an optional note). Records
 * stored before acknowledgement existed simply lack these fields.
 */
export const alertLifecycle = {
  acknowledgedBy: userId.optional(),
  acknowledgedAt: z.number().optional(),
  /** what the staff member who resolved it wrote (≤ 500) */
  resolutionNote: z.string().optional(),
};
