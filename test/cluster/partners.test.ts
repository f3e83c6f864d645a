// Accountability partners across nodes (docs/protocol.md §4, §6; issue 5): three real server processes
// A, B and C share the Redis. A partner message reaches every device of both partners on whatever
// node they are, exactly once; read marks made on one node show in the unread count on another;
// a partner is online while any of their devices, on any node, is connected.
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { Partnership } from '../../shared/index.js';
import { redisKeys } from '../../server/store/keys.js';
import { waitFor } from '../support/client.js';
import { partnerSync, roomClients } from '../support/room.js';
import { http, makeGroup, REDIS_URL, type TestUser } from '../support/server.js';
import { Cluster, type ClusterNode } from './cluster.js';

describe('cluster: accountability partners on several nodes', function () {
  this.timeout(60_000);

  let cluster: Cluster;
  let A: ClusterNode;
  let B: ClusterNode;
  let C: ClusterNode;
  let redis: Redis;

  const { connect, partnerSent, closeAll } = roomClients();
  /** Two participants of one group, paired by their facilitator over HTTP (on node A). */
  const pair = async (): Promise<{ a: TestUser; b: TestUser; p: Partnership }> => {
    const fac = cluster.user('facilitator');
    const [a, b] = [cluster.user(), cluster.user()];
    await makeGroup(A, fac, [a, b]);
    const res = await http(A.url, 'POST', '/api/partnerships', { token: fac.token, body: { userIds: [a.id, b.id] } });
    expect(res.status, res.text).to.equal(201);
    return { a, b, p: res.body.data.partnership as Partnership };
  };

  before(async () => {
    cluster = await Cluster.start(3, { env: { RATE_LIMITS: 'send=100000/1' } });
    [A, B, C] = cluster.nodes as [ClusterNode, ClusterNode, ClusterNode];
    redis = new Redis(REDIS_URL);
  });
  afterEach(() => closeAll());
  after(async () => {
    redis?.disconnect();
    await cluster?.close();
  });

  it("delivers a message sent on node A to the partner's devices on nodes B and C and to the sender's second device on C, once each", async () => {
    const { a, b, p } = await pair();
    const a1 = await connect(a, A);
    const a2 = await connect(a, C);
    const b1 = await connect(b, B);
    const b2 = await connect(b, C);
    const devices = { 'a on A': a1, 'a on C': a2, 'b on B': b1, 'b on C': b2 };

    const m1 = await partnerSent(a1, p.id, 'made it through the evening');
    // A second message from the same node: once it has arrived, any copy of the first would have too.
    const m2 = await partnerSent(a1, p.id, 'talk tomorrow?');
    expect([m1.seq, m2.seq]).to.deep.equal([1, 2]);
    for (const [name, c] of Object.entries(devices))
      await waitFor(() => c.partnerMessages(p.id).some((m) => m.id === m2.id), `the second message at ${name}`);
    await partnerSync(...Object.values(devices));
    for (const [name, c] of Object.entries(devices)) {
      expect(
        c.partnerMessages(p.id).map((m) => [m.seq, m.id]),
        `messages at ${name}`,
      ).to.deep.equal([
        [1, m1.id],
        [2, m2.id],
      ]);
      expect(c.partnerMessages(p.id)[0], `the first message at ${name}`).to.deep.equal(m1);
    }

    // And back: b answers from node C; a's devices on A and C get it once.
    const reply = await partnerSent(b2, p.id, 'yes, after group');
    for (const [name, c] of Object.entries(devices))
      await waitFor(() => c.partnerMessages(p.id).some((m) => m.id === reply.id), `the reply at ${name}`);
    await partnerSync(...Object.values(devices));
    for (const [name, c] of Object.entries(devices))
      expect(
        c.partnerMessages(p.id).map((m) => m.seq),
        `seqs at ${name}`,
      ).to.deep.equal([1, 2, 3]);
  });

  it('updates the unread count seen through partner:list on node C when the partner reads on node B', async () => {
    const { a, b, p } = await pair();
    const aA = await connect(a, A);
    const bB = await connect(b, B);
    const bC = await connect(b, C);

    for (const text of ['one', 'two', 'three']) await partnerSent(aA, p.id, text);
    expect(await bC.partnerView(p.id)).to.deep.include({ lastSeq: 3, unread: 3 });

    await bB.ok('partner:read', { partnershipId: p.id, seq: 2 });
    const afterRead = await bC.partnerView(p.id);
    expect(afterRead).to.deep.include({ lastSeq: 3, unread: 1 });
    expect(afterRead.lastReadSeq[b.id], "b's read mark as C sees it").to.equal(2);
    // The read receipt reaches b's other device on C and the sender on A.
    for (const c of [bC, aA]) await c.waitEvent('partner:read', (e) => e.partnershipId === p.id && e.userId === b.id && e.seq === 2);
    expect((await aA.partnerView(p.id)).lastReadSeq[b.id], "b's read mark as the sender on A sees it").to.equal(2);

    await bB.ok('partner:read', { partnershipId: p.id, seq: 3 });
    expect(await bC.partnerView(p.id)).to.deep.include({ lastSeq: 3, unread: 0 });
  });

  it("shows the partner offline only after both of the partner's devices, on nodes B and C, are gone", async () => {
    const { a, b, p } = await pair();
    const aA = await connect(a, A);
    const presence = () => aA.received('partner:presence', (e) => e.partnershipId === p.id).map((e) => [e.userId, e.online]);
    const liveConnections = () => redis.zcard(redisKeys(cluster.prefix).presence(b.id));

    const bB = await connect(b, B);
    await aA.waitEvent('partner:presence', (e) => e.partnershipId === p.id && e.userId === b.id && e.online);
    const bC = await connect(b, C);
    await waitForAsync(async () => (await liveConnections()) === 2, "both of b's connections registered");
    await partnerSync(aA);
    expect(presence(), 'one online notice for two devices').to.deep.equal([[b.id, true]]);
    expect((await aA.partnerView(p.id)).partner.online).to.equal(true);

    // One device goes: node B has handled it once b's connection there is gone from the store.
    bB.close();
    await waitForAsync(async () => (await liveConnections()) === 1, "b's connection on B gone");
    expect((await aA.partnerView(p.id)).partner.online, 'online while the device on C is connected').to.equal(true);

    bC.close();
    await aA.waitEvent('partner:presence', (e) => e.partnershipId === p.id && e.userId === b.id && !e.online);
    await partnerSync(aA);
    // Had node B announced b offline when its device left, that notice would have come first.
    expect(presence(), 'online once, offline once, after the second device left').to.deep.equal([
      [b.id, true],
      [b.id, false],
    ]);
    expect((await aA.partnerView(p.id)).partner.online).to.equal(false);
  });

  it('alerts an admin on node B of a crisis between partners on node A who share no group, and an admin who comes online on node C finds it queued', async () => {
    const admin = cluster.user('admin');
    const [a, b] = [cluster.user(), cluster.user()];
    const paired = await http(A.url, 'POST', '/api/partnerships', { token: admin.token, body: { userIds: [a.id, b.id] } });
    expect(paired.status, paired.text).to.equal(201);
    const p = paired.body.data.partnership as Partnership;
    const [aA, bA, adminB] = [await connect(a, A), await connect(b, A), await connect(admin, B)];

    const m = await partnerSent(aA, p.id, 'I want to kill myself tonight');
    await aA.waitEvent('safety:resources');
    const alert = await adminB.waitEvent('mod:alert', (e) => e.messageId === m.id);
    expect(alert).to.deep.equal({
      scope: 'program',
      kind: 'crisis',
      reportId: alert.reportId,
      messageId: m.id,
      userId: a.id,
      partnershipId: p.id,
    });
    await partnerSync(adminB, aA, bA);
    expect(adminB.received('mod:alert'), 'once').to.have.length(1);
    for (const c of [aA, bA]) expect(c.received('mod:alert'), 'only admins hear of it').to.deep.equal([]);

    const later = cluster.user('admin');
    const adminC = await connect(later, C);
    const listed = await http(C.url, 'GET', '/api/alerts', { token: later.token });
    expect(listed.status, listed.text).to.equal(200);
    expect(listed.body.data.alerts.filter((x: { messageId: string }) => x.messageId === m.id)).to.deep.include.members([
      {
        id: alert.reportId,
        kind: 'crisis',
        conversation: { kind: 'partner', id: p.id },
        messageId: m.id,
        userId: a.id,
        userName: a.name,
        reason: 'no-shared-group',
        createdAt: listed.body.data.alerts.find((x: { id: string }) => x.id === alert.reportId)?.createdAt,
        status: 'open',
      },
    ]);
    const resolved = await http(C.url, 'POST', `/api/alerts/${alert.reportId}/resolve`, { token: later.token });
    expect(resolved.body.data?.alert, resolved.text).to.include({ status: 'resolved', resolvedBy: later.id });
    const open = await http(B.url, 'GET', '/api/alerts', { token: admin.token });
    expect(
      open.body.data.alerts.map((x: { id: string }) => x.id),
      'resolved on C, gone from the open list on B',
    ).to.not.include(alert.reportId);
    await partnerSync(adminC);
    expect(adminC.received('mod:alert'), 'no live alert for what was raised before it connected').to.deep.equal([]);
  });
});

/** waitFor for an async condition. */
async function waitForAsync(fn: () => Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
