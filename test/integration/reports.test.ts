import { expect } from 'chai';
import type { Ack, ErrorCode, Message } from '../../shared/index.js';
import { waitFor } from '../support/client.js';
import { roomClients, syncAll } from '../support/room.js';
import { enrol, http, makeGroup, serverPool, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The ack is `{ ok: false }` with this code; returns the error for further checks. */
function expectRefused(res: Ack<unknown>, code: ErrorCode) {
  expect(res.ok, JSON.stringify(res)).to.equal(false);
  if (res.ok) throw new Error('unreachable');
  expect(res.error.code, JSON.stringify(res.error)).to.equal(code);
  return res.error;
}

/** The HTTP answer is `{ ok: false, error: { code } }` with the code's status. */
function expectHttpError(res: Awaited<ReturnType<typeof http>>, status: number, code: ErrorCode): void {
  expect(res.status, res.text).to.equal(status);
  expect(res.body?.ok, res.text).to.equal(false);
  expect(res.body.error.code, res.text).to.equal(code);
}

for (const kind of STORE_KINDS) {
  describe(`reports (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, enter, sent, closeAll } = roomClients(() => srv);
    const { start, closeAll: stopServers } = serverPool({ store: kind });
    const listReports = async (groupId: string, as: TestUser, query = '', on: TestServer = srv) => {
      const r = await http(on.url, 'GET', `/api/groups/${groupId}/reports${query}`, { token: as.token });
      expect(r.status, r.text).to.equal(200);
      expect(r.body.ok).to.equal(true);
      return r.body.data.reports as any[];
    };

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(async () => {
      closeAll();
      await stopServers();
    });
    after(() => srv.close());

    it('files a report and alerts every tab of every facilitator of the group, and nobody else', async () => {
      const fac = srv.user('facilitator');
      const coFac = srv.user('facilitator');
      const otherFac = srv.user('facilitator');
      const [author, reporter, bystander] = [srv.user(), srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [author, reporter, bystander]);
      await enrol(srv, groupId, fac, coFac, 'facilitator', coFac.name);
      await makeGroup(srv, otherFac, [reporter]);

      const facInRoom = await enter(fac, groupId);
      const facOtherTab = await connect(fac); // connected, never joined the room
      const coFacTab = await connect(coFac);
      const otherFacTab = await connect(otherFac);
      const ca = await enter(author, groupId);
      const cr = await enter(reporter, groupId);
      const cb = await enter(bystander, groupId);

      const message = await sent(ca, groupId, 'you are all pathetic');
      const res = await cr.ack('report', {
        conversation: { kind: 'group', id: groupId },
        messageId: message.id,
        reason: 'harassment',
        note: 'this is the third time',
      });
      expect(res.ok, JSON.stringify(res)).to.equal(true);
      if (!res.ok) return;
      expect(Object.keys(res.data)).to.deep.equal(['reportId']);
      const { reportId } = res.data;
      expect(reportId).to.match(ID);

      const alert = { groupId, kind: 'report', reportId, messageId: message.id, userId: author.id };
      for (const c of [facInRoom, facOtherTab, coFacTab]) {
        expect(await c.waitEvent('mod:alert')).to.deep.equal(alert);
      }
      await syncAll(groupId, facInRoom, facOtherTab, coFacTab, ca, cr, cb);
      await otherFacTab.ack('group:history', { groupId }); // FORBIDDEN, but its ack is still a barrier
      for (const c of [facInRoom, facOtherTab, coFacTab])
        expect(c.received('mod:alert'), 'one alert per facilitator tab').to.deep.equal([alert]);
      for (const c of [ca, cr, cb, otherFacTab])
        expect(c.received('mod:alert'), "no alert outside the group's facilitators").to.deep.equal([]);

      const [queued] = await listReports(groupId, fac);
      expect(queued).to.include({
        id: reportId,
        groupId,
        kind: 'report',
        messageId: message.id,
        userId: author.id,
        reporterId: reporter.id,
        reason: 'harassment',
        note: 'this is the third time',
        status: 'open',
      });
    });

    it('returns the same report and sends no second alert when the same member reports the same message again', async () => {
      const fac = srv.user('facilitator');
      const [author, reporter] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [author, reporter]);
      const cf = await connect(fac);
      const ca = await enter(author, groupId);
      const cr = await enter(reporter, groupId);
      const message = await sent(ca, groupId, 'buy cheap pills at my site');
      const conversation = { kind: 'group', id: groupId } as const;

      const first = await cr.ok('report', { conversation, messageId: message.id, reason: 'spam' });
      await cf.waitEvent('mod:alert');
      const again = await cr.ok('report', { conversation, messageId: message.id, reason: 'other', note: 'still there' });
      expect(again.reportId).to.equal(first.reportId);
      const fromOtherTab = await (await enter(reporter, groupId)).ok('report', { conversation, messageId: message.id, reason: 'spam' });
      expect(fromOtherTab.reportId).to.equal(first.reportId);
      // Five at once for a message nobody reported yet: one report between them.
      const second = await sent(ca, groupId, 'and again: cheap pills');
      const racing = await Promise.all([1, 2, 3, 4, 5].map(() => cr.ok('report', { conversation, messageId: second.id, reason: 'spam' })));
      const racedId = racing[0]!.reportId;
      expect(racedId).to.not.equal(first.reportId);
      expect(racing.map((r) => r.reportId)).to.deep.equal(Array(5).fill(racedId));

      await waitFor(() => cf.received('mod:alert').length >= 2, 'the alert for the second message');
      await syncAll(groupId, cf);
      expect(cf.received('mod:alert').map((a) => a.reportId)).to.deep.equal([first.reportId, racedId]);
      const queue = await listReports(groupId, fac);
      expect(queue.map((r) => r.id)).to.deep.equal([first.reportId, racedId]);
      expect(queue[0]).to.include({ id: first.reportId, reason: 'spam', reporterId: reporter.id });
      expect(queue[0]).not.to.have.property('note');
    });

    it('files a separate report, with its own alert, when a different member reports the same message', async () => {
      const fac = srv.user('facilitator');
      const [author, r1, r2] = [srv.user(), srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [author, r1, r2]);
      const cf = await connect(fac);
      const ca = await enter(author, groupId);
      const c1 = await enter(r1, groupId);
      const c2 = await enter(r2, groupId);
      const message = await sent(ca, groupId, 'here is her home address: ...');
      const conversation = { kind: 'group', id: groupId } as const;

      const a = await c1.ok('report', { conversation, messageId: message.id, reason: 'privacy' });
      const b = await c2.ok('report', { conversation, messageId: message.id, reason: 'harassment' });
      expect(b.reportId).to.not.equal(a.reportId);
      await waitFor(() => cf.received('mod:alert').length === 2, 'two alerts');
      await syncAll(groupId, cf);
      expect(cf.received('mod:alert')).to.deep.equal([
        { groupId, kind: 'report', reportId: a.reportId, messageId: message.id, userId: author.id },
        { groupId, kind: 'report', reportId: b.reportId, messageId: message.id, userId: author.id },
      ]);
      const queue = await listReports(groupId, fac);
      expect(queue.map((r) => [r.id, r.reporterId, r.reason])).to.deep.equal([
        [a.reportId, r1.id, 'privacy'],
        [b.reportId, r2.id, 'harassment'],
      ]);
    });

    it('answers NOT_FOUND for an unknown message and for a message of another group, and files nothing', async () => {
      const fac = srv.user('facilitator');
      const [author, reporter] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [author, reporter]);
      const otherGroupId = await makeGroup(srv, fac, [author, reporter]);
      const cf = await connect(fac);
      const ca = await enter(author, otherGroupId);
      const cr = await enter(reporter, groupId);
      const elsewhere = await sent(ca, otherGroupId, 'a message in the other group');

      expectRefused(
        await cr.ack('report', { conversation: { kind: 'group', id: groupId }, messageId: 'no-such-message', reason: 'spam' }),
        'NOT_FOUND',
      );
      expectRefused(
        await cr.ack('report', { conversation: { kind: 'group', id: groupId }, messageId: elsewhere.id, reason: 'spam' }),
        'NOT_FOUND',
      );
      expectRefused(
        await cr.ack('report', { conversation: { kind: 'group', id: 'no-such-group' }, messageId: elsewhere.id, reason: 'spam' }),
        'NOT_FOUND',
      );

      await syncAll(groupId, cf);
      expect(cf.received('mod:alert')).to.deep.equal([]);
      expect(await listReports(groupId, fac, '?status=all')).to.deep.equal([]);
      expect(await listReports(otherGroupId, fac, '?status=all')).to.deep.equal([]);
    });

    it('refuses a report from someone not enrolled in the group with FORBIDDEN, and files nothing', async () => {
      const fac = srv.user('facilitator');
      const author = srv.user();
      const outsider = srv.user();
      const groupId = await makeGroup(srv, fac, [author]);
      await makeGroup(srv, srv.user('facilitator'), [outsider]);
      const cf = await connect(fac);
      const ca = await enter(author, groupId);
      const co = await connect(outsider);
      const message = await sent(ca, groupId, 'a message the outsider never saw');

      expectRefused(
        await co.ack('report', { conversation: { kind: 'group', id: groupId }, messageId: message.id, reason: 'harassment' }),
        'FORBIDDEN',
      );
      await syncAll(groupId, cf);
      expect(cf.received('mod:alert')).to.deep.equal([]);
      expect(await listReports(groupId, fac, '?status=all')).to.deep.equal([]);
    });

    it('answers NOT_FOUND for a report in a partner conversation that does not exist', async () => {
      const fac = srv.user('facilitator');
      const [author, reporter] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [author, reporter]);
      const cf = await connect(fac);
      const ca = await enter(author, groupId);
      const cr = await enter(reporter, groupId);
      const message = await sent(ca, groupId, 'a group message');

      expectRefused(
        await cr.ack('report', { conversation: { kind: 'partner', id: 'some-partnership' }, messageId: message.id, reason: 'harassment' }),
        'NOT_FOUND',
      );
      await syncAll(groupId, cf);
      expect(cf.received('mod:alert')).to.deep.equal([]);
      expect(await listReports(groupId, fac, '?status=all')).to.deep.equal([]);
    });

    it('refuses a report with a reason outside the list, without a reason, or with an overlong note as BAD_REQUEST', async () => {
      const fac = srv.user('facilitator');
      const [author, reporter] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [author, reporter]);
      const cf = await connect(fac);
      const ca = await enter(author, groupId);
      const cr = await enter(reporter, groupId);
      const message = await sent(ca, groupId, 'a message');
      const conversation = { kind: 'group', id: groupId };

      const rude = expectRefused(await cr.ack('report', { conversation, messageId: message.id, reason: 'rude' }), 'BAD_REQUEST');
      expect(rude.issues?.map((i) => i.path)).to.deep.include(['reason']);
      const missing = expectRefused(await cr.ack('report', { conversation, messageId: message.id }), 'BAD_REQUEST');
      expect(missing.issues?.map((i) => i.path)).to.deep.include(['reason']);
      expectRefused(await cr.ack('report', { conversation, messageId: message.id, reason: 'other', note: 'x'.repeat(501) }), 'BAD_REQUEST');
      expectRefused(
        await cr.ack('report', { conversation: { kind: 'room', id: groupId }, messageId: message.id, reason: 'other' }),
        'BAD_REQUEST',
      );

      for (const reason of ['harassment', 'crisis', 'spam', 'privacy', 'other'] as const) {
        const reporterOfReason = srv.user();
        await enrol(srv, groupId, fac, reporterOfReason, 'participant');
        const c = await connect(reporterOfReason);
        expect((await c.ok('report', { conversation: { kind: 'group', id: groupId }, messageId: message.id, reason })).reportId).to.match(
          ID,
        );
      }
      const queue = await listReports(groupId, fac);
      expect(queue.map((r) => r.reason)).to.deep.equal(['harassment', 'crisis', 'spam', 'privacy', 'other']);
      await waitFor(() => cf.received('mod:alert').length === 5, 'five alerts');
    });

    it('limits reports per member by the report budget, answering RATE_LIMITED with retryAfterMs', async () => {
      const node = await start({ env: { RATE_LIMITS: 'report=3/60' } });
      const fac = node.user('facilitator');
      const [author, reporter, other] = [node.user(), node.user(), node.user()];
      const groupId = await makeGroup(node, fac, [author, reporter, other]);
      const cf = await connect(fac, node);
      const ca = await enter(author, groupId, node);
      const cr = await enter(reporter, groupId, node);
      const co = await enter(other, groupId, node);
      const conversation = { kind: 'group', id: groupId } as const;
      const messages: Message[] = [];
      for (let i = 0; i < 4; i++) messages.push(await sent(ca, groupId, `spam number ${i}`));

      for (const m of messages.slice(0, 3)) await cr.ok('report', { conversation, messageId: m.id, reason: 'spam' });
      const limited = expectRefused(await cr.ack('report', { conversation, messageId: messages[3]!.id, reason: 'spam' }), 'RATE_LIMITED');
      expect(limited.retryAfterMs).to.be.a('number').greaterThan(0).and.at.most(60_000);

      // The budget is the reporter's own, and the report budget is not the send budget.
      await co.ok('report', { conversation, messageId: messages[3]!.id, reason: 'spam' });
      await sent(cr, groupId, 'I can still talk');

      await waitFor(() => cf.received('mod:alert').length === 4, 'four alerts');
      await cf.sync(groupId);
      expect(cf.received('mod:alert')).to.have.length(4);
      const queue = await listReports(groupId, fac, '', node);
      expect(queue.map((r) => [r.messageId, r.reporterId])).to.deep.equal([
        [messages[0]!.id, reporter.id],
        [messages[1]!.id, reporter.id],
        [messages[2]!.id, reporter.id],
        [messages[3]!.id, other.id],
      ]);
    });

    describe('over HTTP', () => {
      it('lists open reports oldest first, each with the message as it is now', async () => {
        const fac = srv.user('facilitator');
        const [author, reporter] = [srv.user(), srv.user()];
        const groupId = await makeGroup(srv, fac, [author, reporter]);
        const cf = await enter(fac, groupId);
        const ca = await enter(author, groupId);
        const cr = await enter(reporter, groupId);
        const conversation = { kind: 'group', id: groupId } as const;
        const kept = await sent(ca, groupId, 'first nasty message');
        const erased = await sent(ca, groupId, 'second nasty message');
        const t0 = Date.now();
        const first = await cr.ok('report', { conversation, messageId: kept.id, reason: 'harassment', note: '  please look  ' });
        const second = await cr.ok('report', { conversation, messageId: erased.id, reason: 'other' });
        const t1 = Date.now();
        await cf.ok('mod:delete', { groupId, messageId: erased.id });

        const reports = await listReports(groupId, fac);
        expect(reports).to.have.length(2);
        const [a, b] = reports;
        expect(a.createdAt).to.be.within(t0 - 1000, t1 + 1000);
        expect(b.createdAt).to.be.within(a.createdAt, t1 + 1000);
        expect(a).to.deep.equal({
          id: first.reportId,
          groupId,
          kind: 'report',
          conversation,
          messageId: kept.id,
          userId: author.id,
          reporterId: reporter.id,
          reason: 'harassment',
          note: 'please look',
          createdAt: a.createdAt,
          status: 'open',
          message: kept,
        });
        expect(b).to.deep.equal({
          id: second.reportId,
          groupId,
          kind: 'report',
          conversation,
          messageId: erased.id,
          userId: author.id,
          reporterId: reporter.id,
          reason: 'other',
          createdAt: b.createdAt,
          status: 'open',
          message: { ...erased, text: '', deleted: true },
        });
        expect(await listReports(groupId, fac, '?status=open')).to.deep.equal(reports);
      });

      it("serves the queue to the group's facilitators and admins only", async () => {
        const fac = srv.user('facilitator');
        const otherFac = srv.user('facilitator');
        const admin = srv.user('admin');
        const [author, reporter] = [srv.user(), srv.user()];
        const groupId = await makeGroup(srv, fac, [author, reporter]);
        await makeGroup(srv, otherFac, [author]);
        const ca = await enter(author, groupId);
        const cr = await enter(reporter, groupId);
        const message = await sent(ca, groupId, 'a reported message');
        const { reportId } = await cr.ok('report', { conversation: { kind: 'group', id: groupId }, messageId: message.id, reason: 'spam' });

        expect((await listReports(groupId, admin)).map((r) => r.id)).to.deep.equal([reportId]);
        expect((await listReports(groupId, fac)).map((r) => r.id)).to.deep.equal([reportId]);
        for (const who of [reporter, author, otherFac]) {
          expectHttpError(await http(srv.url, 'GET', `/api/groups/${groupId}/reports`, { token: who.token }), 403, 'FORBIDDEN');
          expectHttpError(
            await http(srv.url, 'POST', `/api/groups/${groupId}/reports/${reportId}/resolve`, { token: who.token }),
            403,
            'FORBIDDEN',
          );
        }
        expectHttpError(await http(srv.url, 'GET', `/api/groups/${groupId}/reports`), 401, 'UNAUTHORIZED');
        expectHttpError(await http(srv.url, 'POST', `/api/groups/${groupId}/reports/${reportId}/resolve`), 401, 'UNAUTHORIZED');
        expectHttpError(
          await http(srv.url, 'GET', `/api/groups/${groupId}/reports?status=closed`, { token: fac.token }),
          400,
          'BAD_REQUEST',
        );
        expectHttpError(await http(srv.url, 'GET', '/api/groups/no-such-group/reports', { token: fac.token }), 404, 'NOT_FOUND');
        expect(
          (await listReports(groupId, fac)).map((r) => [r.id, r.status]),
          'nothing was resolved by the refused calls',
        ).to.deep.equal([[reportId, 'open']]);
      });

      it('resolves a report: it leaves the open list, stays in status=all as resolved, and is audited', async () => {
        const fac = srv.user('facilitator');
        const [author, reporter] = [srv.user(), srv.user()];
        const groupId = await makeGroup(srv, fac, [author, reporter]);
        const ca = await enter(author, groupId);
        const cr = await enter(reporter, groupId);
        const conversation = { kind: 'group', id: groupId } as const;
        const m1 = await sent(ca, groupId, 'one');
        const m2 = await sent(ca, groupId, 'two');
        const r1 = await cr.ok('report', { conversation, messageId: m1.id, reason: 'spam' });
        const r2 = await cr.ok('report', { conversation, messageId: m2.id, reason: 'spam' });

        const before = Date.now();
        const res = await http(srv.url, 'POST', `/api/groups/${groupId}/reports/${r1.reportId}/resolve`, { token: fac.token });
        expect(res.status, res.text).to.equal(200);
        expect(res.body.ok).to.equal(true);
        const resolved = res.body.data.report;
        expect(resolved).to.include({
          id: r1.reportId,
          groupId,
          kind: 'report',
          messageId: m1.id,
          userId: author.id,
          reporterId: reporter.id,
          status: 'resolved',
          resolvedBy: fac.id,
        });
        expect(resolved.resolvedAt).to.be.within(before - 1000, Date.now() + 1000);

        expect((await listReports(groupId, fac)).map((r) => r.id)).to.deep.equal([r2.reportId]);
        const all = await listReports(groupId, fac, '?status=all');
        expect(all.map((r) => [r.id, r.status])).to.deep.equal([
          [r1.reportId, 'resolved'],
          [r2.reportId, 'open'],
        ]);
        const { message: _m, ...listed } = all[0];
        expect(listed).to.deep.equal(resolved);

        const audit = await http(srv.url, 'GET', `/api/groups/${groupId}/audit`, { token: fac.token });
        expect(audit.status, audit.text).to.equal(200);
        const entries = audit.body.data.entries.filter((e: any) => e.action === 'resolve_report');
        expect(entries).to.have.length(1);
        expect(entries[0]).to.include({ groupId, action: 'resolve_report', reportId: r1.reportId, messageId: m1.id });
        expect(entries[0].actor).to.deep.equal({ id: fac.id, name: fac.name, role: 'facilitator' });

        // A second facilitator resolving it again keeps the first resolution, and is not audited.
        const cofac = srv.user('facilitator');
        await enrol(srv, groupId, fac, cofac, 'facilitator', cofac.name);
        const again = await http(srv.url, 'POST', `/api/groups/${groupId}/reports/${r1.reportId}/resolve`, { token: cofac.token });
        expect(again.status, again.text).to.equal(200);
        expect(again.body.data.report).to.deep.equal(resolved);
        const after = await http(srv.url, 'GET', `/api/groups/${groupId}/audit`, { token: fac.token });
        expect(after.body.data.entries.filter((e: any) => e.action === 'resolve_report')).to.have.length(1);
      });

      it('answers 404 when resolving an unknown report or one of another group', async () => {
        const fac = srv.user('facilitator');
        const [author, reporter] = [srv.user(), srv.user()];
        const groupId = await makeGroup(srv, fac, [author, reporter]);
        const otherGroupId = await makeGroup(srv, fac, []);
        const ca = await enter(author, groupId);
        const cr = await enter(reporter, groupId);
        const message = await sent(ca, groupId, 'reported');
        const { reportId } = await cr.ok('report', { conversation: { kind: 'group', id: groupId }, messageId: message.id, reason: 'spam' });

        expectHttpError(
          await http(srv.url, 'POST', `/api/groups/${groupId}/reports/no-such-report/resolve`, { token: fac.token }),
          404,
          'NOT_FOUND',
        );
        expectHttpError(
          await http(srv.url, 'POST', `/api/groups/${otherGroupId}/reports/${reportId}/resolve`, { token: fac.token }),
          404,
          'NOT_FOUND',
        );
        expect((await listReports(groupId, fac)).map((r) => [r.id, r.status])).to.deep.equal([[reportId, 'open']]);
        const audit = await http(srv.url, 'GET', `/api/groups/${otherGroupId}/audit`, { token: fac.token });
        expect(audit.body.data.entries).to.deep.equal([]);
      });
    });
  });
}
