import type { RedisOptions } from 'ioredis';
import type {
  AuditEntry, Conversation, Enrolment, Group, GroupState, Invite, Message, MessagePage, Partnership, ProgramAlert, QueuedReport, ReactionEmoji,
  Reactions, UserRef,
} from '../../shared/index.js';
import { isStoreUnavailable } from '../errors.js';
import { refusalFromReply } from '../admission.js';
import { PRESENCE_SHARDS, presenceShard, redisKeys, type RedisKeys } from './keys.js';
import { connectRedis, type RedisClient, type RedisTarget } from './redis-client.js';
import * as lua from './scripts.js';
import {
  DEFAULT_ROOM_STATE, idempotencyKey, newEpoch, pageWindow, type AppendResult, type AuditDraft, type Connection, type MessageDraft,
  type GroupSend, type JoinAdmission, type JoinRefusal, type Mute, type RateLimit, type RateLimiter, type RoomSettings, type SendRefusal, type Store, type TrimResult, type InviteSettlement,
} from './store.js';

type Scripts = {
  bridgeAppend(seq: string, log: string, ids: string, cmid: string, epoch: string, field: string, id: string, tail: string, newEpoch: string): Promise<[number, number | string]>;
  bridgePage(seq: string, first: string, log: string, mode: string, bound: string, limit: number): Promise<[number, ...string[]]>;
  bridgeFind(ids: string, log: string, id: string): Promise<string | null>;
  bridgeToggleReaction(ids: string, log: string, id: string, emoji: string, userId: string): Promise<string | null>;
  bridgeSetHand(hands: string, userId: string, raised: '1' | '0'): Promise<number>;
  bridgeConnectionUp(key: string, all: string, now: number, ttl: number, connId: string, entry: string): Promise<number>;
  bridgeConnectionDown(key: string, all: string, now: number, connId: string, entry: string): Promise<number>;
  bridgeSweepConnections(all: string, now: number, presencePrefix: string, limit: number): Promise<string[]>;
  bridgeErase(ids: string, log: string, cmid: string, id: string, forgetClientMsgId: '1' | '0'): Promise<string | null>;
  bridgeForgetReportNotes(reports: string, reporterId: string): Promise<number>;
  bridgeAppendAudit(list: string, tail: string): Promise<number>;
  bridgeFileReport(reports: string, order: string, keys: string, dedupeKey: string, id: string, json: string): Promise<[number, string?]>;
  bridgeResolveReport(reports: string, id: string, by: string, at: number): Promise<string | null>;
  bridgeCreatePartnership(pair: string, activeA: string, activeB: string, data: string, listA: string, listB: string, all: string, id: string, json: string, limit: number): Promise<'created' | 'exists' | 'limit'>;
  bridgeTrim(seq: string, first: string, log: string, ids: string, cmid: string, cutoff: number, max: number): Promise<number>;
  bridgeEndPartnership(data: string, pair: string, activeA: string, activeB: string, id: string, by: string, at: number): Promise<string | null>;
  bridgeCreateInvite(pair: string, data: string, fromSet: string, toSet: string, id: string, json: string): Promise<'created' | 'exists'>;
  bridgeSettleInvite(data: string, pair: string, fromSet: string, toSet: string, id: string, status: string): Promise<string | null>;
  bridgeMarkRead(reads: string, userId: string, seq: number): Promise<number>;
  /** Twelve keys on one Redis server, the last the send budget; eleven on a Cluster (its budget is taken first). */
  bridgeSendToGroup(...keysThenArgs: (string | number)[]): Promise<[string, (string | number)?, (string | number)?]>;
  bridgeJoinGroup(members: string, bans: string, state: string, mutes: string, attending: string, userId: string, admin: string, now: number):
    Promise<['admitted', string, string] | [string]>;
  bridgeTakeBudget(budget: string, points: number, windowMs: number): Promise<number>;
  bridgeSendToGroupInCluster(...keysThenArgs: (string | number)[]): Promise<[string, (string | number)?, (string | number)?]>;
};
type ScriptedRedis = RedisClient & Scripts;

