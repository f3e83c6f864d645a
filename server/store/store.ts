import { randomBytes } from 'node:crypto';
import type { ORDER, Refusal } from '../admission.js';
import type {
  AccessEntry,
  Acceptance,
  AuditEntry,
  Conversation,
  Enrolment,
  GroupState,
  Invite,
  Message,
  Schedule,
  ScheduledSession,
  UserRef,
} from '../../shared/index.js';

/** A message as the service builds it; the store assigns `seq`. */
export type MessageDraft = Omit<Message, 'seq'>;
/** An audit entry as the service builds it; the store assigns `seq`. */
export type AuditDraft = Omit<AuditEntry, 'seq'>;
/** The room state a facilitator can set (the hand queue has its own verbs). */
export type RoomSettings = Omit<GroupState, 'handQueue' | 'session' | 'nextSessionStart'>;
/** A facilitator's change to one session (open early, close early, extend), or a session they opened by hand. */
export type SessionOverride = { start: number; end: number };
/** What a group's sessions follow: its schedule (null: opened and closed by hand) and the overrides, by session id. */
export type SessionCalendarData = { schedule: Schedule | null; overrides: Record<string, SessionOverride> };
/** One socket in one group's room (attendance): a user counts as in the room while any is live. */
export type RoomConnection = { groupId: string; userId: string; connId: string };
/** A stretch of time in a room, epoch ms; `end` null while it lasts. */
export type RoomInterval = { start: number; end: number | null };
/** A session of a group without a schedule, opened by hand (mod:session): `end` null while open. */
export type HandSession = { id: string; start: number; end: number | null };
/** A mute: `until` is epoch ms, or null for "until unmuted". */
export type Mute = { until: number | null };
/** One user's mute in a group's list of mutes. */
export type MuteEntry = Mute & { userId: string };
/** What an edit of a group may change. */
export type GroupEdit = { name?: string; description?: string };

/** A rate limit: `points` actions per `durationSec`, per key. */
export type RateLimit = { points: number; durationSec: number };
/** Takes one point for `key`; resolves 0 when allowed, or the ms until a point is free. */
export type RateLimiter = (key: string) => Promise<number>;

export type AppendResult = {
  message: Message;
  /** true when the sender already sent this clientMsgId here: `message` is the original */
  duplicate: boolean;
  /** true when the store published the send's Announcement with the append (a new message on Redis) */
  announced?: boolean;
};

/**
 * A message for the store to publish on a Redis pub/sub channel in the same step as the append
 * (server/realtime/announce.ts): parts[0], the message's seq, parts[1], its sender's role, parts[2],
 * the seq and the role as MessagePack. A store without Redis publishes nothing and says so.
 */
export type Announcement = { channel: string; parts: [Buffer, Buffer, Buffer] };
/** A group message before the store gives it its seq and its sender's role (what an Announcement is made from). */
export type Unsequenced = GroupSend['draft'] & { conversation: Message['conversation'] };

/**
 * A message into a group as a send is judged and stored in one step: the sender's role on it
 * is the step's to decide (their enrolment's, or 'admin').
 */
export type GroupSend = {
  draft: Omit<MessageDraft, 'sender' | 'conversation'> & { sender: Omit<UserRef, 'role'> };
  /** Admins need no enrolment, are never refused as banned, and send as 'admin'. */
  admin: boolean;
  /** The per-user budget of sends (the flood limit), the same budget as `rateLimiter('send', flood)`'s. */
  flood: RateLimit;
  /** For timed mutes. */
  now: number;
  /** Published with the append when the message is new (AppendResult.announced). */
  announce?: Announcement;
};
/** Why a group send was refused: admission's vocabulary (server/admission.ts). */
export type SendRefusal = Refusal;

export type JoinAdmission = { enrolment: Enrolment | null; mute: Mute | null };
export type JoinRefusal = Extract<Refusal, { refused: (typeof ORDER.join)[number] }>;
/**
 * A participant's join into a waiting room while not admitted: recorded as waiting since `since`
 * (epoch ms, their first knock); `knocked` when this join put them on the list (the list changed).
 */
export type JoinWaiting = { waiting: { since: number }; knocked: boolean };
/** Someone waiting to be let in: who and since when (their first knock this time). */
export type WaitingEntry = { userId: string; since: number };

/** How a pending invite ends. */
export type InviteSettlement = Exclude<Invite['status'], 'pending'>;

/** What a retention pass did: how many messages went, and the conversations it could not trim. */
export type TrimResult = { removed: number; failed: Conversation[] };

/** A live connection of a user, as presence counts them. */
export type Connection = { userId: string; connId: string };

