// Scale-out beyond one Redis (issue 5): two real server nodes with REDIS_CLUSTER=true on a
// three-master Redis Cluster of the test's own. The store spreads conversations over the shards
// (keys hash-tagged per conversation) and fan-out is Redis 7 sharded pub/sub; to a client it is
// the same service as on one Redis.
import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { Partnership } from '../../shared/index.js';
import { waitFor } from '../support/client.js';
import { exitWithin, killAll, listening, spawnNode, type NodeProcess } from '../support/process.js';
import { PrivateRedisCluster } from '../support/redis-cluster.js';
import { roomClients } from '../support/room.js';
import { http, makeGroup } from '../support/server.js';
import { Cluster, type ClusterNode } from './cluster.js';

describe('cluster: two nodes on a three-master Redis Cluster', function () {
  this.timeout(60_000);

  let redis: PrivateRedisCluster;
  let cluster: Cluster;
  let A: ClusterNode;
  let B: ClusterNode;
  const { connect, closeAll } = roomClients();

  before(async () => {
    redis = await PrivateRedisCluster.start(3);
    cluster = await Cluster.start(2, {
      redisUrl: redis.url,
      env: { REDIS_CLUSTER: 'true', RATE_LIMITS: 'send=100000/1', PRESENCE_TTL_SEC: '3' },
    });
    [A, B] = cluster.nodes as [ClusterNode, ClusterNode];
  });
  afterEach(() => closeAll());
  after(async () => {
    await cluster?.close();
    await redis?.stop();
  });

  it('gives every member of 4 groups split over both nodes every message once, in one seq order, with the data spread over the shards', async () => {
    const groups = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const fac = cluster.user('facilitator');
        const people = Array.from({ length: 5 }, () => cluster.user());
        return { id: await makeGroup(A, fac, people), members: [fac, ...people] };
      }),
    );
    const rooms = await Promise.all(
      groups.map(async (g) => {
        const cs = await Promise.all(g.members.map((u, i) => connect(u, cluster.nodes[i % 2])));
        for (const c of cs) await c.ok('group:join', { groupId: g.id });
        return { groupId: g.id, cs };
      }),
    );

    const PER_CLIENT = 5;
    const acked = await Promise.all(
      rooms.map(({ groupId, cs }) =>
        Promise.all(
          cs.flatMap((c, i) =>
            Array.from({ length: PER_CLIENT }, (_, j) =>
              c.ok('group:send', { groupId, text: `member ${i} line ${j}`, clientMsgId: `m${i}-${j}` }),
            ),
          ),
        ),
      ),
    );

    for (const [r, { groupId, cs }] of rooms.entries()) {
      const total = cs.length * PER_CLIENT;
      const bySeq = new Map(acked[r]!.map(({ message }) => [message.seq, message]));
      expect(
        [...bySeq.keys()].sort((x, y) => x - y),
        `group ${r} acked seqs`,
      ).to.deep.equal(Array.from({ length: total }, (_, i) => i + 1));
      for (const [i, c] of cs.entries()) {
        await waitFor(() => c.messages(groupId).length >= total, `${total} messages at member ${i} of group ${r}`, 20_000);
        await c.sync(groupId);
        const got = [...c.messages(groupId)].sort((x, y) => x.seq - y.seq);
        expect(got, `member ${i} of group ${r}: exactly once each, as acked`).to.deep.equal(
          [...bySeq.keys()].sort((x, y) => x - y).map((s) => bySeq.get(s)),
        );
      }
    }

    // A rejoin with since on the other node catches up from the shard that holds the log.
    const late = rooms[0]!;
    const rejoined = await connect(groups[0]!.members[0]!, B);
    const page = await rejoined.ok('group:join', { groupId: late.groupId, since: 10 });
    expect(page.messages.map((m) => m.seq)).to.deep.equal(Array.from({ length: late.cs.length * PER_CLIENT - 10 }, (_, i) => i + 11));

    const keysPerMaster = await Promise.all(
      redis.ports.map(async (port) => {
        const r = new Redis({ port, host: '127.0.0.1' });
        try {
          return (await r.keys(`${cluster.prefix}*`)).length;
        } finally {
          r.disconnect();
        }
      }),
    );
    expect(
      keysPerMaster.filter((n) => n > 0),
      `keys per master: ${keysPerMaster.join(', ')}`,
    ).to.have.length(3);
  });

  it('takes a participant banned on node A out of the room on node B at once, and refuses their join on both nodes', async () => {
    const fac = cluster.user('facilitator');
    const [target, other] = [cluster.user(), cluster.user()];
    const groupId = await makeGroup(A, fac, [target, other]);
    const facA = await connect(fac, A);
    await facA.ok('group:join', { groupId });
    const targetB = await connect(target, B);
    await targetB.ok('group:join', { groupId });
    const watcherB = await connect(other, B);
    await watcherB.ok('group:join', { groupId });

    await facA.ok('mod:ban', { groupId, userId: target.id });
    const after = (await facA.ok('group:send', { groupId, text: 'right after the ban', clientMsgId: 'after-ban' })).message;
    await waitFor(() => watcherB.messages(groupId).some((m) => m.id === after.id), 'the message after the ban on B');
    await targetB.waitEvent('mod:notice', (e) => e.groupId === groupId && e.action === 'banned');
    await targetB.sync(groupId).catch(() => {});
    expect(
      targetB.messages(groupId).map((m) => m.id),
      'the banned participant got nothing after the ban',
    ).not.to.include(after.id);
    for (const node of [A, B]) {
      const again = await connect(target, node);
      const res = await again.ack('group:join', { groupId });
      expect(res.ok ? 'joined' : res.error.code, `rejoin on ${node.url}`).to.equal('BANNED');
    }
  });

  it("delivers a partner message sent on node A to the partner's devices on both nodes, and shows presence across nodes", async () => {
    const fac = cluster.user('facilitator');
    const [a, b] = [cluster.user(), cluster.user()];
    await makeGroup(A, fac, [a, b]);
    const res = await http(A.url, 'POST', '/api/partnerships', { token: fac.token, body: { userIds: [a.id, b.id] } });
    expect(res.status, res.text).to.equal(201);
    const p = res.body.data.partnership as Partnership;

    const aA = await connect(a, A);
    const bA = await connect(b, A);
    const bB = await connect(b, B);
    const sent = (await aA.ok('partner:send', { partnershipId: p.id, text: 'made it through the evening', clientMsgId: 'p1' })).message;
    for (const [name, c] of [
      ['b on A', bA],
      ['b on B', bB],
    ] as const) {
      await waitFor(() => c.received('partner:message', (m) => m.id === sent.id).length, `the message at ${name}`);
      await c.ok('partner:list', {});
      expect(
        c.received('partner:message', (m) => m.conversation.id === p.id),
        `messages at ${name}`,
      ).to.deep.equal([sent]);
    }

    const view = async () => (await aA.ok('partner:list', {})).partnerships.find((x) => x.id === p.id)!;
    expect((await view()).partner.online, 'b online with two devices').to.equal(true);
    bA.close();
    await new Promise((r) => setTimeout(r, 300));
    expect((await view()).partner.online, 'b still online on B').to.equal(true);
    bB.close();
    await aA.waitEvent('partner:presence', (e) => e.partnershipId === p.id && e.userId === b.id && !e.online);
    expect((await view()).partner.online).to.equal(false);
  });
});

