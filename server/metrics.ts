import { timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { bearerToken } from './auth/http.js';

/**
 * The node's Prometheus metrics (docs/protocol.md §8 `GET /metrics`). Labels come from closed sets only
 * (event names from shared/events.ts, error codes, message kinds, Redis client roles): never a
 * user id, a name or text, which would leak people into a monitoring system and grow without
 * bound. The hot path only increments counters; gauges are read when scraped.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly events = new Counter({
    name: 'bridge_events_total',
    help: 'Client events handled, by event and outcome (ok or the error code acked)',
    labelNames: ['event', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly ackSeconds = new Histogram({
    name: 'bridge_ack_seconds',
    help: 'Time from a valid client event to its ack, by event',
    labelNames: ['event'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly stored = new Counter({
    name: 'bridge_messages_stored_total',
    help: 'New messages stored and published, by conversation kind',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly redisErrors = new Counter({
    name: 'bridge_redis_errors_total',
    help: "Errors reported by this node's Redis connections, by role",
    labelNames: ['client'] as const,
    registers: [this.registry],
  });

  private readonly alertAckSeconds = new Histogram({
    name: 'bridge_alert_ack_seconds',
    help: 'Time from an alert being raised to its first acknowledgement',
    buckets: [5, 15, 30, 60, 120, 300, 600, 1800, 3600, 14_400],
    registers: [this.registry],
  });

  constructor(probes: { sockets: () => number; ready: () => Promise<boolean> }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'bridge_' });
    new Gauge({
      name: 'bridge_connected_sockets',
      help: 'Authenticated Socket.IO connections open on this node (sessions without an accepted handshake are not counted)',
      registers: [this.registry],
      collect() {
        this.set(probes.sockets());
      },
    });
    new Gauge({
      name: 'bridge_ready',
      help: '1 when this node is ready (store answers, not draining), as /readyz',
      registers: [this.registry],
      async collect() {
        this.set((await probes.ready()) ? 1 : 0);
      },
    });
  }

  event(event: string, outcome: string, seconds?: number): void {
    this.events.inc({ event, outcome });
    if (seconds !== undefined) this.ackSeconds.observe({ event }, seconds);
  }

  messageStored(kind: 'group' | 'partner'): void {
    this.stored.inc({ kind });
  }

  alertAcknowledged(seconds: number): void {
    this.alertAckSeconds.observe(seconds);
  }

  redisError(client: 'store' | 'adapter'): void {
    this.redisErrors.inc({ client });
  }
}

/** Constant-time comparison of a presented bearer token with the configured one. */
export function metricsTokenMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(bearerToken(header) ?? '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}
