import type { PushSubscriptionInfo } from '../../../shared/index.js';
import type { PushSubscriptions } from '../ports.js';
import type { RedisBase } from './base.js';

/** A hash per person under `{push:<userId>}`; the admins' set is separate (another slot on a cluster). */
export class RedisPushSubscriptions implements PushSubscriptions {
  constructor(private readonly base: RedisBase) {}

  async addPushSubscription(userId: string, subscription: PushSubscriptionInfo, admin: boolean): Promise<void> {
    const { client, k } = this.base;
    await client.hset(k.pushSubscriptions(userId), subscription.endpoint, JSON.stringify(subscription));
    if (admin) await client.sadd(k.pushAdmins(), userId);
  }

  async removePushSubscription(userId: string, endpoint: string): Promise<boolean> {
    const { client, k } = this.base;
    const removed = (await client.hdel(k.pushSubscriptions(userId), endpoint)) > 0;
    if ((await client.hlen(k.pushSubscriptions(userId))) === 0) await client.srem(k.pushAdmins(), userId);
    return removed;
  }

  async pushSubscriptionsOf(userId: string): Promise<PushSubscriptionInfo[]> {
    const rows = await this.base.client.hvals(this.base.k.pushSubscriptions(userId));
    return rows.map((raw) => JSON.parse(raw) as PushSubscriptionInfo);
  }

  async pushAdmins(): Promise<string[]> {
    return this.base.client.smembers(this.base.k.pushAdmins());
  }

  async erasePushSubscriptions(userId: string): Promise<void> {
    const { client, k } = this.base;
    await client.del(k.pushSubscriptions(userId));
    await client.srem(k.pushAdmins(), userId);
  }
}
