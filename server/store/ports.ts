import type {
  AccessEntry,
  Acceptance,
  Agreement,
  AttendanceCorrection,
  AttendanceSettings,
  AuditEntry,
  Checkin,
  CheckinRulesSet,
  CheckinSharing,
  Conversation,
  Disclosure,
  Enrolment,
  Group,
  GroupState,
  Invite,
  Message,
  MessagePage,
  Partnership,
  ProgramAlert,
  PushSubscriptionInfo,
  QueuedReport,
  ReactionEmoji,
  Reactions,
  Schedule,
  ScheduledSession,
} from '../../shared/index.js';
import type {
  AccessQuery,
  AppendResult,
  AuditDraft,
  ChainLink,
  Connection,
  GroupSend,
  HandSession,
  InviteSettlement,
  JoinAdmission,
  JoinRefusal,
  JoinWaiting,
  MessageDraft,
  Mute,
  MuteEntry,
  GroupEdit,
  RateLimit,
  RateLimiter,
  RoomConnection,
  RoomInterval,
  RoomSettings,
  SendRefusal,
  SessionCalendarData,
  SessionOverride,
  TrimResult,
  WaitingEntry,
} from './store.js';
import type { WaitingFacts } from '../admission.js';

// The seam between the rules (services) and storage, one port per capability. Everything two
// nodes must agree on lives behind them. Each port has a memory implementation (store/memory/,
// the embedded default) and a Redis one (store/redis/, production), and its own contract file
// (test/store-contract/<port>-contract.ts) run against both.

/** Groups and who is enrolled in them. */
export interface GroupDirectory {
  createGroup(group: Group, creator: Enrolment): Promise<void>;
  getGroup(groupId: string): Promise<Group | null>;
  /** Sets the fields given (the rest stay as they are) and returns the group as it now is; null when there is no such group. */
  updateGroup(groupId: string, patch: GroupEdit): Promise<Group | null>;
  getGroups(groupIds: string[]): Promise<Group[]>;
  /** Every group, oldest first (admins). */
  allGroups(): Promise<Group[]>;
  /** Ids of the groups a user is enrolled in. */
  groupIdsOf(userId: string): Promise<string[]>;
  /** Adds or updates an enrolment. */
  enrol(groupId: string, enrolment: Enrolment): Promise<void>;
  /** Removes an enrolment, remembering the group as one the user left; false when there was none. */
  unenrol(groupId: string, userId: string): Promise<boolean>;
  /**
   * Groups the user was unenrolled from and not enrolled in again: their messages there are
   * still theirs to export and erase.
   */
  formerGroupIdsOf(userId: string): Promise<string[]>;
  /** Forgets the user's former groups (after their erasure). */
  forgetFormerGroups(userId: string): Promise<void>;
  enrolment(groupId: string, userId: string): Promise<Enrolment | null>;
  members(groupId: string): Promise<Enrolment[]>;
}

/**
 * Message logs, one per conversation, with a gap-free seq.
 * @example
 *   const { message, duplicate } = await log.appendMessage({ kind: 'group', id: gid }, draft);
 *   const page = await log.history({ kind: 'group', id: gid }, { limit: 50 });
 */
export interface ConversationLog {
  /**
   * Appends atomically (seq, log and idempotency key together). When `draft.clientMsgId` was
   * already used by the same sender in this conversation, nothing is written and the original
   * message is returned with `duplicate: true`.
   */
  appendMessage(conversation: Conversation, draft: MessageDraft): Promise<AppendResult>;
  /** The `limit` newest messages before `beforeSeq` (default: the newest), oldest first. */
  history(conversation: Conversation, page: { beforeSeq?: number; limit: number }): Promise<MessagePage>;
  /** Up to `limit` messages after `since`, oldest first; `hasMore` when more follow. */
  since(conversation: Conversation, since: number, limit: number): Promise<MessagePage>;
  findMessage(conversation: Conversation, messageId: string): Promise<Message | null>;
  /** The message a sender sent here with this clientMsgId, if any (a retry after a lost ack). */
  messageByClientId(conversation: Conversation, senderId: string, clientMsgId: string): Promise<Message | null>;
  /** Adds or removes the user's reaction; null when the message does not exist or is deleted. */
  toggleReaction(conversation: Conversation, messageId: string, emoji: ReactionEmoji, userId: string): Promise<Reactions | null>;
  /**
   * Erases a message in place: text '', no check-in, no reactions, `deleted: true`; seq, id, sender
   * and time stay so the log stays gap-free. Returns the erased message (also when it already
   * was), or null when there is no such message. The clientMsgId stays, so a resend of a deleted
   * message still answers the original, unless `forgetClientMsgId` (a person erasing their own
   * data): then it goes, with its idempotency entry, also from a message erased before.
   */
  eraseMessage(conversation: Conversation, messageId: string, opts?: { forgetClientMsgId?: boolean }): Promise<Message | null>;
  /** The newest seq of a conversation (0 when empty). */
  lastSeq(conversation: Conversation): Promise<number>;
  /**
   * The conversation's log epoch: drawn when its first message is stored, so it changes only
   * when the log starts over from seq 1, i.e. when the store lost it. '' before any message.
   */
  logEpoch(conversation: Conversation): Promise<string>;

