import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Conversation, GroupState } from '../../shared/index.js';
import { toRateLimiter } from './limiter.js';
import type { MemoryGroups } from './memory/groups.js';
import type { MemoryLog } from './memory/log.js';
import { getOrCreate, memberKey } from './memory/util.js';
import type { Limits, RoomAdmission, RoomModeration, RoomState } from './ports.js';
import {
  DEFAULT_ROOM_STATE, type AppendResult, type GroupSend, type JoinAdmission, type JoinRefusal, type Mute, type RateLimit, type RateLimiter,
  type RoomSettings, type SendRefusal,
} from './store.js';

/**
 * A group's room in this process: its settings and hands, its moderation, the admission of sends
 * and joins, and the flood budgets. Admission reads the enrolments and appends to the log of the
 * other memory ports in the same synchronous step as its checks, so it is as atomic as the
 * Redis store's script.
 */
export class MemoryRoom implements RoomState, RoomModeration, RoomAdmission, Limits {
  private readonly hands = new Map<string, string[]>();
  private readonly settings = new Map<string, RoomSettings>();
  private readonly mutes = new Map<string, Mute>();
  private readonly bans = new Set<string>();
  private readonly attending = new Map<string, Set<string>>();
  private readonly sendSlots = new Map<string, { at: number; until: number }>();
  private readonly limiters = new Map<string, RateLimiterMemory>();

  constructor(
    private readonly groups: MemoryGroups,
    private readonly log: MemoryLog,
  ) {}

  async sendToGroup(groupId: string, send: GroupSend): Promise<AppendResult | SendRefusal> {
    const c: Conversation = { kind: 'group', id: groupId };
    const { sender, ...rest } = send.draft;
    const resent = () => this.log.resent(c, sender.id, rest.clientMsgId);
    const before = resent();
    if (before) return before;
    // RateLimiterMemory counts the point when called; from the await on nothing else awaits, so
    // the checks and the append are one step, as in RedisStore's script.
    const floodWaitMs = await this.rateLimiter('send', send.flood)(sender.id);
    const after = resent();
    if (after) return after;
    const key = memberKey(groupId, sender.id);
    const enrolment = this.groups.enrolments.get(groupId)?.get(sender.id);
    if (!send.admin && this.bans.has(key)) return { refused: 'banned' };
    if (!send.admin && !enrolment) return { refused: 'not-enrolled' };
    const role = send.admin ? 'admin' : enrolment!.role;
    if (role === 'participant' && this.lockedOutNow(groupId, sender.id)) return { refused: 'locked-out' };
    const mute = this.muteInForce(key, send.now);
    if (mute) return { refused: 'muted', until: mute.until };
    if (floodWaitMs > 0) return { refused: 'flood', retryAfterMs: floodWaitMs };
    if (role === 'participant') {
      const { sessionOpen, slowModeSec } = this.settings.get(groupId) ?? DEFAULT_ROOM_STATE;
      if (!sessionOpen) return { refused: 'session-closed' };
      const waitMs = slowModeSec > 0 ? this.claimSendSlot(key, slowModeSec * 1000) : 0;
      if (waitMs > 0) return { refused: 'slow-mode', retryAfterMs: waitMs, slowModeSec };
    }
    return this.log.append(c, { ...rest, conversation: c, sender: { ...sender, role } });
  }

  async joinGroup(groupId: string, join: { userId: string; admin: boolean; now: number }): Promise<JoinAdmission | JoinRefusal> {
    const key = memberKey(groupId, join.userId);
    const enrolment = this.groups.enrolments.get(groupId)?.get(join.userId) ?? null;
    if (!join.admin && this.bans.has(key)) return { refused: 'banned' };
    if (!join.admin && !enrolment) return { refused: 'not-enrolled' };
    const attending = getOrCreate(this.attending, groupId, () => new Set());
    if (!attending.has(join.userId)) {
      const locked = (this.settings.get(groupId) ?? DEFAULT_ROOM_STATE).locked;
      if (locked && !join.admin && enrolment!.role === 'participant') return { refused: 'locked' };
      attending.add(join.userId);
    }
    return { enrolment: enrolment && { ...enrolment }, mute: this.muteInForce(key, join.now) };
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
   * Slow mode: 0 when the member may send now (and their interval starts), else the ms left,
   * measured from their last claimed send with the interval in force now.
   */
  private claimSendSlot(key: string, intervalMs: number): number {
    const now = Date.now();
    // As RedisStore: the last claimed send, kept as long as the interval it was claimed with.
    const last = this.sendSlots.get(key);
    if (last && last.until > now && last.at + intervalMs > now) return last.at + intervalMs - now;
    this.sendSlots.set(key, { at: now, until: now + intervalMs });
    return 0;
  }

  rateLimiter(name: string, limit: RateLimit): RateLimiter {
    // One limiter per name and limit in this store, so every limiter asked for under a name
    // shares its budget (as RedisStore's do through Redis).
    const id = `${name}\n${limit.points}\n${limit.durationSec}`;
    const limiter = getOrCreate(this.limiters, id, () => new RateLimiterMemory({ keyPrefix: name, points: limit.points, duration: limit.durationSec }));
    return toRateLimiter(limiter);
  }

  async setHand(groupId: string, userId: string, raised: boolean): Promise<boolean> {
    const queue = getOrCreate(this.hands, groupId, () => []);
    const at = queue.indexOf(userId);
    if (raised === (at >= 0)) return false;
    if (raised) queue.push(userId);
    else queue.splice(at, 1);
    return true;
  }
}
