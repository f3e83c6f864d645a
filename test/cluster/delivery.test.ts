import { expect } from 'chai';
import { Redis } from 'ioredis';
import type { Message } from '../../shared/index.js';
import { waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { makeGroup, REDIS_URL } from '../support/server.js';
import { Cluster } from './cluster.js';

describe('cluster: delivery across three nodes', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  const { connect, closeAll } = roomClients();

  before(async () => {
    cluster = await Cluster.start(3, { env: { RATE_LIMITS: 'send=100000/1' } });
  });
  afterEach(() => closeAll());
  after(() => cluster.close());

  it('gives 30 clients in 3 groups, spread over 3 nodes and all sending at once, every message of their group once, in one seq order', async () => {
    const [a] = cluster.nodes;
    const groups = await Promise.all(
      [0, 1, 2].map(async () => {
        const fac = cluster.user('facilitator');
        const people = Array.from({ length: 9 }, () => cluster.user());
        return { id: await makeGroup(a!, fac, people), members: [fac, ...people] };
      }),
    );
    // Member i of every group on node i % 3: each room spans all three nodes.
    const rooms = await Promise.all(
      groups.map(async (g) => {
        const cs = await Promise.all(g.members.map((u, i) => connect(u, cluster.nodes[i % 3])));
        for (const c of cs) await c.ok('group:join', { groupId: g.id });
        return { groupId: g.id, cs };
      }),
    );

    const PER_CLIENT = 10;
    const acked = await Promise.all(
      rooms.map(async ({ groupId, cs }) =>
        (
          await Promise.all(
            cs.flatMap((c, i) =>
              Array.from({ length: PER_CLIENT }, (_, j) =>
                c.ok('group:send', { groupId, text: `member ${i} line ${j}`, clientMsgId: `m${i}-${j}` }),
              ),
            ),
          )
        ).map((r) => r.message),
      ),
    );

    for (const [r, { groupId, cs }] of rooms.entries()) {
      const sent = acked[r]!;
      const total = cs.length * PER_CLIENT;
      expect(
        sent.map((m) => m.seq).sort((x, y) => x - y),
        `group ${r} acked seqs`,
      ).to.deep.equal(Array.from({ length: total }, (_, i) => i + 1));
      const bySeq = new Map(sent.map((m) => [m.seq, m]));
      for (const [i, c] of cs.entries()) {
        await waitFor(() => c.messages(groupId).length >= total, `${total} messages at member ${i} of group ${r}`, 20_000);
        await c.sync(groupId);
        const got = c.messages(groupId);
        expect(got, `member ${i} of group ${r}: exactly once each`).to.have.length(total);
        const ordered = [...got].sort((x, y) => x.seq - y.seq);
        ordered.forEach((m: Message, k) => expect(m, `member ${i} of group ${r}, seq ${k + 1}`).to.deep.equal(bySeq.get(k + 1)));
        // Nothing from another group leaked in.
        expect(c.received('group:message').filter((m) => m.conversation.id !== groupId)).to.deep.equal([]);
      }
    }
  });

  it("publishes the other nodes' copy of a message from the script that stores it: one Redis command per send", async () => {
    const [a, b] = cluster.nodes;
    const fac = cluster.user('facilitator');
    const member = cluster.user();
    const groupId = await makeGroup(a!, fac, [member]);
    const sender = await connect(member, a);
    const listener = await connect(fac, b);
    for (const c of [sender, listener]) await c.ok('group:join', { groupId });

    // Every command Redis runs, from a client connection or from inside a script, with where it came from.
    const redis = new Redis(REDIS_URL);
    const monitor = await redis.monitor();
    const publishes: { source: string; channel: string }[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (args[0]?.toLowerCase() === 'publish' && args[1]?.startsWith(cluster.prefix)) publishes.push({ source, channel: args[1] });
    });
    try {
      const { message } = await sender.ok('group:send', { groupId, text: 'one command', clientMsgId: 'one' });
      await waitFor(() => listener.messages(groupId).length === 1, 'the message on the other node');
      expect(listener.messages(groupId)).to.deep.equal([message]);
      await waitFor(() => publishes.length > 0, 'the publish in MONITOR');
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(publishes).to.have.length(1);
      expect(publishes[0]!.source).to.equal('lua');
      expect(publishes[0]!.channel).to.include(groupId);
    } finally {
      monitor.disconnect();
      redis.disconnect();
    }
  });
});
