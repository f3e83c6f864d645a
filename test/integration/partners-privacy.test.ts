import { expect } from 'chai';
import type { Message } from '../../shared/index.js';
import { loadResources } from '../../server/safety/resources.js';
import { refusedWith, TestClient, waitFor } from '../support/client.js';
import { partnerSync, roomClients } from '../support/room.js';
import { http, makeGroup, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

// Only the two partners may open, read, write or learn of a partnership (docs/protocol.md §6), and
// the safety net (§7) reaches the facilitators of the groups they share without the text.

// These tests are about privacy, not floods.
const LIFTED = 'send=100000/1,invite=100000/1';
const CRISIS_TEXT = 'honestly I want to kill myself tonight, Quillbrook bridge';
const CRISIS_NOTE = 'I took too many pills after the Marrowdale party';

/** Every partner event a socket got. */
const partnerEvents = (c: TestClient) => c.events.filter((e) => e.event.startsWith('partner:'));

for (const kind of STORE_KINDS) {
  describe(`partners: privacy and safety (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, closeAll } = roomClients(() => srv);
    const reportsOf = async (groupId: string, as: TestUser) => {
      const r = await http(srv.url, 'GET', `/api/groups/${groupId}/reports?status=all`, { token: as.token });
      expect(r.status, r.text).to.equal(200);
      return { reports: r.body.data.reports as any[], text: r.text };
    };

    /** a and b paired in one group with a third participant c; a facilitator and an admin around. */
    async function scene() {
      const fac = srv.user('facilitator');
      const admin = srv.user('admin');
      const [a, b, c] = [srv.user(), srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [a, b, c]);
      const [ca, cb, cc, cf, cadmin] = [await connect(a), await connect(b), await connect(c), await connect(fac), await connect(admin)];
      for (const x of [cc, cf, cadmin]) await x.ok('group:join', { groupId });
      const { inviteId } = await ca.ok('partner:invite', { userId: b.id, note: 'Wrenhaven meeting buddy?' });
      const { partnership } = await cb.ok('partner:respond', { inviteId, accept: true });
      return { fac, admin, a, b, c, groupId, ca, cb, cc, cf, cadmin, p: partnership! };
    }

    before(async () => {
      srv = await startServer({ store: kind, env: { RATE_LIMITS: LIFTED } });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    it('answers a third participant, a facilitator of their group and an admin NOT_FOUND for every partner verb, exactly as for a partnership that does not exist', async () => {
      const { a, groupId, fac, ca, cb, cc, cf, cadmin, p } = await scene();
      const m = (await ca.sent('partner:send', { partnershipId: p.id, text: 'between us two', clientMsgId: 'm1' })).message;
      const calls = (partnershipId: string) =>
        [
          ['partner:open', { partnershipId }],
          ['partner:open', { partnershipId, since: 0 }],
          ['partner:history', { partnershipId }],
          ['partner:send', { partnershipId, text: 'let me in', clientMsgId: 'x' }],
          ['partner:checkin', { partnershipId, mood: 3, craving: 2, note: 'let me in', clientMsgId: 'y' }],
          ['partner:read', { partnershipId, seq: 1 }],
          ['partner:typing', { partnershipId, typing: true }],
          ['partner:end', { partnershipId }],
          ['report', { conversation: { kind: 'partner', id: partnershipId }, messageId: m.id, reason: 'harassment' }],
        ] as const;
      for (const [who, x] of [
        ['third participant', cc],
        ['facilitator', cf],
        ['admin', cadmin],
      ] as const) {
        const real = calls(p.id);
        const made = calls('no-such-partnership');
        for (const [i, [event, payload]] of real.entries()) {
          const err = refusedWith(await x.ack(event, payload), 'NOT_FOUND');
          const [, unknownPayload] = made[i]!;
          const unknown = refusedWith(await x.ack(event, unknownPayload), 'NOT_FOUND');
          expect(err, `${who}: ${event} tells nothing an unknown id would not`).to.deep.equal(unknown);
        }
        expect(await x.ok('partner:list', {}), `${who} lists nothing of it`).to.deep.equal({ partnerships: [], invites: [] });
      }

      // Nothing changed for the partners: no message, no read mark, not ended, nothing reported.
      const opened = await cb.ok('partner:open', { partnershipId: p.id });
      expect(opened.messages).to.deep.equal([m]);
      expect(opened.partnership).to.deep.include({ status: 'active', lastSeq: 1, unread: 1 });
      expect(opened.partnership.lastReadSeq).to.deep.equal({ [a.id]: 1 });
      expect((await reportsOf(groupId, fac)).reports).to.deep.equal([]);
      await partnerSync(ca, cb);
      expect(cb.received('partner:typing')).to.deep.equal([]);
      expect(ca.received('partner:updated').map((u) => u.partnership.status)).to.deep.equal(['active']);
      expect(ca.received('partner:read').map((r) => r.userId)).to.deep.equal([a.id]);
    });

    it('never sends anyone but the two partners an invite, an update, a message, a read receipt, typing or presence', async () => {
      const { b, ca, cb, cc, cf, cadmin, p } = await scene();
      await ca.sent('partner:send', { partnershipId: p.id, text: 'are you up?', clientMsgId: 'q1' });
      await cb.sent('partner:checkin', { partnershipId: p.id, mood: 2, craving: 6, note: 'hard night', clientMsgId: 'q2' });
      await ca.ok('partner:read', { partnershipId: p.id, seq: 2 });
      await cb.ok('partner:typing', { partnershipId: p.id, typing: true });
      cb.close();
      await ca.waitEvent('partner:presence', (e) => e.userId === b.id && !e.online);
      const cb2 = await connect(b);
      await ca.waitEvent('partner:presence', (e) => e.userId === b.id && e.online);
      await cb2.ok('partner:end', { partnershipId: p.id });
      await ca.waitEvent('partner:updated', (u) => u.partnership.status === 'ended');

      // The outsiders are in the group room, so they did hear b come and go there.
      await waitFor(() => cc.received('group:presence', (e) => e.user.id === b.id).length >= 2, 'b leaving and coming back in the room');
      await partnerSync(cc, cf, cadmin);
      for (const x of [cc, cf, cadmin]) expect(partnerEvents(x), 'no partner event reaches an outsider').to.deep.equal([]);
      expect(ca.received('partner:invited'), 'the inviter is not told of their own invite').to.deep.equal([]);
    });

    it('hides an invitation from everyone but the two people in it', async () => {
      const fac = srv.user('facilitator');
      const [a, b, c] = [srv.user(), srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b, c]);
      const [ca, cb, cc, cf] = [await connect(a), await connect(b), await connect(c), await connect(fac)];
      const { inviteId } = await ca.ok('partner:invite', { userId: b.id });
      await cb.waitEvent('partner:invited');
      await partnerSync(cc, cf);
      for (const x of [cc, cf]) {
        expect(partnerEvents(x)).to.deep.equal([]);
        expect(await x.ok('partner:list', {})).to.deep.equal({ partnerships: [], invites: [] });
      }
      refusedWith(await cc.ack('partner:respond', { inviteId, accept: true }), 'NOT_FOUND');
    });

    it('gives the sender of crisis wording the crisis resources and alerts the facilitators of every shared group, who see who but not what', async () => {
      const [fac1, fac2, fac3] = [srv.user('facilitator'), srv.user('facilitator'), srv.user('facilitator')];
      const [a, b, c] = [srv.user(), srv.user(), srv.user()];
      const g1 = await makeGroup(srv, fac1, [a, b]);
      const g2 = await makeGroup(srv, fac2, [a, b]);
      const g3 = await makeGroup(srv, fac3, [a, c]); // only a is here
      const [ca1, ca2, cb, cf1, cf2, cf3] = [
        await connect(a),
        await connect(a),
        await connect(b),
        await connect(fac1),
        await connect(fac2),
        await connect(fac3),
      ];
      const { inviteId } = await ca1.ok('partner:invite', { userId: b.id });
      const { partnership } = await cb.ok('partner:respond', { inviteId, accept: true });
      const p = partnership!;

      const quiet = (await cb.sent('partner:send', { partnershipId: p.id, text: 'ninety days clean today', clientMsgId: 'ok' })).message;
      const crisis = (await ca1.sent('partner:send', { partnershipId: p.id, text: CRISIS_TEXT, clientMsgId: 'c1' })).message;
      // Never blocked: the partner gets it like any message.
      await waitFor(
        () => cb.received('partner:message', (m) => m.id === crisis.id).length === 1,
        'the crisis message reaching the partner',
      );
      for (const x of [ca1, ca2]) expect(await x.waitEvent('safety:resources')).to.deep.equal(loadResources());
      const alert = { partnershipId: p.id, kind: 'crisis', messageId: crisis.id, userId: a.id };
      const a1 = await cf1.waitEvent('mod:alert');
      expect(a1).to.deep.include({ ...alert, groupId: g1 });
      const a2 = await cf2.waitEvent('mod:alert');
      expect(a2).to.deep.include({ ...alert, groupId: g2 });
      expect(Object.keys(a1).sort()).to.deep.equal(['groupId', 'kind', 'messageId', 'partnershipId', 'reportId', 'userId']);

      // A check-in note is checked too.
      const checkin = (await cb.sent('partner:checkin', { partnershipId: p.id, mood: 1, craving: 9, note: CRISIS_NOTE, clientMsgId: 'c2' }))
        .message;
      await cb.waitEvent('safety:resources');
      for (const [x, g] of [
        [cf1, g1],
        [cf2, g2],
      ] as const) {
        expect(await x.waitEvent('mod:alert', (e) => e.messageId === checkin.id)).to.deep.include({
          groupId: g,
          partnershipId: p.id,
          kind: 'crisis',
          userId: b.id,
        });
      }

      await partnerSync(ca1, ca2, cb, cf1, cf2, cf3);
      expect(ca1.received('safety:resources'), 'one notice for one message').to.have.length(1);
      expect(cb.received('safety:resources'), "the partner is not sent resources for the other's words").to.have.length(1);
      expect(cf3.received('mod:alert'), 'a group only one partner is in hears nothing').to.deep.equal([]);
      for (const x of [cf1, cf2]) {
        expect(
          x.received('mod:alert').map((e) => e.messageId),
          'no alert for everyday words',
        ).to.deep.equal([crisis.id, checkin.id]);
        expect(partnerEvents(x)).to.deep.equal([]);
      }

      for (const [g, fac, alertOf] of [
        [g1, fac1, a1],
        [g2, fac2, a2],
      ] as const) {
        const { reports, text } = await reportsOf(g, fac);
        expect(reports.map((r) => [r.kind, r.messageId, r.userId])).to.deep.equal([
          ['crisis', crisis.id, a.id],
          ['crisis', checkin.id, b.id],
        ]);
        expect(reports[0]).to.deep.include({
          id: alertOf.reportId,
          groupId: g,
          conversation: { kind: 'partner', id: p.id },
          status: 'open',
          message: null,
        });
        expect(reports[1].message).to.equal(null);
        for (const secret of [CRISIS_TEXT, CRISIS_NOTE, 'Quillbrook', 'Marrowdale', quiet.text])
          expect(text, 'staff never see partner text').to.not.include(secret);
      }
      expect((await reportsOf(g3, fac3)).reports).to.deep.equal([]);
    });

    it('lets a partner report a partner message to the facilitators of their shared groups, without the text, and nobody else', async () => {
      const { a, b, groupId, fac, ca, cb, cc, cf, cadmin, p } = await scene();
      const m: Message = (await ca.sent('partner:send', { partnershipId: p.id, text: 'you owe me Hollowmere money', clientMsgId: 'r1' }))
        .message;
      refusedWith(
        await cc.ack('report', { conversation: { kind: 'partner', id: p.id }, messageId: m.id, reason: 'harassment' }),
        'NOT_FOUND',
      );
      const { reportId } = await cb.ok('report', {
        conversation: { kind: 'partner', id: p.id },
        messageId: m.id,
        reason: 'harassment',
        note: 'pressure',
      });
      expect(await cf.waitEvent('mod:alert')).to.deep.equal({
        groupId,
        partnershipId: p.id,
        kind: 'report',
        reportId,
        messageId: m.id,
        userId: a.id,
      });
      const { reports, text } = await reportsOf(groupId, fac);
      expect(reports).to.have.length(1);
      expect(reports[0]).to.deep.include({
        id: reportId,
        kind: 'report',
        reporterId: b.id,
        userId: a.id,
        reason: 'harassment',
        message: null,
      });
      expect(text).to.not.include('Hollowmere');
      await partnerSync(cc, cadmin);
      for (const x of [cc, cadmin]) expect(x.received('mod:alert')).to.deep.equal([]);
    });

    it('logs no partner message, check-in note or invitation note', async () => {
      const { ca, cb, p } = await scene();
      await ca.sent('partner:send', { partnershipId: p.id, text: CRISIS_TEXT, clientMsgId: 'l1' });
      await cb.sent('partner:checkin', { partnershipId: p.id, mood: 1, craving: 10, note: CRISIS_NOTE, clientMsgId: 'l2' });
      await cb.sent('partner:send', { partnershipId: p.id, text: 'my sponsor Thistlewaite says hi', clientMsgId: 'l3' });
      await ca.waitEvent('safety:resources');
      await partnerSync(ca, cb);
      const logs = srv.logs.join('\n').toLowerCase();
      expect(logs, 'the node does log').to.not.equal('');
      for (const secret of ['Quillbrook', 'Marrowdale', 'Thistlewaite', 'Wrenhaven']) expect(logs).to.not.include(secret.toLowerCase());
    });
  });
}
