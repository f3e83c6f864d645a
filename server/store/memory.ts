import type {
  AuditEntry, Conversation, Enrolment, Group, GroupState, Invite, Message, MessagePage, Partnership, ProgramAlert, QueuedReport,
  ReactionEmoji, Reactions,
} from '../../shared/index.js';
import { decide } from '../admission.js';
import { MemoryBudget } from './limiter.js';
import {
  DEFAULT_ROOM_STATE, eraseInPlace, idempotencyKey, newEpoch, pageWindow, pairKey, type AppendResult, type AuditDraft, type Connection, type MessageDraft,
  type GroupSend, type JoinAdmission, type JoinRefusal, type Mute, type RateLimit, type RateLimiter, type RoomSettings, type SendRefusal, type Store, type TrimResult, type InviteSettlement,
} from './store.js';

type Log = { messages: Map<number, Message>; last: number; first: number; byId: Map<string, number>; byClientId: Map<string, number>; epoch: string };

/**
 * State in this process only: the embedded default for one node and for trying Bridge out.
 * Lost on restart. Returns copies, so callers can never mutate what is stored.
 */
export class MemoryStore implements Store {
  readonly kind = 'memory' as const;
  private readonly groups = new Map<string, Group>();
  private readonly enrolments = new Map<string, Map<string, Enrolment>>();
  private readonly userGroups = new Map<string, Set<string>>();
  private readonly formerGroups = new Map<string, Set<string>>();
  private readonly logs = new Map<string, Log>();
  private readonly hands = new Map<string, string[]>();
  private readonly presence = new Map<string, Map<string, number>>();
  private readonly settings = new Map<string, RoomSettings>();
  private readonly mutes = new Map<string, Mute>();
  private readonly bans = new Set<string>();
  private readonly attending = new Map<string, Set<string>>();
  private readonly sendSlots = new Map<string, { at: number; until: number }>();
  private readonly audits = new Map<string, AuditEntry[]>();
  private readonly queued = new Map<string, Queue<QueuedReport>>();
  private readonly programQueue = new Queue<ProgramAlert>();
  private readonly budgets = new Map<string, MemoryBudget>();
  private readonly partnerships = new Map<string, Partnership>();
  private readonly userPartnerships = new Map<string, string[]>();
  private readonly activePairs = new Map<string, string>();
  private readonly invites = new Map<string, Invite>();
  private readonly pendingPairs = new Map<string, string>();
  private readonly reads = new Map<string, Record<string, number>>();

  async createGroup(group: Group, creator: Enrolment): Promise<void> {
    this.groups.set(group.id, { ...group });
    await this.enrol(group.id, creator);
  }

  async getGroup(groupId: string): Promise<Group | null> {
    const g = this.groups.get(groupId);
    return g ? { ...g } : null;
  }

  async getGroups(groupIds: string[]): Promise<Group[]> {
    return groupIds.flatMap((id) => {
      const g = this.groups.get(id);
      return g ? [{ ...g }] : [];
    });
  }

  async allGroups(): Promise<Group[]> {
    // Oldest first by createdAt (as RedisStore's sorted set), not by insertion order.
    return [...this.groups.values()].sort((a, b) => a.createdAt - b.createdAt).map((g) => ({ ...g }));
  }

  async groupIdsOf(userId: string): Promise<string[]> {
    return [...(this.userGroups.get(userId) ?? [])];
  }

  async enrol(groupId: string, enrolment: Enrolment): Promise<void> {
    getOrCreate(this.enrolments, groupId, () => new Map()).set(enrolment.userId, { ...enrolment });
    getOrCreate(this.userGroups, enrolment.userId, () => new Set()).add(groupId);
    this.formerGroups.get(enrolment.userId)?.delete(groupId);
  }

  async unenrol(groupId: string, userId: string): Promise<boolean> {
    this.userGroups.get(userId)?.delete(groupId);
    const removed = this.enrolments.get(groupId)?.delete(userId) ?? false;
    if (removed) getOrCreate(this.formerGroups, userId, () => new Set()).add(groupId);
    return removed;
  }

  async formerGroupIdsOf(userId: string): Promise<string[]> {
    return [...(this.formerGroups.get(userId) ?? [])];
  }

