import { expect } from 'chai';
import { waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { makeGroup, startServer, STORE_KINDS, type TestServer } from '../support/server.js';

for (const kind of STORE_KINDS) {
  describe(`group room (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, enter, room, closeAll } = roomClients(() => srv);

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    it('returns group, default state, members with online and hand flags, and you on join', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [a, b]);
      await enter(a, groupId);
      const data = await (await connect(fac)).ok('group:join', { groupId });
      expect(data.group).to.include({ id: groupId, name: 'Tuesday evening group', createdBy: fac.id });
      expect(data.state).to.deep.equal({
        locked: false,
        waitingRoom: false,
        slowModeSec: 0,
        sessionOpen: true,
        pinnedMessageId: null,
        quietPartnerChat: false,
        handQueue: [],
        session: null,
        nextSessionStart: null,
      });
      expect(data.you).to.deep.equal({ muted: false });
      expect(data.messages).to.deep.equal([]);
      expect(data.hasMore).to.equal(false);
      const members = Object.fromEntries(data.members.map((m) => [m.id, m]));
      expect(members[fac.id]).to.deep.equal({ id: fac.id, name: fac.name, role: 'facilitator', online: true, handRaised: false });
      expect(members[a.id]).to.deep.equal({ id: a.id, name: a.name, role: 'participant', online: true, handRaised: false });
      expect(members[b.id]).to.deep.equal({ id: b.id, name: b.name, role: 'participant', online: false, handRaised: false });
    });

    it('keeps a user with two tabs online until both close', async () => {
      const fac = srv.user('facilitator');
      const a = srv.user();
      const groupId = await makeGroup(srv, fac, [a]);
      const watcher = await enter(fac, groupId);
      const tab1 = await connect(a);
      await watcher.waitEvent('group:presence', (p) => p.user.id === a.id && p.online);
      const tab2 = await connect(a);
      tab1.close();
      await tab2.ok('group:join', { groupId });
      await watcher.sync(groupId);
      expect(
        watcher.received('group:presence', (p) => p.user.id === a.id).map((p) => p.online),
        'one tab closed, one open',
      ).to.deep.equal([true]);
      const joined = await watcher.ok('group:join', { groupId });
      expect(joined.members.find((m) => m.id === a.id)?.online).to.equal(true);

      tab2.close();
      await watcher.waitEvent('group:presence', (p) => p.user.id === a.id && !p.online);
      expect(watcher.received('group:presence', (p) => p.user.id === a.id).map((p) => p.online)).to.deep.equal([true, false]);
      const after = await watcher.ok('group:join', { groupId });
      expect(after.members.find((m) => m.id === a.id)?.online).to.equal(false);
    });

    it('sends typing to everyone in the room but the typist, even without an ack callback', async () => {
      const fac = srv.user('facilitator');
      const a = srv.user();
      const groupId = await makeGroup(srv, fac, [a]);
      const typist = await enter(a, groupId);
      const typistTab = await enter(a, groupId);
      const other = await enter(fac, groupId);
      (typist.socket as unknown as { emit: (e: string, p: unknown) => void }).emit('group:typing', { groupId, typing: true });
      const ev = await other.waitEvent('group:typing');
      expect(ev).to.deep.equal({ groupId, userId: a.id, name: a.name, typing: true });
      await typist.sync(groupId);
      await typistTab.sync(groupId);
      expect(typist.received('group:typing')).to.deep.equal([]);
      expect(typistTab.received('group:typing')).to.deep.equal([]);
    });

    it('keeps raised hands in a first-raised-first queue and tells the room', async () => {
      const {
        people: [a, b],
        groupId,
        cs: [ca, cb],
        cf,
      } = await room(2);
      await cb.ok('group:hand', { groupId, raised: true });
      await ca.ok('group:hand', { groupId, raised: true });
      await cb.ok('group:hand', { groupId, raised: true }); // raising again keeps the place
      const joined = await cf.ok('group:join', { groupId });
      expect(joined.state.handQueue).to.deep.equal([b.id, a.id]);
      expect(
        joined.members
          .filter((m) => m.handRaised)
          .map((m) => m.id)
          .sort(),
      ).to.deep.equal([a.id, b.id].sort());
      await cb.ok('group:hand', { groupId, raised: false });
      await waitFor(() => cf.received('group:hand').length === 3, 'three hand events');
      await cf.sync(groupId);
      expect(cf.received('group:hand')).to.deep.equal([
        { groupId, userId: b.id, raised: true },
        { groupId, userId: a.id, raised: true },
        { groupId, userId: b.id, raised: false },
      ]);
      expect((await cf.ok('group:join', { groupId })).state.handQueue).to.deep.equal([a.id]);
    });

    it('toggles supportive reactions, tells the room, and keeps them in history', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [a, b]);
      const ca = await enter(a, groupId);
      const cb = await enter(b, groupId);
      const { message } = await ca.ok('group:send', { groupId, text: 'thirty days today', clientMsgId: 'r' });
      expect(await cb.ok('group:react', { groupId, messageId: message.id, emoji: '💪' })).to.deep.equal({ reactions: { '💪': [b.id] } });
      expect(await ca.ok('group:react', { groupId, messageId: message.id, emoji: '💪' })).to.deep.equal({
        reactions: { '💪': [b.id, a.id] },
      });
      expect(await cb.ok('group:react', { groupId, messageId: message.id, emoji: '❤️' })).to.deep.equal({
        reactions: { '💪': [b.id, a.id], '❤️': [b.id] },
      });
      expect(await cb.ok('group:react', { groupId, messageId: message.id, emoji: '💪' })).to.deep.equal({
        reactions: { '💪': [a.id], '❤️': [b.id] },
      });
      await waitFor(() => ca.received('group:reaction').length === 4, 'four reaction events');
      expect(ca.received('group:reaction').at(-1)).to.deep.equal({
        groupId,
        messageId: message.id,
        reactions: { '💪': [a.id], '❤️': [b.id] },
      });
      const history = await ca.ok('group:history', { groupId });
      expect(history.messages[0]?.reactions).to.deep.equal({ '💪': [a.id], '❤️': [b.id] });
      await ca.ok('group:react', { groupId, messageId: message.id, emoji: '💪' });
      await cb.ok('group:react', { groupId, messageId: message.id, emoji: '❤️' });
      expect((await ca.ok('group:history', { groupId })).messages[0]).to.not.have.property('reactions');

      const unknown = await ca.ack('group:react', { groupId, messageId: 'no-such-message', emoji: '💪' });
      expect(unknown.ok === false && unknown.error.code).to.equal('NOT_FOUND');
      const notSupportive = await ca.ack('group:react', { groupId, messageId: message.id, emoji: '👎' });
      expect(notSupportive.ok === false && notSupportive.error.code).to.equal('BAD_REQUEST');
    });

    it('stops delivering to a socket after group:leave, and resumes after a rejoin', async () => {
      const {
        groupId,
        cs: [leaver],
        cf: sender,
      } = await room(1);
      expect(await leaver.ok('group:leave', { groupId })).to.deep.equal({});
      await sender.ok('group:send', { groupId, text: 'after the leave', clientMsgId: 'l1' });
      await leaver.sync(groupId);
      expect(leaver.messages(groupId)).to.deep.equal([]);
      await leaver.ok('group:join', { groupId });
      const { message } = await sender.ok('group:send', { groupId, text: 'after the rejoin', clientMsgId: 'l2' });
      await waitFor(() => leaver.messages(groupId).some((m) => m.id === message.id), 'the message after rejoining');
    });
  });
}
