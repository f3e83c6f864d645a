import type { Enrolment, Invite, Message, MessagePage, Partnership, PartnershipView, Payload, Result } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import type { Broadcaster } from '../broadcast.js';
import { catchUp } from '../conversation/catch-up.js';
import { newId } from '../conversation/ids.js';
import { admitOrOriginal, UnsettledSends } from '../conversation/retry.js';
import { AppError } from '../errors.js';
import type { FloodControl } from '../limits/flood.js';
import type { MessageDraft } from '../store/store.js';
import type { Stores } from '../store/ports.js';
import type { QuietPartnerChat } from './quiet.js';

type Person = { id: string; name: string };
/** A send's answer: the message, or the held message and where it waits (§6.2). */
type Sent = Result<'partner:send'>;

/**
 * What the realtime layer remembers, per socket, of the partnerships it may type into: the
 * partner's id as `read` answered it (undefined: not admitted, not remembered), until the
 * partnership ends.
 */
export type PartnerAccess = (partnershipId: string, read: () => Promise<string | undefined>) => Promise<string | undefined>;

/**
 * Accountability partners (§6): pairing, one-to-one messages and check-ins, read marks, typing,
 * ending. Only the two partners may learn that a partnership exists: everyone else, admins
 * included, gets NOT_FOUND for anything about it.
 */
export class PartnerService {
  private readonly unsettled = new UnsettledSends();

  constructor(
    private readonly store: Pick<Stores, 'groups' | 'log' | 'partners' | 'presence'>,
    private readonly broadcast: Broadcaster,
    private readonly flood: FloodControl,
    /** The most active partnerships one person may have. */
    private readonly limit: number,
    /** Runs after a new message went out and before the sender's ack (the safety check). */
    private readonly afterSend: (message: Message, partnership: Partnership) => Promise<void> = async () => {},
    /** Quiet partner chat (§6.2); without it nothing is held. */
    private readonly quiet?: Pick<QuietPartnerChat, 'heldIn' | 'hold' | 'heldOf'>,
  ) {}

  async invite(actor: Identity, { userId, note }: Payload<'partner:invite'>): Promise<string> {
    if (userId === actor.id) throw new AppError('FORBIDDEN', 'you cannot invite yourself');
    await this.flood.take('invite', actor.id);
    const shared = await this.sharedGroupEnrolments(
      actor.id,
      userId,
      (mine, theirs) => mine.role === 'participant' && theirs.role === 'participant',
    );
    if (!shared) throw new AppError('FORBIDDEN', 'you can invite someone who is a participant in one of your groups');
    if (await this.store.partners.activePartnershipBetween(actor.id, userId)) throw new AppError('FORBIDDEN', 'you are already partners');
    await this.assertRoomFor(actor.id);
    const invite: Invite = {
      id: newId(),
      from: { id: actor.id, name: actor.name },
      to: { id: userId, name: shared.theirs.name },
      createdAt: Date.now(),
      status: 'pending',
    };
    if (note) invite.note = note;
    if ((await this.store.partners.createInvite(invite)) === 'exists')
      throw new AppError('FORBIDDEN', 'an invite between you is already waiting for an answer');
    this.broadcast.toUser(
      userId,
      'partner:invited',
      note ? { inviteId: invite.id, from: invite.from, note } : { inviteId: invite.id, from: invite.from },
    );
    return invite.id;
  }

  async respond(actor: Identity, { inviteId, accept }: Payload<'partner:respond'>): Promise<Partnership | undefined> {
    const invite = await this.store.partners.invite(inviteId);
    if (!invite || invite.to.id !== actor.id) throw new AppError('NOT_FOUND', 'no such invite');
    if (invite.status !== 'pending') throw new AppError('FORBIDDEN', 'this invite was already answered');
    if (!accept) {
      if (!(await this.store.partners.settleInvite(inviteId, 'declined')))
        throw new AppError('FORBIDDEN', 'this invite was already answered');
      return undefined;
    }
    // The partnership first (its creation checks the limit atomically): a refused accept leaves
    // the invite pending instead of answered with nothing to show for it.
    return this.pair(invite.from, { id: actor.id, name: actor.name });
  }

  /** A facilitator pairs two members of one of their groups; an admin pairs anyone. */
  async createByStaff(actor: Identity, [a, b]: [string, string]): Promise<Partnership> {
    if (actor.role === 'participant') throw new AppError('FORBIDDEN', 'only facilitators and admins pair partners');
    const names = await this.namesInSharedGroup(actor, a, b);
    if (!names) throw new AppError('FORBIDDEN', 'both people must be members of a group you facilitate');
    if (await this.store.partners.activePartnershipBetween(a, b)) throw new AppError('FORBIDDEN', 'they are already partners');
    return this.pair(names[0], names[1]);
  }

  async list(actor: Identity): Promise<{ partnerships: PartnershipView[]; invites: Invite[] }> {
    const [partnerships, invites] = await Promise.all([
      this.store.partners.partnershipsOf(actor.id),
      this.store.partners.pendingInvitesOf(actor.id),
    ]);
    return { partnerships: await Promise.all(partnerships.map((p) => this.view(p, actor.id))), invites };
  }

