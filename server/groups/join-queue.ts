import { AppError, storeRetryMs } from '../errors.js';

/**
 * @default 32 — joins one node works on at once; the rest wait their turn. Without a bound, a
 * join storm (a whole evening group at 18:00) puts thousands of store commands in flight at once
 * and the node's 1 s store timeout refuses joins that were merely queued.
 */
export const CONCURRENT_JOINS = 32;
/**
 * @default 8 — joins one user may have waiting or running on a node: a few tabs rejoining a few
 * groups after a reconnect. One user's 10,000 joins otherwise held 120 MB and delayed everyone.
 */
export const JOINS_PER_USER = 8;
/**
 * @default 5,000 — joins a node lets wait: more than a whole evening's storm (1,000 members over
 * two nodes), and a bound on the memory many users' floods can hold.
 */
export const MAX_WAITING_JOINS = 5_000;
/** A refused join's wait: spread over 1–2 s as a store outage's is, so the retries do not come back in step. */
const refusal = (message: string) => new AppError('RATE_LIMITED', message, { retryAfterMs: storeRetryMs() });

/**
 * The node's join queue: at most `slots` joins run at once, and waiting joins are started one
 * user at a time in turn (round robin), so a user's join waits behind at most one join of each
 * other user, however many that user queued. Past a user's budget or the queue's bound a join is
 * refused at once (RATE_LIMITED), before it costs the store or the node anything.
 */
export class JoinQueue {
  private running = 0;
  private waitingCount = 0;
  /** Users with joins waiting, in turn order (a Map keeps insertion order); each user's in arrival order. */
  private readonly waiting = new Map<string, (() => void)[]>();
  /** Per user: joins waiting or running. */
  private readonly held = new Map<string, number>();

  constructor(
    private readonly slots = CONCURRENT_JOINS,
    private readonly perUser = JOINS_PER_USER,
    private readonly maxWaiting = MAX_WAITING_JOINS,
  ) {}

  async run<T>(userId: string, task: () => Promise<T>): Promise<T> {
    const mine = this.held.get(userId) ?? 0;
    if (mine >= this.perUser) throw refusal('too many joins at once; try again shortly');
    const full = this.running >= this.slots;
    if (full && this.waitingCount >= this.maxWaiting) throw refusal('this server has too many joins waiting; try again shortly');
    this.held.set(userId, mine + 1);
    try {
      if (full) await this.turn(userId);
      else this.running++;
      return await task();
    } finally {
      const left = this.held.get(userId)! - 1;
      if (left) this.held.set(userId, left);
      else this.held.delete(userId);
      this.startNext();
    }
  }

  private turn(userId: string): Promise<void> {
    return new Promise((start) => {
      const queue = this.waiting.get(userId);
      if (queue) queue.push(start);
      else this.waiting.set(userId, [start]);
      this.waitingCount++;
    });
  }

  /** Hands the freed slot to the next user in turn (who then goes to the back), or frees it. */
  private startNext(): void {
    const next = this.waiting.entries().next();
    if (next.done) {
      this.running--;
      return;
    }
    const [userId, queue] = next.value;
    this.waiting.delete(userId);
    const start = queue.shift()!;
    if (queue.length) this.waiting.set(userId, queue);
    this.waitingCount--;
    start();
  }
}
