import type { Limits } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import type { RateLimit, RateLimiter } from '../store.js';
import { withScripts, type RedisBase } from './base.js';

/**
 * takeBudget(key, points, windowMs): takes one point of a flood budget; 0 when allowed, else the
 * ms until its window ends. Bridge's own fixed window (layout and arithmetic: MemoryBudget in
 * ../limiter.ts): the key holds the points used, and expires with its window.
 */
export const BUDGET_FUNCTION = `
local function takeBudget(key, points, windowMs)
  local used = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, windowMs)
    ttl = windowMs
  end
  if used > points then return math.max(1, ttl) end
  return 0
end
`;

/** KEYS: the budget. ARGV: points, window (ms). Returns 0 when allowed, else the ms until a point is free. */
const TAKE_BUDGET = `
${BUDGET_FUNCTION}
return takeBudget(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
`;

type Scripts = { bridgeTakeBudget(budget: string, points: number, windowMs: number): Promise<number> };

/** Flood budgets in Redis, shared by every node: one key per action and user (keys.ts `budget`). */
export class RedisLimits implements Limits {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, { bridgeTakeBudget: [1, TAKE_BUDGET] });
  }

  rateLimiter(name: string, limit: RateLimit): RateLimiter {
    return (key) => this.redis.bridgeTakeBudget(this.base.k.budget(name, key), limit.points, limit.durationSec * 1000);
  }
}
