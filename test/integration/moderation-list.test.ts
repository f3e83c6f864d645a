// Who is muted and who is banned in a group (§8.3 GET /api/groups/:groupId/moderation): what any
// facilitator of the group set, read back after the fact (a reload, another facilitator), by the
// names the group knows; for the group's facilitators and admins only, and access-logged.
import { expect } from 'chai';
import { roomClients } from '../support/room.js';
import { enrol, http, makeGroup, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

for (const kind of STORE_KINDS) {
  describe(`mute and ban list (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, closeAll } = roomClients(() => srv);
    const list = (groupId: string, who: TestUser) => http(srv.url, 'GET', `/api/groups/${groupId}/moderation`, { token: who.token });

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    it("lists another facilitator's mutes (timed and open) and bans by name, and forgets what was lifted", async () => {
      const [fran, gus] = [srv.user('facilitator', 'Fran'), srv.user('facilitator', 'Gus')];
      const [ana, ben, cy] = [srv.user('participant', 'Ana'), srv.user('participant', 'Ben'), srv.user('participant', 'Cy')];
      const groupId = await makeGroup(srv, fran, [ana, ben, cy]);
      await enrol(srv, groupId, fran, gus, 'facilitator', 'Gus');
      const stranger = 'neverEnrolled1';
      const cg = await connect(gus);
      const before = Date.now();
      await cg.ok('mod:mute', { groupId, userId: ben.id, minutes: 15 });
      await cg.ok('mod:mute', { groupId, userId: ana.id });
      await cg.ok('mod:ban', { groupId, userId: cy.id });
      await cg.ok('mod:ban', { groupId, userId: stranger });
      const admin = srv.user('admin');
      await (await connect(admin)).ok('mod:mute', { groupId, userId: gus.id });

      const res = await list(groupId, fran);
      expect(res.status, res.text).to.equal(200);
      const { mutes, bans } = res.body.data;
      expect(mutes.map((m: { name: string; role: string }) => [m.name, m.role])).to.deep.equal([
        ['Ana', 'participant'],
        ['Ben', 'participant'],
        ['Gus', 'facilitator'],
      ]);
      expect(mutes[0]).to.deep.equal({ userId: ana.id, name: 'Ana', role: 'participant', until: null });
      expect(mutes[1].until).to.be.within(before + 15 * 60_000, Date.now() + 15 * 60_000);
      expect(bans).to.deep.equal([
        { userId: cy.id, name: 'Cy' },
        { userId: stranger, name: stranger },
      ]);

      await cg.ok('mod:unmute', { groupId, userId: ana.id });
      await cg.ok('mod:unban', { groupId, userId: cy.id });
      const after = (await list(groupId, fran)).body.data;
      expect(after.mutes.map((m: { userId: string }) => m.userId)).to.deep.equal([ben.id, gus.id]);
      expect(after.bans).to.deep.equal([{ userId: stranger, name: stranger }]);
    });

    it('leaves out a timed mute past its end, and another group’s mutes and bans', async () => {
      const fac = srv.user('facilitator');
      const ana = srv.user('participant', 'Ana');
      const groupId = await makeGroup(srv, fac, [ana]);
      const otherId = await makeGroup(srv, fac, [ana]);
      await srv.store.moderation.setMute(groupId, ana.id, { until: Date.now() - 1 });
      const cf = await connect(fac);
      await cf.ok('mod:mute', { groupId: otherId, userId: ana.id });
      await cf.ok('mod:ban', { groupId: otherId, userId: ana.id });
      expect((await list(groupId, fac)).body.data).to.deep.equal({ mutes: [], bans: [] });
    });

    it("lists members' mutes only: an unenrolled person's mute is listed again once they are enrolled again", async () => {
      const fac = srv.user('facilitator');
      const ana = srv.user('participant', 'Ana');
      const groupId = await makeGroup(srv, fac, [ana]);
      const cf = await connect(fac);
      await cf.ok('mod:mute', { groupId, userId: ana.id });
      const out = await http(srv.url, 'DELETE', `/api/groups/${groupId}/members/${ana.id}`, { token: fac.token });
      expect(out.status, out.text).to.equal(200);
      expect((await list(groupId, fac)).body.data.mutes).to.deep.equal([]);
      await enrol(srv, groupId, fac, ana, 'participant', 'Ana');
      expect((await list(groupId, fac)).body.data.mutes).to.deep.equal([{ userId: ana.id, name: 'Ana', role: 'participant', until: null }]);
    });

    it('answers an admin outside the group, and records the read in the access log about the people listed', async () => {
      const fac = srv.user('facilitator');
      const admin = srv.user('admin');
      const ana = srv.user('participant', 'Ana');
      const groupId = await makeGroup(srv, fac, [ana]);
      const cf = await connect(fac);
      await cf.ok('mod:mute', { groupId, userId: ana.id });
      const res = await list(groupId, admin);
      expect(res.status, res.text).to.equal(200);
      expect(res.body.data.mutes).to.have.length(1);
      const logged = await http(srv.url, 'GET', `/api/access-log?actor=${admin.id}`, { token: admin.token });
      const entry = logged.body.data.entries.find((e: { groupId?: string }) => e.groupId === groupId);
      expect(entry).to.deep.include({ what: 'audit', about: [ana.id], groupId });
    });

    it('refuses a participant, a facilitator of another group and an outsider with FORBIDDEN', async () => {
      const fac = srv.user('facilitator');
      const participant = srv.user('participant');
      const other = srv.user('facilitator');
      await makeGroup(srv, other);
      const groupId = await makeGroup(srv, fac, [participant]);
      for (const who of [participant, other, srv.user('facilitator')]) {
        const res = await list(groupId, who);
        expect(res.status, res.text).to.equal(403);
        expect(res.body.error.code).to.equal('FORBIDDEN');
      }
    });
  });
}
