import type { Group } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import { AppError } from '../errors.js';
import { floodError, type FloodControl } from '../limits/flood.js';
import type { AppendResult, GroupSend, JoinAdmission, JoinRefusal, Store } from '../store/store.js';
import { bannedError, unenrolledError, type GroupAccess } from './access.js';

export type You = { muted: boolean; mutedUntil?: number };

/**
 * What moderation lets a member do in a room right now: join (locks), send (locks, mutes, closed
 * sessions, slow mode, flood limit), react and raise a hand (locks, mutes, flood limit). Group rooms
 * ask it before acting; the rules live here. Independent reads go out together (one round trip
 * on Redis with auto-pipelining).
 */
export class RoomGate {
  constructor(
    private readonly store: Store,
    private readonly flood: FloodControl,
  ) {}

  /**
   * Admits a join in one store step (one script on Redis) next to the group record: access
   * (BANNED, NOT_FOUND, FORBIDDEN; admins everywhere), then a locked room refuses a participant
   * who is not back from this session. Records them as attending; returns `you` (their mute).
   */
  async admitJoin(groupId: string, actor: Identity): Promise<{ access: GroupAccess; group: Group; you: You }> {
    const admin = actor.role === 'admin';
    const join = () => this.store.joinGroup(groupId, { userId: actor.id, admin, now: Date.now() });
    let admission: JoinAdmission | JoinRefusal;
    let group: Group | null;
    if (admin) {
      // Read first, so that an admin joining an unknown id records no attendance.
      group = await this.existingGroup(groupId);
      admission = await join();
    } else {
      [admission, group] = await Promise.all([join(), this.store.getGroup(groupId)]);
    }
    if ('refused' in admission) {
      if (admission.refused === 'banned') throw bannedError();
      if (admission.refused === 'locked') throw roomLockedError();
      throw unenrolledError(group !== null);
    }
    if (!group) throw unenrolledError(false);
    const { enrolment, mute } = admission;
    const access: GroupAccess = { groupId, enrolment, role: admin ? 'admin' : enrolment!.role };
    if (!mute) return { access, group, you: { muted: false } };
    return { access, group, you: mute.until === null ? { muted: true } : { muted: true, mutedUntil: mute.until } };
  }

  /**
   * Judges and stores a group message in one store step (one script on Redis): a resend answers
   * the original; else the refusals come in a fixed order (access, lock, mute, flood, session,
   * slow mode) and the sender's role on the message is their group role, or admin.
   */
  async send(groupId: string, actor: Identity, draft: GroupSend['draft']): Promise<AppendResult> {
    const admin = actor.role === 'admin';
    if (admin) await this.existingGroup(groupId);
    const result = await this.store.sendToGroup(groupId, { draft, admin, flood: this.flood.limits.send, now: Date.now() });
    if (!('refused' in result)) return result;
    switch (result.refused) {
      case 'banned':
        throw bannedError();
      case 'not-enrolled':
        throw unenrolledError((await this.store.getGroup(groupId)) !== null);
      case 'locked-out':
        throw roomLockedError();
      case 'muted':
        throw mutedError(result.until);
      case 'flood':
        throw floodError('send', result.retryAfterMs);
      case 'session-closed':
        throw new AppError('SESSION_CLOSED', 'the session is closed; you can read but not send');
      case 'slow-mode':
        throw new AppError('SLOW_MODE', `slow mode: one message every ${result.slowModeSec} s`, { retryAfterMs: result.retryAfterMs });
    }
  }

  /** An admin needs no enrolment, so only the group record says the group exists. */
  private async existingGroup(groupId: string): Promise<Group> {
    const group = await this.store.getGroup(groupId);
    if (!group) throw unenrolledError(false);
    return group;
  }

  /** Typing's only rule here is the budget, which lives in this node's memory: no store round trip. */
  admitTyping(actor: Identity): Promise<void> {
    return this.flood.take('typing', actor.id);
  }

  async admitReact(access: GroupAccess, actor: Identity): Promise<void> {
    await this.admitMutable(access, actor, 'react');
  }

  async admitHand(access: GroupAccess, actor: Identity): Promise<void> {
    await this.admitMutable(access, actor, 'hand');
  }

  /** A locked room takes hands and reactions only from participants attending it (as sends); then mutes. */
  private async admitMutable(access: GroupAccess, actor: Identity, action: 'react' | 'hand'): Promise<void> {
    const [lockedOut, mute] = await Promise.all([
      access.role === 'participant' && this.store.lockedOut(access.groupId, actor.id),
      this.store.muteOf(access.groupId, actor.id, Date.now()),
      this.flood.take(action, actor.id),
    ]);
    if (lockedOut) throw roomLockedError();
    refuseIfMuted(mute);
  }
}

function roomLockedError(): AppError {
  return new AppError('ROOM_LOCKED', 'the facilitator has locked this room');
}

function refuseIfMuted(mute: { until: number | null } | null): void {
  if (mute) throw mutedError(mute.until);
}

function mutedError(until: number | null): AppError {
  if (until === null) return new AppError('MUTED', 'a facilitator has muted you in this group');
  return new AppError('MUTED', 'a facilitator has muted you in this group for now', { retryAfterMs: until - Date.now() });
}
