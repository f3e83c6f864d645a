import type { Group } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import { decide, refusalError, unenrolledError, type WaitingFacts } from '../admission.js';
import type { FloodControl } from '../limits/flood.js';
import type { Stores } from '../store/ports.js';
import type { Announcement, AppendResult, GroupSend, JoinAdmission, JoinRefusal, JoinWaiting } from '../store/store.js';
import type { GroupAccess } from './access.js';

export type You = { muted: boolean; mutedUntil?: number };
/**
 * A join let in (its access and the caller's mute), or left waiting since `since` (§5.7); `knocked`
 * when this join put them on the list (they were not waiting already).
 */
export type JoinOutcome = { group: Group } & ({ access: GroupAccess; you: You } | JoinWaiting);

/** Facilitators and admins never wait: no read needed. */
const NEVER_WAITS: WaitingFacts = { locked: false, waitingRoom: false, admitted: true };

/**
 * What moderation lets a member do in a room right now: join, send, react and raise a hand. Group
 * rooms ask it before acting. The rules and their order live in server/admission.ts; joins and
 * sends are decided inside the store (one script on Redis), hands and reactions here from
 * independent reads that go out together (one round trip on Redis with auto-pipelining).
 */
export class RoomGate {
  constructor(
    private readonly store: Pick<Stores, 'admission' | 'groups' | 'moderation'>,
    private readonly flood: FloodControl,
  ) {}

  /**
   * Admits a join in one store step (one script on Redis) next to the group record, by
   * admission's rules for 'join' (BANNED, NOT_FOUND, FORBIDDEN, ROOM_LOCKED; admins everywhere).
   * Records them as attending and returns `you` (their mute); or, in a waiting room, they wait.
   */
  async admitJoin(groupId: string, actor: Identity): Promise<JoinOutcome> {
    const admin = actor.role === 'admin';
    const now = Date.now();
    const join = () => this.store.admission.joinGroup(groupId, { userId: actor.id, admin, now });
    let admission: JoinAdmission | JoinRefusal | JoinWaiting;
    let group: Group | null;
    if (admin) {
      // Read first, so that an admin joining an unknown id records no attendance.
      group = await this.existingGroup(groupId);
      admission = await join();
    } else {
      [admission, group] = await Promise.all([join(), this.store.groups.getGroup(groupId)]);
    }
    if ('refused' in admission) throw refusalError('join', admission, group !== null);
    if (!group) throw unenrolledError(false);
    if ('waiting' in admission) return { group, ...admission };
    const { enrolment, mute } = admission;
    const access: GroupAccess = { groupId, enrolment, role: admin ? 'admin' : enrolment!.role };
    if (!mute) return { access, group, you: { muted: false } };
    return { access, group, you: mute.until === null ? { muted: true } : { muted: true, mutedUntil: mute.until } };
  }

  /**
   * Judges and stores a group message in one store step (one script on Redis): a resend answers
   * the original; else admission's rules for 'send' decide, and the sender's role on the message
   * is their group role, or admin.
   */
  async send(groupId: string, actor: Identity, draft: GroupSend['draft'], announce?: Announcement): Promise<AppendResult> {
    const admin = actor.role === 'admin';
    if (admin) await this.existingGroup(groupId);
    const result = await this.store.admission.sendToGroup(groupId, {
      draft,
      admin,
      flood: this.flood.limits.send,
      now: Date.now(),
      announce,
    });
    if (!('refused' in result)) return result;
    // Only an unenrolled sender needs to know whether the group exists.
    throw refusalError('send', result, result.refused !== 'not-enrolled' || (await this.store.groups.getGroup(groupId)) !== null);
  }

  /** An admin needs no enrolment, so only the group record says the group exists. */
  private async existingGroup(groupId: string): Promise<Group> {
    const group = await this.store.groups.getGroup(groupId);
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

  /** After group access, admission's rules for hands and reactions decide (their budget, locks, mutes). */
  private async admitMutable(access: GroupAccess, actor: Identity, action: 'react' | 'hand'): Promise<void> {
    const [waiting, mute, budgetWaitMs] = await Promise.all([
      access.role === 'participant' ? this.store.moderation.waitingFacts(access.groupId, actor.id) : NEVER_WAITS,
      this.store.moderation.muteOf(access.groupId, actor.id, Date.now()),
      this.flood.spend(action, actor.id),
    ]);
    const refusal = decide(action, { role: access.role, ...waiting, mute, budgetWaitMs });
    if (refusal) throw refusalError(action, refusal, true);
  }
}
