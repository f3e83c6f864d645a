import type { Checkin, CheckinSharing } from '../../../shared/index.js';
import type { CheckinLog } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import { withScripts, type RedisBase } from './base.js';

/**
 * KEYS: the person's log (zset by time), their clientMsgId hash. ARGV: clientMsgId, at, the
 * check-in JSON. Returns the original's JSON on a resend, else nil. Each member is the check-in's
 * place in the person's log (12 digits, then ':') and its JSON: check-ins made in the same
 * millisecond share a score, and Redis orders those by member, so the place keeps the order they
 * came in (the alert rules compare a check-in with the one before).
 */
const APPEND_CHECKIN = `
local original = redis.call('HGET', KEYS[2], ARGV[1])
if original then return original end
local place = redis.call('HLEN', KEYS[2])
redis.call('ZADD', KEYS[1], ARGV[2], string.format('%012d:', place) .. ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return false
`;

type Scripts = {
  bridgeAppendCheckin(log: string, clientIds: string, clientMsgId: string, at: number, json: string): Promise<string | null>;
};

/** Each person's check-ins in Redis, all keys under the person's hash tag `{ck:<userId>}`. */
export class RedisCheckins implements CheckinLog {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, { bridgeAppendCheckin: [2, APPEND_CHECKIN] });
  }

  async appendCheckin(userId: string, checkin: Checkin): Promise<{ checkin: Checkin; duplicate: boolean }> {
    const { k } = this.base;
    const original = await this.redis.bridgeAppendCheckin(
      k.checkins(userId),
      k.checkinClientIds(userId),
      checkin.clientMsgId,
      checkin.at,
      JSON.stringify(checkin),
    );
    return original ? { checkin: JSON.parse(original) as Checkin, duplicate: true } : { checkin, duplicate: false };
  }

  async checkinsOf(userId: string, since: number): Promise<Checkin[]> {
    const rows = await this.redis.zrangebyscore(this.base.k.checkins(userId), since, '+inf');
    return rows.map((member) => JSON.parse(member.slice(member.indexOf(':') + 1)) as Checkin);
  }

  async sharingOf(userId: string): Promise<CheckinSharing> {
    return ((await this.redis.get(this.base.k.checkinSharing(userId))) as CheckinSharing | null) ?? 'none';
  }

  async setSharing(userId: string, sharing: CheckinSharing): Promise<void> {
    await this.redis.set(this.base.k.checkinSharing(userId), sharing);
  }

  async eraseCheckins(userId: string): Promise<number> {
    const { k } = this.base;
    const n = await this.redis.zcard(k.checkins(userId));
    // One hash tag, so one DEL also on a Redis Cluster.
    await this.redis.del(k.checkins(userId), k.checkinClientIds(userId), k.checkinSharing(userId));
    return n;
  }
}
