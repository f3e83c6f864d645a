import type { Identity } from '../auth/tokens.js';
import { AppError } from '../errors.js';
import { bannedError, refuseUnenrolled, type GroupAccess } from '../groups/access.js';
import type { AppendResult, GroupSend, Store } from '../store/store.js';
import { floodError, type FloodControl } from './flood.js';

export type You = { muted: boolean; mutedUntil?: number };

/**
 * What moderation lets a member do in a room right now: join (locks), send (mutes, closed
 * sessions, slow mode, flood limit), react and raise a hand (mutes, flood limit). Group rooms
 * ask it before acting; the rules live here. Independent reads go out together (one round trip
 * on Redis with auto-pipelining).
 */
export class RoomGate {
  constructor(
    private readonly store: Store,
    private readonly flood: FloodControl,
  ) {}

  /** Refuses a participant who is not back from this session into a locked room; returns `you`. */
  async admitJoin(access: GroupAccess, actor: Identity): Promise<You> {
    const [state, mute, attending] = await Promise.all([
      this.store.roomState(access.groupId),
      this.store.muteOf(access.groupId, actor.id, Date.now()),
      this.store.isAttending(access.groupId, actor.id),
    ]);
    if (state.locked && access.role === 'participant' && !attending) {
      throw new AppError('ROOM_LOCKED', 'the facilitator has locked this room');
    }
    if (!attending) await this.store.markAttending(access.groupId, actor.id);
    if (!mute) return { muted: false };
    return mute.until === null ? { muted: true } : { muted: true, mutedUntil: mute.until };
  }

  /**
   * Judges and stores a group message in one store step (one script on Redis): a resend answers
   * the original; else the refusals come in a fixed order (access, mute, flood, session, slow
   * mode) and the sender's role on the message is their group role, or admin.
   */
  async send(groupId: string, actor: Identity, draft: GroupSend['draft']): Promise<AppendResult> {
    const admin = actor.role === 'admin';
    // An admin needs no enrolment, so only the group record says the group exists.
    if (admin && !(await this.store.getGroup(groupId))) throw new AppError('NOT_FOUND', 'no such group');
    const result = await this.store.sendToGroup(groupId, { draft, admin, flood: this.flood.limits.send, now: Date.now() });
    if (!('refused' in result)) return result;
    switch (result.refused) {
      case 'banned':
        throw bannedError();
      case 'not-enrolled':
        return refuseUnenrolled(this.store, groupId);
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

  async admitReact(access: GroupAccess, actor: Identity): Promise<void> {
    await this.admitMutable(access, actor, 'react');
  }

  async admitHand(access: GroupAccess, actor: Identity): Promise<void> {
    await this.admitMutable(access, actor, 'hand');
  }

  private async admitMutable(access: GroupAccess, actor: Identity, action: 'react' | 'hand'): Promise<void> {
    const [mute] = await Promise.all([this.store.muteOf(access.groupId, actor.id, Date.now()), this.flood.take(action, actor.id)]);
    refuseIfMuted(mute);
  }
}

function refuseIfMuted(mute: { until: number | null } | null): void {
  if (mute) throw mutedError(mute.until);
}

function mutedError(until: number | null): AppError {
  if (until === null) return new AppError('MUTED', 'a facilitator has muted you in this group');
  return new AppError('MUTED', 'a facilitator has muted you in this group for now', { retryAfterMs: until - Date.now() });
}
