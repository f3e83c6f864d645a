import { expect } from 'chai';
import type { Partnership } from '../../shared/index.js';
import { codeOf, pairByInvite } from '../support/client.js';
import { partnerSync, roomClients } from '../support/room.js';
import { enrol, http, makeGroup, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

// Staff and the pairings of their groups' members (docs/protocol.md §8.4): listing them and ending
// one, within the groups they facilitate, with both partners told as when one of them ends it.

for (const kind of STORE_KINDS) {
  describe(`partners: staff list and end pairings (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, closeAll } = roomClients(() => srv);
    let fac: TestUser, a: TestUser, b: TestUser, groupId: string;

    const pair = async (by: TestUser, x: TestUser, y: TestUser): Promise<Partnership> => {
      const res = await http(srv.url, 'POST', '/api/partnerships', { token: by.token, body: { userIds: [x.id, y.id] } });
      expect(res.status, res.text).to.equal(201);
      return res.body.data.partnership;
    };
    const list = (by: TestUser, group = groupId, query = '') =>
      http(srv.url, 'GET', `/api/groups/${group}/partnerships${query}`, { token: by.token });
    const end = (by: TestUser, partnershipId: string, group = groupId) =>
      http(srv.url, 'POST', `/api/groups/${group}/partnerships/${partnershipId}/end`, { token: by.token });

    before(async () => {
      srv = await startServer({ store: kind });
    });
    beforeEach(async () => {
      fac = srv.user('facilitator');
      [a, b] = [srv.user(), srv.user()];
      groupId = await makeGroup(srv, fac, [a, b]);
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    it("lists the group's pairings, whoever made them, and leaves out pairs not both in the group", async () => {
      const c = srv.user();
      await enrol(srv, groupId, fac, c, 'participant', c.name);
      const byStaff = await pair(fac, a, b);
      const byInvite = await pairByInvite(await connect(a), await connect(c), c.id);
      const outsider = srv.user();
      const other = await makeGroup(srv, srv.user('facilitator'), [outsider]);
      await enrol(srv, other, srv.user('admin'), a, 'participant');
      await pair(srv.user('admin'), a, outsider);

      const res = await list(fac);
      expect(res.status, res.text).to.equal(200);
      expect(res.body.data.partnerships).to.deep.equal([byStaff, byInvite]);
      expect(JSON.stringify(res.body)).to.not.include(outsider.id);
    });

    it('ends a pairing: both partners hear partner:updated naming the staff member, it is audited, and it leaves the active list', async () => {
      const p = await pair(fac, a, b);
      const [ca, cb] = [await connect(a), await connect(b)];
      const cf = await connect(fac);
      const t0 = Date.now();

      const res = await end(fac, p.id);
      expect(res.status, res.text).to.equal(200);
      const ended: Partnership = res.body.data.partnership;
      expect(ended).to.deep.include({ id: p.id, status: 'ended', endedBy: fac.id });
      expect(ended.endedAt).to.be.within(t0, Date.now());
      for (const c of [ca, cb]) expect(await c.waitEvent('partner:updated')).to.deep.equal({ partnership: ended });
      await partnerSync(ca, cb, cf);
      expect(cf.received('partner:updated'), 'staff get the answer, not the event').to.deep.equal([]);
      expect((await ca.ok('partner:list', {})).partnerships[0]).to.deep.include({ status: 'ended', endedBy: fac.id });
      const sent = await ca.ack('partner:send', { partnershipId: p.id, text: 'still there?', clientMsgId: 'm1' });
      expect(codeOf(sent), 'an ended pairing takes no messages').to.equal('FORBIDDEN');

      expect((await list(fac)).body.data.partnerships).to.deep.equal([]);
      expect((await list(fac, groupId, '?status=all')).body.data.partnerships).to.deep.equal([ended]);
      const audit = (await srv.store.auditLog.audit(groupId, { limit: 5 })).entries[0]!;
      expect(audit).to.deep.include({
        action: 'end_partnership',
        partnershipId: p.id,
        actor: { id: fac.id, name: fac.name, role: 'facilitator' },
      });

      const again = await end(fac, p.id);
      expect(again.status).to.equal(200);
      expect(again.body.data.partnership, 'the first end stands').to.deep.equal(ended);
      await partnerSync(ca, cb);
      expect(ca.received('partner:updated'), 'announced once').to.have.length(1);
      const audited = (await srv.store.auditLog.audit(groupId, { limit: 50 })).entries.filter((e) => e.action === 'end_partnership');
      expect(audited, 'audited once').to.have.length(1);
    });

    it('an admin lists and ends the pairings of a group they are not enrolled in', async () => {
      const admin = srv.user('admin');
      const p = await pair(fac, a, b);
      expect((await list(admin)).body.data.partnerships).to.deep.equal([p]);
      const res = await end(admin, p.id);
      expect(res.status, res.text).to.equal(200);
      expect(res.body.data.partnership).to.deep.include({ status: 'ended', endedBy: admin.id });
    });

    it('refuses participants, the partners themselves and facilitators of other groups; a pairing outside the group is NOT_FOUND', async () => {
      const p = await pair(fac, a, b);
      const otherFac = srv.user('facilitator');
      const otherGroup = await makeGroup(srv, otherFac);
      for (const who of [a, otherFac]) {
        expect((await list(who)).body.error.code, 'list').to.equal('FORBIDDEN');
        expect((await end(who, p.id)).body.error.code, 'end').to.equal('FORBIDDEN');
      }
      expect((await end(otherFac, p.id, otherGroup)).body.error.code, 'not a pairing of this group').to.equal('NOT_FOUND');
      expect((await list(fac, 'nogroup')).status).to.equal(404);
      expect((await end(fac, 'nosuchpartnership')).body.error.code).to.equal('NOT_FOUND');
      expect((await list(fac, groupId, '?status=ended')).body.error.code).to.equal('BAD_REQUEST');
      const still = await list(fac);
      expect(still.body.data.partnerships[0].status, 'nothing ended').to.equal('active');
    });

    it('access-logs each list about the partners listed, and a refused one not at all', async () => {
      const p = await pair(fac, a, b);
      await list(fac);
      const [entry] = (await srv.store.accessLog.accessEntries({ actor: fac.id, limit: 5 })).entries;
      expect(entry).to.deep.include({ what: 'partnerships', groupId, about: [a.id, b.id].sort() });
      await list(a);
      expect((await srv.store.accessLog.accessEntries({ actor: a.id, limit: 5 })).entries).to.deep.equal([]);
      expect(p.status).to.equal('active');
    });
  });
}
