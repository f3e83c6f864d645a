import type { CheckinRulesSet } from '../../../shared/index.js';
import type { CheckinWatch, WatchedSilence } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import { withScripts, type RedisBase } from './base.js';

/**
 * KEYS: due (sorted set ref → due ms), since (hash ref → since ms). ARGV: now, retryMs, limit.
 * Moves each due silence forward in the same script that takes it, so two nodes sweeping at once
 * never both take it. Returns ref, since pairs.
 */
const CLAIM_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local out = {}
local retry = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, ref in ipairs(due) do
  redis.call('ZADD', KEYS[1], retry, ref)
  out[#out + 1] = ref
  out[#out + 1] = redis.call('HGET', KEYS[2], ref) or '0'
end
return out
`;

const WATCH = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
`;

/** ARGV: ref, since ('' for any). */
const END = `
if ARGV[2] ~= '' and redis.call('HGET', KEYS[2], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
`;

type Scripts = {
  bridgeClaimSilences(due: string, since: string, now: number, retryMs: number, limit: number): Promise<string[]>;
  bridgeWatchSilence(due: string, since: string, dueAt: number, ref: string, sinceAt: number): Promise<null>;
  bridgeEndSilence(due: string, since: string, ref: string, sinceAt: string): Promise<number>;
};

const refOf = (groupId: string, userId: string) => `${groupId}:${userId}`;

/** Group rules under the group's hash tag; the silence watch under one (`{sil}`), so every script is one slot on a Redis Cluster. */
export class RedisCheckinWatch implements CheckinWatch {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, {
      bridgeClaimSilences: [2, CLAIM_DUE],
      bridgeWatchSilence: [2, WATCH],
      bridgeEndSilence: [2, END],
    });
  }

  async checkinRules(groupId: string): Promise<CheckinRulesSet> {
    const raw = await this.redis.get(this.base.k.checkinRules(groupId));
    return raw ? (JSON.parse(raw) as CheckinRulesSet) : {};
  }

  async setCheckinRules(groupId: string, rules: CheckinRulesSet): Promise<void> {
    await this.redis.set(this.base.k.checkinRules(groupId), JSON.stringify(rules));
  }

  async watchSilence({ groupId, userId, since }: WatchedSilence, dueAt: number): Promise<void> {
    const { k } = this.base;
    await this.redis.bridgeWatchSilence(k.silenceDue(), k.silenceSince(), dueAt, refOf(groupId, userId), since);
  }

  async claimDueSilences(now: number, retryMs: number, limit: number): Promise<WatchedSilence[]> {
    const { k } = this.base;
    const flat = await this.redis.bridgeClaimSilences(k.silenceDue(), k.silenceSince(), now, retryMs, limit);
    const out: WatchedSilence[] = [];
    for (let i = 0; i < flat.length; i += 2) {
      const [groupId = '', userId = ''] = String(flat[i]).split(':');
      out.push({ groupId, userId, since: Number(flat[i + 1]) });
    }
    return out;
  }

  async endSilence({ groupId, userId, since }: WatchedSilence): Promise<void> {
    const { k } = this.base;
    await this.redis.bridgeEndSilence(k.silenceDue(), k.silenceSince(), refOf(groupId, userId), String(since));
  }

  async unwatchSilence(groupId: string, userId: string): Promise<void> {
    const { k } = this.base;
    await this.redis.bridgeEndSilence(k.silenceDue(), k.silenceSince(), refOf(groupId, userId), '');
  }
}
