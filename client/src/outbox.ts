import type { HeldIn, HeldMessage, Message } from '../../shared/index.js';
import type { ClientError, Reply } from './api.js';
import { randomId } from './dom.js';
import type { PendingMsg, Timeline } from './timeline.js';

type Draft = { text: string; checkin?: PendingMsg['checkin'] };

export type OutboxHooks = {
  send: (p: PendingMsg) => Promise<Reply<{ message: Message } | { message: HeldMessage; held: HeldIn }>>;
  /** a message is stored (from the ack) */
  accepted: (m: Message) => void;
  /** a partner message is held until a group session ends (§6.2): stored, it goes out then */
  held?: (m: HeldMessage, where: HeldIn) => void;
  /** shown or updated as pending */
  pending: (p: PendingMsg) => void;
  /** the server refused it for good (muted, slow mode, closed…): it is no longer pending */
  refused: (p: PendingMsg, error: ClientError) => void;
  isOnline: () => boolean;
};

/**
 * Sends with a clientMsgId and keeps the message pending until an ack says it is stored. Without
 * an ack (offline, timeout, storage briefly down) it resends with the same clientMsgId, so the
 * server returns the original instead of storing it twice. Resends go one at a time, in order.
 */
export class Outbox {
  private flushing = false;
  private again = false;
  private retryTimer = 0;

  constructor(
    private readonly timeline: Timeline,
    private readonly hooks: OutboxHooks,
  ) {}

  send(draft: Draft): void {
    const p: PendingMsg = { clientMsgId: randomId(), createdAt: Date.now(), state: 'sending', ...draft };
    this.timeline.pending.set(p.clientMsgId, p);
    this.hooks.pending(p);
    void this.flush();
  }

  /** Sends everything pending, oldest first; call after every (re)join. */
  async flush(): Promise<void> {
    if (this.flushing) {
      this.again = true;
      return;
    }
    this.flushing = true;
    window.clearTimeout(this.retryTimer);
    try {
      let stalled = false;
      do {
        this.again = false;
        stalled = await this.pass();
      } while (this.again && !stalled);
    } finally {
      this.flushing = false;
    }
    for (const p of this.timeline.pending.values()) if (p.state === 'sending') this.mark(p, 'waiting');
  }

  /** One pass over what is pending; true when it stopped at a message that got no answer. */
  private async pass(): Promise<boolean> {
    for (const p of [...this.timeline.pending.values()]) {
      if (!this.hooks.isOnline()) return true;
      if (!this.timeline.pending.has(p.clientMsgId)) continue;
      this.mark(p, 'sending');
      const reply = await this.hooks.send(p);
      if (reply.ok) {
        this.timeline.pending.delete(p.clientMsgId);
        if ('held' in reply.data) this.hooks.held?.(reply.data.message, reply.data.held);
        else this.hooks.accepted(reply.data.message);
        continue;
      }
      const retryable = reply.error.code === 'NO_ANSWER' || (reply.error.code === 'INTERNAL' && reply.error.retryAfterMs !== undefined);
      if (!retryable) {
        this.timeline.pending.delete(p.clientMsgId);
        this.hooks.refused(p, reply.error);
        continue;
      }
      this.mark(p, 'waiting');
      // Online but no answer (or storage down): try again shortly; offline: the rejoin flushes.
      if (this.hooks.isOnline()) this.retryTimer = window.setTimeout(() => void this.flush(), reply.error.retryAfterMs ?? 3000);
      return true;
    }
    return false;
  }

  dispose(): void {
    window.clearTimeout(this.retryTimer);
  }

  private mark(p: PendingMsg, state: PendingMsg['state']): void {
    if (p.state === state) return;
    p.state = state;
    this.hooks.pending(p);
  }
}
