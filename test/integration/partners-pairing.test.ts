import { expect } from 'chai';
import type { Partnership } from '../../shared/index.js';
import { refusedWith, type TestClient, waitFor } from '../support/client.js';
import { partnerSync, roomClients } from '../support/room.js';
import { enrol, http, makeGroup, serverPool, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

// Pairing accountability partners (docs/protocol.md §6, §8): invitations between participants who
// share a group, pairing by staff over HTTP, the partnership limit and the invite flood budget.

const ID = /^[A-Za-z0-9_-]{1,64}$/;
// These tests are about pairing, not floods (the last tests here cover the invite budget).
const LIFTED = 'send=100000/1,invite=100000/1';

for (const kind of STORE_KINDS) {
  describe(`partners: pairing (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, closeAll } = roomClients(() => srv);
    const { start, closeAll: stopServers } = serverPool({ store: kind });
    const pairOver = async (from: TestClient, to: TestClient, toUser: TestUser): Promise<Partnership> => {
      const { inviteId } = await from.ok('partner:invite', { userId: toUser.id });
      const { partnership } = await to.ok('partner:respond', { inviteId, accept: true });
      expect(partnership, 'accepting returns the partnership').to.not.equal(undefined);
      return partnership!;
    };
    const staffPair = (node: TestServer, staff: TestUser, a: TestUser, b: TestUser) =>
      http(node.url, 'POST', '/api/partnerships', { token: staff.token, body: { userIds: [a.id, b.id] } });

    before(async () => {
      srv = await startServer({ store: kind, env: { RATE_LIMITS: LIFTED } });
    });
    afterEach(async () => {
      closeAll();
      await stopServers();
    });
    after(() => srv.close());

    it('delivers an invite with its note to every device of the invitee and lists it on both sides', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b]);
      const ca = await connect(a);
      const [cb1, cb2] = [await connect(b), await connect(b)];

      const { inviteId } = await ca.ok('partner:invite', { userId: b.id, note: '  check in every night?\u202E  ' });
      expect(inviteId).to.match(ID);
      for (const c of [cb1, cb2]) {
        expect(await c.waitEvent('partner:invited')).to.deep.equal({
          inviteId,
          from: { id: a.id, name: a.name },
          note: 'check in every night?',
        });
      }
      await partnerSync(ca, cb1, cb2);
      expect(ca.received('partner:invited'), 'the inviter is not invited').to.deep.equal([]);
      expect(cb1.received('partner:invited')).to.have.length(1);

      for (const c of [ca, cb2]) {
        const list = await c.ok('partner:list', {});
        expect(list.partnerships).to.deep.equal([]);
        expect(list.invites).to.have.length(1);
        expect(list.invites[0]).to.deep.include({
          id: inviteId,
          from: { id: a.id, name: a.name },
          to: { id: b.id, name: b.name },
          note: 'check in every night?',
          status: 'pending',
        });
        expect(list.invites[0]!.createdAt).to.be.a('number');
      }
    });

    it('sends an invite without a note as just the invite id and who it is from', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b]);
      const ca = await connect(a);
      const cb = await connect(b);
      const { inviteId } = await ca.ok('partner:invite', { userId: b.id });
      expect(await cb.waitEvent('partner:invited')).to.deep.equal({ inviteId, from: { id: a.id, name: a.name } });
      expect((await cb.ok('partner:list', {})).invites[0]).to.not.have.property('note');
    });

    it('pairs both on accept, tells every device of both with partner:updated, and lists the partnership with both names', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b]);
      const [ca1, ca2] = [await connect(a), await connect(a)];
      const [cb1, cb2] = [await connect(b), await connect(b)];
      const cf = await connect(fac);

      const { inviteId } = await ca1.ok('partner:invite', { userId: b.id });
      const t0 = Date.now();
      const res = await cb2.ok('partner:respond', { inviteId, accept: true });
      const p = res.partnership!;
      expect(p.id).to.match(ID);
      expect(p.users).to.deep.equal([
        { id: a.id, name: a.name },
        { id: b.id, name: b.name },
      ]);
      expect(p.status).to.equal('active');
      expect(p.createdAt).to.be.within(t0 - 1000, Date.now() + 1000);
      expect(p).to.not.have.property('endedAt');

      for (const c of [ca1, ca2, cb1, cb2]) expect(await c.waitEvent('partner:updated')).to.deep.equal({ partnership: p });
      await partnerSync(ca1, ca2, cb1, cb2, cf);
      for (const c of [ca1, ca2, cb1, cb2]) expect(c.received('partner:updated'), 'once per device').to.have.length(1);
      expect(cf.received('partner:updated'), 'staff hear nothing of an invitation').to.deep.equal([]);

      const listA = await ca2.ok('partner:list', {});
      expect(listA).to.deep.equal({
        partnerships: [{ ...p, partner: { id: b.id, name: b.name, online: true }, lastReadSeq: {}, lastSeq: 0, unread: 0 }],
        invites: [],
      });
      const listB = await cb1.ok('partner:list', {});
      expect(listB).to.deep.equal({
        partnerships: [{ ...p, partner: { id: a.id, name: a.name, online: true }, lastReadSeq: {}, lastSeq: 0, unread: 0 }],
        invites: [],
      });
    });

    it('declines with an empty result, pairs nobody, and lets either side invite again', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b]);
      const ca = await connect(a);
      const cb = await connect(b);
      const { inviteId } = await ca.ok('partner:invite', { userId: b.id });
      expect(await cb.ok('partner:respond', { inviteId, accept: false })).to.deep.equal({});
      await partnerSync(ca, cb);
      expect(ca.received('partner:updated')).to.deep.equal([]);
      expect(cb.received('partner:updated')).to.deep.equal([]);
      for (const c of [ca, cb]) expect(await c.ok('partner:list', {})).to.deep.equal({ partnerships: [], invites: [] });

      const again = await cb.ok('partner:invite', { userId: a.id });
      expect(again.inviteId).to.not.equal(inviteId);
      expect(await ca.waitEvent('partner:invited')).to.deep.equal({ inviteId: again.inviteId, from: { id: b.id, name: b.name } });
    });

    it('refuses inviting yourself with FORBIDDEN and sends no invite', async () => {
      const fac = srv.user('facilitator');
      const a = srv.user();
      await makeGroup(srv, fac, [a]);
      const [ca1, ca2] = [await connect(a), await connect(a)];
      refusedWith(await ca1.ack('partner:invite', { userId: a.id }), 'FORBIDDEN');
      await partnerSync(ca1, ca2);
      expect(ca1.received('partner:invited')).to.deep.equal([]);
      expect(ca2.received('partner:invited')).to.deep.equal([]);
      expect(await ca1.ok('partner:list', {})).to.deep.equal({ partnerships: [], invites: [] });
    });

    it("refuses with FORBIDDEN an invite to someone outside the caller's groups, to a facilitator, by a facilitator, and to an unknown user", async () => {
      const fac = srv.user('facilitator');
      const otherFac = srv.user('facilitator');
      const [a, b, outsider] = [srv.user(), srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [a, b]);
      await makeGroup(srv, otherFac, [outsider]);
      // staffOnly shares the group with a, but only as its facilitator: only two participants may pair up.
      const staffOnly = srv.user();
      await enrol(srv, groupId, fac, staffOnly, 'facilitator', staffOnly.name);
      const [ca, cf, co, cs] = [await connect(a), await connect(fac), await connect(outsider), await connect(staffOnly)];

      refusedWith(await ca.ack('partner:invite', { userId: outsider.id }), 'FORBIDDEN');
      refusedWith(await ca.ack('partner:invite', { userId: fac.id }), 'FORBIDDEN');
      refusedWith(await ca.ack('partner:invite', { userId: staffOnly.id }), 'FORBIDDEN');
      refusedWith(await cs.ack('partner:invite', { userId: a.id }), 'FORBIDDEN');
      refusedWith(await cf.ack('partner:invite', { userId: b.id }), 'FORBIDDEN');
      refusedWith(await co.ack('partner:invite', { userId: a.id }), 'FORBIDDEN');
      refusedWith(await ca.ack('partner:invite', { userId: 'nobody-by-this-id' }), 'FORBIDDEN');

      await partnerSync(ca, cf, co, cs);
      for (const c of [ca, cf, co, cs]) {
        expect(c.received('partner:invited')).to.deep.equal([]);
        expect(await c.ok('partner:list', {})).to.deep.equal({ partnerships: [], invites: [] });
      }
    });

    it('refuses a second invite between the same two while one waits, in either direction, with FORBIDDEN', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b]);
      const ca = await connect(a);
      const cb = await connect(b);
      const { inviteId } = await ca.ok('partner:invite', { userId: b.id });
      refusedWith(await ca.ack('partner:invite', { userId: b.id }), 'FORBIDDEN');
      refusedWith(await cb.ack('partner:invite', { userId: a.id }), 'FORBIDDEN');
      await partnerSync(ca, cb);
      expect(cb.received('partner:invited').map((i) => i.inviteId)).to.deep.equal([inviteId]);
      expect(ca.received('partner:invited')).to.deep.equal([]);
      expect((await cb.ok('partner:list', {})).invites.map((i) => i.id)).to.deep.equal([inviteId]);
    });

    it('lets exactly one of two crossing invites through', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b]);
      const ca = await connect(a);
      const cb = await connect(b);
      const results = await Promise.all([ca.ack('partner:invite', { userId: b.id }), cb.ack('partner:invite', { userId: a.id })]);
      expect(
        results.filter((r) => r.ok),
        JSON.stringify(results),
      ).to.have.length(1);
      refusedWith(
        results.find((r) => !r.ok)!,
        'FORBIDDEN',
      );
      expect((await ca.ok('partner:list', {})).invites).to.have.length(1);
    });

    it('refuses an invite between people who are already partners with FORBIDDEN, and allows it again once they ended', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b]);
      const ca = await connect(a);
      const cb = await connect(b);
      const first = await pairOver(ca, cb, b);
      refusedWith(await ca.ack('partner:invite', { userId: b.id }), 'FORBIDDEN');
      refusedWith(await cb.ack('partner:invite', { userId: a.id }), 'FORBIDDEN');
      await partnerSync(ca, cb);
      expect(ca.received('partner:invited')).to.deep.equal([]);
      expect(cb.received('partner:invited')).to.have.length(1);

      await cb.ok('partner:end', { partnershipId: first.id });
      const second = await pairOver(cb, ca, a);
      expect(second.id).to.not.equal(first.id);
      expect(second.users.map((u) => u.id)).to.deep.equal([b.id, a.id]);
      const list = await ca.ok('partner:list', {});
      expect(list.partnerships.map((p) => [p.id, p.status])).to.deep.equal([
        [first.id, 'ended'],
        [second.id, 'active'],
      ]);
    });

    it('answers NOT_FOUND to a response by anyone but the invitee, the inviter included, and to an unknown invite, and leaves the invite pending', async () => {
      const fac = srv.user('facilitator');
      const [a, b, c] = [srv.user(), srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b, c]);
      const admin = srv.user('admin');
      const [ca, cb, cc, cf, cadmin] = [await connect(a), await connect(b), await connect(c), await connect(fac), await connect(admin)];
      const { inviteId } = await ca.ok('partner:invite', { userId: b.id });

      const unknown = refusedWith(await cc.ack('partner:respond', { inviteId: 'no-such-invite', accept: true }), 'NOT_FOUND');
      for (const other of [cc, ca, cf, cadmin]) {
        for (const accept of [true, false]) {
          const err = refusedWith(await other.ack('partner:respond', { inviteId, accept }), 'NOT_FOUND');
          expect(err, 'indistinguishable from an unknown invite').to.deep.equal(unknown);
        }
      }
      await partnerSync(ca, cb, cc);
      for (const x of [ca, cb, cc]) expect(x.received('partner:updated')).to.deep.equal([]);
      const list = await cb.ok('partner:list', {});
      expect(list.partnerships).to.deep.equal([]);
      expect(list.invites.map((i) => [i.id, i.status])).to.deep.equal([[inviteId, 'pending']]);
      expect(await cc.ok('partner:list', {}), 'a third user learns nothing of the invite').to.deep.equal({ partnerships: [], invites: [] });

      // The invitee can still answer it.
      expect((await cb.ok('partner:respond', { inviteId, accept: true })).partnership?.users.map((u) => u.id)).to.deep.equal([a.id, b.id]);
    });

    it('answers FORBIDDEN to responding twice, after an accept and after a decline, and changes nothing', async () => {
      const fac = srv.user('facilitator');
      const [a, b, c] = [srv.user(), srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b, c]);
      const [ca, cb, cc] = [await connect(a), await connect(b), await connect(c)];
      const accepted = await ca.ok('partner:invite', { userId: b.id });
      const { partnership } = await cb.ok('partner:respond', { inviteId: accepted.inviteId, accept: true });
      const declined = await cc.ok('partner:invite', { userId: b.id });
      expect(await cb.ok('partner:respond', { inviteId: declined.inviteId, accept: false })).to.deep.equal({});

      for (const inviteId of [accepted.inviteId, declined.inviteId]) {
        for (const accept of [true, false]) refusedWith(await cb.ack('partner:respond', { inviteId, accept }), 'FORBIDDEN');
      }
      await partnerSync(ca, cb, cc);
      expect(cb.received('partner:updated')).to.deep.equal([{ partnership }]);
      expect(cc.received('partner:updated')).to.deep.equal([]);
      const list = await cb.ok('partner:list', {});
      expect(list.partnerships.map((p) => [p.id, p.status])).to.deep.equal([[partnership!.id, 'active']]);
      expect(list.invites).to.deep.equal([]);
    });

    it('accepts exactly one of two concurrent answers from two devices of the invitee', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b]);
      const ca = await connect(a);
      const [cb1, cb2] = [await connect(b), await connect(b)];
      const { inviteId } = await ca.ok('partner:invite', { userId: b.id });
      const results = await Promise.all([
        cb1.ack('partner:respond', { inviteId, accept: true }),
        cb2.ack('partner:respond', { inviteId, accept: true }),
      ]);
      expect(
        results.filter((r) => r.ok),
        JSON.stringify(results),
      ).to.have.length(1);
      refusedWith(
        results.find((r) => !r.ok)!,
        'FORBIDDEN',
      );
      await waitFor(() => ca.received('partner:updated').length >= 1, 'partner:updated on the inviter');
      await partnerSync(ca);
      expect(ca.received('partner:updated'), 'one partnership, announced once').to.have.length(1);
      expect((await ca.ok('partner:list', {})).partnerships).to.have.length(1);
    });

    it('lets a facilitator pair two members of their group over HTTP and tells both partners, and only them', async () => {
      const fac = srv.user('facilitator');
      const [a, b, c] = [srv.user(), srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b, c]);
      const [ca, cb, cc, cf] = [await connect(a), await connect(b), await connect(c), await connect(fac)];
      const res = await staffPair(srv, fac, a, b);
      expect(res.status, res.text).to.equal(201);
      expect(res.body.ok).to.equal(true);
      const p: Partnership = res.body.data.partnership;
      expect(p.id).to.match(ID);
      expect(p.users).to.deep.equal([
        { id: a.id, name: a.name },
        { id: b.id, name: b.name },
      ]);
      expect(p.status).to.equal('active');
      for (const x of [ca, cb]) expect(await x.waitEvent('partner:updated')).to.deep.equal({ partnership: p });
      await partnerSync(cc, cf);
      expect(cc.received('partner:updated')).to.deep.equal([]);
      expect(cf.received('partner:updated')).to.deep.equal([]);
      expect((await ca.ok('partner:list', {})).partnerships.map((x) => [x.id, x.partner.id])).to.deep.equal([[p.id, b.id]]);
      expect((await cb.ok('partner:list', {})).partnerships.map((x) => [x.id, x.partner.id])).to.deep.equal([[p.id, a.id]]);
      expect((await cf.ok('partner:list', {})).partnerships, 'the pairing facilitator is not a partner').to.deep.equal([]);
    });

    it('lets an admin pair two people over HTTP without being in their group', async () => {
      const fac = srv.user('facilitator');
      const admin = srv.user('admin');
      const [a, b] = [srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b]);
      const ca = await connect(a);
      const res = await staffPair(srv, admin, a, b);
      expect(res.status, res.text).to.equal(201);
      expect(res.body.data.partnership.users).to.deep.equal([
        { id: a.id, name: a.name },
        { id: b.id, name: b.name },
      ]);
      expect(await ca.waitEvent('partner:updated')).to.deep.equal({ partnership: res.body.data.partnership });
    });

    it('refuses staff pairing by a participant, by a facilitator without a group holding both, of one person twice and of existing partners', async () => {
      const fac = srv.user('facilitator');
      const otherFac = srv.user('facilitator');
      const [a, b, c] = [srv.user(), srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [a, b]);
      await makeGroup(srv, otherFac, [c]);
      // otherFac is a facilitator elsewhere, but only a participant in the group a and b are in.
      await enrol(srv, groupId, fac, otherFac, 'participant');
      const [ca, cb] = [await connect(a), await connect(b)];

      const expectStatus = async (res: Awaited<ReturnType<typeof http>>, status: number, code: string) => {
        expect(res.status, res.text).to.equal(status);
        expect(res.body).to.deep.include({ ok: false });
        expect(res.body.error.code).to.equal(code);
      };
      await expectStatus(await staffPair(srv, a, a, b), 403, 'FORBIDDEN');
      await expectStatus(await staffPair(srv, otherFac, a, b), 403, 'FORBIDDEN');
      await expectStatus(await staffPair(srv, otherFac, a, c), 403, 'FORBIDDEN');
      await expectStatus(await staffPair(srv, fac, a, c), 403, 'FORBIDDEN');
      await expectStatus(
        await http(srv.url, 'POST', '/api/partnerships', { token: fac.token, body: { userIds: [a.id, a.id] } }),
        400,
        'BAD_REQUEST',
      );
      await expectStatus(
        await http(srv.url, 'POST', '/api/partnerships', { token: fac.token, body: { userIds: [a.id] } }),
        400,
        'BAD_REQUEST',
      );
      await expectStatus(
        await http(srv.url, 'POST', '/api/partnerships', { token: fac.token, body: { userIds: [a.id, b.id, c.id] } }),
        400,
        'BAD_REQUEST',
      );
      await expectStatus(await http(srv.url, 'POST', '/api/partnerships', { body: { userIds: [a.id, b.id] } }), 401, 'UNAUTHORIZED');
      await partnerSync(ca, cb);
      expect(ca.received('partner:updated')).to.deep.equal([]);
      expect(await ca.ok('partner:list', {})).to.deep.equal({ partnerships: [], invites: [] });

      const created = await staffPair(srv, fac, a, b);
      expect(created.status).to.equal(201);
      await expectStatus(await staffPair(srv, fac, b, a), 403, 'FORBIDDEN');
      await expectStatus(await staffPair(srv, srv.user('admin'), a, b), 403, 'FORBIDDEN');
      await waitFor(() => ca.received('partner:updated').length >= 1, 'partner:updated');
      await partnerSync(ca);
      expect(ca.received('partner:updated')).to.have.length(1);
      expect((await ca.ok('partner:list', {})).partnerships).to.have.length(1);
    });

    it('holds everyone to PARTNER_LIMIT active partnerships, for inviting, accepting and staff pairing, and frees a place when one ends', async () => {
      const node = await start({ env: { RATE_LIMITS: LIFTED, PARTNER_LIMIT: '2' } });
      const fac = node.user('facilitator');
      const [a, b, c, d, e] = [node.user(), node.user(), node.user(), node.user(), node.user()];
      await makeGroup(node, fac, [a, b, c, d, e]);
      const [ca, cb, cc, cd] = [await connect(a, node), await connect(b, node), await connect(c, node), await connect(d, node)];
      const withB = await pairOver(ca, cb, b);
      await pairOver(cc, ca, a);

      // a has two: a may not invite a third...
      refusedWith(await ca.ack('partner:invite', { userId: d.id }), 'FORBIDDEN');
      // ...may be invited, but may not accept...
      const { inviteId } = await cd.ok('partner:invite', { userId: a.id });
      refusedWith(await ca.ack('partner:respond', { inviteId, accept: true }), 'FORBIDDEN');
      // ...and staff may not pair a with anyone either.
      const staff = await staffPair(node, fac, a, e);
      expect(staff.status, staff.text).to.equal(403);
      expect(
        (await ca.ok('partner:list', {})).invites.map((i) => [i.id, i.status]),
        'the refused accept leaves the invite waiting',
      ).to.deep.equal([[inviteId, 'pending']]);

      // An ended partnership no longer counts.
      await cb.ok('partner:end', { partnershipId: withB.id });
      const { partnership } = await ca.ok('partner:respond', { inviteId, accept: true });
      expect(partnership?.users.map((u) => u.id)).to.deep.equal([d.id, a.id]);
      const list = await ca.ok('partner:list', {});
      expect(list.partnerships.filter((p) => p.status === 'active')).to.have.length(2);
      expect(list.partnerships).to.have.length(3);
    });

    it('keeps the refused one of two invites accepted at once at the limit waiting, not answered', async () => {
      const node = await start({ env: { RATE_LIMITS: LIFTED, PARTNER_LIMIT: '1' } });
      const fac = node.user('facilitator');
      const [a, b, c] = [node.user(), node.user(), node.user()];
      await makeGroup(node, fac, [a, b, c]);
      const [ca, cb, cc] = [await connect(a, node), await connect(b, node), await connect(c, node)];
      const fromB = (await cb.ok('partner:invite', { userId: a.id })).inviteId;
      const fromC = (await cc.ok('partner:invite', { userId: a.id })).inviteId;
      const results = await Promise.all([
        ca.ack('partner:respond', { inviteId: fromB, accept: true }),
        ca.ack('partner:respond', { inviteId: fromC, accept: true }),
      ]);
      expect(
        results.filter((r) => r.ok),
        JSON.stringify(results),
      ).to.have.length(1);
      refusedWith(
        results.find((r) => !r.ok)!,
        'FORBIDDEN',
      );
      const refused = results[0].ok ? fromC : fromB;
      const list = await ca.ok('partner:list', {});
      expect(list.partnerships).to.have.length(1);
      expect(list.invites.map((i) => [i.id, i.status])).to.deep.equal([[refused, 'pending']]);
      expect(await ca.ok('partner:respond', { inviteId: refused, accept: false })).to.deep.equal({});
    });

    it('answers an invite still waiting between two people when staff pair them', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b]);
      const [ca, cb] = [await connect(a), await connect(b)];
      const { inviteId } = await ca.ok('partner:invite', { userId: b.id });
      const res = await staffPair(srv, fac, a, b);
      expect(res.status, res.text).to.equal(201);
      for (const c of [ca, cb]) expect((await c.ok('partner:list', {})).invites).to.deep.equal([]);
      refusedWith(await cb.ack('partner:respond', { inviteId, accept: true }), 'FORBIDDEN');
      expect((await cb.ok('partner:list', {})).partnerships).to.have.length(1);
    });

    it('limits invitations per user by the invite budget, answering RATE_LIMITED with retryAfterMs', async () => {
      const node = await start({ env: { RATE_LIMITS: 'send=100000/1,invite=2/3600' } });
      const fac = node.user('facilitator');
      const [a, b, c, d, e] = [node.user(), node.user(), node.user(), node.user(), node.user()];
      await makeGroup(node, fac, [a, b, c, d, e]);
      const [ca, cd, ce] = [await connect(a, node), await connect(d, node), await connect(e, node)];
      await ca.ok('partner:invite', { userId: b.id });
      await ca.ok('partner:invite', { userId: c.id });
      const limited = refusedWith(await ca.ack('partner:invite', { userId: d.id }), 'RATE_LIMITED');
      expect(limited.retryAfterMs).to.be.a('number').greaterThan(0).and.at.most(3_600_000);
      await partnerSync(cd);
      expect(cd.received('partner:invited')).to.deep.equal([]);
      expect((await cd.ok('partner:list', {})).invites).to.deep.equal([]);
      // The budget is the inviter's own.
      const { inviteId } = await ce.ok('partner:invite', { userId: d.id });
      expect(await cd.waitEvent('partner:invited')).to.deep.equal({ inviteId, from: { id: e.id, name: e.name } });
    });
  });
}
