// The check-in log's contract (CheckinLog in server/store/ports.ts): a person's own check-ins,
// idempotent by clientMsgId, oldest first, and their sharing choice. Run against every store by
// stores.test.ts.
import { expect } from 'chai';
import type { Checkin } from '../../shared/index.js';
import type { Stores } from '../../server/store/ports.js';
import { uid } from './fixtures.js';

function entry(at: number, extra: Partial<Checkin> = {}): Checkin {
  return { id: uid('c'), clientMsgId: uid('m'), at, mood: 3, craving: 2, used: false, ...extra };
}

export function describeCheckinsContract(getStore: () => Stores): void {
  describe('checkins port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    it('appendCheckin keeps each check-in; checkinsOf lists those since a time, oldest first', async function () {
      const u = uid('u');
      const a = entry(1000, { note: 'steady' });
      const b = entry(3000, { used: true, craving: 9 });
      const c = entry(2000);
      for (const x of [a, b, c]) expect(await store.checkins.appendCheckin(u, x)).to.deep.equal({ checkin: x, duplicate: false });
      expect(await store.checkins.checkinsOf(u, 0)).to.deep.equal([a, c, b]);
      expect(await store.checkins.checkinsOf(u, 2000)).to.deep.equal([c, b]);
      expect(await store.checkins.checkinsOf(uid('u'), 0)).to.deep.equal([]);
    });

    it('keeps check-ins made in the same millisecond in the order they came (the rules compare with the one before)', async function () {
      const u = uid('u');
      // Ids that sort against the order they came, so an order by stored text would show.
      const first = entry(5000, { id: 'zz-first', craving: 9 });
      const second = entry(5000, { id: 'aa-second', craving: 1 });
      const third = entry(5000, { id: 'mm-third', craving: 5 });
      for (const x of [first, second, third]) await store.checkins.appendCheckin(u, x);
      expect(await store.checkins.checkinsOf(u, 0)).to.deep.equal([first, second, third]);
    });

    it('a resend with the same clientMsgId writes nothing and answers the original', async function () {
      const u = uid('u');
      const first = entry(1000);
      await store.checkins.appendCheckin(u, first);
      const again = await store.checkins.appendCheckin(u, { ...entry(2000), clientMsgId: first.clientMsgId });
      expect(again).to.deep.equal({ checkin: first, duplicate: true });
      expect(await store.checkins.checkinsOf(u, 0)).to.deep.equal([first]);
      // The same clientMsgId from someone else is their own check-in.
      const other = { ...entry(1000), clientMsgId: first.clientMsgId };
      expect((await store.checkins.appendCheckin(uid('u'), other)).duplicate).to.equal(false);
    });

    it("sharing is 'none' until chosen, and changeable", async function () {
      const u = uid('u');
      expect(await store.checkins.sharingOf(u)).to.equal('none');
      await store.checkins.setSharing(u, 'staff');
      expect(await store.checkins.sharingOf(u)).to.equal('staff');
      await store.checkins.setSharing(u, 'partners');
      expect(await store.checkins.sharingOf(u)).to.equal('partners');
    });

    it('eraseCheckins forgets the check-ins, their clientMsgIds and the sharing choice of that person only', async function () {
      const [u, other] = [uid('u'), uid('u')];
      const mine = entry(1000);
      await store.checkins.appendCheckin(u, mine);
      await store.checkins.appendCheckin(u, entry(2000));
      await store.checkins.appendCheckin(other, entry(1000));
      await store.checkins.setSharing(u, 'staff');
      expect(await store.checkins.eraseCheckins(u)).to.equal(2);
      expect(await store.checkins.checkinsOf(u, 0)).to.deep.equal([]);
      expect(await store.checkins.sharingOf(u)).to.equal('none');
      expect((await store.checkins.appendCheckin(u, { ...entry(3000), clientMsgId: mine.clientMsgId })).duplicate).to.equal(false);
      expect(await store.checkins.checkinsOf(other, 0)).to.have.length(1);
      expect(await store.checkins.eraseCheckins(uid('u'))).to.equal(0);
    });
  });
}