  /**
   * Retention: removes every message created before `cutoff` (epoch ms) from every conversation,
   * with its id and idempotency entries; seq numbers are never reused. Each conversation is
   * trimmed on its own: one that fails is reported in `failed` and the others are still trimmed.
   */
  trimBefore(cutoff: number): Promise<TrimResult>;
}

/** A group's live room: its settings and its hand queue. */
export interface RoomState {
  /**
   * The room's state at `now` (default: this node's clock). A group with a schedule has its
   * session fields computed from its windows (SessionCalendar.setWindows); one without follows the
   * sessionOpen setting and has no session.
   */
  roomState(groupId: string, now?: number): Promise<GroupState>;
  /** Changes some settings; returns the whole state afterwards. */
  updateRoomState(groupId: string, patch: Partial<RoomSettings>): Promise<GroupState>;
  /** Raises (joining the end of the queue) or lowers a hand; false when nothing changed. */
  setHand(groupId: string, userId: string, raised: boolean): Promise<boolean>;
}

/** Who is muted, banned, attending this session or waiting to be let in, in a group. */
export interface RoomModeration {
  setMute(groupId: string, userId: string, mute: Mute): Promise<void>;
  /** false when the user was not muted. */
  clearMute(groupId: string, userId: string): Promise<boolean>;
  /** The user's mute, or null when none is in force (a timed mute past its end is none). */
  muteOf(groupId: string, userId: string, now: number): Promise<Mute | null>;
  /** Bans or unbans; false when nothing changed. */
  setBan(groupId: string, userId: string, banned: boolean): Promise<boolean>;
  isBanned(groupId: string, userId: string): Promise<boolean>;
  /** Every mute in force at `now` in the group, in no particular order. */
  mutes(groupId: string, now: number): Promise<MuteEntry[]>;
  /** The ids of everyone banned from the group, in no particular order. */
  bans(groupId: string): Promise<string[]>;
  /**
   * Forgets who attends this session (RoomAdmission.joinGroup and admitWaiting record it; a locked
   * room or a waiting room still lets them back in): one user, or everyone in the group when no
   * user is given (a new session). The waiting list stays: those waiting still wait.
   */
  forgetAttending(groupId: string, userId?: string): Promise<void>;
  /**
   * What admission's waiting rule reads for hands and reactions (sendToGroup reads the same in
   * its own step): whether the room is locked, its waiting room on, and the user admitted to this
   * session. Roles are the caller's to weigh; facilitators and admins never wait.
   */
  waitingFacts(groupId: string, userId: string): Promise<WaitingFacts>;
  /** Who waits to be let in (joinGroup records them), longest waiting first. */
  waitingList(groupId: string): Promise<WaitingEntry[]>;
  /**
   * Lets these people in (or everyone waiting, 'all'), in one atomic step: each leaves the waiting
   * list and attends this session. Returns those who were waiting, with when they knocked, so two
   * facilitators admitting at once admit each person once (and their wait is reported once).
   */
  admitWaiting(groupId: string, userIds: string[] | 'all'): Promise<WaitingEntry[]>;
  /** Takes the user off the waiting list (turned away, left, gone); when they knocked, or null when they were not on it. */
  leaveWaiting(groupId: string, userId: string): Promise<number | null>;
  /** Whether every one of these users attends this session (joined since it started, not removed since). */
  attendAll(groupId: string, userIds: string[]): Promise<boolean>;
}