const SWEEP_BATCH = 500;
/** Connections refreshed by one script: a node's whole shard at once would hold Redis too long. */
const REFRESH_BATCH = 250;
const TRIM_SLICE = 500;

/**
 * How long a command may wait for Redis before it fails. Without it, a Redis that stalls with its
 * connections open (SIGSTOP, a hung host, a long fork) holds every command, and so every ack,
 * until it answers again; with it, callers get the retryable "storage is unavailable" error.
 * Auto-pipelining sends one pipeline at a time, so a command queued behind a stalled pipeline
 * fails after at most twice this.
 */
export const COMMAND_TIMEOUT_MS = 1000;

/** Room settings from the state hash; a field never written is its default. */
function settingsOf(state: Record<string, string>): RoomSettings {
  return {
    locked: state.locked === undefined ? DEFAULT_ROOM_STATE.locked : state.locked === '1',
    slowModeSec: state.slowModeSec === undefined ? DEFAULT_ROOM_STATE.slowModeSec : Number(state.slowModeSec),
    sessionOpen: state.sessionOpen === undefined ? DEFAULT_ROOM_STATE.sessionOpen : state.sessionOpen === '1',
    pinnedMessageId: state.pinnedMessageId || DEFAULT_ROOM_STATE.pinnedMessageId,
  };
}

/** A mutes-hash value: 'open' (until lifted) or the end in ms; a timed mute past its end is none. */
function muteFrom(raw: string | null, now: number): Mute | null {
  if (raw === null) return null;
  if (raw === 'open') return { until: null };
  const until = Number(raw);
  return until > now ? { until } : null;
}

/** A connection's entry in the every-node index: user ids never contain a newline. */
function entryOf(conn: Connection): string {
  return `${conn.userId}\n${conn.connId}`;
}

/**
 * All state in Redis (one server or a Redis Cluster), so any number of nodes can share it. Every
 * multi-key write that must not tear is one Lua script over keys of one hash slot (see keys.ts);
 * independent commands go out together in one auto-pipeline, split by node on a cluster.
 */
export class RedisStore implements Store {
  readonly kind = 'redis' as const;
  private readonly redis: ScriptedRedis;
  private readonly k: RedisKeys;
  /** On a Redis Cluster the send budget sits in another slot than a group's keys. */
  private readonly cluster: boolean;

  constructor(target: RedisTarget, prefix: string, options: RedisOptions = {}) {
    this.k = redisKeys(prefix);
    this.cluster = target.cluster;
    this.redis = connectRedis(target, { enableAutoPipelining: true, maxRetriesPerRequest: 2, commandTimeout: COMMAND_TIMEOUT_MS, ...options }) as ScriptedRedis;
    const define = (name: string, numberOfKeys: number, lua: string) => this.redis.defineCommand(name, { numberOfKeys, lua });
    define('bridgeAppend', 5, lua.APPEND);
    define('bridgePage', 3, lua.PAGE);
    define('bridgeFind', 2, lua.FIND);
    define('bridgeToggleReaction', 2, lua.TOGGLE_REACTION);
    define('bridgeSetHand', 1, lua.SET_HAND);
    define('bridgeConnectionUp', 2, lua.CONNECTION_UP);
    define('bridgeConnectionDown', 2, lua.CONNECTION_DOWN);
    define('bridgeSweepConnections', 1, lua.SWEEP_CONNECTIONS);
    define('bridgeErase', 3, lua.ERASE);
    define('bridgeForgetReportNotes', 1, lua.FORGET_REPORT_NOTES);
    define('bridgeAppendAudit', 1, lua.APPEND_AUDIT);
    define('bridgeFileReport', 3, lua.FILE_REPORT);
    define('bridgeResolveReport', 1, lua.RESOLVE_REPORT);
    define('bridgeCreatePartnership', 7, lua.CREATE_PARTNERSHIP);
    define('bridgeTrim', 5, lua.TRIM);
    define('bridgeEndPartnership', 4, lua.END_PARTNERSHIP);
    define('bridgeCreateInvite', 4, lua.CREATE_INVITE);
    define('bridgeSettleInvite', 4, lua.SETTLE_INVITE);
    define('bridgeMarkRead', 1, lua.MARK_READ);
    // A fixed key count each: ioredis finds a Cluster command's slot from its first key.
    define('bridgeSendToGroup', 12, lua.SEND_TO_GROUP);
    define('bridgeSendToGroupInCluster', 11, lua.SEND_TO_GROUP);
    define('bridgeJoinGroup', 5, lua.JOIN_GROUP);
    define('bridgeTakeBudget', 1, lua.TAKE_BUDGET);
  }

