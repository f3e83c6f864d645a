import type { Conversation } from '../../shared/index.js';

/**
 * Presence is spread over this many hash slots: on a Redis Cluster a user's connections and the
 * index the sweep reads must share a slot, and one slot for everyone would put all presence
 * traffic on one shard.
 */
export const PRESENCE_SHARDS = 16;

/** Which presence shard a user's keys live in (FNV-1a over the id: stable across nodes and runs). */
export function presenceShard(userId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193);
  return (h >>> 0) % PRESENCE_SHARDS;
}

/**
 * Every Redis key Bridge writes, under one configurable prefix. Keys that one Lua script touches
 * together share a hash tag, so every script stays single-slot on a Redis Cluster:
 * - a conversation's keys (`{g:<id>}`, `{p:<id>}`): its log, seq, indexes, room state, moderation;
 * - the partner directory (`{pd}`): partnerships, invites and each person's lists of them, because
 *   pairing checks both people's partner limit and the pair's uniqueness atomically. It is small
 *   (ids and a few hundred bytes per partnership); the partnerships' messages spread by conversation;
 * - a presence shard (`{pr:<n>}`): its users' connections and the index its sweep reads;
 * - an attendance shard (`{at:<n>}`): its groups' room connections and time in the room, and the
 *   index its sweep reads (a group's all in one shard);
 * - the program's alert queue (`{pa}`): its alerts, their order and dedupe keys, filed by one script;
 * - the escalation queue (`{esc}`): due times and step counts, claimed by one script;
 * - the session check queue (`{sess}`): when each group's sessions next change, claimed by one script;
 * - a person's check-ins (`{ck:<userId>}`): their log and its idempotency keys, appended and trimmed by one script;
 * - the silence watch (`{sil}`): due times and each silence's start, claimed by one script;
 * - the access log (`{al}`): one hash chain, appended by one compare-and-append script;
 * - disclosure records (`{dc}`): a record and its indexes, written by one script.
 * Keys used only one at a time (group records, a person's groups, flood budgets) carry no tag.
 */
