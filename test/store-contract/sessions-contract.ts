// The session calendar's contract (SessionCalendar in server/store/ports.ts): a group's schedule and
// overrides, the windows admission and roomState read at the moment they judge, the claim that
// lets one caller announce each change, and the check queue. Run against every store by stores.test.ts.
import { expect } from 'chai';
import type { Schedule } from '../../shared/index.js';
import type { Stores } from '../../server/store/ports.js';
import type { GroupSend } from '../../server/store/store.js';
import { FRESH_STATE, range, uid } from './fixtures.js';

const SCHEDULE: Schedule = {
  timeZone: 'America/New_York',
  weekly: [{ day: 'tue', start: '18:00', minutes: 90 }],
  oneOff: [{ start: '2026-12-10T15:00:00.000Z', end: '2026-12-10T16:00:00.000Z' }],
  cancelled: ['s1'],
};

export function describeSessionsContract(getStore: () => Stores): void {
  describe('sessions port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    const T = 1_800_000_000_000;
    const A = { id: 'sa', start: T, end: T + 60_000 };
    const B = { id: 'sb', start: T + 120_000, end: T + 180_000 };

    const send = (userId: string, now: number): GroupSend => ({
      draft: { id: uid('m'), sender: { id: userId, name: 'Sam' }, kind: 'text', text: 'hi', createdAt: now },
      admin: false,
      flood: { points: 1000, durationSec: 60 },
      now,
    });
    const outcome = (r: Awaited<ReturnType<Stores['admission']['sendToGroup']>>) => ('refused' in r ? r.refused : 'sent');

    it('keeps the schedule and the overrides (forgets the ones asked); a fresh group has neither, and null removes the schedule', async function () {
      const g = uid('g');
      expect(await store.sessions.calendar(g)).to.deep.equal({ schedule: null, overrides: {} });
      await store.sessions.setSchedule(g, SCHEDULE);
      await store.sessions.setOverride(g, 'sa', { start: 1, end: 2 });
      await store.sessions.setOverride(g, 'sa', { start: 1, end: 3 });
      await store.sessions.setOverride(g, 'm1', { start: 5, end: 6 });
      expect(await store.sessions.calendar(g)).to.deep.equal({
        schedule: SCHEDULE,
        overrides: { sa: { start: 1, end: 3 }, m1: { start: 5, end: 6 } },
      });
      await store.sessions.forgetOverrides(g, ['m1', 'unknown']);
      await store.sessions.forgetOverrides(g, []);
      expect((await store.sessions.calendar(g)).overrides).to.deep.equal({ sa: { start: 1, end: 3 } });
      await store.sessions.setSchedule(g, null);
      expect((await store.sessions.calendar(g)).schedule).to.equal(null);
      expect(await store.sessions.calendar(uid('g'))).to.deep.equal({ schedule: null, overrides: {} });
    });

    it('windows: null until set, sorted by start, replaced whole, null again when the schedule goes', async function () {
      const g = uid('g');
      expect(await store.sessions.windows(g)).to.equal(null);
      await store.sessions.setWindows(g, [B, A]);
      expect(await store.sessions.windows(g)).to.deep.equal([A, B]);
      await store.sessions.setWindows(g, [B]);
      expect(await store.sessions.windows(g)).to.deep.equal([B]);
      await store.sessions.setWindows(g, []);
      expect(await store.sessions.windows(g)).to.deep.equal([]);
      await store.sessions.setWindows(g, null);
      expect(await store.sessions.windows(g)).to.equal(null);
    });

    it("roomState computes a scheduled group's session at `now`, whatever the sessionOpen setting; without a schedule the setting holds", async function () {
      const g = uid('g');
      await store.room.updateRoomState(g, { sessionOpen: false });
      await store.sessions.setWindows(g, [A, B]);
      expect(await store.room.roomState(g, T - 1)).to.deep.equal({
        ...FRESH_STATE,
        sessionOpen: false,
        session: null,
        nextSessionStart: A.start,
      });
      expect(await store.room.roomState(g, T)).to.deep.equal({ ...FRESH_STATE, sessionOpen: true, session: A, nextSessionStart: B.start });
      expect(await store.room.roomState(g, A.end)).to.deep.include({ sessionOpen: false, session: null, nextSessionStart: B.start });
      expect(await store.room.roomState(g, B.end - 1)).to.deep.include({ sessionOpen: true, session: B, nextSessionStart: null });
      expect(await store.room.roomState(g, B.end)).to.deep.include({ sessionOpen: false, session: null, nextSessionStart: null });
      await store.sessions.setWindows(g, null);
      expect(await store.room.roomState(g, T)).to.deep.equal({ ...FRESH_STATE, sessionOpen: false });
    });

    it("admission judges a participant's send by the window containing its `now` (not by the setting), facilitators any time", async function () {
      const [g, p, f] = [uid('g'), uid('u'), uid('u')];
      await store.groups.enrol(g, { userId: p, role: 'participant', name: 'Sam' });
      await store.groups.enrol(g, { userId: f, role: 'facilitator', name: 'Fay' });
      await store.room.updateRoomState(g, { sessionOpen: true });
      await store.sessions.setWindows(g, [A, B]);
      expect(outcome(await store.admission.sendToGroup(g, send(p, T - 1)))).to.equal('session-closed');
      expect(outcome(await store.admission.sendToGroup(g, send(p, T)))).to.equal('sent');
      expect(outcome(await store.admission.sendToGroup(g, send(p, A.end - 1)))).to.equal('sent');
      expect(outcome(await store.admission.sendToGroup(g, send(p, A.end)))).to.equal('session-closed');
      expect(outcome(await store.admission.sendToGroup(g, send(p, B.start + 1)))).to.equal('sent');
      expect(outcome(await store.admission.sendToGroup(g, send(f, A.end)))).to.equal('sent');
      await store.sessions.setWindows(g, []);
      expect(outcome(await store.admission.sendToGroup(g, send(p, T)))).to.equal('session-closed');
      await store.sessions.setWindows(g, null);
      expect(outcome(await store.admission.sendToGroup(g, send(p, T - 1)))).to.equal('sent');
    });

    it('claimAnnouncement: the state it replaces to the one caller that changes it, null to the rest', async function () {
      const g = uid('g');
      expect(await store.sessions.claimAnnouncement(g, 'open:sa')).to.equal('');
      expect(await store.sessions.claimAnnouncement(g, 'open:sa')).to.equal(null);
      const claims = await Promise.all(range(1, 8).map(() => store.sessions.claimAnnouncement(g, 'closed')));
      expect(claims.filter((c) => c !== null)).to.deep.equal(['open:sa']);
      expect(await store.sessions.claimAnnouncement(uid('g'), 'closed')).to.equal('');
    });

    it('session checks: none before their time, each due group to exactly one of many concurrent claims, then again after the retry', async function () {
      const groups = range(1, 4).map(() => uid('g'));
      const mine = (claimed: string[]) => claimed.filter((g) => groups.includes(g));
      const t = Date.now();
      await Promise.all(groups.map((g, i) => store.sessions.scheduleSessionCheck(g, t + i)));
      expect(mine(await store.sessions.claimDueSessionChecks(t - 1, 60_000, 1000))).to.deep.equal([]);
      const claims = (await Promise.all(range(1, 8).map(() => store.sessions.claimDueSessionChecks(t + 10, 60_000, 1000))))
        .map(mine)
        .flat();
      expect(claims.sort()).to.deep.equal([...groups].sort());
      expect(mine(await store.sessions.claimDueSessionChecks(t + 60_009, 60_000, 1000))).to.deep.equal([]);
      expect(mine(await store.sessions.claimDueSessionChecks(t + 60_010, 60_000, 1000)).sort()).to.deep.equal([...groups].sort());
      // A later schedule replaces the retry time.
      await store.sessions.scheduleSessionCheck(groups[0]!, t + 500_000);
      expect(mine(await store.sessions.claimDueSessionChecks(t + 499_999, 60_000, 1000))).to.not.include(groups[0]);
    });
  });
}