/** Whether a send or a join into a group may go, decided and done in one atomic step. */
export interface RoomAdmission {
  /**
   * A group send, judged and appended in one atomic step (one script, one round trip on Redis).
   * A resend (a clientMsgId its sender already used here) returns the original, whatever else
   * holds now. Otherwise it takes one point of the send budget and decides by admission's rules
   * for 'send' (server/admission.ts: the order and the facts; the agreement a send asks for is
   * the version current at the sender's last join, or the current one if they never joined). A participant's send that may go
   * claims their slow-mode slot. Else it appends as appendMessage does.
   */
  sendToGroup(groupId: string, send: GroupSend): Promise<AppendResult | SendRefusal>;
  /**
   * A join, judged in one atomic step (one script on Redis) by admission's rules for 'join'
   * (server/admission.ts). An enrolled participant's join, admitted or not, records the
   * agreement's current version as the one their sends ask for. A participant the waiting rule
   * refuses while the waiting room is on is not refused: they are put on the waiting list (keeping
   * their first `since`) in the same step and told since when they wait. Else it records the user
   * as attending (off the waiting list) and returns their enrolment (null for an admin who has
   * none) and mute in force at `now`.
   */
  joinGroup(groupId: string, join: { userId: string; admin: boolean; now: number }): Promise<JoinAdmission | JoinRefusal | JoinWaiting>;
}

/**
 * Each group's agreement (its ground rules) in versions, and who accepted which version when.
 * RoomAdmission reads both, in the same step as its decision: a participant who has not accepted
 * the version their join asks for is refused ('agreement-pending', server/admission.ts).
 */
export interface GroupAgreements {
  /** Stores `text` as the group's next version (1 for the first) and returns it. */
  setAgreement(groupId: string, text: string, by: string, at: number): Promise<Agreement>;
  /** The current version, or null when the group has no agreement. */
  agreement(groupId: string): Promise<Agreement | null>;
  /**
   * Records that the user accepted `version`, checked against the current version and written in
   * one step. Another version (an old one, or none at all) is not recorded: `changed` carries the
   * current agreement (null when the group has none). Accepting the version already accepted
   * keeps the first acceptance, and its time.
   */
  acceptAgreement(
    groupId: string,
    userId: string,
    version: number,
    at: number,
  ): Promise<{ accepted: Acceptance } | { changed: Agreement | null }>;
  /** Each user's latest acceptance, oldest first (ties by user id). */
  acceptances(groupId: string): Promise<Acceptance[]>;
  /** Forgets the user's acceptance and the version their last join asked for (their erasure): they are asked again. */
  forgetAcceptance(groupId: string, userId: string): Promise<void>;
}

/**
 * A group's sessions on a schedule. The schedule and the facilitators' overrides are what the
 * sessions service computes windows from; the windows (the sessions of the next days, never
 * overlapping, sorted by start) are what admission and roomState read at the moment they judge,
 * so whether a session is open never waits for a timer. Announcing a change is claimed here, so
 * however many nodes notice a boundary, one announces it; the check queue holds when each group's
 * sessions next change, so a node that stops loses no announcement.
 */
export interface SessionCalendar {
  calendar(groupId: string): Promise<SessionCalendarData>;
  /** Replaces the schedule; null: the group goes back to sessions opened and closed by hand. */
  setSchedule(groupId: string, schedule: Schedule | null): Promise<void>;
  /** Sets the override of one session (by its id; an id no occurrence has is a session opened by hand). */
  setOverride(groupId: string, sessionId: string, override: SessionOverride): Promise<void>;
  /** Forgets these sessions' overrides (sessions long over: the calendar does not grow without end). */
  forgetOverrides(groupId: string, sessionIds: string[]): Promise<void>;
  /** Replaces the windows admission and roomState read; null: the group has no schedule. */
  setWindows(groupId: string, windows: ScheduledSession[] | null): Promise<void>;
  /** The windows, or null when the group has no schedule. */
  windows(groupId: string): Promise<ScheduledSession[] | null>;
  /**
   * Records `state` as the group's announced session state unless it already is. Returns the
   * state it replaces ('' when none was announced yet), or null when it already was `state`
   * (someone else announced it): the one caller that gets a value announces.
   */
  claimAnnouncement(groupId: string, state: string): Promise<string | null>;
  /** The group's sessions should be checked at `at` (epoch ms); replaces an earlier time. */
  scheduleSessionCheck(groupId: string, at: number): Promise<void>;
  /** Takes up to `limit` groups due at `now`, earliest first, moving each to `now + retryMs` (one caller each). */
  claimDueSessionChecks(now: number, retryMs: number, limit: number): Promise<string[]>;
}

