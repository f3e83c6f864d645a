import type { RedisClient } from '../store/redis-client.js';
import type { Logger } from '../logger.js';

/** At most one warning per this many ms while publishes keep failing. */
const WARN_EVERY_MS = 5000;

/**
 * The Socket.IO Redis adapters publish fire-and-forget (`pubClient.publish(...)` with nobody
 * awaiting it), so while Redis is away every broadcast's rejected PUBLISH surfaces as an unhandled
 * rejection. This marks each publish promise handled and says what it means, at most once per
 * WARN_EVERY_MS with the count, instead of one error line per broadcast.
 * @example const pub = new Redis(url); guardPublishes(pub, log); io.adapter(createAdapter(pub, sub));
 */
export function guardPublishes(client: RedisClient, log: Logger): void {
  let failed = 0;
  let warnedAt = 0;
  const onFailure = (err: unknown) => {
    failed++;
    const now = Date.now();
    if (now - warnedAt < WARN_EVERY_MS) return;
    warnedAt = now;
    log.warn(
      { failed, err: err instanceof Error ? err.name : typeof err },
      'adapter publish failed: live delivery to other nodes is lost while Redis is away (clients catch up with since)',
    );
    failed = 0;
  };
  const target = client as unknown as Record<string, unknown>;
  for (const name of ['publish', 'spublish']) {
    const original = target[name];
    if (typeof original !== 'function') continue;
    target[name] = (...args: unknown[]) => {
      const result: unknown = (original as (...a: unknown[]) => unknown).apply(client, args);
      if (result && typeof (result as Promise<unknown>).catch === 'function') (result as Promise<unknown>).catch(onFailure);
      return result;
    };
  }
}