  /** The underlying client, for errors to be observed by whoever owns the store. */
  get client(): RedisClient {
    return this.redis;
  }

  // Group records, members and each person's groups sit in different slots, so these writes are
  // one pipeline rather than one transaction; each command is idempotent, and the caller gets an
  // error (and retries) if any failed.
  async createGroup(group: Group, creator: Enrolment): Promise<void> {
    await Promise.all([
      this.redis.set(this.k.group(group.id), JSON.stringify(group)),
      this.redis.zadd(this.k.allGroups(), group.createdAt, group.id),
      this.enrol(group.id, creator),
    ]);
  }

  async getGroup(groupId: string): Promise<Group | null> {
    const raw = await this.redis.get(this.k.group(groupId));
    return raw ? (JSON.parse(raw) as Group) : null;
  }

  async getGroups(groupIds: string[]): Promise<Group[]> {
    if (!groupIds.length) return [];
    const rows = await Promise.all(groupIds.map((id) => this.redis.get(this.k.group(id))));
    return rows.flatMap((raw) => (raw ? [JSON.parse(raw) as Group] : []));
  }

  async allGroups(): Promise<Group[]> {
    return this.getGroups(await this.redis.zrange(this.k.allGroups(), 0, -1));
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    return this.redis.smembers(this.k.userGroups(userId));
  }

  async enrol(groupId: string, enrolment: Enrolment): Promise<void> {
    await Promise.all([
      this.redis.hset(this.k.members(groupId), enrolment.userId, JSON.stringify(enrolment)),
      this.redis.sadd(this.k.userGroups(enrolment.userId), groupId),
      this.redis.srem(this.k.formerGroups(enrolment.userId), groupId),
    ]);
  }

  async unenrol(groupId: string, userId: string): Promise<boolean> {
    const [removed] = await Promise.all([this.redis.hdel(this.k.members(groupId), userId), this.redis.srem(this.k.userGroups(userId), groupId)]);
    if (removed === 1) await this.redis.sadd(this.k.formerGroups(userId), groupId);
    return removed === 1;
  }

  async formerGroupIdsOf(userId: string): Promise<string[]> {
    return this.redis.smembers(this.k.formerGroups(userId));
  }

  async forgetFormerGroups(userId: string): Promise<void> {
    await this.redis.del(this.k.formerGroups(userId));
  }

  async enrolment(groupId: string, userId: string): Promise<Enrolment | null> {
    const raw = await this.redis.hget(this.k.members(groupId), userId);
    return raw ? (JSON.parse(raw) as Enrolment) : null;
  }

  async members(groupId: string): Promise<Enrolment[]> {
    const all = await this.redis.hvals(this.k.members(groupId));
    return all.map((raw) => JSON.parse(raw) as Enrolment);
  }

  async appendMessage(c: Conversation, draft: MessageDraft): Promise<AppendResult> {
    const field = draft.clientMsgId === undefined ? '' : idempotencyKey(draft.sender.id, draft.clientMsgId);
    const tail = JSON.stringify(draft).slice(1);
    const [isNew, value] = await this.redis.bridgeAppend(this.k.seq(c), this.k.log(c), this.k.ids(c), this.k.clientIds(c), this.k.epoch(c), field, draft.id, tail, newEpoch());
    if (isNew === 1) return { message: { seq: Number(value), ...draft }, duplicate: false };
    return { message: JSON.parse(String(value)) as Message, duplicate: true };
  }

