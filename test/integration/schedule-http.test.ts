// A group's schedule over HTTP (§5.6, §8.3): who may read and replace it, what a bad one gets, the
// coming sessions it lists, and the facilitators' changes to single sessions (open early, close
// early, extend, cancel), each audited once and told to the room in group:state.
import { expect } from 'chai';
import type { AuditEntry, Schedule } from '../../shared/index.js';
import { refusedWith } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { http, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

const WEEKLY: Schedule = {
  timeZone: 'America/New_York',
  weekly: [
    { day: 'tue', start: '18:00', minutes: 90 },
    { day: 'thu', start: '18:00', minutes: 90 },
  ],
  oneOff: [],
  cancelled: [],
};

for (const kind of STORE_KINDS) {
  describe(`group schedule over HTTP (${kind} store)`, () => {
    let srv: TestServer;
    const { enter, send, sent, room, closeAll } = roomClients(() => srv);
    const call = (method: string, path: string, u: TestUser, body?: unknown) => http(srv.url, method, path, { token: u.token, body });
    const schedulePath = (groupId: string) => `/api/groups/${groupId}/schedule`;
    const ok = async (method: string, path: string, u: TestUser, body?: unknown) => {
      const res = await call(method, path, u, body);
      expect(res.status, res.text).to.equal(200);
      return res.body.data as { schedule: Schedule | null; sessions: { id: string; start: number; end: number }[] };
    };
    const audit = async (groupId: string, fac: TestUser) =>
      ((await ok('GET', `/api/groups/${groupId}/audit?limit=200`, fac)) as unknown as { entries: AuditEntry[] }).entries;

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    it('facilitators read and replace the schedule; it lists the coming sessions; participants and strangers may not', async () => {
      const {
        fac,
        people: [p],
        groupId,
      } = await room(1, { facilitatorJoins: false });
      expect(await ok('GET', schedulePath(groupId), fac)).to.deep.equal({ schedule: null, sessions: [] });
      const put = await ok('PUT', schedulePath(groupId), fac, WEEKLY);
      expect(put.schedule).to.deep.equal(WEEKLY);
      // The 14-day horizon: two weeks of Tue and Thu (and one more while a session is running).
      expect(put.sessions).to.have.length.within(4, 5);
      for (const s of put.sessions) {
        expect(s.end - s.start).to.equal(90 * 60_000);
        expect(s.id).to.equal(`s${s.start}`);
        expect(
          new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: 'numeric', hour12: false }).format(
            s.start,
          ),
        ).to.equal('18:00');
      }
      expect(await ok('GET', schedulePath(groupId), fac)).to.deep.equal(put);
      expect((await call('GET', schedulePath(groupId), p)).body.error.code).to.equal('FORBIDDEN');
      expect((await call('PUT', schedulePath(groupId), p, WEEKLY)).body.error.code).to.equal('FORBIDDEN');
      expect((await call('GET', schedulePath(groupId), srv.user('facilitator'))).body.error.code).to.equal('FORBIDDEN');
      expect((await call('GET', schedulePath('no-such-group'), fac)).body.error.code).to.equal('NOT_FOUND');
      expect((await audit(groupId, fac)).filter((e) => e.action === 'schedule_set')).to.have.length(1);
      expect((await ok('GET', schedulePath(groupId), srv.user('admin'))).schedule).to.deep.equal(WEEKLY);
    });

    it('refuses a bad schedule with BAD_REQUEST and its issues, and keeps the one it had', async () => {
      const { fac, groupId } = await room(0, { facilitatorJoins: false });
      await ok('PUT', schedulePath(groupId), fac, WEEKLY);
      for (const bad of [
        { ...WEEKLY, timeZone: 'Mars/Olympus_Mons' },
        { ...WEEKLY, weekly: [{ day: 'tue', start: '6pm', minutes: 90 }] },
        { ...WEEKLY, oneOff: [{ start: '2026-12-08T10:00:00Z', end: '2026-12-08T09:00:00Z' }] },
        { ...WEEKLY, cancelled: undefined },
      ]) {
        const res = await call('PUT', schedulePath(groupId), fac, bad);
        expect(res.status, res.text).to.equal(400);
        expect(res.body.error.code).to.equal('BAD_REQUEST');
        expect(res.body.error.issues).to.be.an('array').that.is.not.empty;
      }
      expect((await ok('GET', schedulePath(groupId), fac)).schedule).to.deep.equal(WEEKLY);
    });

    it('on a schedule, mod:session opens a session now and closes it, extend moves its end; each audited once with the session id and told in group:state', async () => {
      const {
        fac,
        people: [p],
        groupId,
        cs: [cp],
        cf,
      } = await room(1);
      // One session, two days ahead: nothing is open now, nor due within the hour.
      const start = Date.now() + 2 * 86_400_000;
      const far = { start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() };
      await ok('PUT', schedulePath(groupId), fac, { ...WEEKLY, weekly: [], oneOff: [far] });
      await cf.ok('mod:session', { groupId, open: false });
      refusedWith(await send(cp, groupId, 'closed'), 'SESSION_CLOSED');

      await cf.ok('mod:session', { groupId, open: true });
      const opened = await cp.waitEvent('group:state', (s) => s.state.session !== null);
      const session = opened.state.session!;
      expect(opened.state.sessionOpen).to.equal(true);
      await sent(cp, groupId, 'open now');

      const extended = await ok('POST', `/api/groups/${groupId}/session/extend`, fac, { minutes: 15 });
      expect(extended.sessions[0]).to.deep.equal({ ...session, end: session.end + 15 * 60_000 });
      await cp.waitEvent('group:state', (s) => s.state.session?.end === session.end + 15 * 60_000);

      await cf.ok('mod:session', { groupId, open: false });
      await cp.waitEvent('group:state', (s) => s.state.session === null && !s.state.sessionOpen);
      refusedWith(await send(cp, groupId, 'closed again'), 'SESSION_CLOSED');
      const refused = await call('POST', `/api/groups/${groupId}/session/extend`, fac, { minutes: 15 });
      expect([refused.status, refused.body.error.code]).to.deep.equal([409, 'SESSION_CLOSED']);
      expect((await call('POST', `/api/groups/${groupId}/session/extend`, fac, { minutes: 1 })).status).to.equal(400);
      expect((await call('POST', `/api/groups/${groupId}/session/extend`, p, { minutes: 15 })).body.error.code).to.equal('FORBIDDEN');

      const entries = (await audit(groupId, fac)).reverse().filter((e) => e.action.startsWith('session_'));
      expect(entries.map((e) => [e.action, e.sessionId, e.value, e.actor.id])).to.deep.equal([
        ['session_close', undefined, undefined, fac.id],
        ['session_open', session.id, undefined, fac.id],
        ['session_extend', session.id, 15, fac.id],
        ['session_close', session.id, undefined, fac.id],
      ]);
    });

    it('opening shortly before a session starts that session early (same id); cancel takes one occurrence out', async () => {
      const { fac, groupId, cs, cf } = await room(1);
      const start = Date.now() + 10 * 60_000;
      const schedule: Schedule = {
        timeZone: 'UTC',
        weekly: [],
        oneOff: [
          { start: new Date(start).toISOString(), end: new Date(start + 3_600_000).toISOString() },
          { start: new Date(start + 86_400_000).toISOString(), end: new Date(start + 90_000_000).toISOString() },
        ],
        cancelled: [],
      };
      const { sessions } = await ok('PUT', schedulePath(groupId), fac, schedule);
      const [soon, later] = sessions as [(typeof sessions)[0], (typeof sessions)[0]];
      await cf.ok('mod:session', { groupId, open: true });
      const opened = await cs[0].waitEvent('group:state', (s) => s.state.session !== null);
      expect(opened.state.session).to.include({ id: soon.id, end: soon.end });
      expect(opened.state.session!.start).to.be.lessThan(soon.start);
      expect(opened.state.nextSessionStart).to.equal(later.start);

      const after = await ok('POST', `/api/groups/${groupId}/sessions/${later.id}/cancel`, fac);
      expect(after.sessions.map((s) => s.id)).to.deep.equal([soon.id]);
      expect(after.schedule!.cancelled).to.deep.equal([later.id]);
      await cs[0].waitEvent('group:state', (s) => s.state.session !== null && s.state.nextSessionStart === null);
      const unknown = await call('POST', `/api/groups/${groupId}/sessions/s123/cancel`, fac);
      expect([unknown.status, unknown.body.error.code]).to.deep.equal([404, 'NOT_FOUND']);
      expect((await audit(groupId, fac)).filter((e) => e.action === 'session_cancel').map((e) => e.sessionId)).to.deep.equal([later.id]);
    });

    it('forgets overrides of sessions that ended more than a day ago when it recomputes, and keeps recent ones', async () => {
      const { fac, groupId } = await room(0, { facilitatorJoins: false });
      const now = Date.now();
      await srv.store.sessions.setOverride(groupId, 'sold', { start: now - 3 * 86_400_000, end: now - 2 * 86_400_000 });
      await srv.store.sessions.setOverride(groupId, 'srecent', { start: now - 3_600_000, end: now - 1_800_000 });
      await ok('PUT', schedulePath(groupId), fac, WEEKLY);
      expect(Object.keys((await srv.store.sessions.calendar(groupId)).overrides)).to.deep.equal(['srecent']);
    });

    it('DELETE goes back to sessions by hand: the sessionOpen setting holds again, session fields are null', async () => {
      const { fac, groupId, cs, cf } = await room(1);
      await ok('PUT', schedulePath(groupId), fac, { ...WEEKLY, weekly: [] });
      refusedWith(await send(cs[0], groupId, 'no session planned'), 'SESSION_CLOSED');
      expect(await ok('DELETE', schedulePath(groupId), fac)).to.deep.equal({ schedule: null, sessions: [] });
      await sent(cs[0], groupId, 'open by default again');
      const joined = await enter(fac, groupId);
      const { state } = await joined.ok('group:join', { groupId });
      expect(state).to.deep.include({ sessionOpen: true, session: null, nextSessionStart: null });
      await cf.ok('mod:session', { groupId, open: false });
      refusedWith(await send(cs[0], groupId, 'closed by hand'), 'SESSION_CLOSED');
    });
  });
}
