import type { EscalationQueue } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import { withScripts, type RedisBase } from './base.js';

/**
 * KEYS: due (sorted set ref → due ms), steps (hash ref → steps taken). ARGV: now, repeatMs, limit.
 * Moves each due ref forward and counts its step in the same script, so two nodes polling at once
 * never both take a step.
 */
const CLAIM_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
local next = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, ref in ipairs(due) do
  redis.call('ZADD', KEYS[1], next, ref)
  out[#out + 1] = ref
  out[#out + 1] = redis.call('HINCRBY', KEYS[2], ref, 1)
end
return out
`;

const SCHEDULE = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('HDEL', KEYS[2], ARGV[2])
`;

const CANCEL = `
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
`;

type Scripts = {
  bridgeClaimEscalations(due: string, steps: string, now: number, repeatMs: number, limit: number): Promise<(string | number)[]>;
  bridgeScheduleEscalation(due: string, steps: string, dueAt: number, ref: string): Promise<null>;
  bridgeCancelEscalation(due: string, steps: string, ref: string): Promise<null>;
};

/** Due times under one hash tag (`{esc}`), so every script is one slot on a Redis Cluster. */
export class RedisEscalationQueue implements EscalationQueue {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, {
      bridgeClaimEscalations: [2, CLAIM_DUE],
      bridgeScheduleEscalation: [2, SCHEDULE],
      bridgeCancelEscalation: [2, CANCEL],
    });
  }

  async scheduleEscalation(ref: string, dueAt: number): Promise<void> {
    await this.redis.bridgeScheduleEscalation(this.base.k.escalationDue(), this.base.k.escalationSteps(), dueAt, ref);
  }

  async claimDueEscalations(now: number, repeatMs: number, limit: number): Promise<{ ref: string; step: number }[]> {
    const flat = await this.redis.bridgeClaimEscalations(this.base.k.escalationDue(), this.base.k.escalationSteps(), now, repeatMs, limit);
    const out: { ref: string; step: number }[] = [];
    for (let i = 0; i < flat.length; i += 2) out.push({ ref: String(flat[i]), step: Number(flat[i + 1]) });
    return out;
  }

  async cancelEscalation(ref: string): Promise<void> {
    await this.redis.bridgeCancelEscalation(this.base.k.escalationDue(), this.base.k.escalationSteps(), ref);
  }
}