  async forgetFormerGroups(userId: string): Promise<void> {
    this.formerGroups.delete(userId);
  }

  async enrolment(groupId: string, userId: string): Promise<Enrolment | null> {
    const e = this.enrolments.get(groupId)?.get(userId);
    return e ? { ...e } : null;
  }

  async members(groupId: string): Promise<Enrolment[]> {
    return [...(this.enrolments.get(groupId)?.values() ?? [])].map((e) => ({ ...e }));
  }

  async appendMessage(conversation: Conversation, draft: MessageDraft): Promise<AppendResult> {
    return this.resent(conversation, draft.sender.id, draft.clientMsgId) ?? this.append(conversation, draft);
  }

  async sendToGroup(groupId: string, send: GroupSend): Promise<AppendResult | SendRefusal> {
    const c: Conversation = { kind: 'group', id: groupId };
    const { sender, ...rest } = send.draft;
    // Nothing here awaits, so the reads, the decision and the append are one step, as in
    // RedisStore's script.
    const before = this.resent(c, sender.id, rest.clientMsgId);
    if (before) return before;
    const budgetWaitMs = this.budget('send', send.flood).take(sender.id);
    const key = memberKey(groupId, sender.id);
    const role = send.admin ? 'admin' : (this.enrolments.get(groupId)?.get(sender.id)?.role ?? null);
    const { sessionOpen, slowModeSec } = this.settings.get(groupId) ?? DEFAULT_ROOM_STATE;
    const now = Date.now();
    const refusal = decide('send', {
      role, banned: this.bans.has(key), lockedOut: this.lockedOutNow(groupId, sender.id), mute: this.muteInForce(key, send.now),
      budgetWaitMs, sessionOpen, slowModeSec, slowModeWaitMs: slowModeSec > 0 ? this.sendSlotWait(key, slowModeSec * 1000, now) : 0,
    });
    if (refusal) return refusal;
    if (role === 'participant' && slowModeSec > 0) this.sendSlots.set(key, { at: now, until: now + slowModeSec * 1000 });
    return this.append(c, { ...rest, conversation: c, sender: { ...sender, role: role! } });
  }

  async joinGroup(groupId: string, join: { userId: string; admin: boolean; now: number }): Promise<JoinAdmission | JoinRefusal> {
    const key = memberKey(groupId, join.userId);
    const enrolment = this.enrolments.get(groupId)?.get(join.userId) ?? null;
    const role = join.admin ? 'admin' : (enrolment?.role ?? null);
    const refusal = decide('join', { role, banned: this.bans.has(key), lockedOut: this.lockedOutNow(groupId, join.userId) });
    if (refusal) return refusal as JoinRefusal;
    getOrCreate(this.attending, groupId, () => new Set()).add(join.userId);
    return { enrolment: enrolment && { ...enrolment }, mute: this.muteInForce(key, join.now) };
  }

  /** The original of a resend, if this clientMsgId was used by the sender here. */
  private resent(c: Conversation, senderId: string, clientMsgId: string | undefined): AppendResult | undefined {
    const seq = clientMsgId === undefined ? undefined : this.logs.get(convKey(c))?.byClientId.get(idempotencyKey(senderId, clientMsgId));
    return seq === undefined ? undefined : { message: copyMessage(this.logs.get(convKey(c))!.messages.get(seq)!), duplicate: true };
  }

  private append(conversation: Conversation, draft: MessageDraft): AppendResult {
    const log = this.log(conversation);
    const seq = ++log.last;
    if (seq === 1) log.epoch = newEpoch();
    const message: Message = { seq, ...copyMessage(draft) };
    log.messages.set(seq, message);
    log.byId.set(message.id, seq);
    if (draft.clientMsgId !== undefined) log.byClientId.set(idempotencyKey(draft.sender.id, draft.clientMsgId), seq);
    return { message: copyMessage(message), duplicate: false };
  }

  async history(conversation: Conversation, page: { beforeSeq?: number; limit: number }): Promise<MessagePage> {
    return this.page(conversation, page);
  }

  async since(conversation: Conversation, since: number, limit: number): Promise<MessagePage> {
    return this.page(conversation, { after: since, limit });
  }

