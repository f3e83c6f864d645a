import type { HeldIn, HeldMessage, Partnership } from '../../shared/index.js';
import type { Broadcaster } from '../broadcast.js';
import type { Logger } from '../logger.js';
import type { Stores } from '../store/ports.js';
import { openSessionId, type MessageDraft } from '../store/store.js';
import { repeat } from '../repeat.js';

/**
 * Quiet partner chat (§6.2): while a live session of a group with `quietPartnerChat` is open,
 * partner messages between two members who both attend it wait in the store's held queue of that
 * session, and go out when it ends. Crisis wording is never held. Releasing is peek, append (the
 * message takes its seq now), drop; the log's clientMsgId idempotency makes a second releaser's
 * append a duplicate, so a message goes out once whoever releases it: the node that announced
 * the session's end, the facilitator's close, or the sweep that catches what a dead node left.
 */
export class QuietPartnerChat {
  private stopTimer = (): void => {};

  constructor(
    private readonly store: Pick<Stores, 'groups' | 'room' | 'moderation' | 'held' | 'partners'>,
    private readonly broadcast: Broadcaster,
    private readonly matchesCrisis: (text: string) => boolean,
    /** Appends a released message to its partnership's log and, unless it was already there, sends it out. */
    private readonly deliver: (draft: MessageDraft) => Promise<void>,
    private readonly log: Logger,
    private readonly sweepMs: number,
  ) {}

  start(): void {
    this.stopTimer = repeat(() => this.sweep(), this.sweepMs);
  }

  stop(): void {
    this.stopTimer();
  }

  /** Where a message with this text between the two partners would wait now; null: it goes out. */
  async heldIn(p: Partnership, text: string): Promise<HeldIn | null> {
    if (this.matchesCrisis(text)) return null;
    const [a, b] = [p.users[0].id, p.users[1].id];
    const [mine, theirs] = await Promise.all([this.store.groups.groupIdsOf(a), this.store.groups.groupIdsOf(b)]);
    for (const groupId of mine.filter((g) => theirs.includes(g))) {
      const state = await this.store.room.roomState(groupId);
      const sessionId = openSessionId(state);
      if (!state.quietPartnerChat || sessionId === null) continue;
      // Attending means joined during this session (a session's start forgets everyone).
      if (await this.store.moderation.attendAll(groupId, [a, b])) return { groupId, sessionId, until: state.session?.end ?? null };
    }
    return null;
  }

  /** Holds the message (a resend answers the held original) and tells both partners why it waits. */
  async hold(p: Partnership, where: HeldIn, draft: MessageDraft): Promise<{ message: HeldMessage; held: HeldIn }> {
    const { draft: message, count } = await this.store.held.hold(where.groupId, where.sessionId, draft);
    this.broadcast.toUsers([p.users[0].id, p.users[1].id], 'partner:held', { partnershipId: p.id, count, ...where });
    return { message, held: where };
  }

  /** The partnership's held messages, oldest first in each session. */
  async heldOf(partnershipId: string): Promise<HeldMessage[]> {
    const sessions = await this.store.held.heldSessions();
    const queues = await Promise.all(sessions.map((s) => this.store.held.held(s.groupId, s.sessionId)));
    return queues.flat().filter((d) => d.conversation.id === partnershipId);
  }

  /** A session ended: its held messages go out in order. Never throws (the sweep tries again). */
  async release(groupId: string, sessionId: string): Promise<void> {
    try {
      const partnerships = new Set<string>();
      for (let [next] = await this.store.held.held(groupId, sessionId); next; [next] = await this.store.held.held(groupId, sessionId)) {
        await this.deliver(next);
        await this.store.held.dropHeld(groupId, sessionId, next.id);
        partnerships.add(next.conversation.id);
      }
      // Both partners learn that nothing waits there any more (their note goes).
      for (const id of partnerships) {
        const p = await this.store.partners.partnership(id);
        if (p)
          this.broadcast.toUsers([p.users[0].id, p.users[1].id], 'partner:held', {
            partnershipId: id,
            groupId,
            sessionId,
            until: null,
            count: 0,
          });
      }
      if (partnerships.size) this.log.info({ groupId, sessionId, partnerships: partnerships.size }, 'held partner messages released');
    } catch (err) {
      this.log.warn({ groupId, sessionId, err: err instanceof Error ? err.name : typeof err }, 'held partner messages not released');
    }
  }

  /** Releases every queue whose session is no longer open (a missed announcement, a node that died mid-release). */
  async sweep(): Promise<void> {
    try {
      for (const { groupId, sessionId } of await this.store.held.heldSessions()) {
        if (openSessionId(await this.store.room.roomState(groupId)) !== sessionId) await this.release(groupId, sessionId);
      }
    } catch (err) {
      this.log.warn({ err: err instanceof Error ? err.name : typeof err }, 'held partner message sweep failed');
    }
  }
}