export const DEFAULT_ROOM_STATE: Readonly<RoomSettings> = Object.freeze({
  locked: false,
  waitingRoom: false,
  slowModeSec: 0,
  sessionOpen: true,
  pinnedMessageId: null,
  quietPartnerChat: false,
});

/** The session open at `now` and the start of the next one, from a group's windows (sorted by start, never overlapping). */
export function sessionAt(
  windows: readonly ScheduledSession[],
  now: number,
): { current: ScheduledSession | null; nextStart: number | null } {
  const current = windows.find((w) => w.start <= now && now < w.end) ?? null;
  const next = windows.find((w) => w.start > now);
  return { current, nextStart: next ? next.start : null };
}

/**
 * The session part of a group's state at `now`: with a schedule (windows), the open session and
 * the next start, and sessionOpen computed from them; without one, the facilitator's setting.
 */
export function sessionState(
  windows: readonly ScheduledSession[] | null,
  sessionOpenSetting: boolean,
  now: number,
): Pick<GroupState, 'sessionOpen' | 'session' | 'nextSessionStart'> {
  if (!windows) return { sessionOpen: sessionOpenSetting, session: null, nextSessionStart: null };
  const { current, nextStart } = sessionAt(windows, now);
  return { sessionOpen: current !== null, session: current && { ...current }, nextSessionStart: nextStart };
}

/**
 * The id of the session open in a group's state, or null when none is: a scheduled session's own
 * id, else BY_HAND_SESSION while a group without a schedule is open.
 */
export function openSessionId(state: Pick<GroupState, 'sessionOpen' | 'session'>): string | null {
  return state.session?.id ?? (state.sessionOpen ? BY_HAND_SESSION : null);
}
/** What names the session of a group without a schedule, from its opening by hand to its closing. */
export const BY_HAND_SESSION = 'by-hand';

/** What erasing does to a stored message (both stores; Redis mirrors it in Lua). */
export function eraseInPlace(m: Message, opts: { forgetClientMsgId?: boolean } = {}): void {
  m.text = '';
  m.deleted = true;
  delete m.checkin;
  delete m.reactions;
  if (opts.forgetClientMsgId) delete m.clientMsgId;
}

/** One key for an unordered pair of users. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\n${b}` : `${b}\n${a}`;
}

// Epochs only need to differ between one log's lifetimes (and so between nodes and restarts),
// not to be unguessable: a random per-process prefix and a counter, instead of a randomBytes
// call for every append (which was 6% of a busy node's CPU: every send offers an epoch for seq 1).
const EPOCH_PREFIX = randomBytes(9).toString('base64url');
let epochCount = 0;

/** A fresh log epoch (see ConversationLog.logEpoch). */
export function newEpoch(): string {
  return `${EPOCH_PREFIX}.${(epochCount++).toString(36)}`;
}

/** Key of a user's idempotency record in a conversation. */
export function idempotencyKey(senderId: string, clientMsgId: string): string {
  return `${senderId}\n${clientMsgId}`;
}

/**
 * The seq window of a page. The Redis log's PAGE script (redis/log-scripts.ts) repeats it in Lua; the case list in
 * test/store-contract/paging-cases.ts holds both to the same answers.
 * `first` is the oldest seq still kept, `last` the newest (0 when empty).
 */
export function pageWindow(first: number, last: number, req: { after?: number; beforeSeq?: number; limit: number }) {
  if (req.after !== undefined) {
    const from = Math.max(req.after + 1, first);
    const to = Math.min(last, from + req.limit - 1);
    return { from, to, hasMore: to < last };
  }
  const to = Math.min((req.beforeSeq ?? last + 1) - 1, last);
  const from = Math.max(first, to - req.limit + 1);
  return { from, to, hasMore: from > first };
}

/** The order acceptances are listed in (GroupAgreements.acceptances): oldest first, ties by user id. */
export function byAcceptance(a: Acceptance, b: Acceptance): number {
  return a.at - b.at || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

/** One link of the access log's chain: an entry's seq, MAC and time. */
export type ChainLink = { seq: number; mac: string; at: number };
export const NO_LINK: ChainLink = { seq: 0, mac: '', at: 0 };

/** What AccessLog.accessEntries filters and pages by. */
export type AccessQuery = { person?: string; actor?: string; from?: number; to?: number; beforeSeq?: number; limit: number };

/** Whether an entry matches a query's person, actor and upper time bound (`from` ends the walk instead: `at` never decreases). */
export function accessMatches(e: AccessEntry, q: AccessQuery): boolean {
  return (
    (q.person === undefined || e.about.includes(q.person)) &&
    (q.actor === undefined || e.actor.id === q.actor) &&
    (q.to === undefined || e.at <= q.to)
  );
}
