import type { Identity } from '../auth/tokens.js';
import { AppError } from '../errors.js';
import { accessFrom, type GroupAccess } from '../groups/access.js';
import type { Store } from '../store/store.js';
import type { FloodControl } from './flood.js';

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
   * Everything a send must pass, the caller's access included: the store's one read of the
   * sender's standing goes out with the flood counter (one round trip on Redis). Refusals come in
   * a fixed order (access, mute, flood, session, slow mode), whatever answered first. Resolves
   * the access.
   */
  async admitSend(groupId: string, actor: Identity): Promise<GroupAccess> {
    const [standing, flood] = await Promise.allSettled([this.store.sendStanding(groupId, actor.id, Date.now()), this.flood.take('send', actor.id)]);
    const { enrolment, banned, mute, settings: room } = valueOf(standing);
    const a = await accessFrom(this.store, actor, groupId, enrolment, banned);
    refuseIfMuted(mute);
    valueOf(flood);
    if (a.role !== 'participant') return a;
    if (!room.sessionOpen) throw new AppError('SESSION_CLOSED', 'the session is closed; you can read but not send');
    if (room.slowModeSec > 0) {
      const waitMs = await this.store.claimSendSlot(groupId, actor.id, room.slowModeSec * 1000);
      if (waitMs > 0) throw new AppError('SLOW_MODE', `slow mode: one message every ${room.slowModeSec} s`, { retryAfterMs: waitMs });
    }
    return a;
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
  if (!mute) return;
  if (mute.until === null) throw new AppError('MUTED', 'a facilitator has muted you in this group');
  throw new AppError('MUTED', 'a facilitator has muted you in this group for now', { retryAfterMs: mute.until - Date.now() });
}

function valueOf<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}
