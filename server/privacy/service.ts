import {
  REDISCLOSURE_NOTICE,
  type Conversation,
  type Erasure,
  type ExportedMessage,
  type Invite,
  type Message,
  type MyData,
  type Partnership,
  type ReactionEmoji,
} from '../../shared/index.js';
import type { AccessRecorder } from '../access/log.js';
import type { Identity } from '../auth/tokens.js';
import type { Broadcaster } from '../broadcast.js';
import { CATCH_UP_LIMIT } from '../conversation/catch-up.js';
import { AppError, isStoreUnavailable } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/ports.js';

/**
 * What the server keeps about a person, for them (§8 GET /api/me/export), and erasing it
 * (DELETE /api/me). Covers the groups they are enrolled in, the groups they were unenrolled
 * from, and their partnerships.
 */
export class PrivacyService {
  constructor(
    private readonly store: Pick<
      Stores,
      'agreements' | 'checkins' | 'push' | 'groups' | 'log' | 'moderation' | 'partners' | 'reportQueue' | 'room'
    >,
    private readonly broadcast: Broadcaster,
    private readonly log: Logger,
    /** Takes the person off the group's waiting list, telling its staff (the groups capability's WaitingRoom.left). */
    private readonly leftWaiting: (groupId: string, userId: string) => Promise<void>,
    private readonly access: AccessRecorder,
  ) {}

  async export(actor: Identity): Promise<MyData> {
    const [groupIds, formerGroupIds, partnerships, invites, checkins, checkinSharing, checkinDaily] = await Promise.all([
      this.store.groups.groupIdsOf(actor.id),
      this.store.groups.formerGroupIdsOf(actor.id),
      this.store.partners.partnershipsOf(actor.id),
      this.store.partners.pendingInvitesOf(actor.id),
      this.store.checkins.checkinsOf(actor.id, 0),
      this.store.checkins.sharingOf(actor.id),
      this.store.checkins.dailyOf(actor.id),
    ]);
    const now = Date.now();
    const groups = (
      await Promise.all(
        groupIds.map(async (groupId) => {
          const [group, enrolment, mute, banned, acceptances] = await Promise.all([
            this.store.groups.getGroup(groupId),
            this.store.groups.enrolment(groupId, actor.id),
            this.store.moderation.muteOf(groupId, actor.id, now),
            this.store.moderation.isBanned(groupId, actor.id),
            this.store.agreements.acceptances(groupId),
          ]);
          if (!group || !enrolment) return [];
          const { createdBy: _creator, ...about } = group;
          const mine = acceptances.find((a) => a.userId === actor.id);
          const accepted = mine ? { agreementAccepted: { version: mine.version, at: mine.at } } : {};
          return [{ group: about, enrolment, muted: mute !== null, banned, ...accepted }];
        }),
      )
    ).flat();
    const marks = await Promise.all(partnerships.map((p) => this.store.partners.readMarks(p.id)));
    const messages = (
      await Promise.all(this.conversations([...groupIds, ...formerGroupIds], partnerships).map((c) => this.authoredBy(c, actor.id)))
    ).flat();
    // Any export by staff is an access-log read (issue 18), even of their own data: it leaves the program.
    if (actor.role !== 'participant') await this.access.record(actor, { what: 'export', about: [actor.id] });
    return {
      notice: REDISCLOSURE_NOTICE,
      user: { id: actor.id, name: actor.name, role: actor.role },
      groups,
      formerGroupIds,
      partnerships: partnerships.map((p, i) => ({
        id: p.id,
        partnerId: otherId(p, actor.id),
        createdAt: p.createdAt,
        status: p.status,
        myLastReadSeq: marks[i]?.[actor.id] ?? 0,
      })),
      invites: invites.map((inv) => inviteOf(inv, actor.id)),
      messages: messages.map(exported),
      checkins,
      checkinSharing,
      checkinDaily,
    };
  }