  async history(c: Conversation, page: { beforeSeq?: number; limit: number }): Promise<MessagePage> {
    return this.page(c, 'before', page.beforeSeq, page.limit);
  }

  async since(c: Conversation, since: number, limit: number): Promise<MessagePage> {
    return this.page(c, 'after', since, limit);
  }

  async findMessage(c: Conversation, messageId: string): Promise<Message | null> {
    const raw = await this.redis.bridgeFind(this.k.ids(c), this.k.log(c), messageId);
    return raw ? (JSON.parse(raw) as Message) : null;
  }

  async messageByClientId(c: Conversation, senderId: string, clientMsgId: string): Promise<Message | null> {
    // FIND looks an index up and reads the log; the idempotency index works the same way.
    const raw = await this.redis.bridgeFind(this.k.clientIds(c), this.k.log(c), idempotencyKey(senderId, clientMsgId));
    return raw ? (JSON.parse(raw) as Message) : null;
  }

  async toggleReaction(c: Conversation, messageId: string, emoji: ReactionEmoji, userId: string): Promise<Reactions | null> {
    const raw = await this.redis.bridgeToggleReaction(this.k.ids(c), this.k.log(c), messageId, emoji, userId);
    return raw ? (JSON.parse(raw) as Reactions) : null;
  }

  async eraseMessage(c: Conversation, messageId: string, opts: { forgetClientMsgId?: boolean } = {}): Promise<Message | null> {
    const raw = await this.redis.bridgeErase(this.k.ids(c), this.k.log(c), this.k.clientIds(c), messageId, opts.forgetClientMsgId ? '1' : '0');
    return raw ? (JSON.parse(raw) as Message) : null;
  }

  async roomState(groupId: string): Promise<GroupState> {
    const [state, hands] = await Promise.all([
      this.redis.hgetall(this.k.state(groupId)),
      this.redis.zrange(this.k.hands(groupId), 0, -1),
    ]);
    return { ...settingsOf(state), handQueue: hands };
  }

  async sendToGroup(groupId: string, send: GroupSend): Promise<AppendResult | SendRefusal> {
    const c: Conversation = { kind: 'group', id: groupId };
    const { sender, ...rest } = send.draft;
    const field = rest.clientMsgId === undefined ? '' : idempotencyKey(sender.id, rest.clientMsgId);
    const keys = [this.k.members(groupId), this.k.bans(groupId), this.k.mutes(groupId), this.k.state(groupId), this.k.sendSlot(groupId, sender.id),
      this.k.seq(c), this.k.log(c), this.k.ids(c), this.k.clientIds(c), this.k.epoch(c), this.k.attending(groupId)];
    // One Redis server: the budget is one more key of the script. A Cluster keeps it in another
    // slot, so it is taken first, by the same arithmetic (a resend then costs a point too).
    let flood = 'take';
    if (this.cluster) flood = String(await this.rateLimiter('send', send.flood)(sender.id));
    else keys.push(this.k.budget('send', sender.id));
    const body = JSON.stringify({ ...rest, conversation: c }).slice(1, -1);
    const senderUpToRole = `${JSON.stringify(sender).slice(0, -1)},"role":"`;
    const script = this.cluster ? this.redis.bridgeSendToGroupInCluster : this.redis.bridgeSendToGroup;
    const [outcome, a, b] = await script.call(this.redis, ...keys, sender.id, send.admin ? '1' : '0', field, rest.id, body, senderUpToRole,
      newEpoch(), flood, send.flood.points, send.flood.durationSec * 1000, send.now);
    if (outcome === 'sent') return { message: { seq: Number(a), ...rest, conversation: c, sender: { ...sender, role: b as UserRef['role'] } }, duplicate: false };
    if (outcome === 'duplicate') return { message: JSON.parse(String(a)) as Message, duplicate: true };
    return refusalFromReply([outcome, a, b]);
  }