  async findMessage(conversation: Conversation, messageId: string): Promise<Message | null> {
    const log = this.logs.get(convKey(conversation));
    const seq = log?.byId.get(messageId);
    const m = seq === undefined ? undefined : log!.messages.get(seq);
    return m ? copyMessage(m) : null;
  }

  async messageByClientId(conversation: Conversation, senderId: string, clientMsgId: string): Promise<Message | null> {
    const log = this.logs.get(convKey(conversation));
    const seq = log?.byClientId.get(idempotencyKey(senderId, clientMsgId));
    const m = seq === undefined ? undefined : log!.messages.get(seq);
    return m ? copyMessage(m) : null;
  }

  async toggleReaction(conversation: Conversation, messageId: string, emoji: ReactionEmoji, userId: string): Promise<Reactions | null> {
    const log = this.logs.get(convKey(conversation));
    const seq = log?.byId.get(messageId);
    const m = seq === undefined ? undefined : log!.messages.get(seq);
    if (!m || m.deleted) return null;
    const reactions = m.reactions ?? {};
    const users = reactions[emoji] ?? [];
    const next = users.includes(userId) ? users.filter((u) => u !== userId) : [...users, userId];
    if (next.length) reactions[emoji] = next;
    else delete reactions[emoji];
    if (Object.keys(reactions).length) m.reactions = reactions;
    else delete m.reactions;
    return structuredClone(reactions);
  }

  async eraseMessage(conversation: Conversation, messageId: string, opts: { forgetClientMsgId?: boolean } = {}): Promise<Message | null> {
    const log = this.logs.get(convKey(conversation));
    const seq = log?.byId.get(messageId);
    const m = seq === undefined ? undefined : log!.messages.get(seq);
    if (!m) return null;
    if (opts.forgetClientMsgId && m.clientMsgId !== undefined) log!.byClientId.delete(idempotencyKey(m.sender.id, m.clientMsgId));
    eraseInPlace(m, opts);
    return copyMessage(m);
  }

  async roomState(groupId: string): Promise<GroupState> {
    return { ...(this.settings.get(groupId) ?? DEFAULT_ROOM_STATE), handQueue: [...(this.hands.get(groupId) ?? [])] };
  }

  async updateRoomState(groupId: string, patch: Partial<RoomSettings>): Promise<GroupState> {
    // Field by field as RedisStore does: a key given as undefined leaves its setting alone.
    const cur = this.settings.get(groupId) ?? DEFAULT_ROOM_STATE;
    this.settings.set(groupId, {
      locked: patch.locked ?? cur.locked,
      slowModeSec: patch.slowModeSec ?? cur.slowModeSec,
      sessionOpen: patch.sessionOpen ?? cur.sessionOpen,
      pinnedMessageId: patch.pinnedMessageId === undefined ? cur.pinnedMessageId : patch.pinnedMessageId,
    });
    return this.roomState(groupId);
  }

  async setMute(groupId: string, userId: string, mute: Mute): Promise<void> {
    this.mutes.set(memberKey(groupId, userId), { ...mute });
  }

  async clearMute(groupId: string, userId: string): Promise<boolean> {
    return this.mutes.delete(memberKey(groupId, userId));
  }

  async muteOf(groupId: string, userId: string, now: number): Promise<Mute | null> {
    return this.muteInForce(memberKey(groupId, userId), now);
  }

  /** A copy of the member's mute, or null when none is in force at `now` (a timed mute past its end is none). */
  private muteInForce(key: string, now: number): Mute | null {
    const mute = this.mutes.get(key);
    return mute && (mute.until === null || mute.until > now) ? { ...mute } : null;
  }

  async setBan(groupId: string, userId: string, banned: boolean): Promise<boolean> {
    const key = memberKey(groupId, userId);
    if (banned === this.bans.has(key)) return false;
    if (banned) this.bans.add(key);
    else this.bans.delete(key);
    return true;
  }

  async isBanned(groupId: string, userId: string): Promise<boolean> {
    return this.bans.has(memberKey(groupId, userId));
  }

  async isAttending(groupId: string, userId: string): Promise<boolean> {
    return this.attending.get(groupId)?.has(userId) ?? false;
  }

  async lockedOut(groupId: string, userId: string): Promise<boolean> {
    return this.lockedOutNow(groupId, userId);
  }

