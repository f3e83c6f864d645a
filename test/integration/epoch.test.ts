// A Redis that lost its data (FLUSHALL, or a restart without persistence) while clients hold seq
// positions. Once the program provisions the group again under its id (as demo mode does at
// start), seq starts over from 1: a client that rejoins with its old `since` would wait for seqs
// that were already used and silently miss the new messages. Every log has an epoch, drawn with
// its first message; a rejoin naming an older epoch gets the newest page and `resync`.
import { expect } from 'chai';
import { Redis } from 'ioredis';
import { pairByInvite } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { PrivateRedis } from '../support/process.js';
import { makeGroup, startServer, type TestServer } from '../support/server.js';

describe('a Redis that lost its data while clients hold seq positions', function () {
  this.timeout(30_000);
  let redis: PrivateRedis;
  let srv: TestServer;
  const { connect, sent, closeAll } = roomClients(() => srv);

  before(async () => {
    redis = await PrivateRedis.start();
    srv = await startServer({ store: 'redis', env: { REDIS_URL: redis.url } });
  });
  afterEach(() => closeAll());
  after(async () => {
    await srv?.close();
    await redis?.stop();
  });

  const flushAll = async () => {
    const r = new Redis(redis.url);
    try {
      await r.flushall();
    } finally {
      r.disconnect();
    }
  };

  it('answers a group rejoin whose since is from the lost log with the newest page and resync', async () => {
    const fac = srv.user('facilitator');
    const [a, b] = [srv.user(), srv.user()];
    const groupId = await makeGroup(srv, fac, [a, b]);
    const ca = await connect(a);
    await ca.ok('group:join', { groupId });
    for (const text of ['one', 'two', 'three']) await sent(ca, groupId, text);
    const cb = await connect(b);
    const before = await cb.ok('group:join', { groupId });
    expect(before.messages.map((m) => m.seq)).to.deep.equal([1, 2, 3]);
    expect(before.epoch).to.be.a('string').with.length.greaterThan(7);
    expect(before).to.not.have.property('resync');
    cb.close();

    const group = (await srv.store.groups.getGroup(groupId))!;
    await flushAll();
    await srv.store.groups.createGroup(group, { userId: fac.id, role: 'facilitator', name: fac.name });
    for (const u of [a, b]) await srv.store.groups.enrol(groupId, { userId: u.id, role: 'participant', name: u.name });
    const fresh = await sent(ca, groupId, 'after the loss');
    expect(fresh.seq, 'seq started over').to.equal(1);

    const back = await connect(b);
    const rejoin = await back.ok('group:join', { groupId, since: 3, epoch: before.epoch });
    expect(rejoin.resync).to.equal(true);
    expect(rejoin.epoch).to.be.a('string').and.not.equal(before.epoch);
    expect(rejoin.messages).to.deep.equal([fresh]);
    // The hazard itself: without the epoch, since 3 finds nothing after seq 1.
    expect((await back.ok('group:join', { groupId, since: 3 })).messages).to.deep.equal([]);
    // In the current epoch a since means what it says.
    const current = await back.ok('group:join', { groupId, since: 1, epoch: rejoin.epoch });
    expect(current).to.deep.include({ messages: [], epoch: rejoin.epoch });
    expect(current).to.not.have.property('resync');
  });

  it('answers a partner open whose since is from the lost log with the newest page and resync', async () => {
    const fac = srv.user('facilitator');
    const [a, b] = [srv.user(), srv.user()];
    await makeGroup(srv, fac, [a, b]);
    const [ca, cb] = [await connect(a), await connect(b)];
    const partnership = await pairByInvite(ca, cb, b.id);
    const partnershipId = partnership.id;
    await ca.sent('partner:send', { partnershipId, text: 'before', clientMsgId: 'b1' });
    const opened = await cb.ok('partner:open', { partnershipId });
    expect(opened.messages).to.have.length(1);

    await flushAll();
    expect(await srv.store.partners.createPartnership(partnership, 3)).to.equal('created');
    const { message: fresh } = await ca.sent('partner:send', { partnershipId, text: 'after the loss', clientMsgId: 'a1' });
    expect(fresh.seq).to.equal(1);
    const reopened = await cb.ok('partner:open', { partnershipId, since: 1, epoch: opened.epoch });
    expect(reopened).to.deep.include({ resync: true, messages: [fresh] });
    expect(reopened.epoch).to.not.equal(opened.epoch);
  });
});