  async joinGroup(groupId: string, join: { userId: string; admin: boolean; now: number }): Promise<JoinAdmission | JoinRefusal> {
    const [outcome, enrolment, mute] = await this.redis.bridgeJoinGroup(this.k.members(groupId), this.k.bans(groupId), this.k.state(groupId),
      this.k.mutes(groupId), this.k.attending(groupId), join.userId, join.admin ? '1' : '0', join.now);
    if (outcome !== 'admitted') return refusalFromReply([outcome]) as JoinRefusal;
    return { enrolment: enrolment ? (JSON.parse(enrolment) as Enrolment) : null, mute: muteFrom(mute || null, join.now) };
  }

  async setHand(groupId: string, userId: string, raised: boolean): Promise<boolean> {
    return (await this.redis.bridgeSetHand(this.k.hands(groupId), userId, raised ? '1' : '0')) === 1;
  }

  async updateRoomState(groupId: string, patch: Partial<RoomSettings>): Promise<GroupState> {
    const fields: Record<string, string> = {};
    if (patch.locked !== undefined) fields.locked = patch.locked ? '1' : '0';
    if (patch.sessionOpen !== undefined) fields.sessionOpen = patch.sessionOpen ? '1' : '0';
    if (patch.slowModeSec !== undefined) fields.slowModeSec = String(patch.slowModeSec);
    if (patch.pinnedMessageId !== undefined) fields.pinnedMessageId = patch.pinnedMessageId ?? '';
    if (Object.keys(fields).length) await this.redis.hset(this.k.state(groupId), fields);
    return this.roomState(groupId);
  }

  async setMute(groupId: string, userId: string, mute: Mute): Promise<void> {
    await this.redis.hset(this.k.mutes(groupId), userId, mute.until === null ? 'open' : String(mute.until));
  }

  async clearMute(groupId: string, userId: string): Promise<boolean> {
    return (await this.redis.hdel(this.k.mutes(groupId), userId)) === 1;
  }

  async muteOf(groupId: string, userId: string, now: number): Promise<Mute | null> {
    return muteFrom(await this.redis.hget(this.k.mutes(groupId), userId), now);
  }

  async setBan(groupId: string, userId: string, banned: boolean): Promise<boolean> {
    const key = this.k.bans(groupId);
    return (banned ? await this.redis.sadd(key, userId) : await this.redis.srem(key, userId)) === 1;
  }

  async isBanned(groupId: string, userId: string): Promise<boolean> {
    return (await this.redis.sismember(this.k.bans(groupId), userId)) === 1;
  }

  async isAttending(groupId: string, userId: string): Promise<boolean> {
    return (await this.redis.sismember(this.k.attending(groupId), userId)) === 1;
  }

  async lockedOut(groupId: string, userId: string): Promise<boolean> {
    // Two reads in one auto-pipeline (one slot on a Cluster): one round trip, no script needed.
    const [locked, attending] = await Promise.all([this.redis.hget(this.k.state(groupId), 'locked'), this.redis.sismember(this.k.attending(groupId), userId)]);
    return locked === '1' && attending === 0;
  }

  async forgetAttending(groupId: string, userId?: string): Promise<void> {
    if (userId === undefined) await this.redis.del(this.k.attending(groupId));
    else await this.redis.srem(this.k.attending(groupId), userId);
  }

  async appendAudit(groupId: string, draft: AuditDraft): Promise<AuditEntry> {
    const seq = await this.redis.bridgeAppendAudit(this.k.audit(groupId), JSON.stringify(draft).slice(1));
    return { seq, ...draft };
  }

  async audit(groupId: string, page: { beforeSeq?: number; limit: number }): Promise<{ entries: AuditEntry[]; hasMore: boolean }> {
    const key = this.k.audit(groupId);
    // The window needs the real length even with beforeSeq: it may point past the newest entry.
    const { from, to, hasMore } = pageWindow(1, await this.redis.llen(key), page);
    if (to < from) return { entries: [], hasMore: false };
    const rows = await this.redis.lrange(key, from - 1, to - 1);
    return { entries: rows.reverse().map((raw) => JSON.parse(raw) as AuditEntry), hasMore };
  }

