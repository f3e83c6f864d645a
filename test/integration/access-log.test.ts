import { expect } from 'chai';
import { REDISCLOSURE_NOTICE, type AccessEntry, type QueuedReport } from '../../shared/index.js';
import { verifyChain } from '../../server/access/chain.js';
import { eventually } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { http, makeGroup, randomId, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

/** The first line of a CSV export: the notice, as one quoted field. */
const NOTICE_ROW = `"${REDISCLOSURE_NOTICE}"`;

for (const kind of STORE_KINDS) {
  describe(`the access log and disclosure records (issue 18, ${kind} store)`, function () {
    let srv: TestServer;
    const { connect, closeAll } = roomClients(() => srv);
    let fac: TestUser, sam: TestUser, admin: TestUser, groupId: string, alert: QueuedReport;

    before(async () => {
      srv = await startServer({ store: kind, env: { ACCESS_LOG_KEY: 'k'.repeat(40) } });
    });
    beforeEach(async () => {
      fac = srv.user('facilitator');
      sam = srv.user('participant');
      admin = srv.user('admin');
      groupId = await makeGroup(srv, fac, [sam]);
      const c = await connect(sam);
      await c.ok('checkin:sharing', { with: 'staff' });
      await c.ok('checkin:send', { mood: 2, craving: 3, used: false, clientMsgId: 'k1' });
      alert = {
        id: randomId('r'),
        groupId,
        kind: 'crisis',
        userId: sam.id,
        reason: 'crisis',
        createdAt: Date.now(),
        status: 'open',
      };
      await srv.store.reportQueue.fileReport(alert, alert.id);
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    const by = async (u: { id: string }): Promise<AccessEntry[]> =>
      (await srv.store.accessLog.accessEntries({ actor: u.id, limit: 200 })).entries;
    const get = (u: TestUser, path: string) => http(srv.url, 'GET', path, { token: u.token });

    /** Runs the read and expects exactly one new entry by `u`, of this kind, about these people. */
    async function oneEntry(u: TestUser, what: AccessEntry['what'], about: string[], read: () => Promise<unknown>): Promise<AccessEntry> {
      const before = (await by(u)).length;
      await read();
      const after = await by(u);
      expect(after.length - before, what).to.equal(1);
      const entry = after[0]!;
      expect(entry).to.deep.include({ what, actor: { id: u.id, role: u.role } });
      expect(entry.about, what).to.deep.equal([...new Set(about)].sort());
      expect(entry.node).to.equal(srv.config.accessLog.node);
      return entry;
    }

    async function noEntry(u: TestUser, read: () => Promise<unknown>): Promise<void> {
      const before = (await by(u)).length;
      await read();
      expect((await by(u)).length).to.equal(before);
    }

    /** Sam joins the room (open since it was made), which starts a session by hand (§5.8); its id. */
    async function sessionByHand(): Promise<string> {
      await (await connect(sam)).ok('group:join', { groupId });
      const listed = await get(fac, `/api/groups/${groupId}/attendance`);
      expect(listed.status, listed.text).to.equal(200);
      return (listed.body.data as { sessions: { id: string }[] }).sessions[0]!.id;
    }

    it('each kind of read about a person writes exactly one entry: who, what, about whom, when, where', async () => {
      const ok = async (p: Promise<{ status: number; text: string }>) => {
        const r = await p;
        expect(r.status, r.text).to.equal(200);
      };
      const trend = await oneEntry(fac, 'checkins', [sam.id], () => ok(get(fac, `/api/groups/${groupId}/members/${sam.id}/checkins`)));
      expect(trend.groupId).to.equal(groupId);
      await oneEntry(fac, 'reports', [sam.id], () => ok(get(fac, `/api/groups/${groupId}/reports`)));
      await oneEntry(fac, 'alerts', [sam.id], () => ok(get(fac, '/api/inbox')));
      const cf = await connect(fac);
      await oneEntry(fac, 'alerts', [sam.id], () => cf.ok('alert:list', {}));
      await oneEntry(fac, 'audit', [sam.id], () => ok(get(fac, `/api/groups/${groupId}/audit`)));
      await oneEntry(fac, 'disclosures', [sam.id], () => ok(get(fac, `/api/alerts/${alert.id}/disclosures?groupId=${groupId}`)));
      await oneEntry(fac, 'export', [fac.id], () => ok(get(fac, '/api/me/export')));
      await oneEntry(admin, 'alerts', [], () => ok(get(admin, '/api/alerts')));
      const sessionId = await sessionByHand();
      const attendance = `/api/groups/${groupId}/sessions/${sessionId}/attendance`;
      const att = await oneEntry(fac, 'attendance', [sam.id], () => ok(get(fac, attendance)));
      expect(att.groupId).to.equal(groupId);
      await oneEntry(fac, 'attendance', [sam.id], () => ok(get(fac, `${attendance}?format=csv`)));
      await oneEntry(admin, 'group', [fac.id, sam.id], () => ok(get(admin, `/api/groups/${groupId}`)));
      const ca = await connect(admin);
      await oneEntry(admin, 'group', [fac.id, sam.id], () => ca.ok('group:join', { groupId }));
      await oneEntry(admin, 'disclosures', [], () => ok(get(admin, '/api/disclosures')));
      await oneEntry(admin, 'access_log', [sam.id], () => ok(get(admin, `/api/access-log?person=${sam.id}`)));
      // Not reads about someone else: a member reading their own room, a participant's own export.
      await noEntry(fac, () => ok(get(fac, `/api/groups/${groupId}`)));
      await noEntry(sam, () => ok(get(sam, '/api/me/export')));
      await noEntry(sam, async () => (await connect(sam)).ok('alert:list', {}));
      // A partner reading their partner's trend is not staff.
      const [pat, kim] = [srv.user('participant'), srv.user('participant')];
      await makeGroup(srv, fac, [pat, kim]);
      const pair = await http(srv.url, 'POST', '/api/partnerships', { token: fac.token, body: { userIds: [pat.id, kim.id] } });
      expect(pair.status, pair.text).to.equal(201);
      await (await connect(kim)).ok('checkin:sharing', { with: 'partners' });
      await noEntry(pat, () => ok(get(pat, `/api/partnerships/${pair.body.data.partnership.id}/checkins`)));
    });

    it('a refused read writes nothing', async () => {
      const other = srv.user('facilitator');
      await noEntry(other, async () =>
        expect((await get(other, `/api/groups/${groupId}/members/${sam.id}/checkins`)).status).to.equal(403),
      );
      await noEntry(other, async () => expect((await get(other, `/api/groups/${groupId}/reports`)).status).to.equal(403));
      await noEntry(sam, async () => expect((await get(sam, `/api/groups/${groupId}/audit`)).status).to.equal(403));
    });

    it('GET /api/access-log is for admins: participants and facilitators are FORBIDDEN; filters by person, actor and time', async () => {
      for (const u of [sam, fac]) {
        const r = await get(u, '/api/access-log');
        expect(r.status).to.equal(403);
        expect(r.body.error.code).to.equal('FORBIDDEN');
      }
      const t0 = Date.now();
      await get(fac, `/api/groups/${groupId}/members/${sam.id}/checkins`);
      await get(fac, `/api/groups/${groupId}/reports`);
      const byPerson = (await get(admin, `/api/access-log?person=${sam.id}&actor=${fac.id}`)).body.data;
      expect(byPerson.entries.map((e: AccessEntry) => e.what)).to.deep.equal(['reports', 'checkins']);
      const paged = (await get(admin, `/api/access-log?actor=${fac.id}&limit=1`)).body.data;
      expect(paged.entries.map((e: AccessEntry) => e.what)).to.deep.equal(['reports']);
      expect(paged.hasMore).to.equal(true);
      const older = (await get(admin, `/api/access-log?actor=${fac.id}&limit=1&beforeSeq=${paged.entries[0].seq}`)).body.data;
      expect(older.entries.map((e: AccessEntry) => e.what)).to.deep.equal(['checkins']);
      const since = (await get(admin, `/api/access-log?actor=${fac.id}&from=${t0}`)).body.data.entries;
      expect(since.every((e: AccessEntry) => e.at >= t0)).to.equal(true);
      expect((await get(admin, `/api/access-log?actor=${fac.id}&to=${t0 - 60_000}`)).body.data.entries).to.deep.equal([]);
      expect((await get(admin, '/api/access-log?from=soon')).status).to.equal(400);
    });

    it('the chain verifies under the configured key, and not under another', async () => {
      await get(fac, `/api/groups/${groupId}/reports`);
      expect(await verifyChain(srv.store.accessLog, srv.config.accessLog.key)).to.deep.include({ ok: true });
      expect(await verifyChain(srv.store.accessLog, 'x'.repeat(40))).to.deep.include({ ok: false });
    });

    it('a disclosure record is made from an alert, listed with the notice, exported as CSV with the notice, and never edited', async () => {
      const path = `/api/alerts/${alert.id}/disclosures`;
      const made = await http(srv.url, 'POST', path, {
        token: fac.token,
        body: {
          groupId,
          recipientName: ' Dr. Lee ',
          recipientAffiliation: 'County ER, Bay 3',
          nature: 'suspected overdose',
          at: '2026-12-01T10:00:00Z',
        },
      });
      expect(made.status, made.text).to.equal(201);
      const d = made.body.data.disclosure;
      expect(d).to.deep.include({
        alertId: alert.id,
        groupId,
        userId: sam.id,
        recipientName: 'Dr. Lee',
        recipientAffiliation: 'County ER, Bay 3',
        disclosedBy: fac.name,
        at: Date.parse('2026-12-01T10:00:00Z'),
        nature: 'suspected overdose',
        recordedBy: fac.id,
      });
      const fix = await http(srv.url, 'POST', path, {
        token: admin.token,
        body: {
          groupId,
          recipientName: 'Dr. Li',
          recipientAffiliation: 'County ER',
          disclosedBy: 'Dana',
          nature: 'suspected overdose',
          correctsId: d.id,
        },
      });
      expect(fix.status, fix.text).to.equal(201);
      expect(fix.body.data.disclosure).to.deep.include({ correctsId: d.id, disclosedBy: 'Dana' });

      const listed = (await get(fac, `${path}?groupId=${groupId}`)).body.data;
      expect(listed.notice).to.equal(REDISCLOSURE_NOTICE);
      expect(listed.disclosures.map((x: { id: string }) => x.id)).to.deep.equal([d.id, fix.body.data.disclosure.id]);
      let csv = { status: 0, text: '' };
      await oneEntry(fac, 'disclosures', [sam.id], async () => (csv = await get(fac, `${path}?groupId=${groupId}&format=csv`)));
      expect(csv.status).to.equal(200);
      const lines = csv.text.split('\r\n');
      expect(lines[0]).to.equal(NOTICE_ROW);
      expect(lines[1]).to.match(/^id,alertId,groupId,userId,recipientName,/);
      expect(lines[2]).to.include('"County ER, Bay 3"').and.include('2026-12-01T10:00:00.000Z');
      const all = (await get(admin, `/api/disclosures?person=${sam.id}`)).body.data;
      expect(all.notice).to.equal(REDISCLOSURE_NOTICE);
      expect(all.disclosures).to.have.length(2);
      await oneEntry(admin, 'disclosures', [sam.id], async () =>
        expect((await get(admin, `/api/disclosures?format=csv&person=${sam.id}`)).text.split('\r\n')[0]).to.equal(NOTICE_ROW),
      );

      for (const method of ['PUT', 'DELETE', 'PATCH'])
        expect((await http(srv.url, method, `/api/disclosures/${d.id}`, { token: admin.token, body: { nature: 'x' } })).status).to.equal(
          404,
        );
      expect(await srv.store.disclosures.disclosure(d.id)).to.deep.equal(d);
    });

    it('refuses a disclosure from a participant, for an unknown alert, and a correction of another alert', async () => {
      const path = `/api/alerts/${alert.id}/disclosures`;
      const body = { groupId, recipientName: 'Dr. Lee', recipientAffiliation: 'ER', nature: 'overdose' };
      expect((await http(srv.url, 'POST', path, { token: sam.token, body })).status).to.equal(403);
      expect((await get(sam, `${path}?groupId=${groupId}`)).status).to.equal(403);
      expect((await get(fac, '/api/disclosures')).status).to.equal(403);
      expect((await http(srv.url, 'POST', `/api/alerts/${randomId('r')}/disclosures`, { token: fac.token, body })).status).to.equal(404);
      expect((await http(srv.url, 'POST', path, { token: fac.token, body: { ...body, correctsId: randomId('d') } })).status).to.equal(400);
      expect((await http(srv.url, 'POST', path, { token: fac.token, body: { ...body, nature: 'x'.repeat(2001) } })).status).to.equal(400);
      expect((await http(srv.url, 'POST', path, { token: fac.token, body: { groupId, nature: 'overdose' } })).status).to.equal(400);
    });

    it('erasure of a person keeps the disclosure records and the access-log entries about them', async () => {
      const made = await http(srv.url, 'POST', `/api/alerts/${alert.id}/disclosures`, {
        token: fac.token,
        body: { groupId, recipientName: 'Dr. Lee', recipientAffiliation: 'ER', nature: 'overdose' },
      });
      await get(fac, `/api/groups/${groupId}/members/${sam.id}/checkins`);
      const about = (await srv.store.accessLog.accessEntries({ person: sam.id, limit: 50 })).entries;
      expect((await http(srv.url, 'DELETE', '/api/me', { token: sam.token })).status).to.equal(200);
      expect(await srv.store.disclosures.disclosuresOf(alert.id)).to.deep.equal([made.body.data.disclosure]);
      expect((await srv.store.accessLog.accessEntries({ person: sam.id, limit: 50 })).entries).to.deep.equal(about);
    });

    it('every export format carries the §2.32 notice', async () => {
      expect((await get(sam, '/api/me/export')).body.data.notice).to.equal(REDISCLOSURE_NOTICE);
      expect((await get(fac, `/api/groups/${groupId}/members/${sam.id}/checkins`)).body.data.notice).to.equal(REDISCLOSURE_NOTICE);
      expect((await get(fac, `/api/alerts/${alert.id}/disclosures?groupId=${groupId}`)).body.data.notice).to.equal(REDISCLOSURE_NOTICE);
      expect((await get(fac, `/api/alerts/${alert.id}/disclosures?groupId=${groupId}&format=csv`)).text.split('\r\n')[0]).to.equal(
        NOTICE_ROW,
      );
      expect((await get(admin, '/api/disclosures')).body.data.notice).to.equal(REDISCLOSURE_NOTICE);
      expect((await get(admin, '/api/disclosures?format=csv')).text.split('\r\n')[0]).to.equal(NOTICE_ROW);
      const attendance = `/api/groups/${groupId}/sessions/${await sessionByHand()}/attendance`;
      expect((await get(fac, attendance)).body.data.notice).to.equal(REDISCLOSURE_NOTICE);
      const csv = (await get(fac, `${attendance}?format=csv`)).text.split('\r\n');
      expect(csv[0]).to.equal(NOTICE_ROW);
      expect(csv[1]).to.match(/^session,userId,name,/);
    });
  });
}

describe('access-log retention (ACCESS_LOG_RETENTION_DAYS, apart from RETENTION_DAYS)', function () {
  let srv: TestServer;
  before(async () => {
    // About 0.9 s of access log against 30 days of messages; every node sweeps each second.
    srv = await startServer({
      store: 'redis',
      env: { ACCESS_LOG_KEY: 'k'.repeat(40), ACCESS_LOG_RETENTION_DAYS: '0.00001', RETENTION_SWEEP_SEC: '1' },
    });
  });
  after(() => srv.close());

  it('removes entries past their retention and anchors the chain, which still verifies', async () => {
    const fac = srv.user('facilitator');
    const groupId = await makeGroup(srv, fac);
    await http(srv.url, 'GET', `/api/groups/${groupId}/reports`, { token: fac.token });
    const head = await srv.store.accessLog.accessHead();
    await eventually(async () => (await srv.store.accessLog.accessAnchor()).seq === head.seq, 'the sweep to take the entry', 10_000);
    expect(await srv.store.accessLog.accessChain(0, 10)).to.deep.equal([]);
    expect(await verifyChain(srv.store.accessLog, srv.config.accessLog.key)).to.deep.equal({ ok: true, entries: 0 });
    await http(srv.url, 'GET', `/api/groups/${groupId}/reports`, { token: fac.token });
    expect(await verifyChain(srv.store.accessLog, srv.config.accessLog.key)).to.deep.include({ ok: true });
  });
});
