import { MemoryBudget } from '../limiter.js';
import type { Limits } from '../ports.js';
import type { RateLimit, RateLimiter } from '../store.js';
import { getOrCreate } from './util.js';

/** Flood budgets in this process. */
export class MemoryLimits implements Limits {
  private readonly budgets = new Map<string, MemoryBudget>();

  rateLimiter(name: string, limit: RateLimit): RateLimiter {
    const budget = this.budget(name, limit);
    return async (key) => budget.take(key);
  }

  /**
   * One budget per name and limit in this store, so every limiter asked for under a name shares
   * it (as the Redis store's do through Redis); admission takes a send's point here synchronously.
   */
  budget(name: string, limit: RateLimit): MemoryBudget {
    return getOrCreate(this.budgets, `${name}\n${limit.points}\n${limit.durationSec}`, () => new MemoryBudget(limit));
  }
}
