import type { RateLimitedAction, RateLimits } from '../config.js';
import { AppError } from '../errors.js';
import type { RateLimiter, Store } from '../store/store.js';

/**
 * The per-user flood limit, one budget per action kind, kept in the store so it holds across
 * nodes. Facilitators are limited too: the limit is about floods, not about roles.
 */
export class FloodControl {
  private readonly limiters: Record<RateLimitedAction, RateLimiter>;

  constructor(
    store: Store,
    /** The budgets, for a store that takes one in the same step as the action (a group send). */
    readonly limits: RateLimits,
  ) {
    this.limiters = {
      send: store.rateLimiter('send', limits.send),
      react: store.rateLimiter('react', limits.react),
      hand: store.rateLimiter('hand', limits.hand),
      report: store.rateLimiter('report', limits.report),
      invite: store.rateLimiter('invite', limits.invite),
      invalid: store.rateLimiter('invalid', limits.invalid),
    };
  }

  /** Takes one point; throws RATE_LIMITED with retryAfterMs when the budget is spent. */
  async take(action: RateLimitedAction, userId: string): Promise<void> {
    const waitMs = await this.limiters[action](userId);
    if (waitMs > 0) throw floodError(action, waitMs);
  }
}

export function floodError(action: RateLimitedAction, retryAfterMs: number): AppError {
  return new AppError('RATE_LIMITED', `too many ${action} actions; try again shortly`, { retryAfterMs });
}
