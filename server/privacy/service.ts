import type { Conversation, Erasure, Invite, Message, MyData, Partnership } from '../../shared/index.js';
import type { Identity } from '../auth/tokens.js';
import type { Broadcaster } from '../broadcast.js';
import { AppError, isStoreUnavailable } from '../errors.js';
import { CATCH_UP_LIMIT } from '../groups/catch-up.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';

/**
 * What the server keeps about a person, for them (§8 GET /api/me/export), and erasing it
 * (DELETE /api/me). Covers the groups they are enrolled in, the groups they were unenrolled
 * from, and their partnerships.
 */
export class PrivacyService {
  constructor(
    private readonly store: Store,
    private readonly broadcast: Broadcaster,
    private readonly log: Logger,
  ) {}

  async export(actor: Identity): Promise<MyData> {
    const [groupIds, formerGroupIds, partnerships, invites] = await Promise.all([
      this.store.groupIdsOf(actor.id),
      this.store.formerGroupIdsOf(actor.id),
      this.store.partnershipsOf(actor.id),
      this.store.pendingInvitesOf(actor.id),
    ]);
    const now = Date.now();
    const groups = (await Promise.all(groupIds.map(async (groupId) => {
      const [group, enrolment, mute, banned] = await Promise.all([
        this.store.getGroup(groupId), this.store.enrolment(groupId, actor.id), this.store.muteOf(groupId, actor.id, now), this.store.isBanned(groupId, actor.id),
      ]);
      return group && enrolment ? [{ group, enrolment, muted: mute !== null, banned }] : [];
    }))).flat();
    const marks = await Promise.all(partnerships.map((p) => this.store.readMarks(p.id)));
    const messages = (await Promise.all(this.conversations([...groupIds, ...formerGroupIds], partnerships).map((c) => this.authoredBy(c, actor.id)))).flat();
    return {
      user: { id: actor.id, name: actor.name, role: actor.role },
      groups,
      formerGroupIds,
      partnerships: partnerships.map((p, i) => ({
        id: p.id, partnerId: otherId(p, actor.id), createdAt: p.createdAt, status: p.status, myLastReadSeq: marks[i]?.[actor.id] ?? 0,
      })),
      invites: invites.map((inv) => inviteOf(inv, actor.id)),
      messages,
    };
  }

  /**
   * Erases the caller's messages (text gone, `deleted: true`), ends their partnerships and removes
   * their memberships. Resumable rather than all-or-nothing: each conversation is erased on its
   * own, and what tells a second call where to look (former groups, ended partnerships) is
   * forgotten only once everything succeeded, so a call that fails midway answers INTERNAL
   * asking for another call, and that call finishes the job.
   */
  async erase(actor: Identity): Promise<Erasure> {
    const [groupIds, formerGroupIds, partnerships] = await Promise.all([
      this.store.groupIdsOf(actor.id), this.store.formerGroupIdsOf(actor.id), this.store.partnershipsOf(actor.id),
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
    let endedPartnerships = 0;
    for (const p of partnerships) {
      if (p.status !== 'active') continue;
      const ended = await this.store.endPartnership(p.id, actor.id, Date.now());
      this.broadcast.partnershipEnded(p.id);
      if (ended) {
        endedPartnerships++;
        this.broadcast.toUsers([p.users[0].id, p.users[1].id], 'partner:updated', { partnership: ended });
      }
    }
    for (const groupId of groupIds) {
      await Promise.all([this.store.unenrol(groupId, actor.id), this.store.setHand(groupId, actor.id, false), this.store.forgetAttending(groupId, actor.id)]);
      this.broadcast.removeFromGroup(actor.id, groupId);
    }
    if (failed.length) {
      this.log.error({ userId: actor.id, conversations: failed.map((c) => `${c.kind}:${c.id}`) }, 'erasure incomplete');
      throw new AppError('INTERNAL', ERASURE_INCOMPLETE);
    }
    // Unenrolling just made these former groups too; with the text gone, the list goes as well.
    await this.store.forgetFormerGroups(actor.id);
    return { erasedMessages, leftGroups: groupIds.length, endedPartnerships };
  }

  private conversations(groupIds: string[], partnerships: Partnership[]): Conversation[] {
    return [
      ...groupIds.map((id) => ({ kind: 'group', id }) as const),
      ...partnerships.map((p) => ({ kind: 'partner', id: p.id }) as const),
    ];
  }

  /** Erases the user's messages in one conversation that are not erased yet; returns how many. */
  private async eraseIn(c: Conversation, userId: string): Promise<number> {
    let erased = 0;
    for (const m of await this.authoredBy(c, userId)) {
      if (m.deleted) continue;
      await this.store.eraseMessage(c, m.id);
      erased++;
      if (c.kind === 'group') this.broadcast.toGroup(c.id, 'group:deleted', { groupId: c.id, messageId: m.id });
    }
    return erased;
  }

  /** Every message of `userId` in a conversation, read through the log in catch-up pages. */
  private async authoredBy(c: Conversation, userId: string): Promise<Message[]> {
    const mine: Message[] = [];
    let since = 0;
    for (;;) {
      const page = await this.store.since(c, since, CATCH_UP_LIMIT);
      for (const m of page.messages) if (m.sender.id === userId) mine.push(m);
      if (!page.hasMore || !page.messages.length) return mine;
      since = page.messages[page.messages.length - 1]!.seq;
    }
  }
}

const ERASURE_INCOMPLETE =
  'erasure is not complete: some of your messages could not be erased right now and the rest are; DELETE /api/me again to finish';

function otherId(p: Partnership, me: string): string {
  return p.users[0].id === me ? p.users[1].id : p.users[0].id;
}

function inviteOf(inv: Invite, me: string): MyData['invites'][number] {
  const sent = inv.from.id === me;
  const out: MyData['invites'][number] = { id: inv.id, direction: sent ? 'sent' : 'received', otherUserId: sent ? inv.to.id : inv.from.id, createdAt: inv.createdAt, status: inv.status };
  if (inv.note !== undefined && sent) out.note = inv.note;
  return out;
}
