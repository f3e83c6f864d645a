import type { Payload, WaitingPerson } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import type { Broadcaster } from '../broadcast.js';
import { AppError } from '../errors.js';
import type { Stores } from '../store/ports.js';
import type { WaitingEntry } from '../store/store.js';
import { facilitatorAccess, type GroupAccess } from './access.js';
import { recordAudit } from './audit.js';

/**
 * A group's waiting room (§5.7): who waits to be let in, and the facilitators' answers. The store
 * puts a participant on the list in the same step as it judges their join (RoomAdmission.joinGroup);
 * this service names them for the staff, lets them in or turns them away, and keeps the list
 * honest when they leave or go offline. Every change sends the whole list, once, to the group's
 * facilitators and the admins (their own sockets, on every node), whether or not they joined the room.
 */
/** Told of each wait that ended (let in, turned away, gone), for attendance's waiting time (§5.8). */
export type WaitEnded = (groupId: string, userId: string, since: number, until: number) => Promise<void>;

export class WaitingRoom {
  constructor(
    private readonly store: Pick<Stores, 'auditLog' | 'groups' | 'moderation'>,
    private readonly broadcast: Broadcaster,
    private readonly waitEnded: WaitEnded = async () => {},
  ) {}

  /** Who waits, longest first, with the name the group knows them by. */
  async list(groupId: string): Promise<WaitingPerson[]> {
    return (await this.read(groupId)).waiting;
  }

  /** Sends the whole list to the group's staff. */
  async announce(groupId: string): Promise<void> {
    const { waiting, members } = await this.read(groupId);
    const facilitators = members.filter((m) => m.role === 'facilitator').map((m) => m.userId);
    this.broadcast.toStaff(facilitators, 'group:waiting', { groupId, waiting });
  }

  private async read(groupId: string) {
    const [entries, members] = await Promise.all([this.store.moderation.waitingList(groupId), this.store.groups.members(groupId)]);
    const names = new Map(members.map((m) => [m.userId, m.name]));
    const waiting: WaitingPerson[] = entries.map(({ userId, since }) => ({ userId, name: names.get(userId) ?? userId, since }));
    return { waiting, members };
  }

  /** One person (`userId`) or everyone waiting (`all`) goes in: attending this session, told on all their tabs, audited one by one. */
  async admit(actor: Identity, payload: Payload<'mod:admit'>): Promise<void> {
    const access = await facilitatorAccess(this.store, actor, payload.groupId);
    const admitted = await this.letIn(access, actor, 'all' in payload ? 'all' : [payload.userId]);
    if (!('all' in payload) && admitted.length === 0) throw new AppError('NOT_FOUND', 'no one by that id is waiting');
  }

  /** Lets people in and announces it; returns who was waiting. */
  async letIn(access: GroupAccess, actor: Identity, userIds: string[] | 'all'): Promise<string[]> {
    const admitted = await this.store.moderation.admitWaiting(access.groupId, userIds);
    await this.ended(access.groupId, admitted);
    for (const { userId } of admitted) {
      this.broadcast.toUser(userId, 'group:admitted', { groupId: access.groupId });
      await recordAudit(this.store, access, actor, { action: 'admit', targetUserId: userId });
    }
    if (admitted.length) await this.announce(access.groupId);
    return admitted.map((w) => w.userId);
  }

  /** Off the list, told kindly on all their tabs, audited; they may knock again. */
  async turnAway(actor: Identity, { groupId, userId }: Payload<'mod:turn-away'>): Promise<void> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    const since = await this.store.moderation.leaveWaiting(groupId, userId);
    if (since === null) throw new AppError('NOT_FOUND', 'no one by that id is waiting');
    await this.ended(groupId, [{ userId, since }]);
    this.broadcast.toUser(userId, 'group:turned-away', { groupId });
    await recordAudit(this.store, access, actor, { action: 'turn_away', targetUserId: userId });
    await this.announce(groupId);
  }

  /** The person left, was removed or banned: off the list (announced when they were on it). */
  async left(groupId: string, userId: string): Promise<void> {
    const since = await this.store.moderation.leaveWaiting(groupId, userId);
    if (since === null) return;
    await this.ended(groupId, [{ userId, since }]);
    await this.announce(groupId);
  }

  private async ended(groupId: string, waits: WaitingEntry[]): Promise<void> {
    const now = Date.now();
    await Promise.all(waits.map(({ userId, since }) => this.waitEnded(groupId, userId, since, now)));
  }

  /** The person's last connection closed (or expired): off every list they were on, so no list shows someone gone. */
  async offline(userId: string): Promise<void> {
    const groupIds = await this.store.groups.groupIdsOf(userId);
    await Promise.all(groupIds.map((groupId) => this.left(groupId, userId)));
  }
}
