import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { RateLimitedAction, RateLimits } from '../config.js';
import { AppError } from '../errors.js';
import { toRateLimiter } from '../store/limiter.js';
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
    this.limiters = {
      send: store.rateLimiter('send', limits.send),
      react: store.rateLimiter('react', limits.react),
      hand: store.rateLimiter('hand', limits.hand),
      report: store.rateLimiter('report', limits.report),
      invite: store.rateLimiter('invite', limits.invite),
      invalid: store.rateLimiter('invalid', limits.invalid),
      typing: toRateLimiter(new RateLimiterMemory({ keyPrefix: 'typing', points: limits.typing.points, duration: limits.typing.durationSec })),
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