export function redisKeys(prefix: string) {
  const conv = (c: Conversation) => `${prefix}{${c.kind === 'group' ? 'g' : 'p'}:${c.id}}`;
  const group = (groupId: string) => conv({ kind: 'group', id: groupId });
  const directory = `${prefix}{pd}`;
  const pair = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);
  const presence = (shard: number) => `${prefix}{pr:${shard}}`;
  const attendance = (shard: number) => `${prefix}{at:${shard}}`;
  const attendanceOf = (groupId: string) => attendance(presenceShard(groupId));
  return {
    group: (groupId: string) => `${prefix}group:${groupId}`,
    allGroups: () => `${prefix}groups`,
    members: (groupId: string) => `${group(groupId)}:members`,
    userGroups: (userId: string) => `${prefix}user:${userId}:groups`,
    formerGroups: (userId: string) => `${prefix}user:${userId}:former-groups`,
    seq: (c: Conversation) => `${conv(c)}:seq`,
    first: (c: Conversation) => `${conv(c)}:first`,
    epoch: (c: Conversation) => `${conv(c)}:epoch`,
    log: (c: Conversation) => `${conv(c)}:log`,
    ids: (c: Conversation) => `${conv(c)}:ids`,
    clientIds: (c: Conversation) => `${conv(c)}:cmid`,
    state: (groupId: string) => `${group(groupId)}:state`,
    hands: (groupId: string) => `${group(groupId)}:hands`,
    mutes: (groupId: string) => `${group(groupId)}:mutes`,
    bans: (groupId: string) => `${group(groupId)}:bans`,
    attending: (groupId: string) => `${group(groupId)}:attending`,
    /** Who waits to be let in: a sorted set of user ids by since when (epoch ms). */
    waiting: (groupId: string) => `${group(groupId)}:waiting`,
    sendSlot: (groupId: string, userId: string) => `${group(groupId)}:slot:${userId}`,
    /** The group's agreement: a hash of its current version, text, time and author. */
    agreement: (groupId: string) => `${group(groupId)}:agreement`,
    /** user id → their latest acceptance, `<version>:<at>`. */
    agreementAccepts: (groupId: string) => `${group(groupId)}:agreement-accepts`,
    /** user id → the agreement's version current at their last join (what their sends ask for). */
    agreementJoins: (groupId: string) => `${group(groupId)}:agreement-joins`,
    /** The group's schedule (JSON); absent: sessions by hand. */
    schedule: (groupId: string) => `${group(groupId)}:schedule`,
    /** Session id → its override (JSON). */
    sessionOverrides: (groupId: string) => `${group(groupId)}:session-overrides`,
    /** The session windows admission reads: a sorted set by start of `start:end:id`. */
    sessionWindows: (groupId: string) => `${group(groupId)}:sessions`,
    /** The last announced session state ('open:<id>' or 'closed'). */
    sessionAnnounced: (groupId: string) => `${group(groupId)}:session-announced`,
    /** When each group's sessions next change (a sorted set of group ids). */
    sessionChecks: () => `${prefix}{sess}:due`,
    /** A group session's held partner messages (a list of JSON, oldest first; HeldMessages). */
    held: (groupId: string, sessionId: string) => `${group(groupId)}:held:${sessionId}`,
    /** The same session's held messages by partnership, sender and clientMsgId, and a count per partnership. */
    heldIds: (groupId: string, sessionId: string) => `${group(groupId)}:held-ids:${sessionId}`,
    /** The group's sessions that hold messages. */
    heldSessions: (groupId: string) => `${group(groupId)}:held-sessions`,
    /** Every group that ever held a partner message (the release sweep reads it; it only grows, by groups). */
    heldGroups: () => `${prefix}held-groups`,
    audit: (groupId: string) => `${group(groupId)}:audit`,
    reports: (groupId: string) => `${group(groupId)}:reports`,
    reportOrder: (groupId: string) => `${group(groupId)}:report-order`,
    reportKeys: (groupId: string) => `${group(groupId)}:report-keys`,
    programAlerts: () => `${prefix}{pa}:alerts`,
    programAlertOrder: () => `${prefix}{pa}:alert-order`,
    programAlertKeys: () => `${prefix}{pa}:alert-keys`,
    /** When each alert next escalates (a sorted set) and its step count (a hash), claimed together by one script. */
    escalationDue: () => `${prefix}{esc}:due`,
    escalationSteps: () => `${prefix}{esc}:steps`,
    /** A flood budget: the points `subject` used of action `name` in the current window (limiter.ts). */
    budget: (name: string, subject: string) => `${prefix}rl:${name}:${subject}`,
    partnership: (id: string) => `${directory}:partnership:${id}`,
    allPartnerships: () => `${directory}:partnerships`,
    userPartnerships: (userId: string) => `${directory}:user:${userId}:partnerships`,
    userActivePartnerships: (userId: string) => `${directory}:user:${userId}:partnerships-active`,
    activePair: (a: string, b: string) => `${directory}:pair:${pair(a, b)}`,
    invite: (id: string) => `${directory}:invite:${id}`,
    pendingInvitePair: (a: string, b: string) => `${directory}:invite-pair:${pair(a, b)}`,
    userInvites: (userId: string) => `${directory}:user:${userId}:invites`,
    reads: (partnershipId: string) => `${conv({ kind: 'partner', id: partnershipId })}:reads`,
    /** A person's check-ins, scored by time. */
    checkins: (userId: string) => `${prefix}{ck:${userId}}:log`,
    /** clientMsgId → the check-in it made. */
    checkinClientIds: (userId: string) => `${prefix}{ck:${userId}}:cmid`,
    checkinSharing: (userId: string) => `${prefix}{ck:${userId}}:sharing`,
    /** The place the person's next check-in takes, once retention made the clientMsgId hash shorter than the log's history. */
    checkinPlace: (userId: string) => `${prefix}{ck:${userId}}:place`,
    /** Set while the person opts in to daily check-ins. */
    checkinDaily: (userId: string) => `${prefix}{ck:${userId}}:daily`,
    /** Everyone with check-ins, for the retention sweep. */
    checkinPeople: () => `${prefix}checkin-people`,
    /** A group's check-in rules, as it set them (JSON). */
    checkinRules: (groupId: string) => `${group(groupId)}:checkin-rules`,
    /** When each watched silence falls due (a sorted set of `<groupId>:<userId>`), and since when it is counted (a hash). */
    silenceDue: () => `${prefix}{sil}:due`,
    silenceSince: () => `${prefix}{sil}:since`,
    /** The access log (`{al}`): entries by seq, the chain's head and anchor, and the person/actor index. */
    accessEntries: () => `${prefix}{al}:entries`,
    accessHead: () => `${prefix}{al}:head`,
    accessAnchor: () => `${prefix}{al}:anchor`,
    accessIndex: () => `${prefix}{al}:index`,
    /** Emergency-disclosure records (`{dc}`): by id, their order by time, and each alert's list. */
    disclosures: () => `${prefix}{dc}:records`,
    disclosureOrder: () => `${prefix}{dc}:order`,
    alertDisclosures: (alertId: string) => `${prefix}{dc}:alert:${alertId}`,
    /** A person's push subscriptions: endpoint → subscription JSON. */
    pushSubscriptions: (userId: string) => `${prefix}{push:${userId}}:subs`,
    /** Admins with a push subscription (for program alerts). */
    pushAdmins: () => `${prefix}push-admins`,
    presence: (userId: string) => `${presence(presenceShard(userId))}:presence:${userId}`,
    /** The prefix of a shard's presence keys above, for its sweep script. */
    presencePrefix: (shard: number) => `${presence(shard)}:presence:`,
    /** A shard's index of every node's connections, by expiry. */
    connections: (shard: number) => `${presence(shard)}:connections`,
    /** A user's live connections in a group's room (connection id, by expiry). */
    roomConnections: (groupId: string, userId: string) => `${attendanceOf(groupId)}:room:${groupId}:${userId}`,
    /** A user's time in a group's room: a list of `start:end`, the last `start:` while it lasts. */
    roomIntervals: (groupId: string, userId: string) => `${attendanceOf(groupId)}:time:${groupId}:${userId}`,
    /** A user's time in a group's waiting room: a list of `start:end`. */
    waitingIntervals: (groupId: string, userId: string) => `${attendanceOf(groupId)}:wait:${groupId}:${userId}`,
    /** The shard of a group's attendance keys above (PRESENCE_SHARDS of them, by the same hash of the group id), and their prefix. */
    attendanceShard: (groupId: string) => presenceShard(groupId),
    attendancePrefix: (shard: number) => `${attendance(shard)}:`,
    /** An attendance shard's index of every node's room connections (`group\nuser\nconn`), by expiry. */
    roomConnectionIndex: (shard: number) => `${attendance(shard)}:connections`,
    /** Sessions opened by hand on a group without a schedule: id → `start:end` (`start:` while open). */
    handSessions: (groupId: string) => `${group(groupId)}:hand-sessions`,
    handSessionOpen: (groupId: string) => `${group(groupId)}:hand-session-open`,
    attendanceSettings: (groupId: string) => `${group(groupId)}:attendance-settings`,
    /** One session's corrections: user id → JSON. */
    attendanceCorrections: (groupId: string, sessionId: string) => `${group(groupId)}:attendance:${sessionId}`,
    /** A known text sealed with the data key (DATA_KEYS), so a node with the wrong keys refuses to start. */
    dataSentinel: () => `${prefix}data-key-sentinel`,
  };
}
export type RedisKeys = ReturnType<typeof redisKeys>;
