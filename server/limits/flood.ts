import { floodError } from '../admission.js';
import type { RateLimitedAction, RateLimits } from '../config.js';
import { MemoryBudget } from '../store/limiter.js';
import type { RateLimiter, Store } from '../store/store.js';

/**
 * The per-user flood limit, one budget per action kind, kept in the store so it holds across
 * nodes; typing is the exception, counted in this node's memory: a typing event must cost no store
 * round trip, or a flood of them is a flood of store commands. Facilitators are limited too: the
 * limit is about floods, not about roles.
 */
export class FloodControl {
  private readonly limiters: Record<RateLimitedAction, RateLimiter>;

  constructor(
    store: Store,
    /** The budgets, for a store that takes one in the same step as the action (a group send). */
    readonly limits: RateLimits,
  ) {
    const typing = new MemoryBudget(limits.typing);
    this.limiters = {
      send: store.rateLimiter('send', limits.send),
      react: store.rateLimiter('react', limits.react),
      hand: store.rateLimiter('hand', limits.hand),
      report: store.rateLimiter('report', limits.report),
      invite: store.rateLimiter('invite', limits.invite),
      invalid: store.rateLimiter('invalid', limits.invalid),
      typing: async (key) => typing.take(key),
    };
  }

  /** Takes one point; throws RATE_LIMITED with retryAfterMs when the budget is spent. */
  async take(action: RateLimitedAction, userId: string): Promise<void> {
    const waitMs = await this.spend(action, userId);
    if (waitMs > 0) throw floodError(action, waitMs);
  }

  /** Takes one point: 0 when allowed, else the ms until one is free (for admission to weigh). */
  spend(action: RateLimitedAction, userId: string): Promise<number> {
    return this.limiters[action](userId);
  }
}
