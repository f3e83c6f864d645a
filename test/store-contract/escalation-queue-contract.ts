// The escalation queue's contract (EscalationQueue in server/store/ports.ts): when each alert is
// next due to escalate, and a claim that hands each step to exactly one caller. Run against every
// store by stores.test.ts.
import { expect } from 'chai';
import type { Stores } from '../../server/store/ports.js';
import { range, uid } from './fixtures.js';

export function describeEscalationQueueContract(getStore: () => Stores): void {
  describe('escalationQueue port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    /** Claims at `now` and keeps only these refs (other tests' refs share the queue). */
    const claim = async (now: number, repeatMs: number, ...mine: string[]) =>
      (await store.escalationQueue.claimDueEscalations(now, repeatMs, 1000)).filter((c) => mine.includes(c.ref));

    it('hands out nothing before the due time, then step 1, then step 2 only after the repeat interval', async function () {
      const ref = uid('esc');
      const t = Date.now();
      await store.escalationQueue.scheduleEscalation(ref, t + 1000);
      expect(await claim(t + 999, 5000, ref)).to.deep.equal([]);
      expect(await claim(t + 1000, 5000, ref)).to.deep.equal([{ ref, step: 1 }]);
      expect(await claim(t + 5999, 5000, ref)).to.deep.equal([]);
      expect(await claim(t + 6000, 5000, ref)).to.deep.equal([{ ref, step: 2 }]);
      await store.escalationQueue.cancelEscalation(ref);
    });

    it('hands each step to exactly one of many concurrent claims', async function () {
      const refs = range(1, 5).map(() => uid('esc'));
      const t = Date.now();
      await Promise.all(refs.map((r) => store.escalationQueue.scheduleEscalation(r, t)));
      const claims = (await Promise.all(range(1, 10).map(() => claim(t, 60_000, ...refs)))).flat();
      expect(claims.map((c) => c.ref).sort()).to.deep.equal([...refs].sort());
      expect(claims.every((c) => c.step === 1)).to.equal(true);
      await Promise.all(refs.map((r) => store.escalationQueue.cancelEscalation(r)));
    });

    it('hands out nothing once cancelled, and a cancelled alert scheduled again starts at step 1', async function () {
      const ref = uid('esc');
      const t = Date.now();
      await store.escalationQueue.scheduleEscalation(ref, t);
      expect(await claim(t, 10, ref)).to.deep.equal([{ ref, step: 1 }]);
      await store.escalationQueue.cancelEscalation(ref);
      expect(await claim(t + 1_000_000, 10, ref)).to.deep.equal([]);
      await store.escalationQueue.scheduleEscalation(ref, t);
      expect(await claim(t, 10, ref)).to.deep.equal([{ ref, step: 1 }]);
      await store.escalationQueue.cancelEscalation(ref);
    });

    it('claims at most `limit` at once, the earliest due first', async function () {
      const refs = range(1, 3).map(() => uid('esc'));
      // Far in the past, so they are due before anything other tests left behind.
      await Promise.all(refs.map((r, i) => store.escalationQueue.scheduleEscalation(r, 1000 + i)));
      const first = await store.escalationQueue.claimDueEscalations(Date.now(), 60_000, 2);
      expect(first).to.deep.equal([
        { ref: refs[0], step: 1 },
        { ref: refs[1], step: 1 },
      ]);
      await Promise.all(refs.map((r) => store.escalationQueue.cancelEscalation(r)));
    });
  });
}