describe('cluster: STORE_DURABILITY=fsync on a three-master Redis Cluster', function () {
  this.timeout(60_000);
  let redis: PrivateRedisCluster;
  const nodes: NodeProcess[] = [];

  before(async () => {
    redis = await PrivateRedisCluster.start(3);
  });
  afterEach(() => killAll(nodes));
  after(() => redis?.stop());

  const fsyncNode = () => {
    const node = spawnNode({ REDIS_URL: redis.url, REDIS_CLUSTER: 'true', JWT_SECRET: 's'.repeat(40), STORE_DURABILITY: 'fsync' });
    nodes.push(node);
    return node;
  };
  const persistence = async (port: number, appendfsync: string) => {
    const r = new Redis({ port, host: '127.0.0.1' });
    try {
      await r.config('SET', 'appendonly', 'yes');
      await r.config('SET', 'appendfsync', appendfsync);
    } finally {
      r.disconnect();
    }
  };

  it('checks every shard, not only the seed: one with appendfsync everysec is named and the node exits 78; once all fsync, it starts', async () => {
    const [first, second, last] = redis.ports as [number, number, number];
    await persistence(first, 'always');
    await persistence(second, 'always');
    await persistence(last, 'everysec');
    const refused = fsyncNode();
    expect((await exitWithin(refused, 15_000)).code, refused.stderr()).to.equal(78);
    expect(refused.stderr()).to.include(
      `invalid STORE_DURABILITY: fsync needs Redis with appendonly yes and appendfsync always; 127.0.0.1:${last} has appendonly yes, appendfsync everysec`,
    );

    await persistence(last, 'always');
    const started = fsyncNode();
    await listening(started);
    expect(started.stdout()).to.include('an ack means on disk');
  });
});
