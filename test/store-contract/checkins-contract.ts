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

    it('daily check-ins are off until opted in, and can be turned off again', async function () {
      const u = uid('u');
      expect(await store.checkins.dailyOf(u)).to.equal(false);
      await store.checkins.setDaily(u, true);
      expect(await store.checkins.dailyOf(u)).to.equal(true);
      expect(await store.checkins.dailyOf(uid('u'))).to.equal(false);
      await store.checkins.setDaily(u, false);
      expect(await store.checkins.dailyOf(u)).to.equal(false);
    });

    it('trimCheckinsBefore removes the check-ins made before the cutoff, with their clientMsgIds, from every person', async function () {
      const [u, other] = [uid('u'), uid('u')];
      const now = Date.now();
      const day = 86_400_000;
      const old = entry(now - 3 * day);
      const kept = entry(now - 1000);
      const theirsOld = entry(now - 2 * day);
      const theirsKept = entry(now);
      for (const x of [old, kept]) await store.checkins.appendCheckin(u, x);
      for (const x of [theirsOld, theirsKept]) await store.checkins.appendCheckin(other, x);
      const { removed, failed } = await store.checkins.trimCheckinsBefore(now - day);
      expect(removed).to.be.at.least(2);
      expect(failed).to.deep.equal([]);
      expect(await store.checkins.checkinsOf(u, 0)).to.deep.equal([kept]);
      expect(await store.checkins.checkinsOf(other, 0)).to.deep.equal([theirsKept]);
      // A trimmed clientMsgId is free again; a kept one is still a resend.
      expect((await store.checkins.appendCheckin(u, { ...entry(now), clientMsgId: old.clientMsgId })).duplicate).to.equal(false);
      expect((await store.checkins.appendCheckin(u, { ...entry(now), clientMsgId: kept.clientMsgId })).duplicate).to.equal(true);
      expect(await store.checkins.trimCheckinsBefore(now - day), 'nothing left to trim').to.deep.equal({ removed: 0, failed: [] });
    });

    it('keeps the order of check-ins made in the same millisecond after a trim', async function () {
      const u = uid('u');
      const now = Date.now();
      await store.checkins.appendCheckin(u, entry(now - 5 * 86_400_000));
      await store.checkins.appendCheckin(u, entry(now - 4 * 86_400_000));
      await store.checkins.trimCheckinsBefore(now - 86_400_000);
      const made = [entry(now, { id: 'zz-first' }), entry(now, { id: 'aa-second' }), entry(now, { id: 'mm-third' })];
      for (const x of made) await store.checkins.appendCheckin(u, x);
      expect(await store.checkins.checkinsOf(u, 0)).to.deep.equal(made);
    });

    it('eraseCheckins forgets the check-ins, their clientMsgIds and the sharing choice of that person only', async function () {
      const [u, other] = [uid('u'), uid('u')];
      const mine = entry(1000);
      await store.checkins.appendCheckin(u, mine);
      await store.checkins.appendCheckin(u, entry(2000));
      await store.checkins.appendCheckin(other, entry(1000));
      await store.checkins.setSharing(u, 'staff');
      await store.checkins.setDaily(u, true);
      expect(await store.checkins.eraseCheckins(u)).to.equal(2);
      expect(await store.checkins.dailyOf(u)).to.equal(false);
      expect(await store.checkins.checkinsOf(u, 0)).to.deep.equal([]);
      expect(await store.checkins.sharingOf(u)).to.equal('none');
      expect((await store.checkins.appendCheckin(u, { ...entry(3000), clientMsgId: mine.clientMsgId })).duplicate).to.equal(false);
      expect(await store.checkins.checkinsOf(other, 0)).to.have.length(1);
      expect(await store.checkins.eraseCheckins(uid('u'))).to.equal(0);
    });
  });
}
