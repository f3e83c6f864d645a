// Attendance (docs/protocol.md §5.8; issue 17): time in the room per member and session, over
// HTTP as JSON and CSV, corrections audited. Real sockets on one node, both stores; the cluster
// cases (a rejoin on another node, a killed node) are in test/cluster/attendance.test.ts.
import { expect } from 'chai';
import { minutesOf } from '../../server/attendance/records.js';
import {
  REDISCLOSURE_NOTICE,
  type AttendanceRecord,
  type GroupJoinWaiting,
  type AttendanceResult,
  type AuditEntry,
} from '../../shared/index.js';
import type { TestClient } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { enrol, http, makeGroup, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

/** Polls an async check until it gives a value. */
async function until<T>(check: () => Promise<T | undefined | false | null>, what: string, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** RFC 4180 rows (quoted cells, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((cell += '"'), i++);
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (row.push(cell), (cell = ''));
    else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      ((row = []), (cell = ''), i++);
    } else cell += ch;
  }
  return rows;
}

for (const kind of STORE_KINDS) {
  describe(`attendance (${kind} store)`, function () {
    let srv: TestServer;
    const { connect, enter, closeAll } = roomClients(() => srv);
    /** A join that must be left waiting (§5.7); its answer. */
    const knock = async (c: TestClient, groupId: string): Promise<GroupJoinWaiting> => {
      const res = await c.ack('group:join', { groupId });
      if (!res.ok || 'members' in res.data) throw new Error(`expected to wait: ${JSON.stringify(res)}`);
      return res.data;
    };

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    const get = (u: TestUser, path: string) => http(srv.url, 'GET', path, { token: u.token });
    const timeOf = async (groupId: string, userId: string) =>
      (await srv.store.attendance.roomIntervals(groupId, [userId])).get(userId) ?? [];

    /** A group with a session opened by hand, and its id. */
    async function handSession(fac: TestUser, people: TestUser[]) {
      const groupId = await makeGroup(srv, fac, people);
      const cf = await enter(fac, groupId);
      await cf.ok('mod:session', { groupId, open: false });
      await cf.ok('mod:session', { groupId, open: true });
      const listed = await get(fac, `/api/groups/${groupId}/attendance`);
      expect(listed.status).to.equal(200);
      const [session] = listed.body.data.sessions;
      expect(session.id).to.match(/^m\d+$/);
      expect(session.end, 'open').to.equal(null);
      return { groupId, cf, sessionId: session.id as string };
    }

    it('two tabs in the room at once count once: one stretch from the first in to the last out', async function () {
      const fac = srv.user('facilitator');
      const [p, away] = [srv.user('participant', 'Pat'), srv.user('participant', 'Zed')];
      const { groupId, cf, sessionId } = await handSession(fac, [p, away]);
      const tab1 = await enter(p, groupId);
      const tab2 = await enter(p, groupId);
      await tab2.ok('group:leave', { groupId });
      expect(await timeOf(groupId, p.id), 'one tab left, one still in')
        .to.have.length(1)
        .and.to.satisfy((t: { end: null }[]) => t[0]!.end === null);
      tab1.close();
      const [stretch] = await until(async () => {
        const t = await timeOf(groupId, p.id);
        return t.length === 1 && t[0]!.end !== null && t;
      }, 'the last tab out ends the stretch');
      await cf.ok('mod:session', { groupId, open: false });

      const res = await get(fac, `/api/groups/${groupId}/sessions/${sessionId}/attendance`);
      expect(res.status).to.equal(200);
      const data = res.body.data as AttendanceResult;
      expect(data.session.end, 'closed').to.be.a('number');
      expect(data.settings).to.deep.equal({ lateAfterMin: 10, earlyLeaveMin: 10 });
      expect(
        data.records.map((r) => r.userId),
        'every participant, by name; not the facilitator',
      ).to.deep.equal([p.id, away.id]);
      const [pat, zed] = data.records as [AttendanceRecord, AttendanceRecord];
      expect(await timeOf(groupId, p.id), 'still one stretch in the store').to.deep.equal([stretch]);
      expect(pat).to.deep.include({
        firstJoined: stretch!.start,
        lastLeft: stretch!.end,
        waitingMinutes: 0,
        computedStatus: 'present',
        status: 'present',
      });
      expect(pat.stretches).to.deep.equal([{ start: stretch!.start, end: stretch!.end }]);
      expect(pat.minutes).to.equal(minutesOf(stretch!.end! - stretch!.start));
      expect(zed).to.deep.equal({
        userId: away.id,
        name: 'Zed',
        firstJoined: null,
        lastLeft: null,
        minutes: 0,
        stretches: [],
        waitingMinutes: 0,
        status: 'absent',
        computedStatus: 'absent',
      });
    });

    it('mod:remove and an unenrolment end the time in the room of every socket they take out', async function () {
      const fac = srv.user('facilitator');
      const [removed, unenrolled] = [srv.user(), srv.user()];
      const { groupId, cf } = await handSession(fac, [removed, unenrolled]);
      await enter(removed, groupId);
      await enter(removed, groupId);
      await enter(unenrolled, groupId);
      await cf.ok('mod:remove', { groupId, userId: removed.id });
      const gone = await http(srv.url, 'DELETE', `/api/groups/${groupId}/members/${unenrolled.id}`, { token: fac.token });
      expect(gone.status).to.equal(200);
      for (const u of [removed, unenrolled]) {
        const stretches = await until(async () => {
          const t = await timeOf(groupId, u.id);
          return t[0]?.end && t;
        }, 'the stretch ended');
        expect(stretches, u === removed ? 'removed' : 'unenrolled').to.have.length(1);
      }
    });

    it('time in the waiting room, as the waiting room reports it, shows as waitingMinutes, apart from minutes and status', async function () {
      const fac = srv.user('facilitator');
      const p = srv.user();
      const { groupId, cf, sessionId } = await handSession(fac, [p]);
      await cf.ok('mod:session', { groupId, open: false });
      const path = `/api/groups/${groupId}/sessions/${sessionId}/attendance`;
      const { session } = (await get(fac, path)).body.data as AttendanceResult;
      // Waiting before the session started is not the session's.
      await srv.store.attendance.addWaitingTime(groupId, p.id, { start: session.start - 60_000, end: session.end! });
      const [record] = (await get(fac, path)).body.data.records as AttendanceRecord[];
      expect(record).to.deep.include({ minutes: 0, status: 'absent', waitingMinutes: minutesOf(session.end! - session.start) });
    });

    it('the waiting room reports each wait: from the knock to the admission, and from a knock to being turned away', async function () {
      const fac = srv.user('facilitator');
      const [p, q] = [srv.user(), srv.user()];
      const { groupId, cf } = await handSession(fac, [p, q]);
      await cf.ok('mod:waitingroom', { groupId, waitingRoom: true });
      const knockP = await knock(await connect(p), groupId);
      const knockQ = await knock(await connect(q), groupId);
      expect(await srv.store.attendance.waitingIntervals(groupId, [p.id, q.id])).to.have.property('size', 0);
      const beforeAdmit = Date.now();
      await cf.ok('mod:admit', { groupId, userId: p.id });
      await cf.ok('mod:turn-away', { groupId, userId: q.id });
      const waits = await srv.store.attendance.waitingIntervals(groupId, [p.id, q.id]);
      const [wp] = waits.get(p.id) ?? [];
      const [wq] = waits.get(q.id) ?? [];
      expect(wp?.start).to.equal(knockP.waiting.since);
      expect(wp?.end).to.be.at.least(beforeAdmit);
      expect(wq?.start).to.equal(knockQ.waiting.since);
      expect(wq?.end).to.be.at.least(wp!.end!);
    });

    it('CSV (?format=csv or Accept: text/csv) has a header and the JSON values, names escaped and defused', async function () {
      const fac = srv.user('facilitator');
      const p = srv.user('participant', 'Lee, "Jo"');
      const tricky = srv.user();
      const { groupId, sessionId } = await handSession(fac, [p]);
      await enrol(srv, groupId, fac, tricky, 'participant', '=SUM(A1)');
      const c = await enter(p, groupId);
      c.close();
      await until(async () => (await timeOf(groupId, p.id))[0]?.end, 'left');
      const path = `/api/groups/${groupId}/sessions/${sessionId}/attendance`;
      const json = (await get(fac, path)).body.data as AttendanceResult;
      const byQuery = await fetch(`${srv.url}${path}?format=csv`, { headers: { authorization: `Bearer ${fac.token}` } });
      const byAccept = await fetch(srv.url + path, { headers: { authorization: `Bearer ${fac.token}`, accept: 'text/csv' } });
      expect(byQuery.headers.get('content-type')).to.match(/^text\/csv/);
      expect(byQuery.headers.get('content-disposition')).to.include(`attendance-${sessionId}.csv`);
      const text = await byQuery.text();
      expect(await byAccept.text()).to.equal(text);
      const [notice, header, ...rows] = parseCsv(text);
      expect(notice).to.deep.equal([REDISCLOSURE_NOTICE]);
      expect(header).to.deep.equal([
        'session',
        'userId',
        'name',
        'firstJoined',
        'lastLeft',
        'minutes',
        'waitingMinutes',
        'status',
        'computedStatus',
        'corrected',
        'note',
      ]);
      const iso = (t: number | null) => (t === null ? '' : new Date(t).toISOString());
      const defused = (s: string) => (/^[=+\-@]/.test(s) ? `'${s}` : s);
      expect(rows).to.deep.equal(
        json.records.map((r) => [
          sessionId,
          r.userId,
          defused(r.name),
          iso(r.firstJoined),
          iso(r.lastLeft),
          String(r.minutes),
          '0',
          r.status,
          r.computedStatus,
          '',
          '',
        ]),
      );
      expect(rows.map((r) => r[2])).to.deep.equal(["'=SUM(A1)", 'Lee, "Jo"']);
    });

    it('facilitators correct a record (audited with the status, never the note) and set the thresholds; others may not', async function () {
      const fac = srv.user('facilitator');
      const [p, q] = [srv.user(), srv.user()];
      const { groupId, sessionId } = await handSession(fac, [p, q]);
      const path = `/api/groups/${groupId}/sessions/${sessionId}/attendance`;
      const note = 'dentist appointment, told us ahead';
      const put = (by: TestUser, userId: string, body: unknown, session = sessionId) =>
        http(srv.url, 'PUT', `/api/groups/${groupId}/sessions/${session}/attendance/${userId}`, { token: by.token, body });

      const corrected = await put(fac, p.id, { status: 'present', note });
      expect(corrected.status).to.equal(200);
      expect(corrected.body.data.record).to.deep.include({ userId: p.id, status: 'present', computedStatus: 'absent' });
      expect(corrected.body.data.record.corrected).to.deep.include({ status: 'present', note, by: { id: fac.id, name: fac.name } });
      const records = (await get(fac, path)).body.data.records as AttendanceRecord[];
      expect(records.find((r) => r.userId === p.id)?.status).to.equal('present');
      expect(records.find((r) => r.userId === q.id)?.corrected).to.equal(undefined);

      const audit = (await get(fac, `/api/groups/${groupId}/audit`)).body.data.entries as AuditEntry[];
      expect(audit[0]).to.deep.include({ action: 'attendance_correct', targetUserId: p.id, sessionId, status: 'present' });
      expect(JSON.stringify(audit)).not.to.include(note);
      expect(srv.logs.join('\n')).not.to.include(note);

      expect((await put(p, p.id, { status: 'present' })).status, 'a participant').to.equal(403);
      expect((await get(p, path)).status, 'a participant reads none').to.equal(403);
      expect((await put(fac, p.id, { status: 'excused' })).body.error.code).to.equal('BAD_REQUEST');
      expect((await put(fac, fac.id, { status: 'present' })).body.error.code, 'not a participant').to.equal('NOT_FOUND');
      expect((await put(fac, p.id, { status: 'present' }, 's123')).body.error.code, 'no such session').to.equal('NOT_FOUND');
      expect((await get(fac, `/api/groups/${groupId}/sessions/s123/attendance`)).status).to.equal(404);

      const settings = await http(srv.url, 'PUT', `/api/groups/${groupId}/attendance/settings`, {
        token: fac.token,
        body: { lateAfterMin: 5, earlyLeaveMin: 0 },
      });
      expect(settings.body).to.deep.equal({ ok: true, data: { settings: { lateAfterMin: 5, earlyLeaveMin: 0 } } });
      expect((await get(fac, `/api/groups/${groupId}/attendance`)).body.data.settings).to.deep.equal({ lateAfterMin: 5, earlyLeaveMin: 0 });
      const refused = await http(srv.url, 'PUT', `/api/groups/${groupId}/attendance/settings`, {
        token: fac.token,
        body: { lateAfterMin: -1, earlyLeaveMin: 0 },
      });
      expect(refused.status).to.equal(400);
    });

    it('a scheduled session is listed by its id while open, and a group open since it was made starts a session at the first join', async function () {
      const fac = srv.user('facilitator');
      const p = srv.user();
      const groupId = await makeGroup(srv, fac, [p]);
      await enter(p, groupId);
      const [byHand] = (await get(fac, `/api/groups/${groupId}/attendance`)).body.data.sessions;
      expect(byHand)
        .to.deep.include({ end: null })
        .and.to.have.property('id')
        .that.matches(/^m\d+$/);

      const start = Date.now();
      const schedule = {
        timeZone: 'UTC',
        weekly: [],
        oneOff: [{ start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() }],
        cancelled: [],
      };
      expect((await http(srv.url, 'PUT', `/api/groups/${groupId}/schedule`, { token: fac.token, body: schedule })).status).to.equal(200);
      const sessions = (await get(fac, `/api/groups/${groupId}/attendance`)).body.data.sessions;
      const scheduledId = `s${start}`;
      expect(sessions[0]).to.deep.equal({ id: scheduledId, start, end: null });
      expect(sessions[1].id, 'the session by hand ended when the schedule came').to.equal(byHand.id);
      expect(sessions[1].end).to.be.a('number');
      const [record] = (await get(fac, `/api/groups/${groupId}/sessions/${scheduledId}/attendance`)).body.data
        .records as AttendanceRecord[];
      expect(record).to.deep.include({ userId: p.id, lastLeft: null, computedStatus: 'present' });
      expect(record!.stretches).to.have.length(1);
      expect(record!.stretches[0]!.end, 'still in the room of an open session').to.equal(null);
    });
  });
}