  private lockedOutNow(groupId: string, userId: string): boolean {
    return (this.settings.get(groupId) ?? DEFAULT_ROOM_STATE).locked && !this.attending.get(groupId)?.has(userId);
  }

  async forgetAttending(groupId: string, userId?: string): Promise<void> {
    if (userId === undefined) this.attending.delete(groupId);
    else this.attending.get(groupId)?.delete(userId);
  }

  /**
   * Slow mode: 0 when the member's slot is free, else the ms left, measured from their last
   * claimed send with the interval in force now. As RedisStore, the last claimed send is kept as
   * long as the interval it was claimed with.
   */
  private sendSlotWait(key: string, intervalMs: number, now: number): number {
    const last = this.sendSlots.get(key);
    return last && last.until > now && last.at + intervalMs > now ? last.at + intervalMs - now : 0;
  }

  async appendAudit(groupId: string, draft: AuditDraft): Promise<AuditEntry> {
    const log = getOrCreate(this.audits, groupId, () => []);
    const entry: AuditEntry = { seq: log.length + 1, ...structuredClone(draft) };
    log.push(entry);
    return structuredClone(entry);
  }

  async audit(groupId: string, page: { beforeSeq?: number; limit: number }): Promise<{ entries: AuditEntry[]; hasMore: boolean }> {
    const log = this.audits.get(groupId) ?? [];
    const { from, to, hasMore } = pageWindow(1, log.length, page);
    return { entries: log.slice(from - 1, Math.max(from - 1, to)).reverse().map((e) => structuredClone(e)), hasMore };
  }

  async fileReport(report: QueuedReport, dedupeKey: string): Promise<{ report: QueuedReport; duplicate: boolean }> {
    const { item, duplicate } = getOrCreate(this.queued, report.groupId, () => new Queue()).file(report, dedupeKey);
    return { report: item, duplicate };
  }

  async reports(groupId: string, status: 'open' | 'all'): Promise<QueuedReport[]> {
    return this.queued.get(groupId)?.list(status) ?? [];
  }

  async resolveReport(groupId: string, reportId: string, by: string, at: number): Promise<QueuedReport | null> {
    return this.queued.get(groupId)?.resolve(reportId, by, at) ?? null;
  }

  async fileProgramAlert(alert: ProgramAlert, dedupeKey: string): Promise<{ alert: ProgramAlert; duplicate: boolean }> {
    const { item, duplicate } = this.programQueue.file(alert, dedupeKey);
    return { alert: item, duplicate };
  }

  async programAlerts(status: 'open' | 'all'): Promise<ProgramAlert[]> {
    return this.programQueue.list(status);
  }

  async resolveProgramAlert(alertId: string, by: string, at: number): Promise<ProgramAlert | null> {
    return this.programQueue.resolve(alertId, by, at);
  }

  async forgetReportNotes(groupId: string, reporterId: string): Promise<void> {
    this.queued.get(groupId)?.edit((r) => {
      if (r.reporterId === reporterId) delete r.note;
    });
  }

  async createPartnership(p: Partnership, limit: number): Promise<'created' | 'exists' | 'limit'> {
    const [a, b] = p.users.map((u) => u.id) as [string, string];
    if (this.activePairs.has(pairKey(a, b))) return 'exists';
    if ([a, b].some((u) => this.activeCount(u) >= limit)) return 'limit';
    this.partnerships.set(p.id, structuredClone(p));
    this.activePairs.set(pairKey(a, b), p.id);
    for (const u of [a, b]) getOrCreate(this.userPartnerships, u, () => []).push(p.id);
    return 'created';
  }

  async partnership(partnershipId: string): Promise<Partnership | null> {
    const p = this.partnerships.get(partnershipId);
    return p ? structuredClone(p) : null;
  }

  async partnershipsOf(userId: string): Promise<Partnership[]> {
    return (this.userPartnerships.get(userId) ?? []).map((id) => structuredClone(this.partnerships.get(id)!));
  }

  async activePartnershipBetween(a: string, b: string): Promise<Partnership | null> {
    const id = this.activePairs.get(pairKey(a, b));
    return id ? structuredClone(this.partnerships.get(id)!) : null;
  }

