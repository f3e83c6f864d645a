// The limits port's contract (Limits in server/store/ports.ts): flood budgets shared by every
// limiter asked for under one name. Run against every store by stores.test.ts.
import { expect } from 'chai';
import type { Stores } from '../../server/store/ports.js';
import { sleep, uid } from './fixtures.js';

export function describeLimitsContract(getStore: () => Stores): void {
  describe('limits port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    describe('rateLimiter', function () {
      const limit = { points: 3, durationSec: 1 };

      it('with 3 points a second, three takes return 0, the fourth the ms until a point is free, and after the second the budget is back', async function () {
        const take = store.limits.rateLimiter(uid('rl'), limit);
        const key = uid('u');
        expect([await take(key), await take(key), await take(key)]).to.deep.equal([0, 0, 0]);
        const wait = await take(key);
        expect(wait).to.be.greaterThan(0);
        expect(wait).to.be.at.most(1000);
        await sleep(1100);
        expect(await take(key)).to.equal(0);
      });

      it('each key has its own budget', async function () {
        const take = store.limits.rateLimiter(uid('rl'), limit);
        const [a, b] = [uid('u'), uid('u')];
        for (let i = 0; i < 3; i++) await take(a);
        expect(await take(a)).to.be.greaterThan(0);
        expect(await take(b)).to.equal(0);
      });

      it('two limiters with the same name on one store share the budget, and other names do not', async function () {
        // The limit must hold whichever node takes the point. For the Redis store the budget lives in
        // Redis, so every node's limiter shares it; a memory store is one node, so its limiters share
        // within that store instance (two memory stores never share anything).
        const name = uid('rl');
        const [here, there, other] = [
          store.limits.rateLimiter(name, limit),
          store.limits.rateLimiter(name, limit),
          store.limits.rateLimiter(uid('rl'), limit),
        ];
        const key = uid('u');
        expect([await here(key), await there(key), await here(key)]).to.deep.equal([0, 0, 0]);
        expect(await there(key)).to.be.greaterThan(0);
        expect(await here(key)).to.be.greaterThan(0);
        expect(await other(key)).to.equal(0);
      });
    });
  });
}
