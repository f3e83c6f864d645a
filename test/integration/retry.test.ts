import { expect } from 'chai';
import type { Stores } from '../../server/store/ports.js';
import { pairByInvite, waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { aroundVerbs, makeGroup, startServer, STORE_KINDS, type TestServer } from '../support/server.js';

// A client that lost an ack resends with the same clientMsgId (§4). When the message was stored,
// the resend gets the original even if the sender could not send a new message now.
for (const kind of STORE_KINDS) {
  describe(`resending after a lost ack (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, closeAll } = roomClients(() => srv);

    before(async () => {
      srv = await startServer({ store: kind, env: { RATE_LIMITS: 'send=3/60' } });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    it('returns the original to a resend refused by the flood limit, while a new message is still refused', async () => {
      const fac = srv.user('facilitator');
      const a = srv.user();
      const groupId = await makeGroup(srv, fac, [a]);
      const c = await connect(a);
      await c.ok('group:join', { groupId });
      const sent = [];
      for (let i = 0; i < 3; i++) sent.push((await c.ok('group:send', { groupId, text: `line ${i}`, clientMsgId: `r${i}` })).message);
      const fresh = await c.ack('group:send', { groupId, text: 'one too many', clientMsgId: 'r3' });
      expect(fresh.ok === false && fresh.error.code).to.equal('RATE_LIMITED');
      expect(await c.ok('group:send', { groupId, text: 'line 0', clientMsgId: 'r0' })).to.deep.equal({ message: sent[0] });
      expect((await c.ok('group:history', { groupId })).messages).to.deep.equal(sent);
    });

    it('returns the original to a resend after the sender was muted or the session closed', async () => {
      const fac = srv.user('facilitator');
      const a = srv.user();
      const groupId = await makeGroup(srv, fac, [a]);
      const [ca, cf] = [await connect(a), await connect(fac)];
      await ca.ok('group:join', { groupId });
      await cf.ok('group:join', { groupId });
      const { message } = await ca.ok('group:send', { groupId, text: 'before the mute', clientMsgId: 'm0' });
      await cf.ok('mod:mute', { groupId, userId: a.id });
      const muted = await ca.ack('group:send', { groupId, text: 'new', clientMsgId: 'm1' });
      expect(muted.ok === false && muted.error.code).to.equal('MUTED');
      expect(await ca.ok('group:send', { groupId, text: 'before the mute', clientMsgId: 'm0' })).to.deep.equal({ message });
      await cf.ok('mod:unmute', { groupId, userId: a.id });
      await cf.ok('mod:session', { groupId, open: false });
      expect(await ca.ok('group:send', { groupId, text: 'before the mute', clientMsgId: 'm0' })).to.deep.equal({ message });
    });

    it('returns the original to a partner message resent after the partnership ended', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b]);
      const [ca, cb] = [await connect(a), await connect(b)];
      const { inviteId } = await ca.ok('partner:invite', { userId: b.id });
      const { partnership } = await cb.ok('partner:respond', { inviteId, accept: true });
      const partnershipId = partnership!.id;
      const { message } = await ca.ok('partner:send', { partnershipId, text: 'see you tomorrow', clientMsgId: 'p0' });
      await cb.ok('partner:end', { partnershipId });
      const fresh = await ca.ack('partner:send', { partnershipId, text: 'new', clientMsgId: 'p1' });
      expect(fresh.ok === false && fresh.error.code).to.equal('FORBIDDEN');
      expect(await ca.ok('partner:send', { partnershipId, text: 'see you tomorrow', clientMsgId: 'p0' })).to.deep.equal({ message });
      const stranger = await connect(srv.user());
      const probe = await stranger.ack('partner:send', { partnershipId, text: 'see you tomorrow', clientMsgId: 'p0' });
      expect(probe.ok === false && probe.error.code, 'a stranger learns nothing').to.equal('NOT_FOUND');
    });
  });
}

// A write whose reply was lost: Redis stored the message, the node got an error and answered a
// retryable one, so nothing went out live and the safety check did not run. The resend must
// publish it then, once.
for (const kind of STORE_KINDS) {
  describe(`resending after the store's reply was lost (${kind} store)`, () => {
    let srv: TestServer;
    let loseNextReply = false;
    const { connect, enter, closeAll } = roomClients(() => srv);
    /** The real store, except that while armed the next message write is stored and then fails as an outage does. */
    const losingReplies = (store: Stores): Stores =>
      aroundVerbs(store, (verb, _args, call) => {
        if (verb !== 'appendMessage' && verb !== 'sendToGroup') return call();
        return (async () => {
          const result = await call();
          if (!loseNextReply) return result;
          loseNextReply = false;
          throw new Error('Command timed out'); // ioredis's commandTimeout
        })();
      });

    before(async () => {
      srv = await startServer({ store: kind, wrapStore: losingReplies });
    });
    afterEach(() => {
      loseNextReply = false;
      closeAll();
    });
    after(() => srv.close());

    it('publishes a group message and raises its crisis alert when the resend finds it stored, once', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [a, b]);
      const [ca, cb, cf] = [await enter(a, groupId), await enter(b, groupId), await enter(fac, groupId)];
      const payload = { groupId, text: 'I want to end my life tonight', clientMsgId: 'lost-1' };

      loseNextReply = true;
      const first = await ca.ack('group:send', payload);
      expect(first.ok === false && first.error.code, 'the lost reply is a retryable error').to.equal('INTERNAL');
      await cb.sync(groupId);
      expect(cb.messages(groupId), 'nothing went out live yet').to.deep.equal([]);

      const { message } = await ca.ok('group:send', payload);
      await waitFor(() => cb.messages(groupId).length, 'the message at the other member');
      await cf.waitEvent('mod:alert', (e) => e.kind === 'crisis' && e.messageId === message.id);
      await ca.waitEvent('safety:resources');
      expect(await ca.ok('group:send', payload), 'a second resend').to.deep.equal({ message });
      for (const c of [cb, cf]) await c.sync(groupId);
      expect(cb.messages(groupId), 'exactly once').to.deep.equal([message]);
      expect(
        cf.received('mod:alert', (e) => e.messageId === message.id),
        'one alert',
      ).to.have.length(1);
      expect((await cb.ok('group:history', { groupId })).messages, 'stored once').to.deep.equal([message]);
    });

    it('publishes a partner message to the partner when the resend finds it stored, once', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b]);
      const [ca, cb] = [await connect(a), await connect(b)];
      const partnershipId = (await pairByInvite(ca, cb, b.id)).id;
      const payload = { partnershipId, text: 'made it through today', clientMsgId: 'lost-p1' };
      const inbox = () => cb.received('partner:message', (m) => m.conversation.id === partnershipId);

      loseNextReply = true;
      expect((await ca.ack('partner:send', payload)).ok).to.equal(false);
      await cb.ok('partner:list', {});
      expect(inbox(), 'nothing went out live yet').to.deep.equal([]);

      const { message } = await ca.ok('partner:send', payload);
      await waitFor(() => inbox().length, 'the message at the partner');
      expect(await ca.ok('partner:send', payload)).to.deep.equal({ message });
      await cb.ok('partner:list', {});
      expect(inbox(), 'exactly once').to.deep.equal([message]);
    });
  });
}
