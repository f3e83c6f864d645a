// The push subscriptions' contract (PushSubscriptions in server/store/ports.ts). Run against
// every store by stores.test.ts.
import { expect } from 'chai';
import type { Stores } from '../../server/store/ports.js';
import { uid } from './fixtures.js';

const sub = (n: number) => ({ endpoint: `https://push.example/${n}`, keys: { p256dh: `p${n}`, auth: `a${n}` } });

export function describePushContract(getStore: () => Stores): void {
  describe('push port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    it('keeps subscriptions per user by endpoint, replaces on the same endpoint, removes one', async function () {
      const user = uid('u');
      await store.push.addPushSubscription(user, sub(1), false);
      await store.push.addPushSubscription(user, sub(2), false);
      await store.push.addPushSubscription(user, { ...sub(2), keys: { p256dh: 'x', auth: 'y' } }, false);
      const subs = await store.push.pushSubscriptionsOf(user);
      expect(subs.map((s) => s.endpoint).sort()).to.deep.equal([sub(1).endpoint, sub(2).endpoint]);
      expect(subs.find((s) => s.endpoint === sub(2).endpoint)?.keys).to.deep.equal({ p256dh: 'x', auth: 'y' });
      expect(await store.push.removePushSubscription(user, sub(1).endpoint)).to.equal(true);
      expect(await store.push.removePushSubscription(user, sub(1).endpoint)).to.equal(false);
      expect(await store.push.pushSubscriptionsOf(user)).to.have.length(1);
      expect(await store.push.pushSubscriptionsOf(uid('u'))).to.deep.equal([]);
    });

    it('lists admins with a subscription until their last one goes, and erases a user', async function () {
      const admin = uid('a');
      const other = uid('a');
      await store.push.addPushSubscription(admin, sub(1), true);
      await store.push.addPushSubscription(other, sub(1), true);
      expect(await store.push.pushAdmins()).to.include.members([admin, other]);
      await store.push.removePushSubscription(admin, sub(1).endpoint);
      expect(await store.push.pushAdmins()).to.not.include(admin);
      await store.push.erasePushSubscriptions(other);
      expect(await store.push.pushAdmins()).to.not.include(other);
      expect(await store.push.pushSubscriptionsOf(other)).to.deep.equal([]);
    });
  });
}