/** The audit log: append-only, no verb edits or removes an entry. */
export interface AuditLog {
  appendAudit(groupId: string, entry: AuditDraft): Promise<AuditEntry>;
  /** Newest first; `beforeSeq` pages back. */
  audit(groupId: string, page: { beforeSeq?: number; limit: number }): Promise<{ entries: AuditEntry[]; hasMore: boolean }>;
}

/**
 * The access log (issue 18): one hash chain for the whole program, append-only. The store keeps
 * the chain straight, never computes a MAC: an append goes only onto the head it was computed
 * against (compare-and-append), so two nodes never fork the chain. Retention removes the oldest
 * entries and keeps the last one removed as the anchor the chain is verified from.
 */
export interface AccessLog {
  /** The newest entry's link ({ seq: 0, mac: '', at: 0 } before any). Retention never moves it. */
  accessHead(): Promise<ChainLink>;
  /**
   * Appends the entry if it follows the head (`seq` one past it, `prev` its MAC), atomically with
   * that check; else writes nothing and returns the head as it stands (the caller recomputes).
   */
  appendAccess(entry: AccessEntry): Promise<{ appended: true } | { appended: false; head: ChainLink }>;
  /**
   * Entries newest first, about `person` and/or by `actor`, with `at` within `from`..`to`
   * (inclusive), older than `beforeSeq`. Entries' `at` never decreases along the chain.
   */
  accessEntries(query: AccessQuery): Promise<{ entries: AccessEntry[]; hasMore: boolean }>;
  /** Up to `limit` entries after `afterSeq`, oldest first, as stored (for verification). */
  accessChain(afterSeq: number, limit: number): Promise<AccessEntry[]>;
  /** The last entry retention removed ({ seq: 0, mac: '', at: 0 } when none): where verification starts. */
  accessAnchor(): Promise<ChainLink>;
  /** Retention: removes the entries made before `cutoff`, oldest first, moving the anchor; returns how many went. */
  trimAccessBefore(cutoff: number): Promise<number>;
}

/**
 * Emergency-disclosure records (42 CFR §2.51), kept by law: no verb edits or removes one, and
 * erasure of a person leaves them.
 */
export interface DisclosureRecords {
  /** Stores a new record (ids are fresh; a correction is another record). */
  addDisclosure(d: Disclosure): Promise<void>;
  disclosure(id: string): Promise<Disclosure | null>;
  /** The alert's records, in the order they were added. */
  disclosuresOf(alertId: string): Promise<Disclosure[]>;
  /** Every record, oldest first (by recordedAt, ties by id). */
  allDisclosures(): Promise<Disclosure[]>;
}

/** The report queue of each group: reports by members and crisis alerts. */
export interface ReportQueue {
  /**
   * Queues a report unless one with the same `dedupeKey` exists in the group; then the existing
   * one is returned with `duplicate: true`.
   */
  fileReport(report: QueuedReport, dedupeKey: string): Promise<{ report: QueuedReport; duplicate: boolean }>;
  /** Oldest first. */
  reports(groupId: string, status: 'open' | 'all'): Promise<QueuedReport[]>;
  /** Records who acknowledged an open report and when; null when there is no such report (the first acknowledgement stays). */
  acknowledgeReport(groupId: string, reportId: string, by: string, at: number): Promise<QueuedReport | null>;
  /** Marks a report resolved, with the resolver's note; null when there is no such report (resolving twice keeps the first). */
  resolveReport(groupId: string, reportId: string, by: string, at: number, note?: string): Promise<QueuedReport | null>;
  /** Drops the note of every report the user filed in the group (their erasure); the reports stay. */
  forgetReportNotes(groupId: string, reporterId: string): Promise<void>;
}

