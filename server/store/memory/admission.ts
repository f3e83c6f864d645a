import type { Conversation } from '../../../shared/index.js';
import { decide } from '../../admission.js';
import type { RoomAdmission } from '../ports.js';
import type { AppendResult, GroupSend, JoinAdmission, JoinRefusal, JoinWaiting, SendRefusal } from '../store.js';
import type { MemoryAgreements } from './agreements.js';
import type { MemoryGroups } from './groups.js';
import type { MemoryLimits } from './limits.js';
import type { MemoryLog } from './log.js';
import type { RoomData } from './room-data.js';
import { getOrCreate, memberKey } from './util.js';

/**
 * Sends and joins judged by admission's rules (server/admission.ts) in this process. It reads the
 * groups' enrolments, the room's data, the agreements and the send budget, decides and appends to the log with
 * nothing awaited in between, so each is one step, as the Redis store's script is.
 */
export class MemoryAdmission implements RoomAdmission {
  /** memberKey → the last claimed send, kept as long as the interval it was claimed with (as in Redis). */
  private readonly sendSlots = new Map<string, { at: number; until: number }>();

  constructor(
    private readonly groups: MemoryGroups,
    private readonly log: MemoryLog,
    private readonly room: RoomData,
    private readonly limits: MemoryLimits,
    private readonly agreements: MemoryAgreements,
  ) {}

  async sendToGroup(groupId: string, send: GroupSend): Promise<AppendResult | SendRefusal> {
    const c: Conversation = { kind: 'group', id: groupId };
    const { sender, ...rest } = send.draft;
    const before = this.log.resent(c, sender.id, rest.clientMsgId);
    if (before) return before;
    const budgetWaitMs = this.limits.budget('send', send.flood).take(sender.id);
    const key = memberKey(groupId, sender.id);
    const role = send.admin ? 'admin' : (this.groups.enrolments.get(groupId)?.get(sender.id)?.role ?? null);
    const { slowModeSec } = this.room.settingsOf(groupId);
    const now = Date.now();
    const refusal = decide('send', {
      role,
      banned: this.room.bans.has(key),
      agreementPending: this.agreements.pendingFor(groupId, sender.id, 'send'),
      ...this.room.waitingFacts(groupId, sender.id),
      mute: this.room.muteInForce(groupId, sender.id, send.now),
      budgetWaitMs,
      sessionOpen: this.room.sessionState(groupId, send.now).sessionOpen,
      slowModeSec,
      slowModeWaitMs: slowModeSec > 0 ? this.sendSlotWait(key, slowModeSec * 1000, now) : 0,
    });
    if (refusal) return refusal;
    if (role === 'participant' && slowModeSec > 0) this.sendSlots.set(key, { at: now, until: now + slowModeSec * 1000 });
    return this.log.append(c, { ...rest, conversation: c, sender: { ...sender, role: role! } });
  }

  async joinGroup(
    groupId: string,
    join: { userId: string; admin: boolean; now: number },
  ): Promise<JoinAdmission | JoinRefusal | JoinWaiting> {
    const enrolment = this.groups.enrolments.get(groupId)?.get(join.userId) ?? null;
    const role = join.admin ? 'admin' : (enrolment?.role ?? null);
    const banned = this.room.bans.has(memberKey(groupId, join.userId));
    if (role === 'participant') this.agreements.recordJoin(groupId, join.userId);
    const refusal = decide('join', {
      role,
      banned,
      agreementPending: this.agreements.pendingFor(groupId, join.userId, 'join'),
      ...this.room.waitingFacts(groupId, join.userId),
    });
    if (refusal?.refused === 'waiting' && refusal.waitingRoom) {
      const waiting = getOrCreate(this.room.waiting, groupId, () => new Map<string, number>());
      const since = waiting.get(join.userId);
      if (since !== undefined) return { waiting: { since }, knocked: false };
      waiting.set(join.userId, join.now);
      return { waiting: { since: join.now }, knocked: true };
    }
    if (refusal) return refusal as JoinRefusal;
    this.room.waiting.get(groupId)?.delete(join.userId);
    getOrCreate(this.room.attending, groupId, () => new Set()).add(join.userId);
    return { enrolment: enrolment && { ...enrolment }, mute: this.room.muteInForce(groupId, join.userId, join.now) };
  }

  /**
   * Slow mode: 0 when the member's slot is free, else the ms left, measured from their last
   * claimed send with the interval in force now.
   */
  private sendSlotWait(key: string, intervalMs: number, now: number): number {
    const last = this.sendSlots.get(key);
    return last && last.until > now && last.at + intervalMs > now ? last.at + intervalMs - now : 0;
  }
}
