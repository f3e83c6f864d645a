import type { RateLimit } from './store.js';

/**
 * Bridge's flood budget: a fixed window per key (a user) and action. Both stores keep the same
 * arithmetic; RedisStore's is the Lua function TAKE_BUDGET in scripts.ts, in the same script as a
 * group send, so a send takes its point in the same round trip.
 * - Key (Redis): `<prefix>rl:<action>:<user id>` (keys.ts `budget`), a string: the points used
 *   in the current window, expiring when the window ends.
 * - Take one point: used += 1; the first point of a window starts it (the key expires
 *   `durationSec` later). Allowed while used <= points; otherwise the answer is the ms until the
 *   window ends (at least 1). A refused take still counts, so hammering never buys a point back.
 */
export class MemoryBudget {
  private readonly windows = new Map<string, { used: number; endsAt: number }>();
  private nextSweep = 0;

  constructor(private readonly limit: RateLimit) {}

  /** Takes one point for `key` now: 0 when allowed, else the ms until the window ends. */
  take(key: string): number {
    const now = Date.now();
    const windowMs = this.limit.durationSec * 1000;
    this.sweep(now, windowMs);
    let w = this.windows.get(key);
    if (!w || w.endsAt <= now) {
      w = { used: 0, endsAt: now + windowMs };
      this.windows.set(key, w);
    }
    w.used++;
    return w.used > this.limit.points ? Math.max(1, w.endsAt - now) : 0;
  }

  /** Once a window, forgets the windows that ended, so idle keys do not pile up. */
  private sweep(now: number, windowMs: number): void {
    if (now < this.nextSweep) return;
    for (const [key, w] of this.windows) if (w.endsAt <= now) this.windows.delete(key);
    this.nextSweep = now + windowMs;
  }
}