  async endPartnership(partnershipId: string, by: string, at: number): Promise<Partnership | null> {
    const p = this.partnerships.get(partnershipId);
    if (!p) return null;
    if (p.status === 'active') {
      Object.assign(p, { status: 'ended', endedAt: at, endedBy: by });
      this.activePairs.delete(pairKey(p.users[0].id, p.users[1].id));
    }
    return structuredClone(p);
  }

  async createInvite(invite: Invite): Promise<'created' | 'exists'> {
    const key = pairKey(invite.from.id, invite.to.id);
    if (this.pendingPairs.has(key)) return 'exists';
    this.invites.set(invite.id, structuredClone(invite));
    this.pendingPairs.set(key, invite.id);
    return 'created';
  }

  async invite(inviteId: string): Promise<Invite | null> {
    const i = this.invites.get(inviteId);
    return i ? structuredClone(i) : null;
  }

  async pendingInvitesOf(userId: string): Promise<Invite[]> {
    return [...this.pendingPairs.values()]
      .map((id) => this.invites.get(id)!)
      .filter((i) => i.from.id === userId || i.to.id === userId)
      .sort((x, y) => x.createdAt - y.createdAt)
      .map((i) => structuredClone(i));
  }

  async settleInvite(inviteId: string, status: InviteSettlement): Promise<Invite | null> {
    const i = this.invites.get(inviteId);
    if (!i || i.status !== 'pending') return null;
    i.status = status;
    delete i.note;
    this.pendingPairs.delete(pairKey(i.from.id, i.to.id));
    return structuredClone(i);
  }

  async markRead(partnershipId: string, userId: string, seq: number): Promise<number> {
    const marks = getOrCreate(this.reads, partnershipId, (): Record<string, number> => ({}));
    // As RedisStore: only a mark past the current one is written, so marking 0 records nothing
    // (users who never read stay absent from readMarks).
    if (seq > (marks[userId] ?? 0)) marks[userId] = seq;
    return marks[userId] ?? 0;
  }

  async readMarks(partnershipId: string): Promise<Record<string, number>> {
    return { ...(this.reads.get(partnershipId) ?? {}) };
  }

  async logEpoch(conversation: Conversation): Promise<string> {
    return this.logs.get(convKey(conversation))?.epoch ?? '';
  }

  async lastSeq(conversation: Conversation): Promise<number> {
    return this.logs.get(convKey(conversation))?.last ?? 0;
  }

  async trimBefore(cutoff: number): Promise<TrimResult> {
    let removed = 0;
    for (const log of this.logs.values()) {
      while (log.first <= log.last) {
        const m = log.messages.get(log.first);
        if (m && m.createdAt >= cutoff) break;
        if (m) {
          log.messages.delete(log.first);
          log.byId.delete(m.id);
          if (m.clientMsgId !== undefined) log.byClientId.delete(idempotencyKey(m.sender.id, m.clientMsgId));
          removed++;
        }
        log.first++;
      }
    }
    return { removed, failed: [] };
  }

  rateLimiter(name: string, limit: RateLimit): RateLimiter {
    // One limiter per name and limit in this store, so every limiter asked for under a name
    // shares its budget (as RedisStore's do through Redis).
    const budget = this.budget(name, limit);
    return async (key) => budget.take(key);
  }

  private budget(name: string, limit: RateLimit): MemoryBudget {
    return getOrCreate(this.budgets, `${name}\n${limit.points}\n${limit.durationSec}`, () => new MemoryBudget(limit));
  }

  async setHand(groupId: string, userId: string, raised: boolean): Promise<boolean> {
    const queue = getOrCreate(this.hands, groupId, () => []);
    const at = queue.indexOf(userId);
    if (raised === (at >= 0)) return false;
    if (raised) queue.push(userId);
    else queue.splice(at, 1);
    return true;
  }

  async connectionUp(conn: Connection, ttlMs: number): Promise<boolean> {
    // live() first: it drops the user's map when nothing is left in it, so a map taken before
    // would be detached and the connection recorded nowhere.
    const wasOnline = this.live(conn.userId) > 0;
    getOrCreate(this.presence, conn.userId, () => new Map()).set(conn.connId, Date.now() + ttlMs);
    return !wasOnline;
  }

