// Editing a group (§8.2 PATCH /api/groups/:groupId): its facilitators and admins change the name
// and description under POST's rules; everyone else is refused and nothing changes; each change is
// audited as edit_group, an edit that changes nothing is not.
import { expect } from 'chai';
import { enrol, http, makeGroup, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

for (const kind of STORE_KINDS) {
  describe(`group edit (${kind} store)`, () => {
    let srv: TestServer;
    const patch = (groupId: string, who: TestUser, body: unknown) =>
      http(srv.url, 'PATCH', `/api/groups/${groupId}`, { token: who.token, body });
    const read = async (groupId: string, who: TestUser) =>
      (await http(srv.url, 'GET', `/api/groups/${groupId}`, { token: who.token })).body.data.group;
    const edits = async (groupId: string) =>
      (await srv.store.auditLog.audit(groupId, { limit: 200 })).entries.filter((e) => e.action === 'edit_group');

    before(async () => {
      srv = await startServer({ store: kind });
    });
    after(() => srv.close());

    it('lets a facilitator of the group change its name and description, normalised as POST does, and audits it', async () => {
      const fac = srv.user('facilitator', 'Fran');
      const groupId = await makeGroup(srv, fac);
      const res = await patch(groupId, fac, { name: '  Cafe\u0301 mornings ', description: 'Weekdays at 9' });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.data.group).to.deep.include({ id: groupId, name: 'Café mornings', description: 'Weekdays at 9', createdBy: fac.id });
      expect(await read(groupId, fac)).to.deep.equal(res.body.data.group);

      const named = await patch(groupId, fac, { name: 'Morning group' });
      expect(named.body.data.group).to.deep.include({ name: 'Morning group', description: 'Weekdays at 9' });
      const described = await patch(groupId, fac, { description: '' });
      expect(described.body.data.group).to.deep.include({ name: 'Morning group', description: '' });

      const audited = await edits(groupId);
      expect(audited).to.have.length(3);
      expect(audited[0]).to.deep.include({ groupId, actor: { id: fac.id, name: 'Fran', role: 'facilitator' } });
    });

    it('lets an admin edit any group, and does not audit an edit that changes nothing', async () => {
      const fac = srv.user('facilitator');
      const admin = srv.user('admin', 'Ada');
      const groupId = await makeGroup(srv, fac);
      const res = await patch(groupId, admin, { name: 'Renamed by the program' });
      expect(res.status, res.text).to.equal(200);
      expect(res.body.data.group.name).to.equal('Renamed by the program');
      const again = await patch(groupId, admin, { name: 'Renamed by the program' });
      expect(again.status, again.text).to.equal(200);
      const audited = await edits(groupId);
      expect(audited.map((e) => e.actor.role)).to.deep.equal(['admin']);
    });

    it('refuses a participant, a facilitator of another group and an outsider with FORBIDDEN, and changes nothing', async () => {
      const fac = srv.user('facilitator');
      const participant = srv.user('participant');
      const other = srv.user('facilitator');
      await makeGroup(srv, other);
      const groupId = await makeGroup(srv, fac, [participant]);
      // A facilitator's token enrolled nowhere: the group role decides, not the token's.
      const outsider = srv.user('facilitator');
      for (const who of [participant, other, outsider]) {
        const res = await patch(groupId, who, { name: 'Taken over' });
        expect(res.status, res.text).to.equal(403);
        expect(res.body.error.code).to.equal('FORBIDDEN');
      }
      expect((await read(groupId, fac)).name).to.equal('Tuesday evening group');
      expect(await edits(groupId)).to.deep.equal([]);
    });

    it('refuses bad input with BAD_REQUEST and changes nothing', async () => {
      const fac = srv.user('facilitator');
      const groupId = await makeGroup(srv, fac);
      for (const body of [
        {},
        { name: '   ' },
        { name: 'x'.repeat(81) },
        { name: 7 },
        { description: 'x'.repeat(1001) },
        { name: '\ud800' },
      ]) {
        const res = await patch(groupId, fac, body);
        expect(res.status, JSON.stringify(body)).to.equal(400);
        expect(res.body.error.code).to.equal('BAD_REQUEST');
      }
      expect((await read(groupId, fac)).name).to.equal('Tuesday evening group');
      expect(await edits(groupId)).to.deep.equal([]);
    });

    it('answers NOT_FOUND for an unknown group, also to an admin', async () => {
      const admin = srv.user('admin');
      const res = await patch('nosuchgroup', admin, { name: 'Ghost' });
      expect(res.status, res.text).to.equal(404);
      expect(res.body.error.code).to.equal('NOT_FOUND');
    });

    it('keeps a participant enrolled as facilitator by the group able to edit (group role, not token role)', async () => {
      const fac = srv.user('facilitator');
      const coFac = srv.user('participant');
      const groupId = await makeGroup(srv, fac);
      await enrol(srv, groupId, fac, coFac, 'facilitator', coFac.name);
      const res = await patch(groupId, coFac, { description: 'Co-facilitated' });
      expect(res.status, res.text).to.equal(200);
    });
  });
}
