// The moderation audit log (§5, §8 GET /api/groups/:groupId/audit): every successful mod:*, every
// resolved report and every enrolment change is appended, served newest first to the group's facilitators and admins,
// paged with limit and beforeSeq, and nothing edits it.
import { expect } from 'chai';
import type { Ack, AuditEntry } from '../../shared/index.js';
import { codeOf } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { enrol, http, makeGroup, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

for (const kind of STORE_KINDS) {
  describe(`audit log (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, enter, closeAll } = roomClients(() => srv);
    const getAudit = (groupId: string, token: string, query = '') =>
      http(srv.url, 'GET', `/api/groups/${groupId}/audit${query}`, { token });
    const entriesOf = async (groupId: string, token: string, query = '') => {
      const res = await getAudit(groupId, token, query);
      expect(res.status, res.text).to.equal(200);
      return res.body.data as { entries: AuditEntry[]; hasMore: boolean };
    };

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    it('records every kind of moderation action newest first, with seq, actor, action, target, message, reason, value and time', async () => {
      const fac = srv.user('facilitator', 'Dana (facilitator)');
      const [a, b] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [a, b]);
      const cf = await enter(fac, groupId);
      const ca = await enter(a, groupId);
      const cb = await enter(b, groupId);
      const m1 = (await ca.ok('group:send', { groupId, text: 'something hurtful', clientMsgId: 'x1' })).message;
      const m2 = (await cb.ok('group:send', { groupId, text: 'the reading for tonight', clientMsgId: 'x2' })).message;
      const report = await cb.ok('report', { conversation: { kind: 'group', id: groupId }, messageId: m1.id, reason: 'harassment' });
      await ca.ok('group:hand', { groupId, raised: true });

      const t0 = Date.now();
      await cf.ok('mod:mute', { groupId, userId: a.id, minutes: 15 });
      await cf.ok('mod:unmute', { groupId, userId: a.id });
      await cf.ok('mod:remove', { groupId, userId: a.id });
      await cf.ok('mod:ban', { groupId, userId: b.id, reason: 'repeated spam' });
      await cf.ok('mod:unban', { groupId, userId: b.id });
      await cf.ok('mod:delete', { groupId, messageId: m1.id, reason: 'hurtful' });
      await cf.ok('mod:lock', { groupId, locked: true });
      await cf.ok('mod:lock', { groupId, locked: false });
      await cf.ok('mod:slowmode', { groupId, seconds: 10 });
      await cf.ok('mod:pin', { groupId, messageId: m2.id });
      await cf.ok('mod:pin', { groupId, messageId: null });
      await cf.ok('mod:session', { groupId, open: false });
      await cf.ok('mod:session', { groupId, open: true });
      await cf.ok('mod:lowerHand', { groupId, userId: a.id });
      const resolved = await http(srv.url, 'POST', `/api/groups/${groupId}/reports/${report.reportId}/resolve`, {
        token: fac.token,
        body: {},
      });
      expect(resolved.status, resolved.text).to.equal(200);
      const t1 = Date.now();

      const res = await getAudit(groupId, fac.token);
      expect(res.status).to.equal(200);
      expect(res.body.ok).to.equal(true);
      const { entries, hasMore } = res.body.data as { entries: AuditEntry[]; hasMore: boolean };
      expect(hasMore).to.equal(false);
      const actor = { id: fac.id, name: 'Dana (facilitator)', role: 'facilitator' };
      const expected = [
        { action: 'enrol', targetUserId: a.id, role: 'participant' },
        { action: 'enrol', targetUserId: b.id, role: 'participant' },
        { action: 'mute', targetUserId: a.id, value: 15 },
        { action: 'unmute', targetUserId: a.id },
        { action: 'remove', targetUserId: a.id },
        { action: 'ban', targetUserId: b.id, reason: 'repeated spam' },
        { action: 'unban', targetUserId: b.id },
        { action: 'delete', messageId: m1.id, targetUserId: a.id, reason: 'hurtful' },
        { action: 'lock' },
        { action: 'unlock' },
        { action: 'slowmode', value: 10 },
        { action: 'pin', messageId: m2.id },
        { action: 'unpin' },
        { action: 'session_close' },
        { action: 'session_open' },
        { action: 'lower_hand', targetUserId: a.id },
        { action: 'resolve_report', reportId: report.reportId, messageId: m1.id },
      ].map((what, i) => ({ seq: i + 1, groupId, actor, ...what }));
      const withoutTime = entries.map(({ at: _at, ...rest }) => rest);
      expect(withoutTime).to.deep.equal(expected.reverse());
      const times = entries.map((e) => e.at).reverse();
      for (const at of times.slice(2)) expect(at).to.be.within(t0, t1);
      expect(
        [...times].sort((x, y) => x - y),
        'in the order they happened',
      ).to.deep.equal(times);
    });

    it('records every enrolment change (enrol, change_role, unenrol) with actor, target and role, and nothing for a refused one or one that changes nothing', async () => {
      const fac = srv.user('facilitator', 'Dana (facilitator)');
      const admin = srv.user('admin', 'Program admin');
      const [a, b] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac);
      const put = (by: TestUser, u: TestUser, body: unknown) =>
        http(srv.url, 'PUT', `/api/groups/${groupId}/members/${u.id}`, { token: by.token, body });
      const del = (by: TestUser, u: TestUser) => http(srv.url, 'DELETE', `/api/groups/${groupId}/members/${u.id}`, { token: by.token });
      const t0 = Date.now();
      for (const res of [
        await put(fac, a, { role: 'participant', name: a.name }),
        await put(fac, a, { role: 'participant', name: a.name }), // the same again: no change
        await put(fac, a, { role: 'participant', name: 'A. renamed' }), // a name only: no enrolment change
        await put(fac, b, { role: 'participant' }),
        await put(fac, b, { role: 'facilitator' }),
        await put(admin, b, { role: 'participant' }),
        await del(fac, a),
        await del(admin, b),
      ])
        expect(res.status, res.text).to.equal(200);
      expect((await del(fac, a)).status, 'not enrolled any more').to.equal(404);
      expect((await put(a, b, { role: 'participant' })).status, 'a non-member').to.equal(403);
      const t1 = Date.now();

      const { entries, hasMore } = await entriesOf(groupId, fac.token);
      expect(hasMore).to.equal(false);
      const byFac = { id: fac.id, name: 'Dana (facilitator)', role: 'facilitator' };
      const byAdmin = { id: admin.id, name: 'Program admin', role: 'admin' };
      expect(entries.map(({ at: _at, ...rest }) => rest)).to.deep.equal(
        [
          { actor: byFac, action: 'enrol', targetUserId: a.id, role: 'participant' },
          { actor: byFac, action: 'enrol', targetUserId: b.id, role: 'participant' },
          { actor: byFac, action: 'change_role', targetUserId: b.id, role: 'facilitator' },
          { actor: byAdmin, action: 'change_role', targetUserId: b.id, role: 'participant' },
          { actor: byFac, action: 'unenrol', targetUserId: a.id },
          { actor: byAdmin, action: 'unenrol', targetUserId: b.id },
        ]
          .map((what, i) => ({ seq: i + 1, groupId, ...what }))
          .reverse(),
      );
      for (const e of entries) expect(e.at).to.be.within(t0, t1);
    });

    it('records an admin who is not enrolled with the admin role, and lets admins and co-facilitators read the log', async () => {
      const fac = srv.user('facilitator');
      const coFac = srv.user('facilitator');
      const admin = srv.user('admin', 'Program admin');
      const a = srv.user();
      const groupId = await makeGroup(srv, fac, [a]);
      await enrol(srv, groupId, fac, coFac, 'facilitator', coFac.name);
      const ca = await connect(admin);
      await ca.ok('mod:mute', { groupId, userId: a.id });
      await ca.ok('mod:lock', { groupId, locked: true });
      for (const reader of [fac, coFac, admin]) {
        const { entries } = await entriesOf(groupId, reader.token);
        expect(entries.map((e) => [e.seq, e.action, e.actor])).to.deep.equal([
          [4, 'lock', { id: admin.id, name: 'Program admin', role: 'admin' }],
          [3, 'mute', { id: admin.id, name: 'Program admin', role: 'admin' }],
          [2, 'enrol', { id: fac.id, name: fac.name, role: 'facilitator' }],
          [1, 'enrol', { id: fac.id, name: fac.name, role: 'facilitator' }],
        ]);
      }
    });

    it('refuses the log to participants and to facilitators of other groups with 403 FORBIDDEN, to anonymous callers with 401, and answers 404 for an unknown group', async () => {
      const fac = srv.user('facilitator');
      const other = srv.user('facilitator');
      const a = srv.user();
      const groupId = await makeGroup(srv, fac, [a]);
      await makeGroup(srv, other);
      await (await connect(fac)).ok('mod:lock', { groupId, locked: true });
      for (const who of [a, other, srv.user()]) {
        const res = await getAudit(groupId, who.token);
        expect(res.status, who.role).to.equal(403);
        expect(res.body).to.deep.include({ ok: false });
        expect(res.body.error.code).to.equal('FORBIDDEN');
        expect(res.text).to.not.include('"entries"');
      }
      const anonymous = await http(srv.url, 'GET', `/api/groups/${groupId}/audit`);
      expect(anonymous.status).to.equal(401);
      expect(anonymous.body.error.code).to.equal('UNAUTHORIZED');
      const unknown = await getAudit('no-such-group', srv.user('admin').token);
      expect(unknown.status).to.equal(404);
      expect(unknown.body.error.code).to.equal('NOT_FOUND');
      // The group's own facilitator still reads it.
      expect((await entriesOf(groupId, fac.token)).entries.map((e) => e.action)).to.deep.equal(['lock', 'enrol']);
    });

    it('does not record refused actions: wrong role, self-target, co-facilitator target, unknown target or message, bad payload', async () => {
      const fac = srv.user('facilitator');
      const coFac = srv.user('facilitator');
      const a = srv.user();
      const groupId = await makeGroup(srv, fac, [a]);
      await enrol(srv, groupId, fac, coFac, 'facilitator', coFac.name);
      const cf = await enter(fac, groupId);
      const ca = await enter(a, groupId);
      const refused: [Promise<Ack<unknown>>, string][] = [
        [ca.ack('mod:lock', { groupId, locked: true }), 'FORBIDDEN'],
        [ca.ack('mod:mute', { groupId, userId: fac.id }), 'FORBIDDEN'],
        [cf.ack('mod:mute', { groupId, userId: fac.id }), 'FORBIDDEN'],
        [cf.ack('mod:ban', { groupId, userId: coFac.id }), 'FORBIDDEN'],
        [cf.ack('mod:mute', { groupId, userId: 'nobody-here' }), 'NOT_FOUND'],
        [cf.ack('mod:delete', { groupId, messageId: 'no-such-message' }), 'NOT_FOUND'],
        [cf.ack('mod:pin', { groupId, messageId: 'no-such-message' }), 'NOT_FOUND'],
        [cf.ack('mod:mute', { groupId, userId: a.id, minutes: 0 }), 'BAD_REQUEST'],
        [cf.ack('mod:mute', { groupId, userId: a.id, minutes: 1441 }), 'BAD_REQUEST'],
        [cf.ack('mod:slowmode', { groupId, seconds: 301 }), 'BAD_REQUEST'],
        [cf.ack('mod:lock', { groupId, locked: 'yes' }), 'BAD_REQUEST'],
      ];
      const enrolments = await entriesOf(groupId, fac.token);
      expect(enrolments.entries.map((e) => [e.seq, e.action, e.targetUserId])).to.deep.equal([
        [2, 'enrol', coFac.id],
        [1, 'enrol', a.id],
      ]);
      for (const [res, code] of refused) expect(codeOf(await res)).to.equal(code);
      expect(await entriesOf(groupId, fac.token)).to.deep.equal(enrolments);
      expect(await srv.store.moderation.muteOf(groupId, a.id, Date.now())).to.equal(null);

      await cf.ok('mod:slowmode', { groupId, seconds: 5 });
      const { entries } = await entriesOf(groupId, fac.token);
      expect(entries.map((e) => [e.seq, e.action, e.value])).to.deep.equal([
        [3, 'slowmode', 5],
        [2, 'enrol', undefined],
        [1, 'enrol', undefined],
      ]);
    });

    it('narrows to an action and a person (who acted or whom it concerned) across the whole log, paged with an exact hasMore', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [a, b]);
      const cf = await connect(fac);
      // More than one slice of the scan (200): a's mutes are spread thin among b's.
      for (let i = 0; i < 215; i++) {
        const userId = i % 5 === 0 ? a.id : b.id;
        await cf.ok('mod:mute', { groupId, userId, minutes: 5 });
        await cf.ok('mod:unmute', { groupId, userId });
      }
      const all = [];
      for (let beforeSeq: number | undefined, page = 0; ; page++) {
        const res = await entriesOf(
          groupId,
          fac.token,
          `?action=mute&person=${a.id}&limit=20${beforeSeq ? `&beforeSeq=${beforeSeq}` : ''}`,
        );
        all.push(...res.entries);
        expect(res.entries.length, `page ${page}`).to.equal(res.hasMore ? 20 : 3);
        if (!res.hasMore) break;
        beforeSeq = res.entries.at(-1)!.seq;
      }
      expect(all).to.have.length(43);
      expect(all.every((e) => e.action === 'mute' && e.targetUserId === a.id)).to.equal(true);
      expect(all.map((e) => e.seq)).to.deep.equal([...all.map((e) => e.seq)].sort((x, y) => y - x));
      expect(all.at(-1)!.seq, 'the oldest mute of a, after the two enrolments').to.equal(3);

      const byActor = await entriesOf(groupId, fac.token, `?person=${fac.id}&limit=200`);
      expect([byActor.entries.length, byActor.hasMore]).to.deep.equal([200, true]);
      const unmutes = await entriesOf(groupId, fac.token, '?action=unmute&limit=200');
      expect([unmutes.entries.length, unmutes.hasMore]).to.deep.equal([200, true]);
      const none = await entriesOf(groupId, fac.token, `?action=ban&person=${a.id}`);
      expect(none).to.deep.equal({ entries: [], hasMore: false });
      const enrolled = await entriesOf(groupId, fac.token, `?person=${b.id}&action=enrol`);
      expect([enrolled.entries.map((e) => e.seq), enrolled.hasMore]).to.deep.equal([[2], false]);
      for (const query of ['?action=frobnicate', '?person=not%20an%20id']) {
        const res = await getAudit(groupId, fac.token, query);
        expect([res.status, res.body.error.code], query).to.deep.equal([400, 'BAD_REQUEST']);
      }
    });

    it('pages newest first with limit and beforeSeq, and refuses a bad limit or beforeSeq with 400', async () => {
      const fac = srv.user('facilitator');
      const groupId = await makeGroup(srv, fac);
      const cf = await connect(fac);
      for (let s = 1; s <= 7; s++) await cf.ok('mod:slowmode', { groupId, seconds: s });
      const seqs = (page: { entries: AuditEntry[] }) => page.entries.map((e) => e.seq);

      const all = await entriesOf(groupId, fac.token);
      expect(seqs(all)).to.deep.equal([7, 6, 5, 4, 3, 2, 1]);
      expect(all.entries.map((e) => e.value)).to.deep.equal([7, 6, 5, 4, 3, 2, 1]);
      expect(all.hasMore).to.equal(false);

      const p1 = await entriesOf(groupId, fac.token, '?limit=3');
      expect([seqs(p1), p1.hasMore]).to.deep.equal([[7, 6, 5], true]);
      const p2 = await entriesOf(groupId, fac.token, '?limit=3&beforeSeq=5');
      expect([seqs(p2), p2.hasMore]).to.deep.equal([[4, 3, 2], true]);
      const p3 = await entriesOf(groupId, fac.token, '?limit=3&beforeSeq=2');
      expect([seqs(p3), p3.hasMore]).to.deep.equal([[1], false]);
      expect(p1.entries.concat(p2.entries, p3.entries)).to.deep.equal(all.entries);
      const past = await entriesOf(groupId, fac.token, '?beforeSeq=100&limit=2');
      expect([seqs(past), past.hasMore]).to.deep.equal([[7, 6], true]);

      for (const query of ['?limit=0', '?limit=201', '?limit=abc', '?beforeSeq=0', '?beforeSeq=-1', '?beforeSeq=x']) {
        const res = await getAudit(groupId, fac.token, query);
        expect(res.status, query).to.equal(400);
        expect(res.body.error.code, query).to.equal('BAD_REQUEST');
      }
    });

    it('keeps one log per group with its own seqs, gap-free under concurrent actions', async () => {
      const fac = srv.user('facilitator');
      const coFac = srv.user('facilitator');
      const g1 = await makeGroup(srv, fac);
      const g2 = await makeGroup(srv, fac);
      await enrol(srv, g1, fac, coFac, 'facilitator', coFac.name);
      const [cf, cc] = [await connect(fac), await connect(coFac)];
      await Promise.all([
        ...Array.from({ length: 10 }, (_, i) => cf.ok('mod:slowmode', { groupId: g1, seconds: i + 1 })),
        ...Array.from({ length: 10 }, (_, i) => cc.ok('mod:slowmode', { groupId: g1, seconds: 100 + i })),
        cf.ok('mod:lock', { groupId: g2, locked: true }),
      ]);
      const one = await entriesOf(g1, fac.token);
      expect(one.entries.map((e) => e.seq)).to.deep.equal(Array.from({ length: 21 }, (_, i) => 21 - i));
      expect(one.entries.at(-1)).to.deep.include({ action: 'enrol', targetUserId: coFac.id });
      expect(
        one.entries
          .slice(0, -1)
          .map((e) => e.value)
          .sort((x, y) => x! - y!),
      ).to.deep.equal([...Array.from({ length: 10 }, (_, i) => i + 1), ...Array.from({ length: 10 }, (_, i) => 100 + i)]);
      const two = await entriesOf(g2, fac.token);
      expect(two.entries.map((e) => [e.seq, e.groupId, e.action])).to.deep.equal([[1, g2, 'lock']]);
    });

    it('cannot be edited: PUT, PATCH, POST and DELETE on the log or an entry are 404 and change nothing', async () => {
      const fac = srv.user('facilitator');
      const admin = srv.user('admin');
      const groupId = await makeGroup(srv, fac);
      await (await connect(fac)).ok('mod:lock', { groupId, locked: true });
      const before = await entriesOf(groupId, fac.token);
      for (const token of [fac.token, admin.token]) {
        for (const method of ['PUT', 'PATCH', 'POST', 'DELETE']) {
          for (const path of [`/api/groups/${groupId}/audit`, `/api/groups/${groupId}/audit/1`]) {
            const res = await http(srv.url, method, path, { token, body: method === 'DELETE' ? undefined : { action: 'unlock', seq: 1 } });
            expect(res.status, `${method} ${path}`).to.equal(404);
            expect(res.body?.error?.code, `${method} ${path}`).to.equal('NOT_FOUND');
          }
        }
      }
      expect(await entriesOf(groupId, fac.token)).to.deep.equal(before);
      expect(await srv.store.auditLog.audit(groupId, { limit: 10 })).to.deep.equal(before);
    });
  });
}
