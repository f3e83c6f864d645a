import type {
  Enrolment,
  Group,
  GroupJoinAdmitted,
  GroupJoinResult,
  GroupRole,
  Member,
  Message,
  MessagePage,
  Payload,
  Reactions,
} from '../../shared/index.js';
import type { AccessRecorder } from '../access/log.js';
import type { Identity } from '../auth/tokens.js';
import type { Broadcaster } from '../broadcast.js';
import { catchUp, visible } from '../conversation/catch-up.js';
import { newId } from '../conversation/ids.js';
import { UnsettledSends } from '../conversation/retry.js';
import { AppError } from '../errors.js';
import type { Stores } from '../store/ports.js';
import type { GroupEdit } from '../store/store.js';
import { facilitatorAccess, groupAccess, refuseFacilitatorTarget, visibleFrom, type GroupAccess } from './access.js';
import { recordAudit } from './audit.js';
import type { RoomGate } from './gate.js';
import { JoinQueue } from './join-queue.js';
import type { WaitingRoom } from './waiting-room.js';

/**
 * Group rooms: creation, enrolment, joining, sending, history, typing, hands and reactions.
 * Knows nothing of sockets; publishes through the Broadcaster.
 */
export class GroupService {
  private readonly unsettled = new UnsettledSends();
  private readonly memberReads = new Map<string, Promise<(handQueue: string[]) => Member[]>>();
  private readonly joins = new JoinQueue();

  constructor(
    private readonly store: Pick<Stores, 'auditLog' | 'groups' | 'log' | 'moderation' | 'presence' | 'room'>,
    private readonly broadcast: Broadcaster,
    private readonly gate: RoomGate,
    private readonly waitingRoom: WaitingRoom,
    private readonly access: AccessRecorder,
    /** Runs after a new message went out and before the sender's ack (the safety check); must not throw. */
    private readonly afterSend: (message: Message) => Promise<void> = async () => {},
  ) {}

  async create(
    actor: Identity,
    body: { name: string; description?: string; schedule?: string; earlierMessages?: Group['earlierMessages'] },
  ): Promise<Group> {
    if (actor.role === 'participant') throw new AppError('FORBIDDEN', 'only facilitators and admins create groups');
    const group: Group = { id: newId(), name: body.name, createdAt: Date.now(), createdBy: actor.id };
    if (body.description !== undefined) group.description = body.description;
    if (body.schedule !== undefined) group.schedule = body.schedule;
    if (body.earlierMessages !== undefined) group.earlierMessages = body.earlierMessages;
    await this.store.groups.createGroup(group, { userId: actor.id, role: 'facilitator', name: actor.name });
    return group;
  }

  /** A new name or description; audited when something changed (an edit that changes nothing is answered as it stands). */
  async edit(actor: Identity, groupId: string, edit: GroupEdit): Promise<Group> {
    const [access, before] = await Promise.all([facilitatorAccess(this.store, actor, groupId), this.store.groups.getGroup(groupId)]);
    if (!before) throw new AppError('NOT_FOUND', 'no such group');
    if (Object.entries(edit).every(([k, v]) => before[k as keyof GroupEdit] === v)) return before;
    const group = await this.store.groups.updateGroup(groupId, edit);
    if (!group) throw new AppError('NOT_FOUND', 'no such group');
    await recordAudit(this.store, access, actor, { action: 'edit_group' });
    return group;
  }

  async list(actor: Identity): Promise<Group[]> {
    if (actor.role === 'admin') return this.store.groups.allGroups();
    return this.store.groups.getGroups(await this.store.groups.groupIdsOf(actor.id));
  }

  async get(actor: Identity, groupId: string): Promise<{ group: Group; members: Member[] }> {
    const access = await groupAccess(this.store, actor, groupId);
    const [group, state, members] = await Promise.all([
      this.store.groups.getGroup(groupId),
      this.store.room.roomState(groupId),
      this.members(groupId),
    ]);
    if (!group) throw new AppError('NOT_FOUND', 'no such group');
    const listed = members(state.handQueue);
    await this.recordOutsider(actor, access, listed);
    return { group, members: listed };
  }

  /** An admin reading a group they are not enrolled in is an access-log read (issue 18); members read their own room. */
  private async recordOutsider(actor: Identity, access: GroupAccess, members: Member[]): Promise<void> {
    if (access.enrolment === null)
      await this.access.record(actor, { what: 'group', about: members.map((m) => m.id), groupId: access.groupId });
  }

