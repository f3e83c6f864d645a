import type { PushSubscriptionInfo } from '../../../shared/index.js';
import type { PushSubscriptions } from '../ports.js';

export class MemoryPushSubscriptions implements PushSubscriptions {
  private readonly byUser = new Map<string, Map<string, PushSubscriptionInfo>>();
  private readonly admins = new Set<string>();

  async addPushSubscription(userId: string, subscription: PushSubscriptionInfo, admin: boolean): Promise<void> {
    const subs = this.byUser.get(userId) ?? new Map<string, PushSubscriptionInfo>();
    subs.set(subscription.endpoint, structuredClone(subscription));
    this.byUser.set(userId, subs);
    if (admin) this.admins.add(userId);
  }

  async removePushSubscription(userId: string, endpoint: string): Promise<boolean> {
    const subs = this.byUser.get(userId);
    const removed = subs?.delete(endpoint) ?? false;
    if (subs?.size === 0) await this.erasePushSubscriptions(userId);
    return removed;
  }

  async pushSubscriptionsOf(userId: string): Promise<PushSubscriptionInfo[]> {
    return [...(this.byUser.get(userId)?.values() ?? [])].map((s) => structuredClone(s));
  }

  async pushAdmins(): Promise<string[]> {
    return [...this.admins];
  }

  async erasePushSubscriptions(userId: string): Promise<void> {
    this.byUser.delete(userId);
    this.admins.delete(userId);
  }
}
