// The group agreement (§5.1 group:agree, §8.2 the agreement routes): facilitators set it over
// HTTP, each change a new version; a participant's join is refused AGREEMENT_REQUIRED (with the
// version and text) until they accept that version; acceptance is recorded once and listed for
// facilitators; a new version applies from each person's next join, never mid-session.
import { expect } from 'chai';
import type { AuditEntry } from '../../shared/index.js';
import { codeOf, refusedWith } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { enrol, http, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

const RULES = 'What is said here stays here. Respect each other. Do not share the stories of others.';

for (const kind of STORE_KINDS) {
  describe(`group agreement (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, enter, group, send, sent, closeAll } = roomClients(() => srv);

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    const setAgreement = (groupId: string, by: TestUser, text: unknown) =>
      http(srv.url, 'PUT', `/api/groups/${groupId}/agreement`, { token: by.token, body: { text } });
    const agreed = async (groupId: string, by: TestUser, text: string) => {
      const res = await setAgreement(groupId, by, text);
      expect(res.status, res.text).to.equal(200);
      return res.body.data.agreement as { version: number; text: string; at: number; by: string };
    };
    const acceptances = async (groupId: string, by: TestUser) => {
      const res = await http(srv.url, 'GET', `/api/groups/${groupId}/agreement/acceptances`, { token: by.token });
      expect(res.status, res.text).to.equal(200);
      return res.body.data.acceptances as { userId: string; version: number; at: number }[];
    };

    it("refuses a participant's join with AGREEMENT_REQUIRED, the version and the text, until they accept it with group:agree", async () => {
      const { fac, people, groupId } = await group(1);
      const v1 = await agreed(groupId, fac, RULES);
      expect(v1).to.deep.include({ version: 1, text: RULES, by: fac.id });
      const c = await connect(people[0]);
      const refused = refusedWith(await c.ack('group:join', { groupId }), 'AGREEMENT_REQUIRED');
      expect(refused.agreement).to.deep.equal({ version: 1, text: RULES });
      refusedWith(await send(c, groupId), 'AGREEMENT_REQUIRED');
      const before = Date.now();
      const { accepted } = await c.ok('group:agree', { groupId, version: 1 });
      expect(accepted.version).to.equal(1);
      expect(accepted.at).to.be.at.least(before);
      await c.ok('group:join', { groupId });
      await sent(c, groupId);
    });

    it('records an acceptance once: accepting the same version again answers the first acceptance', async () => {
      const { fac, people, groupId } = await group(1);
      await agreed(groupId, fac, RULES);
      const c = await connect(people[0]);
      const first = await c.ok('group:agree', { groupId, version: 1 });
      const again = await c.ok('group:agree', { groupId, version: 1 });
      expect(again).to.deep.equal(first);
      expect(await acceptances(groupId, fac)).to.deep.equal([{ userId: people[0].id, version: 1, at: first.accepted.at }]);
    });

    it('applies a new version from the next join: one who joined under v1 still sends after v2, then their next join asks for v2', async () => {
      const { fac, people, groupId } = await group(2);
      await agreed(groupId, fac, 'v1');
      const [ca, cb] = [await connect(people[0]), await connect(people[1])];
      for (const c of [ca, cb]) await c.ok('group:agree', { groupId, version: 1 });
      await ca.ok('group:join', { groupId });
      await cb.ok('group:join', { groupId });
      const v2 = await agreed(groupId, fac, 'v2: be kind');
      expect(v2.version).to.equal(2);
      await sent(ca, groupId, 'still here under v1');
      await sent(cb, groupId, 'me too');
      const again = refusedWith(await ca.ack('group:join', { groupId }), 'AGREEMENT_REQUIRED');
      expect(again.agreement).to.deep.equal({ version: 2, text: 'v2: be kind' });
      expect(codeOf(await send(ca, groupId)), 'once their join asked for v2').to.equal('AGREEMENT_REQUIRED');
      await sent(cb, groupId, 'b has not joined again: still v1');
      const old = refusedWith(await ca.ack('group:agree', { groupId, version: 1 }), 'AGREEMENT_CHANGED');
      expect(old.agreement).to.deep.equal({ version: 2, text: 'v2: be kind' });
      await ca.ok('group:agree', { groupId, version: 2 });
      await ca.ok('group:join', { groupId });
      await sent(ca, groupId);
      expect((await acceptances(groupId, fac)).map((a) => [a.userId, a.version])).to.deep.equal([
        [people[1].id, 1],
        [people[0].id, 2],
      ]);
    });

    it('never asks facilitators or admins, and a group with no agreement asks nothing', async () => {
      const { fac, people, groupId } = await group(1);
      await enter(people[0], groupId);
      await agreed(groupId, fac, RULES);
      await enter(fac, groupId);
      await enter(srv.user('admin'), groupId);
    });

    it('lets members read the current agreement, facilitators and admins set it and list acceptances; audits each new version without its text', async () => {
      const { fac, people, groupId } = await group(1);
      const get = (u: TestUser) => http(srv.url, 'GET', `/api/groups/${groupId}/agreement`, { token: u.token });
      expect((await get(people[0])).body.data).to.deep.equal({ agreement: null });
      const v1 = await agreed(groupId, fac, RULES);
      expect((await get(people[0])).body.data).to.deep.equal({ agreement: v1 });
      expect((await setAgreement(groupId, people[0], 'mine')).body.error.code).to.equal('FORBIDDEN');
      const list = await http(srv.url, 'GET', `/api/groups/${groupId}/agreement/acceptances`, { token: people[0].token });
      expect([list.status, list.body.error.code]).to.deep.equal([403, 'FORBIDDEN']);
      const stranger = srv.user('facilitator');
      expect((await get(stranger)).body.error.code).to.equal('FORBIDDEN');
      const admin = srv.user('admin');
      expect((await agreed(groupId, admin, 'v2')).version).to.equal(2);
      expect(await acceptances(groupId, admin)).to.deep.equal([]);
      const audit = await http(srv.url, 'GET', `/api/groups/${groupId}/audit`, { token: fac.token });
      const entries = (audit.body.data.entries as AuditEntry[]).filter((e) => e.action === 'set_agreement');
      expect(entries.map((e) => [e.actor.id, e.value])).to.deep.equal([
        [admin.id, 2],
        [fac.id, 1],
      ]);
      expect(JSON.stringify(entries)).to.not.include('stays here');
    });

    it("exports the caller's acceptance and forgets it on DELETE /api/me: enrolled again, they are asked again", async () => {
      const { fac, people, groupId } = await group(1);
      await agreed(groupId, fac, RULES);
      const c = await connect(people[0]);
      await c.ok('group:agree', { groupId, version: 1 });
      await c.ok('group:join', { groupId });
      const exported = await http(srv.url, 'GET', '/api/me/export', { token: people[0].token });
      const [mine] = exported.body.data.groups as { agreementAccepted?: { version: number; at: number } }[];
      expect(mine?.agreementAccepted?.version, 'exported first').to.equal(1);
      const erased = await http(srv.url, 'DELETE', '/api/me', { token: people[0].token });
      expect(erased.status, erased.text).to.equal(200);
      expect(await acceptances(groupId, fac)).to.deep.equal([]);
      await enrol(srv, groupId, fac, people[0], 'participant');
      refusedWith(await c.ack('group:join', { groupId }), 'AGREEMENT_REQUIRED');
    });

    it('refuses an empty, too long or ill-formed text with BAD_REQUEST, and group:agree with a bad version, no agreement, no access or a ban', async () => {
      const { fac, people, groupId } = await group(1);
      for (const text of ['   ', 'x'.repeat(4001), 'a\ud800b', 42, undefined]) {
        const res = await setAgreement(groupId, fac, text);
        expect([res.status, res.body.error.code], String(text).slice(0, 10)).to.deep.equal([400, 'BAD_REQUEST']);
      }
      expect((await agreed(groupId, fac, ` ${'é'.repeat(4000)} `)).text).to.equal('é'.repeat(4000));
      const c = await connect(people[0]);
      for (const version of [0, -1, 1.5, '1', undefined]) refusedWith(await c.ack('group:agree', { groupId, version }), 'BAD_REQUEST');
      const other = await group(0);
      refusedWith(await c.ack('group:agree', { groupId: other.groupId, version: 1 }), 'FORBIDDEN');
      refusedWith(await c.ack('group:agree', { groupId: 'nope', version: 1 }), 'NOT_FOUND');
      const facClient = await connect(other.fac);
      refusedWith(await facClient.ack('group:agree', { groupId: other.groupId, version: 1 }), 'NOT_FOUND');
      await (await connect(fac)).ok('mod:ban', { groupId, userId: people[0].id });
      refusedWith(await c.ack('group:agree', { groupId, version: 1 }), 'BANNED');
    });
  });
}
