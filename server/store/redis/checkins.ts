import type { Checkin, CheckinSharing } from '../../../shared/index.js';
import { isStoreUnavailable } from '../../errors.js';
import type { CheckinLog } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import { withScripts, type RedisBase } from './base.js';

/**
 * KEYS: the person's log (zset by time), their clientMsgId hash, their place counter. ARGV:
 * clientMsgId, at, the check-in JSON. Returns the original's JSON on a resend, else nil. Each
 * member is the check-in's place in the person's log (12 digits, then ':') and its JSON: check-ins
 * made in the same millisecond share a score, and Redis orders those by member, so the place keeps
 * the order they came in (the alert rules compare a check-in with the one before). The place is
 * the clientMsgId hash's length until retention first shortens it; from then on the counter
 * (which the trim sets) carries it on.
 */
const APPEND_CHECKIN = `
local original = redis.call('HGET', KEYS[2], ARGV[1])
if original then return original end
local place = redis.call('HLEN', KEYS[2])
if redis.call('EXISTS', KEYS[3]) == 1 then place = redis.call('INCR', KEYS[3]) - 1 end
redis.call('ZADD', KEYS[1], ARGV[2], string.format('%012d:', place) .. ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
return false
`;

/**
 * KEYS as APPEND_CHECKIN. ARGV: cutoff. Removes the check-ins made before the cutoff and their
 * clientMsgId entries, found by their JSON (the hash holds the same text as the member), so no
 * record is parsed and none that is not JSON can stop the trim. Returns how many went.
 */
const TRIM_CHECKINS = `
local old = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
if #old == 0 then return 0 end
if redis.call('EXISTS', KEYS[3]) == 0 then redis.call('SET', KEYS[3], redis.call('HLEN', KEYS[2])) end
local gone = {}
for _, member in ipairs(old) do
  local colon = string.find(member, ':', 1, true)
  if colon then gone[string.sub(member, colon + 1)] = true end
end
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  if gone[all[i + 1]] then redis.call('HDEL', KEYS[2], all[i]) end
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1])
return #old
`;

type Scripts = {
  bridgeAppendCheckin(log: string, clientIds: string, place: string, clientMsgId: string, at: number, json: string): Promise<string | null>;
  bridgeTrimCheckins(log: string, clientIds: string, place: string, cutoff: number): Promise<number>;
};

/**
 * Each person's check-ins in Redis, all keys under the person's hash tag `{ck:<userId>}`, and the
 * set of everyone with check-ins that the retention sweep walks.
 */
export class RedisCheckins implements CheckinLog {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, { bridgeAppendCheckin: [3, APPEND_CHECKIN], bridgeTrimCheckins: [3, TRIM_CHECKINS] });
  }

  async appendCheckin(userId: string, checkin: Checkin): Promise<{ checkin: Checkin; duplicate: boolean }> {
    const { k } = this.base;
    // Before the append: a person listed with no check-in costs the sweep one look, a check-in
    // with its person unlisted would outlive retention.
    await this.redis.sadd(k.checkinPeople(), userId);
    const original = await this.redis.bridgeAppendCheckin(
      k.checkins(userId),
      k.checkinClientIds(userId),
      k.checkinPlace(userId),
      checkin.clientMsgId,
      checkin.at,
      this.base.crypto.stringify('checkin', checkin),
    );
    return original ? { checkin: this.base.crypto.parse<Checkin>('checkin', original), duplicate: true } : { checkin, duplicate: false };
  }

  async checkinsOf(userId: string, since: number): Promise<Checkin[]> {
    const rows = await this.redis.zrangebyscore(this.base.k.checkins(userId), since, '+inf');
    return rows.map((member) => this.base.crypto.parse<Checkin>('checkin', member.slice(member.indexOf(':') + 1)));
  }

  async sharingOf(userId: string): Promise<CheckinSharing> {
    return ((await this.redis.get(this.base.k.checkinSharing(userId))) as CheckinSharing | null) ?? 'none';
  }

  async setSharing(userId: string, sharing: CheckinSharing): Promise<void> {
    await this.redis.set(this.base.k.checkinSharing(userId), sharing);
  }

  async dailyOf(userId: string): Promise<boolean> {
    return (await this.redis.exists(this.base.k.checkinDaily(userId))) === 1;
  }

  async setDaily(userId: string, on: boolean): Promise<void> {
    if (on) await this.redis.set(this.base.k.checkinDaily(userId), '1');
    else await this.redis.del(this.base.k.checkinDaily(userId));
  }

  async eraseCheckins(userId: string): Promise<number> {
    const { k } = this.base;
    const n = await this.redis.zcard(k.checkins(userId));
    // One hash tag, so one DEL also on a Redis Cluster.
    await this.redis.del(
      k.checkins(userId),
      k.checkinClientIds(userId),
      k.checkinPlace(userId),
      k.checkinSharing(userId),
      k.checkinDaily(userId),
    );
    await this.redis.srem(k.checkinPeople(), userId);
    this.base.erased();
    return n;
  }

  async trimCheckinsBefore(cutoff: number): Promise<{ removed: number; failed: string[] }> {
    const { k } = this.base;
    let removed = 0;
    const failed: string[] = [];
    for (const userId of await this.redis.smembers(k.checkinPeople())) {
      try {
        removed += await this.redis.bridgeTrimCheckins(k.checkins(userId), k.checkinClientIds(userId), k.checkinPlace(userId), cutoff);
      } catch (err) {
        // Redis itself unreachable fails everyone alike: the sweep stops and runs again later.
        if (isStoreUnavailable(err)) throw err;
        // One person's bad state: the caller logs their id, the next sweep tries them again.
        failed.push(userId);
      }
    }
    return { removed, failed };
  }
}
