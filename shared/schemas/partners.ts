import { z } from 'zod';
import { messageText, normaliseText } from '../text.js';
import { CHECKIN_CRAVING, CHECKIN_MOOD, MAX_NOTE_CHARS } from '../vocabulary.js';
import { catchUpPage, clientMsgId, entityId, logEpoch, message, seq, sessionId, userId } from './common.js';

const partnershipId = entityId;
/** A short free-text note (§3): invite notes and check-in notes. */
export const note = z.string().max(2000).transform(normaliseText).pipe(z.string().max(MAX_NOTE_CHARS));

/** Two people who keep each other accountable between sessions (§6). */
export const partnership = z.object({
  id: partnershipId,
  users: z.tuple([z.object({ id: userId, name: z.string() }), z.object({ id: userId, name: z.string() })]),
  createdAt: z.number(),
  status: z.enum(['active', 'ended']),
  endedAt: z.number().optional(),
  endedBy: userId.optional(),
});
export type Partnership = z.infer<typeof partnership>;

/** A partnership as one of the two sees it: the other person, both read marks, my unread count. */
export const partnershipView = partnership.extend({
  partner: z.object({ id: userId, name: z.string(), online: z.boolean() }),
  /** user id → the highest seq that user has read */
  lastReadSeq: z.record(z.string(), z.number().int().nonnegative()),
  lastSeq: z.number().int().nonnegative(),
  unread: z.number().int().nonnegative(),
});
export type PartnershipView = z.infer<typeof partnershipView>;

export const invite = z.object({
  id: entityId,
  from: z.object({ id: userId, name: z.string() }),
  to: z.object({ id: userId, name: z.string() }),
  /** Only while pending: settling an invite drops it. */
  note: z.string().optional(),
  createdAt: z.number(),
  /** withdrawn: its sender erased their data (DELETE /api/me) while it waited. */
  status: z.enum(['pending', 'accepted', 'declined', 'withdrawn']),
});
export type Invite = z.infer<typeof invite>;

// Client → server payloads.
export const partnerInvite = z.object({ userId, note: note.optional() });
export const partnerRespond = z.object({ inviteId: entityId, accept: z.boolean() });
export const partnerList = z
  .object({})
  .optional()
  .transform((v) => v ?? {});
export const partnerOpen = z.object({ partnershipId, since: seq.optional(), epoch: logEpoch.optional() });
export const partnerSend = z.object({ partnershipId, text: messageText, clientMsgId });
export const partnerCheckin = z.object({
  partnershipId,
  mood: z.number().int().min(CHECKIN_MOOD.min).max(CHECKIN_MOOD.max),
  craving: z.number().int().min(CHECKIN_CRAVING.min).max(CHECKIN_CRAVING.max),
  note: note.optional(),
  clientMsgId,
});
export const partnerHistory = z.object({
  partnershipId,
  beforeSeq: z.number().int().positive().optional(),
  limit: z.number().int().min(1).max(100).default(50),
});
export const partnerRead = z.object({ partnershipId, seq: z.number().int().nonnegative() });
export const partnerTyping = z.object({ partnershipId, typing: z.boolean() });
export const partnerEnd = z.object({ partnershipId });

/** Where a held message waits (§6.2): the group session it waits for, and when that ends (null: when it is closed by hand). */
export const heldIn = z.object({ groupId: entityId, sessionId, until: z.number().nullable() });
export type HeldIn = z.infer<typeof heldIn>;
/** A held message: a Message without its seq, which it takes when released. */
export const heldMessage = message.omit({ seq: true });
export type HeldMessage = z.infer<typeof heldMessage>;

// Results.
/** A partner message sent now, or held: then `message` has no seq yet and `held` says until when. */
export const partnerSentResult = z.union([z.object({ message }), z.object({ message: heldMessage, held: heldIn })]);
export const inviteResult = z.object({ inviteId: entityId });
export const respondResult = z.object({ partnership: partnership.optional() });
export const partnerListResult = z.object({ partnerships: z.array(partnershipView), invites: z.array(invite) });
/** `held`: the partnership's messages waiting for a session's end, oldest first (§6.2). */
export const partnerOpenResult = catchUpPage.extend({ partnership: partnershipView, held: z.array(heldMessage) });

// Server → client events.
export const partnerReadEvent = z.object({ partnershipId, userId, seq: z.number().int().nonnegative() });
export const partnerTypingEvent = z.object({ partnershipId, userId, typing: z.boolean() });
export const partnerInvitedEvent = z.object({
  inviteId: entityId,
  from: z.object({ id: userId, name: z.string() }),
  note: z.string().optional(),
});
export const partnerUpdatedEvent = z.object({ partnership });
/** Messages between the two wait for a group session's end (§6.2): `count` held there now; 0 once released. */
export const partnerHeldEvent = heldIn.extend({ partnershipId, count: z.number().int().nonnegative() });
export const partnerPresenceEvent = z.object({ partnershipId, userId, online: z.boolean() });
