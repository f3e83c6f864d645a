import type { WaitingFacts } from '../../admission.js';
import type { RoomModeration } from '../ports.js';
import type { RedisClient } from '../redis-client.js';
import type { Mute, MuteEntry, WaitingEntry } from '../store.js';
import { ADMIT_WAITING, LEAVE_WAITING } from './admission-scripts.js';
import { withScripts, type RedisBase } from './base.js';

type Scripts = {
  bridgeAdmitWaiting(waiting: string, attending: string, ...userIds: string[]): Promise<string[]>;
  bridgeLeaveWaiting(waiting: string, userId: string): Promise<string | null>;
};

/** ZRANGE … WITHSCORES or a script's id, score, id, score… as entries. */
function entries(flat: string[]): WaitingEntry[] {
  const list: WaitingEntry[] = [];
  for (let i = 0; i < flat.length; i += 2) list.push({ userId: flat[i]!, since: Number(flat[i + 1]) });
  return list;
}

/** A mutes-hash value: 'open' (until lifted) or the end in ms; a timed mute past its end is none. */
export function muteFrom(raw: string | null, now: number): Mute | null {
  if (raw === null) return null;
  if (raw === 'open') return { until: null };
  const until = Number(raw);
  return until > now ? { until } : null;
}

/** Mutes (a hash), bans and attendance (sets) and the waiting list (a sorted set) in Redis, under the group's hash tag. */
export class RedisModeration implements RoomModeration {
  private readonly redis: RedisClient & Scripts;

  constructor(private readonly base: RedisBase) {
    this.redis = withScripts<Scripts>(base.client, { bridgeAdmitWaiting: [2, ADMIT_WAITING], bridgeLeaveWaiting: [1, LEAVE_WAITING] });
  }

  async setMute(groupId: string, userId: string, mute: Mute): Promise<void> {
    await this.base.client.hset(this.base.k.mutes(groupId), userId, mute.until === null ? 'open' : String(mute.until));
  }

  async clearMute(groupId: string, userId: string): Promise<boolean> {
    return (await this.base.client.hdel(this.base.k.mutes(groupId), userId)) === 1;
  }

  async muteOf(groupId: string, userId: string, now: number): Promise<Mute | null> {
    return muteFrom(await this.base.client.hget(this.base.k.mutes(groupId), userId), now);
  }

  async setBan(groupId: string, userId: string, banned: boolean): Promise<boolean> {
    const key = this.base.k.bans(groupId);
    return (banned ? await this.base.client.sadd(key, userId) : await this.base.client.srem(key, userId)) === 1;
  }

  async isBanned(groupId: string, userId: string): Promise<boolean> {
    return (await this.base.client.sismember(this.base.k.bans(groupId), userId)) === 1;
  }

  async mutes(groupId: string, now: number): Promise<MuteEntry[]> {
    const all = await this.base.client.hgetall(this.base.k.mutes(groupId));
    return Object.entries(all).flatMap(([userId, raw]) => {
      const mute = muteFrom(raw, now);
      return mute ? [{ userId, ...mute }] : [];
    });
  }

  async bans(groupId: string): Promise<string[]> {
    return this.base.client.smembers(this.base.k.bans(groupId));
  }

  async waitingFacts(groupId: string, userId: string): Promise<WaitingFacts> {
    const { client, k } = this.base;
    // Two reads in one auto-pipeline (one slot on a Cluster): one round trip, no script needed.
    const [[locked, waitingRoom], attending] = await Promise.all([
      client.hmget(k.state(groupId), 'locked', 'waitingRoom'),
      client.sismember(k.attending(groupId), userId),
    ]);
    return { locked: locked === '1', waitingRoom: waitingRoom === '1', admitted: attending === 1 };
  }

  async waitingList(groupId: string): Promise<WaitingEntry[]> {
    return entries(await this.base.client.zrange(this.base.k.waiting(groupId), 0, -1, 'WITHSCORES'));
  }

  async admitWaiting(groupId: string, userIds: string[] | 'all'): Promise<WaitingEntry[]> {
    if (userIds !== 'all' && userIds.length === 0) return [];
    const { k } = this.base;
    return entries(await this.redis.bridgeAdmitWaiting(k.waiting(groupId), k.attending(groupId), ...(userIds === 'all' ? [] : userIds)));
  }

  async leaveWaiting(groupId: string, userId: string): Promise<number | null> {
    const since = await this.redis.bridgeLeaveWaiting(this.base.k.waiting(groupId), userId);
    return since === null ? null : Number(since);
  }

  async attendAll(groupId: string, userIds: string[]): Promise<boolean> {
    const found = await this.base.client.smismember(this.base.k.attending(groupId), ...userIds);
    return found.every((f) => f === 1);
  }

  async forgetAttending(groupId: string, userId?: string): Promise<void> {
    if (userId === undefined) await this.base.client.del(this.base.k.attending(groupId));
    else await this.base.client.srem(this.base.k.attending(groupId), userId);
  }
}