  /**
   * Adds or changes an enrolment, audited. A PUT that changes nothing is answered as it stands
   * and recorded nowhere, so a retried promotion is not refused by the facilitator rule.
   */
  async enrol(actor: Identity, groupId: string, userId: string, body: { role: GroupRole; name?: string }): Promise<Enrolment> {
    const [access, previous, lastSeq] = await Promise.all([
      facilitatorAccess(this.store, actor, groupId),
      this.store.groups.enrolment(groupId, userId),
      this.store.log.lastSeq({ kind: 'group', id: groupId }),
    ]);
    const enrolment: Enrolment = { userId, role: body.role, name: body.name ?? previous?.name ?? userId };
    if (previous && previous.role === enrolment.role && previous.name === enrolment.name) return previous;
    refuseFacilitatorTarget(access, previous);
    // Where this member's reading starts if earlier messages are private: kept across role and
    // name changes, drawn anew after an unenrolment.
    const fromSeq = previous ? previous.fromSeq : lastSeq + 1;
    if (fromSeq !== undefined && fromSeq > 1) enrolment.fromSeq = fromSeq;
    await this.store.groups.enrol(groupId, enrolment);
    // A new name alone is not an enrolment change: the member's next join sets it from their token anyway.
    if (previous?.role !== enrolment.role) {
      await recordAudit(this.store, access, actor, {
        action: previous ? 'change_role' : 'enrol',
        targetUserId: userId,
        role: enrolment.role,
      });
    }
    return enrolment;
  }

  async unenrol(actor: Identity, groupId: string, userId: string): Promise<void> {
    const [access, target] = await Promise.all([
      facilitatorAccess(this.store, actor, groupId),
      this.store.groups.enrolment(groupId, userId),
    ]);
    refuseFacilitatorTarget(access, target);
    if (!(await this.store.groups.unenrol(groupId, userId))) throw new AppError('NOT_FOUND', 'no such member');
    this.broadcast.removeFromGroup(userId, groupId);
    await Promise.all([
      this.lowerHand(groupId, userId),
      this.store.moderation.forgetAttending(groupId, userId),
      this.waitingRoom.left(groupId, userId),
    ]);
    await recordAudit(this.store, access, actor, { action: 'unenrol', targetUserId: userId });
  }

  /**
   * Authorises a join, calls `enter` (the caller subscribes to the room) and then reads the
   * snapshot, so a message sent meanwhile is in the snapshot, live, or both (clients dedupe by
   * seq), never in neither. A participant not yet let into a waiting room does not enter: they are
   * on the waiting list (the staff hear of it) and get only the group's id and name.
   */
  join(actor: Identity, payload: Payload<'group:join'>, enter: () => void | Promise<void>): Promise<GroupJoinResult> {
    return this.joins.run(actor.id, () => this.admitAndSnapshot(actor, payload, enter));
  }

  private async admitAndSnapshot(
    actor: Identity,
    { groupId, since, epoch }: Payload<'group:join'>,
    enter: () => void | Promise<void>,
  ): Promise<GroupJoinResult> {
    const outcome = await this.gate.admitJoin(groupId, actor);
    if ('waiting' in outcome) {
      // A knock changes the staff's list; knocking again (another tab, a retry) changes nothing.
      if (outcome.knocked) {
        // The staff see the name the token carries, as an admitted join would record it.
        await this.renameEnrolment(groupId, actor, await this.store.groups.enrolment(groupId, actor.id));
        await this.waitingRoom.announce(groupId);
      }
      return { group: { id: outcome.group.id, name: outcome.group.name }, waiting: outcome.waiting };
    }
    const { access, group, you } = outcome;
    await enter();
    await this.renameEnrolment(groupId, actor, access.enrolment);
    const conversation = { kind: 'group', id: groupId } as const;
    const [state, members, page, waiting] = await Promise.all([
      this.store.room.roomState(groupId),
      this.members(groupId),
      catchUp(this.store, conversation, since, epoch, visibleFrom(access, group)),
      access.role === 'participant' ? undefined : this.waitingRoom.list(groupId),
    ]);
    const listed = members(state.handQueue);
    await this.recordOutsider(actor, access, listed);
    const result: GroupJoinAdmitted = { group, state, members: listed, ...page, you };
    if (waiting) result.waiting = waiting;
    return result;
  }

  private async renameEnrolment(groupId: string, actor: Identity, enrolment: Enrolment | null): Promise<void> {
    if (enrolment && enrolment.name !== actor.name) await this.store.groups.enrol(groupId, { ...enrolment, name: actor.name });
  }

  /** Leaves the live room (the caller's socket does), and the waiting list if they were waiting. */
  async leave(actor: Identity, groupId: string): Promise<void> {
    await this.waitingRoom.left(groupId, actor.id);
  }