/** The program's queue: crisis alerts no facilitator could receive, waiting for the admins. */
export interface AlertQueue {
  /** Queues an alert unless one with the same `dedupeKey` exists; then that one is returned with `duplicate: true`. */
  fileProgramAlert(alert: ProgramAlert, dedupeKey: string): Promise<{ alert: ProgramAlert; duplicate: boolean }>;
  /** Oldest first. */
  programAlerts(status: 'open' | 'all'): Promise<ProgramAlert[]>;
  /** Records who acknowledged an open alert and when; null when there is no such alert (the first acknowledgement stays). */
  acknowledgeProgramAlert(alertId: string, by: string, at: number): Promise<ProgramAlert | null>;
  /** Marks an alert resolved, with the resolver's note; null when there is no such alert (resolving twice keeps the first). */
  resolveProgramAlert(alertId: string, by: string, at: number, note?: string): Promise<ProgramAlert | null>;
}

/**
 * When each unacknowledged alert next escalates (§7.1). Due times live here, not in a node's
 * timers, so a node that stops loses no escalation; a claim hands each step to one caller only,
 * so however many nodes poll, each step is paged once. `ref` names the alert (the service's
 * encoding); the queue knows nothing else about it.
 */
export interface EscalationQueue {
  /** The alert escalates first at `dueAt` (epoch ms), as step 1. */
  scheduleEscalation(ref: string, dueAt: number): Promise<void>;
  /**
   * Takes up to `limit` alerts due at `now`, earliest first, atomically moving each one's due time
   * to `now + repeatMs` and counting its step: concurrent claims never get the same step.
   */
  claimDueEscalations(now: number, repeatMs: number, limit: number): Promise<{ ref: string; step: number }[]>;
  /** No more escalation for this alert (acknowledged or resolved). */
  cancelEscalation(ref: string): Promise<void>;
}

/** Accountability partnerships, their invites and read marks. */
export interface Partners {
  /**
   * Creates an active partnership unless the two already have one ('exists') or either already
   * has `limit` active partnerships ('limit'). Checked and written atomically.
   */
  createPartnership(p: Partnership, limit: number): Promise<'created' | 'exists' | 'limit'>;
  partnership(partnershipId: string): Promise<Partnership | null>;
  /** Every partnership the user is or was in (ended ones stay readable), oldest first. */
  partnershipsOf(userId: string): Promise<Partnership[]>;
  /** The active partnership between two users, if any. */
  activePartnershipBetween(a: string, b: string): Promise<Partnership | null>;
  /** Ends it (the first end wins); null when there is no such partnership. */
  endPartnership(partnershipId: string, by: string, at: number): Promise<Partnership | null>;
  /** Stores a pending invite unless one is already pending between the two, either way ('exists'). */
  createInvite(invite: Invite): Promise<'created' | 'exists'>;
  invite(inviteId: string): Promise<Invite | null>;
  /** Pending invites to or from the user, oldest first. */
  pendingInvitesOf(userId: string): Promise<Invite[]>;
  /**
   * Moves a pending invite to accepted, declined or withdrawn, dropping its note (it was for the
   * invitee to read while it waited); null when it is not pending (or unknown).
   */
  settleInvite(inviteId: string, status: InviteSettlement): Promise<Invite | null>;
  /** Moves the user's read mark forward only; resolves the mark afterwards. */
  markRead(partnershipId: string, userId: string, seq: number): Promise<number>;
  /** user id → highest seq read (users who never read are absent). */
  readMarks(partnershipId: string): Promise<Record<string, number>>;
}

/**
 * Partner messages held during a live session of a group with quiet partner chat (§6.2), one
 * queue per group session, oldest first. A held message has no seq: it takes one when released
 * (ConversationLog.appendMessage), so catch-up never sees a gap. Releasing is peek, append, drop:
 * the log's clientMsgId idempotency makes an append repeated by a second releaser (or after a
 * crash between append and drop) a duplicate, so each message is delivered once.
 */
export interface HeldMessages {
  /**
   * Holds a partner message (with its clientMsgId) in the session's queue unless its sender
   * already holds one with this clientMsgId in that partnership there: then that one is returned
   * with `duplicate: true`. `count`: how many that partnership now holds in this queue.
   */
  hold(groupId: string, sessionId: string, draft: MessageDraft): Promise<{ draft: MessageDraft; duplicate: boolean; count: number }>;
  /** The session's held messages, oldest first. */
  held(groupId: string, sessionId: string): Promise<MessageDraft[]>;
  /** Drops the session's oldest held message if it is `draftId` (false: another release already did). */
  dropHeld(groupId: string, sessionId: string, draftId: string): Promise<boolean>;
  /** Every group session that holds messages. */
  heldSessions(): Promise<{ groupId: string; sessionId: string }[]>;
}