  async fileReport(report: QueuedReport, dedupeKey: string): Promise<{ report: QueuedReport; duplicate: boolean }> {
    const g = report.groupId;
    const { item, duplicate } = await this.fileQueued([this.k.reports(g), this.k.reportOrder(g), this.k.reportKeys(g)], report, dedupeKey);
    return { report: item, duplicate };
  }

  async reports(groupId: string, status: 'open' | 'all'): Promise<QueuedReport[]> {
    return this.listQueued<QueuedReport>(this.k.reports(groupId), this.k.reportOrder(groupId), status);
  }

  async resolveReport(groupId: string, reportId: string, by: string, at: number): Promise<QueuedReport | null> {
    return this.resolveQueued<QueuedReport>(this.k.reports(groupId), reportId, by, at);
  }

  async fileProgramAlert(alert: ProgramAlert, dedupeKey: string): Promise<{ alert: ProgramAlert; duplicate: boolean }> {
    const { item, duplicate } = await this.fileQueued([this.k.programAlerts(), this.k.programAlertOrder(), this.k.programAlertKeys()], alert, dedupeKey);
    return { alert: item, duplicate };
  }

  async programAlerts(status: 'open' | 'all'): Promise<ProgramAlert[]> {
    return this.listQueued<ProgramAlert>(this.k.programAlerts(), this.k.programAlertOrder(), status);
  }

  async resolveProgramAlert(alertId: string, by: string, at: number): Promise<ProgramAlert | null> {
    return this.resolveQueued<ProgramAlert>(this.k.programAlerts(), alertId, by, at);
  }

  // A queue (a group's reports, the program's alerts) is a hash of items by id, a list of ids in
  // filing order and a hash of dedupe keys, under one hash tag: FILE_REPORT writes all three at once.
  private async fileQueued<T extends { id: string }>(keys: [items: string, order: string, dedupe: string], item: T, dedupeKey: string): Promise<{ item: T; duplicate: boolean }> {
    const [isNew, existing] = await this.redis.bridgeFileReport(...keys, dedupeKey, item.id, JSON.stringify(item));
    return isNew === 1 ? { item, duplicate: false } : { item: JSON.parse(String(existing)) as T, duplicate: true };
  }

  private async listQueued<T extends { status: string }>(items: string, order: string, status: 'open' | 'all'): Promise<T[]> {
    const ids = await this.redis.lrange(order, 0, -1);
    if (!ids.length) return [];
    const rows = await this.redis.hmget(items, ...ids);
    return rows.flatMap((raw) => (raw ? [JSON.parse(raw) as T] : [])).filter((r) => status === 'all' || r.status === 'open');
  }

  private async resolveQueued<T>(items: string, id: string, by: string, at: number): Promise<T | null> {
    const raw = await this.redis.bridgeResolveReport(items, id, by, at);
    return raw ? (JSON.parse(raw) as T) : null;
  }

  async forgetReportNotes(groupId: string, reporterId: string): Promise<void> {
    await this.redis.bridgeForgetReportNotes(this.k.reports(groupId), reporterId);
  }

  async createPartnership(p: Partnership, limit: number): Promise<'created' | 'exists' | 'limit'> {
    const [a, b] = [p.users[0].id, p.users[1].id];
    const k = this.k;
    return this.redis.bridgeCreatePartnership(
      k.activePair(a, b), k.userActivePartnerships(a), k.userActivePartnerships(b), k.partnership(p.id),
      k.userPartnerships(a), k.userPartnerships(b), k.allPartnerships(), p.id, JSON.stringify(p), limit,
    );
  }

  async partnership(partnershipId: string): Promise<Partnership | null> {
    const raw = await this.redis.get(this.k.partnership(partnershipId));
    return raw ? (JSON.parse(raw) as Partnership) : null;
  }

