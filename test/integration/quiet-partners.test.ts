// Quiet partner chat during group (docs/protocol.md §6.2; issue 17): with the group setting on,
// partner messages between two members attending the live session are held, told to both, and
// delivered once, in order, with their seq, when the session ends; crisis wording is never held.
// Real clients on both stores; across nodes in test/cluster/quiet-partners.test.ts.
import { expect } from 'chai';
import type { Partnership } from '../../shared/index.js';
import { pairByInvite, type TestClient } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { startServer, STORE_KINDS, type TestServer } from '../support/server.js';

const CRISIS_TEXT = 'honestly I want to kill myself tonight, Quillbrook bridge';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const kind of STORE_KINDS) {
  describe(`quiet partner chat (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, enter, room, closeAll } = roomClients(() => srv);

    before(async () => {
      // The sweep runs every SESSION_CHECK_MS.
      srv = await startServer({ store: kind, env: { SESSION_CHECK_MS: '100' } });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    /** Two participants attending a group's open session (by hand), partners, and its facilitator. */
    async function partnersInSession(quiet = true) {
      const { groupId, people, cs, cf } = await room(2);
      const [ca, cb] = cs;
      const p: Partnership = await pairByInvite(ca, cb, people[1].id);
      if (quiet) await cf.ok('mod:quiet', { groupId, quiet: true });
      return { groupId, people, ca, cb, cf, p };
    }
    const send = (c: TestClient, partnershipId: string, text: string, clientMsgId: string) =>
      c.ok('partner:send', { partnershipId, text, clientMsgId });
    const partnerMessages = (c: TestClient, partnershipId: string) =>
      c.received('partner:message', (m) => m.conversation.id === partnershipId);

    it('holds a message during the session (ack held, no seq, both told why), answers a resend with the same held ack, and delivers each once, in order, when the session is closed', async () => {
      const { groupId, ca, cb, cf, p } = await partnersInSession();
      const first = await send(ca, p.id, 'see you after group', 'h1');
      expect(first).to.have.property('held').that.deep.equals({ groupId, sessionId: 'by-hand', until: null });
      expect(first.message).to.not.have.property('seq');
      expect(first.message).to.deep.include({ text: 'see you after group', clientMsgId: 'h1' });
      for (const c of [ca, cb]) await c.waitEvent('partner:held', (e) => e.partnershipId === p.id && e.count === 1);
      const again = await send(ca, p.id, 'see you after group', 'h1');
      expect(again, 'a resend answers the held original').to.deep.equal(first);
      const second = await send(cb, p.id, 'me too', 'h2');
      expect(second).to.have.property('held');
      for (const c of [ca, cb]) await c.waitEvent('partner:held', (e) => e.partnershipId === p.id && e.count === 2);
      expect(await srv.store.log.lastSeq({ kind: 'partner', id: p.id }), 'nothing in the log yet').to.equal(0);
      expect(
        (await ca.ok('partner:open', { partnershipId: p.id })).held.map((m) => m.id),
        'my held ones, listed',
      ).to.deep.equal([first.message.id]);

      await cf.ok('mod:session', { groupId, open: false });
      for (const c of [ca, cb]) await c.waitEvent('partner:message', (m) => m.id === second.message.id);
      await sleep(300);
      for (const c of [ca, cb]) {
        expect(partnerMessages(c, p.id).map((m) => [m.id, m.seq])).to.deep.equal([
          [first.message.id, 1],
          [second.message.id, 2],
        ]);
      }
      expect((await ca.sent('partner:send', { partnershipId: p.id, text: 'see you after group', clientMsgId: 'h1' })).message.seq).to.equal(
        1,
      );
      expect((await ca.ok('partner:open', { partnershipId: p.id })).held).to.deep.equal([]);
      expect(await srv.store.held.heldSessions()).to.not.deep.include({ groupId, sessionId: 'by-hand' });
    });

    it('a sweep releases a queue whose session is over though no one announced its end (a node died first)', async () => {
      const { groupId, ca, cb, p } = await partnersInSession();
      const c = { kind: 'partner', id: p.id } as const;
      const sender = { id: p.users[0].id, name: p.users[0].name, role: 'participant' } as const;
      const draft = (id: string, text: string) => ({
        id,
        conversation: c,
        sender,
        kind: 'text' as const,
        text,
        clientMsgId: id,
        createdAt: Date.now(),
      });
      // As a node that died would leave them: held for a session that is no longer open.
      await srv.store.held.hold(groupId, 'sGone', draft('left1', 'first'));
      await srv.store.held.hold(groupId, 'sGone', draft('left2', 'second'));
      await cb.waitEvent('partner:message', (m) => m.id === 'left2');
      expect(partnerMessages(ca, p.id).map((m) => [m.id, m.seq])).to.deep.equal([
        ['left1', 1],
        ['left2', 2],
      ]);
      expect(await srv.store.held.held(groupId, 'sGone')).to.deep.equal([]);
    });

    it('drops what is held in a partnership that ends before the release (as a send into it would be refused)', async () => {
      const { groupId, ca, cb, cf, p } = await partnersInSession();
      await send(ca, p.id, 'not after all', 'x1');
      await cb.ok('partner:end', { partnershipId: p.id });
      await cf.ok('mod:session', { groupId, open: false });
      await ca.waitEvent('partner:held', (e) => e.partnershipId === p.id && e.count === 0);
      expect(await srv.store.log.lastSeq({ kind: 'partner', id: p.id })).to.equal(0);
      expect(partnerMessages(cb, p.id)).to.deep.equal([]);
    });

    it('never holds crisis wording: it goes out at once with its seq and the sender gets the resources', async () => {
      const { ca, cb, p } = await partnersInSession();
      const res = await send(ca, p.id, CRISIS_TEXT, 'c1');
      expect(res).to.not.have.property('held');
      expect(res.message).to.have.property('seq', 1);
      await cb.waitEvent('partner:message', (m) => m.id === res.message.id);
      await ca.waitEvent('safety:resources');
    });

    it('does not hold when the setting is off, when one partner does not attend this session, or when the session is closed', async () => {
      const off = await partnersInSession(false);
      expect(await send(off.ca, off.p.id, 'quiet is off', 'o1')).to.not.have.property('held');

      const { groupId, people, ca, cb, cf, p } = await partnersInSession();
      cb.close();
      await cf.ok('mod:remove', { groupId, userId: people[1].id }); // no longer attending
      expect(await send(ca, p.id, 'they are not in the session', 'o2')).to.not.have.property('held');
      const cb2 = await enter(people[1], groupId);
      expect(await send(ca, p.id, 'they are back', 'o3')).to.have.property('held');
      await cf.ok('mod:session', { groupId, open: false });
      await cb2.waitEvent('partner:message', (m) => m.clientMsgId === 'o3');
      expect(await send(ca, p.id, 'after group', 'o4')).to.not.have.property('held');
    });

    it('tells every socket of both partners, none of which gets the message before the session ends', async () => {
      const { people, ca, p } = await partnersInSession();
      const elsewhere = await connect(people[1]);
      await send(ca, p.id, 'held for both', 'e1');
      await elsewhere.waitEvent('partner:held', (e) => e.partnershipId === p.id);
      expect(partnerMessages(elsewhere, p.id)).to.deep.equal([]);
    });
  });
}