/** Each person's own check-ins (§6.1) and whom they share them with: personal health data. */
export interface CheckinLog {
  /**
   * Appends a check-in unless the user already sent one with this clientMsgId; then nothing is
   * written and the original is returned with `duplicate: true`. Checked and written atomically.
   */
  appendCheckin(userId: string, checkin: Checkin): Promise<{ checkin: Checkin; duplicate: boolean }>;
  /** The user's check-ins made at or after `since` (epoch ms), oldest first. */
  checkinsOf(userId: string, since: number): Promise<Checkin[]>;
  /** Whom the user shares their check-ins with; 'none' until they choose. */
  sharingOf(userId: string): Promise<CheckinSharing>;
  setSharing(userId: string, sharing: CheckinSharing): Promise<void>;
  /** Whether the user opted in to daily check-ins (the silence rule); false until they do. */
  dailyOf(userId: string): Promise<boolean>;
  setDaily(userId: string, on: boolean): Promise<void>;
  /** Forgets the user's check-ins, sharing choice and daily opt-in (their erasure); returns how many check-ins went. */
  eraseCheckins(userId: string): Promise<number>;
  /**
   * Retention: removes every check-in made before `cutoff` (epoch ms), with its idempotency entry,
   * from everyone's log. Each person is trimmed on their own: one whose log fails is reported (by
   * user id) in `failed` and the others are still trimmed.
   */
  trimCheckinsBefore(cutoff: number): Promise<{ removed: number; failed: string[] }>;
}

/** A silence being watched: who, in which group, and since when (their last check-in, or their opt-in). */
export type WatchedSilence = { groupId: string; userId: string; since: number };

/**
 * What the staff of a group are alerted of about check-ins (§6.1): the group's own rules, and
 * when each opted-in person's silence falls due. Due times live here, not in a node's timers, so
 * a node that stops loses none; a claim hands each due silence to one caller at a time.
 */
export interface CheckinWatch {
  /** What the group set; absent fields take the defaults ({} until set). */
  checkinRules(groupId: string): Promise<CheckinRulesSet>;
  /** Replaces what the group set (absent fields go back to the defaults). */
  setCheckinRules(groupId: string, rules: CheckinRulesSet): Promise<void>;
  /** The person's silence in the group, counted from `since`, falls due at `dueAt` (replacing any watched before). */
  watchSilence(silence: WatchedSilence, dueAt: number): Promise<void>;
  /**
   * Takes up to `limit` silences due at `now`, earliest first, atomically moving each one's due
   * time to `now + retryMs`: concurrent claims never get the same one, and one whose claimer
   * stopped before endSilence comes due again.
   */
  claimDueSilences(now: number, retryMs: number, limit: number): Promise<WatchedSilence[]>;
  /** Stops watching the silence, unless it was watched again since (a newer `since`: a new check-in). */
  endSilence(silence: WatchedSilence): Promise<void>;
  /** Stops watching the person's silence in the group, whatever its `since` (they opted out). */
  unwatchSilence(groupId: string, userId: string): Promise<void>;
}

/** Presence: per connection, with an expiry the owning node refreshes. */
export interface Presence {
  /** Records a connection; true when the user was offline before it. */
  connectionUp(conn: Connection, ttlMs: number): Promise<boolean>;
  /** Forgets a connection; true when the user has no live connection left. */
  connectionDown(conn: Connection): Promise<boolean>;
  /** Extends the expiry of this node's live connections. */
  refreshConnections(conns: Connection[], ttlMs: number): Promise<void>;
  /**
   * Forgets connections whose node stopped refreshing them (the node died) and returns the users
   * that left offline, each reported by one node only.
   */
  sweepConnections(now: number): Promise<string[]>;
  /** Which of these users have a live connection. */
  onlineUsers(userIds: string[]): Promise<Set<string>>;
}

/**
 * Attendance (§5.8): who is in each group's room, as time. Room connections work as presence's
 * do (an expiry the owning node refreshes, a sweep any node runs that removes each expired one
 * once), and each user's time in a room is a list of intervals that never overlap: one starts
 * when the user's first connection in the room arrives and ends when their last one goes (leave,
 * disconnect, or the sweep, at the moment it runs), decided in the same atomic step.
 */