  async send(actor: Identity, { groupId, text, clientMsgId }: Payload<'group:send'>): Promise<Message> {
    const conversation = { kind: 'group', id: groupId } as const;
    const draft = {
      id: newId(),
      sender: { id: actor.id, name: actor.name },
      kind: 'text',
      text,
      clientMsgId,
      createdAt: Date.now(),
    } as const;
    const announce = this.broadcast.announcement({ ...draft, conversation });
    const { message, publish, announced } = await this.unsettled.write(conversation, actor.id, clientMsgId, () =>
      this.gate.send(groupId, actor, draft, announce),
    );
    if (!publish) return message;
    if (announced) this.broadcast.toGroupHere(groupId, 'group:message', message);
    else this.broadcast.toGroup(groupId, 'group:message', message);
    await this.afterSend(message);
    return message;
  }

  async history(actor: Identity, { groupId, beforeSeq, limit }: Payload<'group:history'>): Promise<MessagePage> {
    const [access, group] = await Promise.all([groupAccess(this.store, actor, groupId), this.store.groups.getGroup(groupId)]);
    return visible(await this.store.log.history({ kind: 'group', id: groupId }, { beforeSeq, limit }), visibleFrom(access, group));
  }

  /**
   * Costs no store round trip: the budget is in this node's memory, and a socket in the room
   * (`inRoom`) was admitted by its join; leaving, mod:remove, a ban and unenrolment take it out on
   * every node. A socket not in the room gets the refusal its access gives (NOT_FOUND, BANNED,
   * FORBIDDEN), or FORBIDDEN when it only has not joined; the budget bounds those reads.
   */
  async typing(actor: Identity, { groupId, typing }: Payload<'group:typing'>, inRoom: boolean): Promise<void> {
    await this.gate.admitTyping(actor);
    if (!inRoom) {
      await groupAccess(this.store, actor, groupId);
      throw new AppError('FORBIDDEN', 'join the group before typing in it');
    }
    this.broadcast.toGroup(groupId, 'group:typing', { groupId, userId: actor.id, name: actor.name, typing }, actor.id);
  }

  async hand(actor: Identity, { groupId, raised }: Payload<'group:hand'>): Promise<void> {
    const access = await groupAccess(this.store, actor, groupId);
    if (!raised) {
      await this.lowerHand(groupId, actor.id);
      return;
    }
    await this.gate.admitHand(access, actor);
    if (await this.store.room.setHand(groupId, actor.id, true)) await this.handChanged(groupId, actor.id, true);
  }

  /** Lowers a hand (the user's own, or a facilitator's call); tells the room when it was up. */
  async lowerHand(groupId: string, userId: string): Promise<boolean> {
    const changed = await this.store.room.setHand(groupId, userId, false);
    if (changed) await this.handChanged(groupId, userId, false);
    return changed;
  }

  private async handChanged(groupId: string, userId: string, raised: boolean): Promise<void> {
    this.broadcast.toGroup(groupId, 'group:hand', { groupId, userId, raised });
    this.broadcast.toGroup(groupId, 'group:state', { groupId, state: await this.store.room.roomState(groupId) });
  }

  async react(actor: Identity, { groupId, messageId, emoji }: Payload<'group:react'>): Promise<Reactions> {
    const access = await groupAccess(this.store, actor, groupId);
    await this.gate.admitReact(access, actor);
    const reactions = await this.store.log.toggleReaction({ kind: 'group', id: groupId }, messageId, emoji, actor.id);
    if (!reactions) throw new AppError('NOT_FOUND', 'no such message');
    this.broadcast.toGroup(groupId, 'group:reaction', { groupId, messageId, reactions });
    return reactions;
  }

  /**
   * Members with online flags; hand flags are filled from the room state's queue. Concurrent
   * reads of one group share one store read: in a join storm each join would otherwise ask the
   * store for every member's presence (1,000 joins × 1,000 members = a million reads, enough to
   * time Redis commands out). The price: a join may share a read that began a moment before it
   * subscribed, so a presence change in that moment reaches it only with the next change.
   */
  private members(groupId: string): Promise<(handQueue: string[]) => Member[]> {
    let read = this.memberReads.get(groupId);
    if (!read) {
      read = this.readMembers(groupId).finally(() => this.memberReads.delete(groupId));
      this.memberReads.set(groupId, read);
    }
    return read;
  }

  /** Someone waiting to be let in is not present in the room: listed offline. */
  private async readMembers(groupId: string): Promise<(handQueue: string[]) => Member[]> {
    const [enrolments, waitingList] = await Promise.all([this.store.groups.members(groupId), this.store.moderation.waitingList(groupId)]);
    const online = await this.store.presence.onlineUsers(enrolments.map((e) => e.userId));
    const waiting = new Set(waitingList.map((w) => w.userId));
    return (handQueue) => {
      const raised = new Set(handQueue);
      return enrolments.map((e) => ({
        id: e.userId,
        name: e.name,
        role: e.role,
        online: online.has(e.userId) && !waiting.has(e.userId),
        handRaised: raised.has(e.userId),
      }));
    };
  }
}
