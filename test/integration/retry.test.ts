import { expect } from 'chai';
import { roomClients } from '../support/client.js';
import { makeGroup, startServer, STORE_KINDS, type TestServer } from '../support/server.js';

// A client that lost an ack resends with the same clientMsgId (§4). When the message was stored,
// the resend gets the original even if the sender could not send a new message now.
for (const kind of STORE_KINDS) {
  describe(`resending after a lost ack (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, closeAll } = roomClients(() => srv.url);

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
