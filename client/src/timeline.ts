import type { Message } from '../../shared/index.js';

/** A message the server has not acknowledged yet; resent with the same clientMsgId until it is. */
export type PendingMsg = {
  clientMsgId: string;
  text: string;
  checkin?: { mood: number; craving: number; note?: string };
  createdAt: number;
  /** 'waiting': no ack yet and offline or timed out; resent on reconnect */
  state: 'sending' | 'waiting';
};

/**
 * One conversation's messages keyed by seq, so a message that arrives live, in a catch-up and in
 * an ack is shown once; plus the pending ones, keyed by clientMsgId.
 */
export class Timeline {
  private readonly bySeq = new Map<number, Message>();
  private readonly seqById = new Map<string, number>();
  readonly pending = new Map<string, PendingMsg>();
  /** whether older messages exist than the oldest loaded */
  hasMoreBefore = false;

  get maxSeq(): number {
    let max = 0;
    for (const s of this.bySeq.keys()) if (s > max) max = s;
    return max;
  }

  get minSeq(): number | undefined {
    let min: number | undefined;
    for (const s of this.bySeq.keys()) if (min === undefined || s < min) min = s;
    return min;
  }

  get size(): number {
    return this.bySeq.size;
  }

  /** Adds or updates a message; says whether it was new, changed (deleted, reactions) or already known. */
  put(m: Message): 'new' | 'changed' | 'same' {
    const old = this.bySeq.get(m.seq);
    this.bySeq.set(m.seq, m);
    this.seqById.set(m.id, m.seq);
    if (m.clientMsgId) this.pending.delete(m.clientMsgId);
    if (!old) return 'new';
    const same = old.deleted === m.deleted && old.text === m.text && JSON.stringify(old.reactions ?? {}) === JSON.stringify(m.reactions ?? {});
    return same ? 'same' : 'changed';
  }

  get(id: string): Message | undefined {
    const s = this.seqById.get(id);
    return s === undefined ? undefined : this.bySeq.get(s);
  }

  /** Applies a change to a known message; returns the new one. */
  patch(id: string, change: (m: Message) => Message): Message | undefined {
    const m = this.get(id);
    if (!m) return undefined;
    const next = change(m);
    this.bySeq.set(next.seq, next);
    return next;
  }

  all(): Message[] {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
}
