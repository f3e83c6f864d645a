import type { BannedPerson, GroupState, MutedPerson, Payload } from '../../shared/index.js';
import type { AttendanceService } from '../attendance/service.js';
import type { AccessRecorder } from '../access/log.js';
import { filteredAudit, type AuditQuery } from './audit-filter.js';
import type { Identity } from '../auth/tokens.js';
import type { Broadcaster } from '../broadcast.js';
import { AppError } from '../errors.js';
import { facilitatorAccess, refuseFacilitatorTarget, type GroupAccess } from '../groups/access.js';
import { recordAudit, type Audited } from '../groups/audit.js';
import type { GroupService } from '../groups/service.js';
import type { WaitingRoom } from '../groups/waiting-room.js';
import type { SessionService } from '../sessions/service.js';
import type { RoomSettings } from '../store/store.js';
import type { Stores } from '../store/ports.js';

/**
 * The facilitator's controls (§5 mod:*). Every action checks the caller is a facilitator of the
 * group (or an admin), changes the store, tells the people concerned, and is audited.
 */
export class ModerationService {
  constructor(
    private readonly store: Pick<Stores, 'auditLog' | 'groups' | 'log' | 'moderation' | 'room'>,
    private readonly broadcast: Broadcaster,
    private readonly groups: GroupService,
    private readonly sessions: SessionService,
    private readonly waitingRoom: WaitingRoom,
    private readonly attendance: Pick<AttendanceService, 'handOpened' | 'handClosed'>,
    private readonly access: AccessRecorder,
  ) {}

  async mute(actor: Identity, { groupId, userId, minutes }: Payload<'mod:mute'>): Promise<void> {
    const access = await this.onMember(actor, groupId, userId);
    const until = minutes === undefined ? null : Date.now() + minutes * 60_000;
    await this.store.moderation.setMute(groupId, userId, { until });
    await this.groups.lowerHand(groupId, userId);
    this.broadcast.toUser(userId, 'mod:notice', until === null ? { groupId, action: 'muted' } : { groupId, action: 'muted', until });
    await this.audit(access, actor, { action: 'mute', targetUserId: userId, value: minutes });
  }

  async unmute(actor: Identity, { groupId, userId }: Payload<'mod:unmute'>): Promise<void> {
    const access = await this.onMember(actor, groupId, userId);
    if (await this.store.moderation.clearMute(groupId, userId)) this.broadcast.toUser(userId, 'mod:notice', { groupId, action: 'unmuted' });
    await this.audit(access, actor, { action: 'unmute', targetUserId: userId });
  }

  async remove(actor: Identity, { groupId, userId }: Payload<'mod:remove'>): Promise<void> {
    const access = await this.onMember(actor, groupId, userId);
    await this.takeOut(groupId, userId);
    this.broadcast.toUser(userId, 'mod:notice', { groupId, action: 'removed' });
    await this.audit(access, actor, { action: 'remove', targetUserId: userId });
  }

  async ban(actor: Identity, { groupId, userId, reason }: Payload<'mod:ban'>): Promise<void> {
    // A ban may come before the person ever enrolled, so the target need not be a member.
    const access = await this.onTarget(actor, groupId, userId, false);
    await this.store.moderation.setBan(groupId, userId, true);
    await this.takeOut(groupId, userId);
    this.broadcast.toUser(
      userId,
      'mod:notice',
      reason === undefined ? { groupId, action: 'banned' } : { groupId, action: 'banned', reason },
    );
    await this.audit(access, actor, { action: 'ban', targetUserId: userId, reason });
  }