  async open(actor: Identity, { partnershipId, since, epoch }: Payload<'partner:open'>): Promise<Result<'partner:open'>> {
    const p = await this.partnershipOf(actor, partnershipId);
    const [view, page, held] = await Promise.all([
      this.view(p, actor.id),
      catchUp(this.store, conversationOf(p), since, epoch),
      this.quiet?.heldOf(p.id) ?? [],
    ]);
    // Only one's own: what the partner wrote is theirs until it is released.
    return { partnership: view, ...page, held: held.filter((m) => m.sender.id === actor.id) };
  }

  async send(actor: Identity, { partnershipId, text, clientMsgId }: Payload<'partner:send'>): Promise<Sent> {
    return this.post(actor, partnershipId, clientMsgId, { kind: 'text', text });
  }

  async checkin(actor: Identity, { partnershipId, mood, craving, note, clientMsgId }: Payload<'partner:checkin'>): Promise<Sent> {
    return this.post(actor, partnershipId, clientMsgId, {
      kind: 'checkin',
      text: note ?? '',
      checkin: note ? { mood, craving, note } : { mood, craving },
    });
  }

  async history(actor: Identity, { partnershipId, beforeSeq, limit }: Payload<'partner:history'>): Promise<MessagePage> {
    const p = await this.partnershipOf(actor, partnershipId);
    return this.store.log.history(conversationOf(p), { beforeSeq, limit });
  }

  async read(actor: Identity, { partnershipId, seq }: Payload<'partner:read'>): Promise<void> {
    const p = await this.partnershipOf(actor, partnershipId);
    // A mark past the newest message would hide messages that arrive later.
    const last = await this.store.log.lastSeq(conversationOf(p));
    await this.markRead(p, actor.id, Math.min(seq, last));
  }

  /**
   * Costs no store round trip once the socket has been admitted: the budget is in this node's
   * memory and `seen` remembers the partner until the partnership ends. Typing into an ended
   * partnership is acked and goes nowhere.
   */
  async typing(actor: Identity, { partnershipId, typing }: Payload<'partner:typing'>, seen: PartnerAccess): Promise<void> {
    await this.flood.take('typing', actor.id);
    const partnerId = await seen(partnershipId, async () => {
      const p = await this.partnershipOf(actor, partnershipId);
      return p.status === 'active' ? otherOf(p, actor.id).id : undefined;
    });
    if (partnerId !== undefined) this.broadcast.toUser(partnerId, 'partner:typing', { partnershipId, userId: actor.id, typing });
  }

  async end(actor: Identity, { partnershipId }: Payload<'partner:end'>): Promise<void> {
    await this.finish(await this.partnershipOf(actor, partnershipId), actor.id);
  }

  /**
   * Ends `p` for `by` (either partner, or staff through §8.4) and tells every node and both
   * partners; answers it as it stands after (the first end wins).
   */
  async finish(p: Partnership, by: string): Promise<Partnership> {
    const at = Date.now();
    const ended = await this.store.partners.endPartnership(p.id, by, at);
    this.broadcast.partnershipEnded(p.id);
    // Only the call that ended it announces it: ending an ended partnership changes nothing.
    if (ended && p.status === 'active' && ended.endedBy === by && ended.endedAt === at) {
      this.broadcast.toUsers(ids(ended), 'partner:updated', { partnership: ended });
    }
    return ended ?? p;
  }

  /** The partnership, when the actor is one of the two; NOT_FOUND for anyone else (admins too). */
  private async partnershipOf(actor: Identity, partnershipId: string): Promise<Partnership> {
    const p = await this.store.partners.partnership(partnershipId);
    if (!p || !ids(p).includes(actor.id)) throw new AppError('NOT_FOUND', 'no such partnership');
    return p;
  }

  private async post(
    actor: Identity,
    partnershipId: string,
    clientMsgId: string,
    body: Pick<MessageDraft, 'kind' | 'text' | 'checkin'>,
  ): Promise<Sent> {
    const c = { kind: 'partner', id: partnershipId } as const;
    const admission = await admitOrOriginal(this.store, c, actor.id, clientMsgId, async () => {
      const [p] = await Promise.all([this.partnershipOf(actor, partnershipId), this.flood.take('send', actor.id)]);
      if (p.status !== 'active') throw new AppError('FORBIDDEN', 'this partnership has ended');
      return p;
    });
    if ('original' in admission) {
      const original = admission.original;
      const p = this.unsettled.settleOriginal(c, original) ? await this.store.partners.partnership(partnershipId) : null;
      if (p) await this.publish(p, original);
      return { message: original };
    }
    const p = admission.admitted;
    const draft: MessageDraft = {
      id: newId(),
      conversation: c,
      sender: { id: actor.id, name: actor.name, role: actor.role },
      ...body,
      clientMsgId,
      createdAt: Date.now(),
    };
    if (draft.checkin === undefined) delete draft.checkin;
    const held = await this.quiet?.heldIn(p, draft.text);
    if (held) {
      // A resend of a message already released (its session is over, another has begun) answers it.
      const sent = await this.store.log.messageByClientId(c, actor.id, clientMsgId);
      return sent ? { message: sent } : this.quiet!.hold(p, held, draft);
    }
    const { message, publish } = await this.unsettled.write(c, actor.id, clientMsgId, () => this.store.log.appendMessage(c, draft));
    if (publish) await this.publish(p, message);
    return { message };
  }