  async connectionDown(conn: Connection): Promise<boolean> {
    this.presence.get(conn.userId)?.delete(conn.connId);
    return this.live(conn.userId) === 0;
  }

  async refreshConnections(conns: Connection[], ttlMs: number): Promise<void> {
    const until = Date.now() + ttlMs;
    for (const c of conns) getOrCreate(this.presence, c.userId, () => new Map()).set(c.connId, until);
  }

  async sweepConnections(now: number): Promise<string[]> {
    const offline: string[] = [];
    for (const [userId, conns] of this.presence) {
      let expired = false;
      for (const [id, until] of conns) {
        if (until <= now) {
          conns.delete(id);
          expired = true;
        }
      }
      if (expired && conns.size === 0) {
        this.presence.delete(userId);
        offline.push(userId);
      }
    }
    return offline;
  }

  async onlineUsers(userIds: string[]): Promise<Set<string>> {
    return new Set(userIds.filter((u) => this.live(u) > 0));
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}

  private activeCount(userId: string): number {
    return (this.userPartnerships.get(userId) ?? []).filter((id) => this.partnerships.get(id)?.status === 'active').length;
  }

  private live(userId: string): number {
    const conns = this.presence.get(userId);
    if (!conns) return 0;
    const now = Date.now();
    for (const [id, until] of conns) if (until <= now) conns.delete(id);
    if (!conns.size) this.presence.delete(userId);
    return conns.size;
  }

  private log(c: Conversation): Log {
    return getOrCreate(this.logs, convKey(c), () => ({ messages: new Map(), last: 0, first: 1, byId: new Map(), byClientId: new Map(), epoch: '' }));
  }

  private page(c: Conversation, req: { after?: number; beforeSeq?: number; limit: number }): MessagePage {
    const log = this.logs.get(convKey(c));
    if (!log) return { messages: [], hasMore: false };
    const { from, to, hasMore } = pageWindow(log.first, log.last, req);
    const messages: Message[] = [];
    for (let s = from; s <= to; s++) {
      const m = log.messages.get(s);
      if (m) messages.push(copyMessage(m));
    }
    return { messages, hasMore };
  }
}

/**
 * A deep copy of a message, as structuredClone would make it, by hand: every append and every
 * page copies messages, and structuredClone's generic walk was the largest single cost of a
 * memory-store join (the 50-message page).
 */
function copyMessage<M extends MessageDraft>(m: M): M {
  const copy: M = { ...m, conversation: { ...m.conversation }, sender: { ...m.sender } };
  if (m.checkin) copy.checkin = { ...m.checkin };
  if (m.reactions) copy.reactions = Object.fromEntries(Object.entries(m.reactions).map(([emoji, ids]) => [emoji, [...ids]]));
  return copy;
}

function memberKey(groupId: string, userId: string): string {
  return `${groupId}\n${userId}`;
}

function convKey(c: Conversation): string {
  return `${c.kind}:${c.id}`;
}

type Resolvable = { id: string; status: 'open' | 'resolved'; resolvedBy?: string; resolvedAt?: number };

/** A queue of items deduplicated by key and resolved once (a group's reports, the program's alerts); hands out copies. */
class Queue<T extends Resolvable> {
  private readonly items: T[] = [];
  private readonly byKey = new Map<string, T>();

  file(item: T, dedupeKey: string): { item: T; duplicate: boolean } {
    const existing = this.byKey.get(dedupeKey);
    if (existing) return { item: structuredClone(existing), duplicate: true };
    const stored = structuredClone(item);
    this.items.push(stored);
    this.byKey.set(dedupeKey, stored);
    return { item: structuredClone(stored), duplicate: false };
  }

  list(status: 'open' | 'all'): T[] {
    return this.items.filter((r) => status === 'all' || r.status === 'open').map((r) => structuredClone(r));
  }

  /** Changes the stored items in place (erasure's edits). */
  edit(change: (item: T) => void): void {
    for (const r of this.items) change(r);
  }

  resolve(id: string, by: string, at: number): T | null {
    const r = this.items.find((x) => x.id === id);
    if (!r) return null;
    if (r.status === 'open') Object.assign(r, { status: 'resolved', resolvedBy: by, resolvedAt: at });
    return structuredClone(r);
  }
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}
