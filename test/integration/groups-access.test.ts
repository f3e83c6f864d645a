import { expect } from 'chai';
import { type TestClient } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { http, makeGroup, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

for (const kind of STORE_KINDS) {
  describe(`group access (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, closeAll } = roomClients(() => srv);

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    it('refuses a participant who is not enrolled: no join, no history, no send, no typing, hand or reaction', async () => {
      const fac = srv.user('facilitator');
      const member = srv.user();
      const groupId = await makeGroup(srv, fac, [member]);
      const inside = await connect(member);
      await inside.ok('group:join', { groupId });
      const seen = (await inside.ok('group:send', { groupId, text: 'members only', clientMsgId: 'm1' })).message;

      const outsider = await connect(srv.user());
      const attempts = [
        await outsider.ack('group:join', { groupId }),
        await outsider.ack('group:history', { groupId }),
        await outsider.ack('group:send', { groupId, text: 'let me in', clientMsgId: 'x1' }),
        await outsider.ack('group:typing', { groupId, typing: true }),
        await outsider.ack('group:hand', { groupId, raised: true }),
        await outsider.ack('group:react', { groupId, messageId: seen.id, emoji: '🙏' }),
      ];
      for (const res of attempts) expect(res).to.deep.include({ ok: false }).and.to.have.nested.property('error.code', 'FORBIDDEN');

      await inside.sync(groupId);
      expect(inside.received('group:typing')).to.deep.equal([]);
      expect(inside.received('group:hand')).to.deep.equal([]);
      expect(inside.received('group:reaction')).to.deep.equal([]);
      const history = await inside.ok('group:history', { groupId });
      expect(history.messages.map((m) => m.text)).to.deep.equal(['members only']);
      expect(outsider.messages(groupId)).to.deep.equal([]);
      const joined = await inside.ok('group:join', { groupId });
      expect(joined.state.handQueue).to.deep.equal([]);
    });

    it('refuses a facilitator by token who is not enrolled in the group', async () => {
      const groupId = await makeGroup(srv, srv.user('facilitator'));
      const stranger = await connect(srv.user('facilitator'));
      const res = await stranger.ack('group:join', { groupId });
      expect(res.ok === false && res.error.code).to.equal('FORBIDDEN');
    });

    it('answers NOT_FOUND for a group that does not exist', async () => {
      const c = await connect(srv.user());
      const res = await c.ack('group:join', { groupId: 'no-such-group' });
      expect(res.ok === false && res.error.code).to.equal('NOT_FOUND');
    });

    it('lets an admin who is not enrolled join, read and send', async () => {
      const groupId = await makeGroup(srv, srv.user('facilitator'));
      const admin = await connect(srv.user('admin'));
      await admin.ok('group:join', { groupId });
      const sent = await admin.ok('group:send', { groupId, text: 'hello from the program admin', clientMsgId: 'a1' });
      expect(sent.message.sender.role).to.equal('admin');
    });

    it('takes the sender role from enrolment, not from the token', async () => {
      const fac = srv.user('facilitator');
      const tokenFacilitator = srv.user('facilitator'); // a facilitator elsewhere, a participant here
      const groupId = await makeGroup(srv, fac, [tokenFacilitator]);
      const c = await connect(tokenFacilitator);
      await c.ok('group:join', { groupId });
      const { message } = await c.ok('group:send', { groupId, text: 'hi', clientMsgId: 'r1' });
      expect(message.sender).to.deep.equal({ id: tokenFacilitator.id, name: tokenFacilitator.name, role: 'participant' });
    });

    it('refuses typing, and relays none of it, once the typist has left, been removed, been banned or been unenrolled', async () => {
      const fac = srv.user('facilitator');
      const ways: [string, string, (u: TestUser, c: TestClient, groupId: string) => Promise<unknown>][] = [
        ['group:leave', 'FORBIDDEN', (_u, c, groupId) => c.ok('group:leave', { groupId })],
        ['mod:remove', 'FORBIDDEN', (u, _c, groupId) => facClient.ok('mod:remove', { groupId, userId: u.id })],
        ['mod:ban', 'BANNED', (u, _c, groupId) => facClient.ok('mod:ban', { groupId, userId: u.id })],
        [
          'unenrolment',
          'FORBIDDEN',
          async (u, _c, groupId) => {
            const res = await http(srv.url, 'DELETE', `/api/groups/${groupId}/members/${u.id}`, { token: fac.token });
            expect(res.status, res.text).to.equal(200);
          },
        ],
      ];
      const members = ways.map(() => srv.user());
      const groupId = await makeGroup(srv, fac, members);
      const facClient = await connect(fac);
      await facClient.ok('group:join', { groupId });
      for (const [i, [way, code, goOut]] of ways.entries()) {
        const u = members[i]!;
        const c = await connect(u);
        await c.ok('group:join', { groupId });
        await c.ok('group:typing', { groupId, typing: true });
        await facClient.waitEvent('group:typing', (t) => t.userId === u.id);
        await goOut(u, c, groupId);
        const res = await c.ack('group:typing', { groupId, typing: true });
        expect(res, `typing after ${way}`).to.have.nested.property('error.code', code);
        await facClient.sync(groupId);
        expect(
          facClient.received('group:typing', (t) => t.userId === u.id),
          `typing relayed after ${way}`,
        ).to.have.length(1);
      }
    });
  });
}