export interface Attendance {
  /** A connection leaves the room at `now`. True when it was the user's last: their interval ends. */
  roomLeft(conn: RoomConnection, now: number): Promise<boolean>;
  /**
   * Connections enter the room at `now`, or, already in, have their expiry moved on (the owning
   * node's refresh; one swept meanwhile, its node having stalled, enters again). A user's first
   * connection in the room starts an interval.
   */
  refreshRoomConnections(conns: RoomConnection[], now: number, ttlMs: number): Promise<void>;
  /** Removes connections whose node stopped refreshing them; each user left with none has their interval end at `now`. Returns how many ended. */
  sweepRoomConnections(now: number): Promise<number>;
  /** Each user's intervals in the group's room, oldest first (users with none are absent). */
  roomIntervals(groupId: string, userIds: string[]): Promise<Map<string, RoomInterval[]>>;
  /** Adds a stretch the user spent in the group's waiting room (the waiting room reports it when it ends). */
  addWaitingTime(groupId: string, userId: string, stretch: { start: number; end: number }): Promise<void>;
  /** Each user's stretches in the group's waiting room, in the order reported (users with none are absent). */
  waitingIntervals(groupId: string, userIds: string[]): Promise<Map<string, RoomInterval[]>>;
  /** Records a session opened by hand on a group without a schedule, unless one is open already. */
  openHandSession(groupId: string, session: { id: string; start: number }): Promise<void>;
  /** Ends the open session by hand, if any, at `end`. */
  closeHandSession(groupId: string, end: number): Promise<void>;
  /** The group's sessions opened by hand, oldest first. */
  handSessions(groupId: string): Promise<HandSession[]>;
  /** The group's thresholds as set (those never set are absent). */
  attendanceSettings(groupId: string): Promise<Partial<AttendanceSettings>>;
  setAttendanceSettings(groupId: string, settings: AttendanceSettings): Promise<void>;
  /** Replaces the correction of one member's record in one session. */
  correctAttendance(groupId: string, sessionId: string, userId: string, correction: AttendanceCorrection): Promise<void>;
  /** The session's corrections by user id. */
  attendanceCorrections(groupId: string, sessionId: string): Promise<Map<string, AttendanceCorrection>>;
}

/** Flood budgets shared by every node on this store. */
export interface Limits {
  /** A flood budget shared by every node on this store (Bridge's fixed window: limiter.ts). */
  rateLimiter(name: string, limit: RateLimit): RateLimiter;
}

/** Staff devices' Web Push subscriptions (§5.5), per user, keyed by endpoint. */
export interface PushSubscriptions {
  /** Adds or replaces the subscription with this endpoint; `admin` puts the user among those paged for program alerts. */
  addPushSubscription(userId: string, subscription: PushSubscriptionInfo, admin: boolean): Promise<void>;
  /** False when the user had no subscription with this endpoint. */
  removePushSubscription(userId: string, endpoint: string): Promise<boolean>;
  pushSubscriptionsOf(userId: string): Promise<PushSubscriptionInfo[]>;
  /** Admins with at least one subscription. */
  pushAdmins(): Promise<string[]>;
  /** Forgets every subscription of the user (their erasure). */
  erasePushSubscriptions(userId: string): Promise<void>;
}

/**
 * Every port of one store, as the composition root wires them (createMemoryStores(),
 * createRedisStores()); a service takes only the ports it uses (`Pick<Stores, 'groups' | 'log'>`).
 */
export interface Stores {
  readonly kind: 'memory' | 'redis';
  readonly groups: GroupDirectory;
  readonly log: ConversationLog;
  readonly room: RoomState;
  readonly moderation: RoomModeration;
  readonly admission: RoomAdmission;
  readonly agreements: GroupAgreements;
  readonly auditLog: AuditLog;
  readonly accessLog: AccessLog;
  readonly disclosures: DisclosureRecords;
  readonly reportQueue: ReportQueue;
  readonly alertQueue: AlertQueue;
  readonly escalationQueue: EscalationQueue;
  readonly sessions: SessionCalendar;
  readonly partners: Partners;
  readonly held: HeldMessages;
  readonly checkins: CheckinLog;
  readonly checkinWatch: CheckinWatch;
  readonly push: PushSubscriptions;
  readonly presence: Presence;
  readonly attendance: Attendance;
  readonly limits: Limits;
  /** Resolves when the store answers (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