  async partnershipsOf(userId: string): Promise<Partnership[]> {
    const ids = await this.redis.lrange(this.k.userPartnerships(userId), 0, -1);
    if (!ids.length) return [];
    const rows = await this.redis.mget(ids.map((id) => this.k.partnership(id)));
    return rows.flatMap((raw) => (raw ? [JSON.parse(raw) as Partnership] : []));
  }

  async activePartnershipBetween(a: string, b: string): Promise<Partnership | null> {
    const id = await this.redis.get(this.k.activePair(a, b));
    return id ? this.partnership(id) : null;
  }

  async endPartnership(partnershipId: string, by: string, at: number): Promise<Partnership | null> {
    const p = await this.partnership(partnershipId);
    if (!p) return null;
    const [a, b] = [p.users[0].id, p.users[1].id];
    const raw = await this.redis.bridgeEndPartnership(
      this.k.partnership(partnershipId), this.k.activePair(a, b), this.k.userActivePartnerships(a), this.k.userActivePartnerships(b),
      partnershipId, by, at,
    );
    return raw ? (JSON.parse(raw) as Partnership) : null;
  }

  async createInvite(invite: Invite): Promise<'created' | 'exists'> {
    const k = this.k;
    return this.redis.bridgeCreateInvite(
      k.pendingInvitePair(invite.from.id, invite.to.id), k.invite(invite.id), k.userInvites(invite.from.id), k.userInvites(invite.to.id),
      invite.id, JSON.stringify(invite),
    );
  }

  async invite(inviteId: string): Promise<Invite | null> {
    const raw = await this.redis.get(this.k.invite(inviteId));
    return raw ? (JSON.parse(raw) as Invite) : null;
  }

  async pendingInvitesOf(userId: string): Promise<Invite[]> {
    const ids = await this.redis.smembers(this.k.userInvites(userId));
    if (!ids.length) return [];
    const rows = await this.redis.mget(ids.map((id) => this.k.invite(id)));
    return rows
      .flatMap((raw) => (raw ? [JSON.parse(raw) as Invite] : []))
      .filter((i) => i.status === 'pending')
      .sort((x, y) => x.createdAt - y.createdAt);
  }

  async settleInvite(inviteId: string, status: InviteSettlement): Promise<Invite | null> {
    const invite = await this.invite(inviteId);
    if (!invite) return null;
    const k = this.k;
    const raw = await this.redis.bridgeSettleInvite(
      k.invite(inviteId), k.pendingInvitePair(invite.from.id, invite.to.id), k.userInvites(invite.from.id), k.userInvites(invite.to.id),
      inviteId, status,
    );
    return raw ? (JSON.parse(raw) as Invite) : null;
  }

  async markRead(partnershipId: string, userId: string, seq: number): Promise<number> {
    return this.redis.bridgeMarkRead(this.k.reads(partnershipId), userId, seq);
  }

  async readMarks(partnershipId: string): Promise<Record<string, number>> {
    const raw = await this.redis.hgetall(this.k.reads(partnershipId));
    return Object.fromEntries(Object.entries(raw).map(([u, s]) => [u, Number(s)]));
  }

  async logEpoch(conversation: Conversation): Promise<string> {
    return (await this.redis.get(this.k.epoch(conversation))) ?? '';
  }

  async lastSeq(conversation: Conversation): Promise<number> {
    return Number((await this.redis.get(this.k.seq(conversation))) ?? 0);
  }

  async trimBefore(cutoff: number): Promise<TrimResult> {
    const [groups, partnerships] = await Promise.all([this.redis.zrange(this.k.allGroups(), 0, -1), this.redis.smembers(this.k.allPartnerships())]);
    const conversations: Conversation[] = [
      ...groups.map((id) => ({ kind: 'group', id }) as const),
      ...partnerships.map((id) => ({ kind: 'partner', id }) as const),
    ];
    let removed = 0;
    const failed: Conversation[] = [];
    for (const c of conversations) {
      try {
        // In slices, so one long-lived conversation never blocks Redis for long.
        for (;;) {
          const n = await this.redis.bridgeTrim(this.k.seq(c), this.k.first(c), this.k.log(c), this.k.ids(c), this.k.clientIds(c), cutoff, TRIM_SLICE);
          removed += n;
          if (n < TRIM_SLICE) break;
        }
      } catch (err) {
        // Redis itself unreachable fails every conversation alike: the sweep stops and runs again later.
        if (isStoreUnavailable(err)) throw err;
        // One conversation's bad state: the caller logs it by id, the next sweep tries it again.
        failed.push(c);
      }
    }
    return { removed, failed };
  }

