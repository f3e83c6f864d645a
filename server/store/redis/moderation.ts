import type { RoomModeration } from '../ports.js';
import type { Mute } from '../store.js';
import type { RedisBase } from './base.js';

/** A mutes-hash value: 'open' (until lifted) or the end in ms; a timed mute past its end is none. */
export function muteFrom(raw: string | null, now: number): Mute | null {
  if (raw === null) return null;
  if (raw === 'open') return { until: null };
  const until = Number(raw);
  return until > now ? { until } : null;
}

/** Mutes (a hash), bans and attendance (sets) in Redis, under the group's hash tag. */
export class RedisModeration implements RoomModeration {
  constructor(private readonly base: RedisBase) {}

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

  async lockedOut(groupId: string, userId: string): Promise<boolean> {
    const { client, k } = this.base;
    // Two reads in one auto-pipeline (one slot on a Cluster): one round trip, no script needed.
    const [locked, attending] = await Promise.all([
      client.hget(k.state(groupId), 'locked'),
      client.sismember(k.attending(groupId), userId),
    ]);
    return locked === '1' && attending === 0;
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