  /**
   * Erases the caller's messages (text, check-in and clientMsgId gone, `deleted: true`) and their
   * own check-in log with its sharing choice, withdraws
   * or declines their open invites, drops their report notes, ends their partnerships and removes
   * their memberships. Resumable rather than all-or-nothing: each conversation is erased on its
   * own, and what tells a second call where to look (former groups, ended partnerships) is
   * forgotten only once everything succeeded, so a call that fails midway answers INTERNAL
   * asking for another call, and that call finishes the job.
   */
  async erase(actor: Identity): Promise<Erasure> {
    const [groupIds, formerGroupIds, partnerships] = await Promise.all([
      this.store.groups.groupIdsOf(actor.id),
      this.store.groups.formerGroupIdsOf(actor.id),
      this.store.partners.partnershipsOf(actor.id),
    ]);
    let erasedMessages = 0;
    const failed: Conversation[] = [];
    for (const c of this.conversations([...groupIds, ...formerGroupIds], partnerships)) {
      try {
        erasedMessages += await this.eraseIn(c, actor.id);
      } catch (err) {
        // Redis unreachable fails every conversation alike: its own retryable answer says so.
        if (isStoreUnavailable(err)) throw err;
        failed.push(c);
      }
    }
    // Health data goes first: nothing else that may fail below holds it back.
    const erasedCheckins = await this.store.checkins.eraseCheckins(actor.id);
    await this.store.push.erasePushSubscriptions(actor.id);
    await Promise.all(
      (await this.store.partners.pendingInvitesOf(actor.id)).map((i) =>
        this.store.partners.settleInvite(i.id, i.from.id === actor.id ? 'withdrawn' : 'declined'),
      ),
    );
    await Promise.all([...groupIds, ...formerGroupIds].map((groupId) => this.store.reportQueue.forgetReportNotes(groupId, actor.id)));
    // Who accepted a group's agreement is theirs too; enrolled again, they are asked again.
    await Promise.all([...groupIds, ...formerGroupIds].map((groupId) => this.store.agreements.forgetAcceptance(groupId, actor.id)));
    let endedPartnerships = 0;
    for (const p of partnerships) {
      if (p.status !== 'active') continue;
      const ended = await this.store.partners.endPartnership(p.id, actor.id, Date.now());
      this.broadcast.partnershipEnded(p.id);
      if (ended) {
        endedPartnerships++;
        this.broadcast.toUsers([p.users[0].id, p.users[1].id], 'partner:updated', { partnership: ended });
      }
    }
    for (const groupId of groupIds) {
      await Promise.all([
        this.store.groups.unenrol(groupId, actor.id),
        this.store.room.setHand(groupId, actor.id, false),
        this.store.moderation.forgetAttending(groupId, actor.id),
        this.leftWaiting(groupId, actor.id),
      ]);
      this.broadcast.removeFromGroup(actor.id, groupId);
    }
    if (failed.length) {
      this.log.error({ userId: actor.id, conversations: failed.map((c) => `${c.kind}:${c.id}`) }, 'erasure incomplete');
      throw new AppError('INTERNAL', ERASURE_INCOMPLETE);
    }
    // Unenrolling just made these former groups too; with the text gone, the list goes as well.
    await this.store.groups.forgetFormerGroups(actor.id);
    return { erasedMessages, leftGroups: groupIds.length, endedPartnerships, erasedCheckins };
  }

  private conversations(groupIds: string[], partnerships: Partnership[]): Conversation[] {
    return [
      ...groupIds.map((id) => ({ kind: 'group', id }) as const),
      ...partnerships.map((p) => ({ kind: 'partner', id: p.id }) as const),
    ];
  }

  /**
   * Erases the user's messages in one conversation, clientMsgIds included (also of messages a
   * facilitator deleted before), and takes back their reactions to the others; returns how many
   * messages were not erased yet.
   */
  private async eraseIn(c: Conversation, userId: string): Promise<number> {
    let erased = 0;
    for await (const page of this.pages(c)) {
      for (const m of page) {
        if (m.sender.id !== userId) {
          await this.withdrawReactions(c, m, userId);
          continue;
        }
        if (m.deleted && m.clientMsgId === undefined) continue;
        await this.store.log.eraseMessage(c, m.id, { forgetClientMsgId: true });
        if (m.deleted) continue;
        erased++;
        if (c.kind === 'group') this.broadcast.toGroup(c.id, 'group:deleted', { groupId: c.id, messageId: m.id });
      }
    }
    return erased;
  }

  private async withdrawReactions(c: Conversation, m: Message, userId: string): Promise<void> {
    for (const [emoji, users] of Object.entries(m.reactions ?? {})) {
      if (!users.includes(userId)) continue;
      // A toggle of a reaction the user holds takes it back.
      const reactions = await this.store.log.toggleReaction(c, m.id, emoji as ReactionEmoji, userId);
      if (reactions && c.kind === 'group') this.broadcast.toGroup(c.id, 'group:reaction', { groupId: c.id, messageId: m.id, reactions });
    }
  }

  /** Every message of `userId` in a conversation. */
  private async authoredBy(c: Conversation, userId: string): Promise<Message[]> {
    const mine: Message[] = [];
    for await (const page of this.pages(c)) for (const m of page) if (m.sender.id === userId) mine.push(m);
    return mine;
  }

  /** A conversation's whole log, in catch-up pages, oldest first. */
  private async *pages(c: Conversation): AsyncGenerator<Message[]> {
    let since = 0;
    for (;;) {
      const page = await this.store.log.since(c, since, CATCH_UP_LIMIT);
      yield page.messages;
      if (!page.hasMore || !page.messages.length) return;
      since = page.messages[page.messages.length - 1]!.seq;
    }
  }
}

const ERASURE_INCOMPLETE =
  'erasure is not complete: some of your messages could not be erased right now and the rest are; DELETE /api/me again to finish';

function otherId(p: Partnership, me: string): string {
  return p.users[0].id === me ? p.users[1].id : p.users[0].id;
}

function exported({ reactions, ...m }: Message): ExportedMessage {
  if (!reactions) return m;
  return { ...m, reactionCounts: Object.fromEntries(Object.entries(reactions).map(([emoji, users]) => [emoji, users.length])) };
}

function inviteOf(inv: Invite, me: string): MyData['invites'][number] {
  const sent = inv.from.id === me;
  const out: MyData['invites'][number] = {
    id: inv.id,
    direction: sent ? 'sent' : 'received',
    createdAt: inv.createdAt,
    status: inv.status,
  };
  if (inv.note !== undefined && sent) out.note = inv.note;
  return out;
}