  rateLimiter(name: string, limit: RateLimit): RateLimiter {
    return (key) => this.redis.bridgeTakeBudget(this.k.budget(name, key), limit.points, limit.durationSec * 1000);
  }

  async connectionUp(conn: Connection, ttlMs: number): Promise<boolean> {
    return (await this.redis.bridgeConnectionUp(this.k.presence(conn.userId), this.connectionsOf(conn), Date.now(), ttlMs, conn.connId, entryOf(conn))) === 1;
  }

  async connectionDown(conn: Connection): Promise<boolean> {
    return (await this.redis.bridgeConnectionDown(this.k.presence(conn.userId), this.connectionsOf(conn), Date.now(), conn.connId, entryOf(conn))) === 1;
  }

  async refreshConnections(conns: Connection[], ttlMs: number): Promise<void> {
    if (!conns.length) return;
    const now = Date.now();
    // One script per presence shard and batch, not per connection: 3,000 connections were 3,000
    // scripts every ttl/3, about 70 ms of a node's CPU in one go. EVAL rather than a defined
    // command: its key count varies, and ioredis routes EVAL on a Cluster by its first key.
    const byShard = new Map<number, Connection[]>();
    for (const c of conns) {
      const shard = presenceShard(c.userId);
      const list = byShard.get(shard);
      if (list) list.push(c);
      else byShard.set(shard, [c]);
    }
    const scripts: Promise<unknown>[] = [];
    for (const [shard, all] of byShard) {
      for (let i = 0; i < all.length; i += REFRESH_BATCH) {
        const batch = all.slice(i, i + REFRESH_BATCH);
        scripts.push(this.redis.eval(lua.REFRESH_CONNECTIONS, 1 + batch.length, this.k.connections(shard), ...batch.map((c) => this.k.presence(c.userId)),
          now, ttlMs, ...batch.flatMap((c) => [c.connId, entryOf(c)])));
      }
    }
    await Promise.all(scripts);
  }

  async sweepConnections(now: number): Promise<string[]> {
    const shards = await Promise.all(Array.from({ length: PRESENCE_SHARDS }, (_, shard) => this.sweepShard(shard, now)));
    return [...new Set(shards.flat())];
  }

  private async sweepShard(shard: number, now: number): Promise<string[]> {
    const offline: string[] = [];
    // In batches, so a node that held thousands of connections does not block Redis in one script.
    for (;;) {
      const batch = await this.redis.bridgeSweepConnections(this.k.connections(shard), now, this.k.presencePrefix(shard), SWEEP_BATCH);
      offline.push(...batch);
      if (batch.length < SWEEP_BATCH) return offline;
    }
  }

  private connectionsOf(conn: Connection): string {
    return this.k.connections(presenceShard(conn.userId));
  }

  async onlineUsers(userIds: string[]): Promise<Set<string>> {
    const now = Date.now();
    const counts = await Promise.all(userIds.map((u) => this.redis.zcount(this.k.presence(u), `(${now}`, '+inf')));
    return new Set(userIds.filter((_, i) => counts[i]! > 0));
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private async page(c: Conversation, mode: 'after' | 'before', bound: number | undefined, limit: number): Promise<MessagePage> {
    const [more, ...rows] = await this.redis.bridgePage(this.k.seq(c), this.k.first(c), this.k.log(c), mode, bound === undefined ? '' : String(bound), limit);
    return { messages: rows.map((raw) => JSON.parse(raw) as Message), hasMore: more === 1 };
  }
}
