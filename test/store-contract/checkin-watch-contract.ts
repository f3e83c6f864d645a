// The check-in watch's contract (CheckinWatch in server/store/ports.ts): each group's check-in
// rules, and the silences of people who opted in to daily check-ins, due at a time and claimed by
// one caller at a time. Run against every store by stores.test.ts.
import { expect } from 'chai';
import type { Stores, WatchedSilence } from '../../server/store/ports.js';
import { range, uid } from './fixtures.js';

export function describeCheckinWatchContract(getStore: () => Stores): void {
  describe('checkinWatch port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    /** Claims at `now` and keeps only these people's silences (other tests' share the watch). */
    const claim = async (now: number, retryMs: number, ...userIds: string[]) =>
      (await store.checkinWatch.claimDueSilences(now, retryMs, 1000)).filter((s) => userIds.includes(s.userId));

    it("a group's rules are {} until set; setting replaces them; groups are apart", async function () {
      const [g, other] = [uid('g'), uid('g')];
      expect(await store.checkinWatch.checkinRules(g)).to.deep.equal({});
      await store.checkinWatch.setCheckinRules(g, { craving: null, jump: 3, used: false, silenceHours: 0.5 });
      expect(await store.checkinWatch.checkinRules(g)).to.deep.equal({ craving: null, jump: 3, used: false, silenceHours: 0.5 });
      await store.checkinWatch.setCheckinRules(g, { craving: 6 });
      expect(await store.checkinWatch.checkinRules(g)).to.deep.equal({ craving: 6 });
      expect(await store.checkinWatch.checkinRules(other)).to.deep.equal({});
    });

    it('hands out nothing before the due time, then the silence with its start, then again only after the retry interval', async function () {
      const t = Date.now();
      const silence: WatchedSilence = { groupId: uid('g'), userId: uid('u'), since: t - 50 };
      await store.checkinWatch.watchSilence(silence, t + 1000);
      expect(await claim(t + 999, 5000, silence.userId)).to.deep.equal([]);
      expect(await claim(t + 1000, 5000, silence.userId)).to.deep.equal([silence]);
      expect(await claim(t + 5999, 5000, silence.userId), 'claimed, not yet ended').to.deep.equal([]);
      expect(await claim(t + 6000, 5000, silence.userId), 'its claimer never ended it').to.deep.equal([silence]);
      await store.checkinWatch.endSilence(silence);
      expect(await claim(t + 60_000, 5000, silence.userId), 'ended').to.deep.equal([]);
    });

    it('hands each due silence to exactly one of many concurrent claims', async function () {
      const t = Date.now();
      const silences = range(1, 5).map((i) => ({ groupId: uid('g'), userId: uid('u'), since: t - i }));
      await Promise.all(silences.map((s) => store.checkinWatch.watchSilence(s, t)));
      const users = silences.map((s) => s.userId);
      const claims = (await Promise.all(range(1, 10).map(() => claim(t, 60_000, ...users)))).flat();
      expect(claims.map((c) => c.userId).sort()).to.deep.equal([...users].sort());
      await Promise.all(silences.map((s) => store.checkinWatch.endSilence(s)));
    });

    it('watching again (a new check-in) replaces the silence, and ending the old one leaves the new one', async function () {
      const t = Date.now();
      const first: WatchedSilence = { groupId: uid('g'), userId: uid('u'), since: t };
      await store.checkinWatch.watchSilence(first, t + 100);
      expect(await claim(t + 100, 60_000, first.userId)).to.deep.equal([first]);
      const next = { ...first, since: t + 500 };
      await store.checkinWatch.watchSilence(next, t + 1000);
      await store.checkinWatch.endSilence(first);
      expect(await claim(t + 999, 60_000, first.userId)).to.deep.equal([]);
      expect(await claim(t + 1000, 60_000, first.userId)).to.deep.equal([next]);
      await store.checkinWatch.endSilence(next);
    });

    it("unwatchSilence stops one person's silence in one group, whatever its start", async function () {
      const t = Date.now();
      const u = uid('u');
      const [a, b] = [
        { groupId: uid('g'), userId: u, since: t },
        { groupId: uid('g'), userId: u, since: t },
      ];
      await store.checkinWatch.watchSilence(a, t);
      await store.checkinWatch.watchSilence(b, t);
      await store.checkinWatch.unwatchSilence(a.groupId, u);
      expect(await claim(t, 60_000, u)).to.deep.equal([b]);
      await store.checkinWatch.unwatchSilence(b.groupId, u);
      expect(await claim(t + 120_000, 60_000, u)).to.deep.equal([]);
    });
  });
}
