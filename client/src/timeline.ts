import type { Message } from '../../shared/index.js';

/** A message the server has not acknowledged yet; resent with the same clientMsgId until it is. */
export type PendingMsg = {
  clientMsgId: string;
  text: string;
  checkin?: { mood: number; craving: number; note?: string };
  createdAt: number;
  /** 'waiting': no ack yet and offline or timed out; resent on reconnect. 'held': stored, goes out when a group session ends (§6.2) */
  state: 'sending' | 'waiting' | 'held';
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
  /** The server log's epoch these seqs belong to ('' before the first join). */
  private epoch = '';

  /** What a rejoin names: where to catch up from, in which epoch; nothing when empty (the newest page). */
  position(): { since?: number; epoch?: string } {
    if (!this.bySeq.size) return {};
    const since = this.contiguousSeq();
    return this.epoch ? { since, epoch: this.epoch } : { since };
  }

  /**
   * The highest seq up to which nothing is missing, from the oldest loaded. Not maxSeq: with
   * several nodes a message from another node can arrive after a later one sent on this node, and
   * a disconnect in between would otherwise skip it for good.
   */
  private contiguousSeq(): number {
    let s = this.minSeq!;
    while (this.bySeq.has(s + 1)) s++;
    return s;
  }

  /**
   * Takes the epoch of a join's page. With `resync` the server lost the log and seq started
   * over: what is held here belongs to no log any more and goes. Says whether it went.
   */
  adopt(page: { epoch: string; resync?: true }): boolean {
    this.epoch = page.epoch;
    if (!page.resync) return false;
    this.reset();
    return true;
  }

  /** Forgets every message (pending ones stay: they were never acked and are resent). */
  reset(): void {
    this.bySeq.clear();
    this.seqById.clear();
    this.hasMoreBefore = false;
  }

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

  /**
   * Adds or updates a message; says whether it was new, changed (deleted, reactions) or already
   * known, or a conflict: another message under a seq held here means the log started over
   * (the server lost it), and nothing is stored until the view resyncs.
   */
  put(m: Message): 'new' | 'changed' | 'same' | 'conflict' {
    const old = this.bySeq.get(m.seq);
    if (old && old.id !== m.id) return 'conflict';
    this.bySeq.set(m.seq, m);
    this.seqById.set(m.id, m.seq);
    if (m.clientMsgId) this.pending.delete(m.clientMsgId);
    if (!old) return 'new';
    const same =
      old.deleted === m.deleted && old.text === m.text && JSON.stringify(old.reactions ?? {}) === JSON.stringify(m.reactions ?? {});
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

  /** Those of `messages` held here: a fresh copy of them may show a removal or reactions missed meanwhile. */
  known(messages: Message[]): Message[] {
    return messages.filter((m) => this.seqById.has(m.id));
  }

  all(): Message[] {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
}
