import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimiter } from './store.js';

/** Adapts a rate-limiter-flexible limiter: 0 when allowed, else ms until a point is free; store faults propagate. */
export function toRateLimiter(limiter: RateLimiterAbstract): RateLimiter {
  return async (key) => {
    try {
      await limiter.consume(key, 1);
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, rejection.msBeforeNext);
      throw rejection;
    }
  };
}