  async unban(actor: Identity, { groupId, userId }: Payload<'mod:unban'>): Promise<void> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    await this.store.moderation.setBan(groupId, userId, false);
    await this.audit(access, actor, { action: 'unban', targetUserId: userId });
  }

  async delete(actor: Identity, { groupId, messageId, reason }: Payload<'mod:delete'>): Promise<void> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    const erased = await this.store.log.eraseMessage({ kind: 'group', id: groupId }, messageId);
    if (!erased) throw new AppError('NOT_FOUND', 'no such message in this group');
    this.broadcast.toGroup(groupId, 'group:deleted', { groupId, messageId });
    const state = await this.store.room.roomState(groupId);
    if (state.pinnedMessageId === messageId) await this.setRoom(groupId, { pinnedMessageId: null });
    await this.audit(access, actor, { action: 'delete', messageId, targetUserId: erased.sender.id, reason });
  }

  async lock(actor: Identity, { groupId, locked }: Payload<'mod:lock'>): Promise<void> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    await this.setRoom(groupId, { locked });
    await this.audit(access, actor, { action: locked ? 'lock' : 'unlock' });
  }

  /** Turning the waiting room off lets everyone waiting in (each audited as an admit). */
  async setWaitingRoom(actor: Identity, { groupId, waitingRoom }: Payload<'mod:waitingroom'>): Promise<void> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    await this.setRoom(groupId, { waitingRoom });
    await this.audit(access, actor, { action: waitingRoom ? 'waiting_room_on' : 'waiting_room_off' });
    if (!waitingRoom) await this.waitingRoom.letIn(access, actor, 'all');
  }

  admit(actor: Identity, payload: Payload<'mod:admit'>): Promise<void> {
    return this.waitingRoom.admit(actor, payload);
  }

  turnAway(actor: Identity, payload: Payload<'mod:turn-away'>): Promise<void> {
    return this.waitingRoom.turnAway(actor, payload);
  }

  async slowMode(actor: Identity, { groupId, seconds }: Payload<'mod:slowmode'>): Promise<void> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    await this.setRoom(groupId, { slowModeSec: seconds });
    await this.audit(access, actor, { action: 'slowmode', value: seconds });
  }

  /** Quiet partner chat (§6.2): partners attending a live session get their messages to each other when it ends. */
  async quiet(actor: Identity, { groupId, quiet }: Payload<'mod:quiet'>): Promise<void> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    await this.setRoom(groupId, { quietPartnerChat: quiet });
    await this.audit(access, actor, { action: quiet ? 'quiet_on' : 'quiet_off' });
  }

  async pin(actor: Identity, { groupId, messageId }: Payload<'mod:pin'>): Promise<void> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    if (messageId !== null) {
      const m = await this.store.log.findMessage({ kind: 'group', id: groupId }, messageId);
      if (!m || m.deleted) throw new AppError('NOT_FOUND', 'no such message in this group');
    }
    await this.setRoom(groupId, { pinnedMessageId: messageId });
    await this.audit(access, actor, messageId === null ? { action: 'unpin' } : { action: 'pin', messageId });
  }

  async session(actor: Identity, { groupId, open }: Payload<'mod:session'>): Promise<void> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    // On a schedule, opening and closing by hand move the session's start or end (§5.6).
    if (await this.sessions.scheduled(groupId)) return this.sessions.openOrClose(access, actor, open);
    const before = await this.store.room.roomState(groupId);
    // A new session starts a new attendance: a locked room admits those who came to this one.
    if (open && !before.sessionOpen) await this.store.moderation.forgetAttending(groupId);
    await this.setRoom(groupId, { sessionOpen: open });
    // Attendance keeps a session by hand from its opening to its closing (§5.8).
    if (open && !before.sessionOpen) await this.attendance.handOpened(groupId, Date.now());
    else if (!open && before.sessionOpen) await this.attendance.handClosed(groupId, Date.now());
    await this.audit(access, actor, { action: open ? 'session_open' : 'session_close' });
    if (!open && before.sessionOpen) await this.sessions.closedByHand(groupId);
  }

  async lowerHand(actor: Identity, { groupId, userId }: Payload<'mod:lowerHand'>): Promise<void> {
    const access = await facilitatorAccess(this.store, actor, groupId);
    await this.groups.lowerHand(groupId, userId);
    await this.audit(access, actor, { action: 'lower_hand', targetUserId: userId });
  }

  /** The group's audit log, newest first (facilitators and admins), narrowed to an action or a person. */
  async auditLog(actor: Identity, groupId: string, query: AuditQuery) {
    await facilitatorAccess(this.store, actor, groupId);
    const read = await filteredAudit(this.store, groupId, query);
    const about = read.entries.flatMap((e) => (e.targetUserId ? [e.targetUserId] : []));
    await this.access.record(actor, { what: 'audit', about, groupId });
    return read;
  }

  /**
   * Which members are muted and who is banned, by the name the group knows them by (their id when
   * never enrolled), sorted by name; so a facilitator sees what another one set, after a reload too.
   */
  async moderationList(actor: Identity, groupId: string): Promise<{ mutes: MutedPerson[]; bans: BannedPerson[] }> {
    await facilitatorAccess(this.store, actor, groupId);
    const [mutes, bans, members] = await Promise.all([
      this.store.moderation.mutes(groupId, Date.now()),
      this.store.moderation.bans(groupId),
      this.store.groups.members(groupId),
    ]);
    const enrolled = new Map(members.map((m) => [m.userId, m]));
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    // A mute binds members only, and mod:unmute takes members only: an unenrolled person's mute
    // is listed again if they are enrolled again.
    const memberMutes = mutes.flatMap(({ userId, until }) => {
      const m = enrolled.get(userId);
      return m ? [{ userId, name: m.name, role: m.role, until }] : [];
    });
    const about = [...memberMutes.map((m) => m.userId), ...bans];
    await this.access.record(actor, { what: 'audit', about, groupId });
    return {
      mutes: memberMutes.sort(byName),
      bans: bans.map((userId) => ({ userId, name: enrolled.get(userId)?.name ?? userId })).sort(byName),
    };
  }

  /** Out of the room on every node and every tab, hand down, off the waiting list, and not let back into a locked or waiting room. */
  private async takeOut(groupId: string, userId: string): Promise<void> {
    this.broadcast.removeFromGroup(userId, groupId);
    await Promise.all([
      this.groups.lowerHand(groupId, userId),
      this.store.moderation.forgetAttending(groupId, userId),
      this.waitingRoom.left(groupId, userId),
    ]);
  }

  private async setRoom(groupId: string, patch: Partial<RoomSettings>): Promise<GroupState> {
    const state = await this.store.room.updateRoomState(groupId, patch);
    this.broadcast.toGroup(groupId, 'group:state', { groupId, state });
    return state;
  }

  /** The caller moderates the group and the target is an enrolled member they may act on. */
  private onMember(actor: Identity, groupId: string, userId: string): Promise<GroupAccess> {
    return this.onTarget(actor, groupId, userId, true);
  }

  private async onTarget(actor: Identity, groupId: string, userId: string, mustBeMember: boolean): Promise<GroupAccess> {
    const [access, target] = await Promise.all([
      facilitatorAccess(this.store, actor, groupId),
      this.store.groups.enrolment(groupId, userId),
    ]);
    if (userId === actor.id) throw new AppError('FORBIDDEN', 'you cannot do that to yourself');
    if (mustBeMember && !target) throw new AppError('NOT_FOUND', 'no such member in this group');
    refuseFacilitatorTarget(access, target);
    return access;
  }

  private audit(access: GroupAccess, actor: Identity, what: Audited): Promise<void> {
    return recordAudit(this.store, access, actor, what);
  }
}
