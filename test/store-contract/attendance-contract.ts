// The attendance port's contract (Attendance in server/store/ports.ts): room connections with an
// expiry the owning node refreshes, time in the room as intervals that never overlap, the sweep of
// a dead node's connections, sessions opened by hand, thresholds and corrections. Run against
// every store by stores.test.ts. Instants are given, not read from a clock.
import { expect } from 'chai';
import type { Stores } from '../../server/store/ports.js';
import type { RoomConnection } from '../../server/store/store.js';
import { uid } from './fixtures.js';

export function describeAttendanceContract(getStore: () => Stores): void {
  describe('attendance port', function () {
    let store: Stores;
    const TTL = 60_000;
    const T = 1_700_000_000_000;

    before(function () {
      store = getStore();
    });

    const conn = (groupId: string, userId: string): RoomConnection => ({ groupId, userId, connId: uid('s') });
    const enter = (c: RoomConnection, now: number, ttl = TTL) => store.attendance.refreshRoomConnections([c], now, ttl);
    const timeOf = async (groupId: string, userId: string) => (await store.attendance.roomIntervals(groupId, [userId])).get(userId);

    it('connections enter by the refresh verb; two of one user make one interval: from the first in to the last out', async function () {
      const [g, u] = [uid('g'), uid('u')];
      const [a, b] = [conn(g, u), conn(g, u)];
      await enter(a, T);
      await enter(b, T + 1000);
      expect(await store.attendance.roomLeft(a, T + 2000)).to.equal(false);
      expect(await timeOf(g, u)).to.deep.equal([{ start: T, end: null }]);
      expect(await store.attendance.roomLeft(b, T + 3000)).to.equal(true);
      expect(await timeOf(g, u)).to.deep.equal([{ start: T, end: T + 3000 }]);
    });

    it('one call enters connections of several users and rooms, each as if alone', async function () {
      const [g, h, u, v] = [uid('g'), uid('g'), uid('u'), uid('u')];
      const [a, b] = [conn(g, u), conn(g, u)];
      await store.attendance.refreshRoomConnections([a, b, conn(g, v), conn(h, u)], T, TTL);
      expect(await timeOf(g, u)).to.deep.equal([{ start: T, end: null }]);
      expect(await timeOf(g, v)).to.deep.equal([{ start: T, end: null }]);
      expect(await timeOf(h, u)).to.deep.equal([{ start: T, end: null }]);
      expect(await store.attendance.roomLeft(a, T + 1)).to.equal(false);
      expect(await store.attendance.roomLeft(b, T + 2)).to.equal(true);
    });

    it('leaving again, or with a connection never in the room, changes nothing', async function () {
      const [g, u] = [uid('g'), uid('u')];
      const a = conn(g, u);
      await enter(a, T);
      expect(await store.attendance.roomLeft(conn(g, u), T + 500)).to.equal(false);
      expect(await store.attendance.roomLeft(a, T + 1000)).to.equal(true);
      expect(await store.attendance.roomLeft(a, T + 2000)).to.equal(false);
      expect(await timeOf(g, u)).to.deep.equal([{ start: T, end: T + 1000 }]);
    });

    it('coming back starts a second interval; rooms and users are apart', async function () {
      const [g, h, u, v] = [uid('g'), uid('g'), uid('u'), uid('u')];
      const a = conn(g, u);
      await enter(a, T);
      await store.attendance.roomLeft(a, T + 1000);
      await enter(conn(g, u), T + 5000);
      await enter(conn(h, u), T + 6000);
      await enter(conn(g, v), T + 7000);
      const all = await store.attendance.roomIntervals(g, [u, v, uid('u')]);
      expect([...all.keys()].sort()).to.deep.equal([u, v].sort());
      expect(all.get(u)).to.deep.equal([
        { start: T, end: T + 1000 },
        { start: T + 5000, end: null },
      ]);
      expect(await timeOf(h, u)).to.deep.equal([{ start: T + 6000, end: null }]);
    });

    it('the sweep ends the time of users whose every connection expired, at the moment it runs, once', async function () {
      const [g, gone, stays] = [uid('g'), uid('u'), uid('u')];
      await enter(conn(g, gone), T, 1000);
      const kept = conn(g, stays);
      await enter(kept, T, 1000);
      await store.attendance.refreshRoomConnections([kept], T + 900, TTL);
      expect(await store.attendance.sweepRoomConnections(T + 5000)).to.be.at.least(1);
      expect(await timeOf(g, gone)).to.deep.equal([{ start: T, end: T + 5000 }]);
      expect(await timeOf(g, stays)).to.deep.equal([{ start: T, end: null }]);
      await store.attendance.sweepRoomConnections(T + 6000);
      expect(await timeOf(g, gone), 'a second sweep finds nothing more').to.deep.equal([{ start: T, end: T + 5000 }]);
    });

    it('a swept connection its node refreshes again (the node stalled) starts a new interval', async function () {
      const [g, u] = [uid('g'), uid('u')];
      const a = conn(g, u);
      await enter(a, T, 1000);
      await store.attendance.sweepRoomConnections(T + 2000);
      await store.attendance.refreshRoomConnections([a], T + 3000, TTL);
      expect(await timeOf(g, u)).to.deep.equal([
        { start: T, end: T + 2000 },
        { start: T + 3000, end: null },
      ]);
      expect(await store.attendance.roomLeft(a, T + 4000)).to.equal(true);
    });

    it('keeps waiting-room stretches per user and room, apart from time in the room', async function () {
      const [g, u, v] = [uid('g'), uid('u'), uid('u')];
      await store.attendance.addWaitingTime(g, u, { start: T, end: T + 1000 });
      await store.attendance.addWaitingTime(g, u, { start: T + 5000, end: T + 6000 });
      await store.attendance.addWaitingTime(uid('g'), v, { start: T, end: T + 1 });
      const waiting = await store.attendance.waitingIntervals(g, [u, v]);
      expect([...waiting.keys()]).to.deep.equal([u]);
      expect(waiting.get(u)).to.deep.equal([
        { start: T, end: T + 1000 },
        { start: T + 5000, end: T + 6000 },
      ]);
      expect((await store.attendance.roomIntervals(g, [u])).size).to.equal(0);
    });

    it('sessions by hand: one open at a time, closed with its end, oldest first', async function () {
      const g = uid('g');
      await store.attendance.openHandSession(g, { id: `m${T}`, start: T });
      await store.attendance.openHandSession(g, { id: `m${T + 1}`, start: T + 1 });
      await store.attendance.closeHandSession(g, T + 1000);
      await store.attendance.closeHandSession(g, T + 2000);
      await store.attendance.openHandSession(g, { id: `m${T + 5000}`, start: T + 5000 });
      expect(await store.attendance.handSessions(g)).to.deep.equal([
        { id: `m${T}`, start: T, end: T + 1000 },
        { id: `m${T + 5000}`, start: T + 5000, end: null },
      ]);
      expect(await store.attendance.handSessions(uid('g'))).to.deep.equal([]);
    });

    it('keeps thresholds and corrections per group and session', async function () {
      const [g, u] = [uid('g'), uid('u')];
      expect(await store.attendance.attendanceSettings(g)).to.deep.equal({});
      await store.attendance.setAttendanceSettings(g, { lateAfterMin: 5, earlyLeaveMin: 0 });
      expect(await store.attendance.attendanceSettings(g)).to.deep.equal({ lateAfterMin: 5, earlyLeaveMin: 0 });
      const correction = { status: 'present' as const, note: 'excused, "rides" = late', by: { id: uid('u'), name: 'Fay' }, at: T };
      await store.attendance.correctAttendance(g, 's1', u, correction);
      await store.attendance.correctAttendance(g, 's1', u, { ...correction, status: 'absent' });
      expect(await store.attendance.attendanceCorrections(g, 's1')).to.deep.equal(new Map([[u, { ...correction, status: 'absent' }]]));
      expect((await store.attendance.attendanceCorrections(g, 's2')).size).to.equal(0);
    });
  });
}