  /**
   * A held message released (§6.2): it takes its seq now and goes out, unless an earlier release
   * already appended it. One whose partnership ended meanwhile (by either partner, or by an
   * erasure, DELETE /api/me) is dropped, as a send into it would be refused.
   */
  async deliverHeld(draft: MessageDraft): Promise<void> {
    const p = await this.store.partners.partnership(draft.conversation.id);
    if (p?.status !== 'active') return;
    const { message, duplicate } = await this.store.log.appendMessage(draft.conversation, draft);
    if (!duplicate) await this.publish(p, message);
  }

  private async publish(p: Partnership, message: Message): Promise<void> {
    this.broadcast.toUsers(ids(p), 'partner:message', message);
    // Writing means having read everything up to one's own message.
    await this.markRead(p, message.sender.id, message.seq);
    await this.afterSend(message, p);
  }

  private async markRead(p: Partnership, userId: string, seq: number): Promise<void> {
    const mark = await this.store.partners.markRead(p.id, userId, seq);
    if (mark === seq && seq > 0) this.broadcast.toUsers(ids(p), 'partner:read', { partnershipId: p.id, userId, seq });
  }

  private async pair(a: Person, b: Person): Promise<Partnership> {
    const p: Partnership = { id: newId(), users: [a, b], createdAt: Date.now(), status: 'active' };
    const created = await this.store.partners.createPartnership(p, this.limit);
    if (created === 'exists') throw new AppError('FORBIDDEN', 'they are already partners');
    if (created === 'limit') throw new AppError('FORBIDDEN', `one person may have at most ${this.limit} accountability partners`);
    // However they were paired, an invite still waiting between the two is now answered.
    const waiting = (await this.store.partners.pendingInvitesOf(a.id)).filter((i) => i.from.id === b.id || i.to.id === b.id);
    await Promise.all(waiting.map((i) => this.store.partners.settleInvite(i.id, 'accepted')));
    this.broadcast.toUsers(ids(p), 'partner:updated', { partnership: p });
    return p;
  }

  private async assertRoomFor(userId: string): Promise<void> {
    const active = (await this.store.partners.partnershipsOf(userId)).filter((p) => p.status === 'active').length;
    if (active >= this.limit) throw new AppError('FORBIDDEN', `one person may have at most ${this.limit} accountability partners`);
  }

  private async view(p: Partnership, me: string): Promise<PartnershipView> {
    const other = otherOf(p, me);
    const [online, marks, lastSeq] = await Promise.all([
      this.store.presence.onlineUsers([other.id]),
      this.store.partners.readMarks(p.id),
      this.store.log.lastSeq(conversationOf(p)),
    ]);
    return {
      ...p,
      partner: { ...other, online: online.has(other.id) },
      lastReadSeq: marks,
      lastSeq,
      unread: Math.max(0, lastSeq - (marks[me] ?? 0)),
    };
  }

  /** The first group both are enrolled in where `fits` holds for their two enrolments. */
  private async sharedGroupEnrolments(me: string, them: string, fits: (mine: Enrolment, theirs: Enrolment) => boolean) {
    const [mine, theirs] = await Promise.all([this.store.groups.groupIdsOf(me), this.store.groups.groupIdsOf(them)]);
    const common = mine.filter((g) => theirs.includes(g));
    const pairs = await Promise.all(
      common.map((g) => Promise.all([this.store.groups.enrolment(g, me), this.store.groups.enrolment(g, them)])),
    );
    for (const [m, t] of pairs) if (m && t && fits(m, t)) return { mine: m, theirs: t };
    return undefined;
  }

  /** Names of a and b as a group the actor facilitates knows them (admins: any group both are in). */
  private async namesInSharedGroup(actor: Identity, a: string, b: string): Promise<[Person, Person] | undefined> {
    const groupIds = actor.role === 'admin' ? await this.store.groups.groupIdsOf(a) : await this.store.groups.groupIdsOf(actor.id);
    for (const g of groupIds) {
      const [staff, ea, eb] = await Promise.all([
        this.store.groups.enrolment(g, actor.id),
        this.store.groups.enrolment(g, a),
        this.store.groups.enrolment(g, b),
      ]);
      if (ea && eb && (actor.role === 'admin' || staff?.role === 'facilitator'))
        return [
          { id: a, name: ea.name },
          { id: b, name: eb.name },
        ];
    }
    return actor.role === 'admin'
      ? [
          { id: a, name: a },
          { id: b, name: b },
        ]
      : undefined;
  }
}

export function conversationOf(p: Partnership) {
  return { kind: 'partner', id: p.id } as const;
}

function ids(p: Partnership): string[] {
  return [p.users[0].id, p.users[1].id];
}

function otherOf(p: Partnership, me: string): Person {
  return p.users[0].id === me ? p.users[1] : p.users[0];
}
