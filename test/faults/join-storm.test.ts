// A join storm (issue 8, "Flood and load"): the evening group starts and 1,000 members join at
// once, half through each of two real node processes on one Redis with the Redis adapter. Every
// join must be acked ok (with the full member list and the epoch), nothing may time out, and the
// nodes must log no adapter or Redis trouble. Each connection also fans presence out to the whole
// room, so the storm costs the nodes ~1,000² deliveries, as it would in production.
import { expect } from 'chai';
import type { Ack, Result } from '../../shared/index.js';
import { closeAll, TestClient } from '../support/client.js';
import { http, makeGroup } from '../support/server.js';
import { Cluster } from '../cluster/cluster.js';

const MEMBERS = 1000;
/** The longest one join may take during the storm. */
const JOIN_ACK_MS = 30_000;

async function inBatches<T>(n: number, size: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i += size) out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, j) => fn(i + j)))));
  return out;
}

describe('join storm', function () {
  this.timeout(300_000);
  let cluster: Cluster;
  const clients: TestClient[] = [];

  before(async function () {
    cluster = await Cluster.start(2);
  });
  after(async function () {
    closeAll(clients);
    await cluster.close();
  });

  it(`acks ${MEMBERS} members joining one group at once across two nodes, all ok, none timing out`, async function () {
    const [n0, n1] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    const fac = cluster.user('facilitator');
    const members = Array.from({ length: MEMBERS }, () => cluster.user());
    const groupId = await makeGroup(n0, fac);
    await inBatches(MEMBERS, 50, async (i) => {
      const r = await http(n0.url, 'PUT', `/api/groups/${groupId}/members/${members[i]!.id}`, {
        token: fac.token,
        body: { role: 'participant', name: members[i]!.name },
      });
      expect(r.status).to.equal(200);
    });
    clients.push(...(await inBatches(MEMBERS, 100, (i) => TestClient.connect((i % 2 ? n1 : n0).url, members[i]!.token))));

    const started = Date.now();
    const acks = await Promise.all(
      clients.map(async (c) => {
        const res: Ack<Result<'group:join'>> | Error = await c.ack('group:join', { groupId }, JOIN_ACK_MS).catch((e: Error) => e);
        return { res, ms: Date.now() - started };
      }),
    );
    const elapsed = Date.now() - started;
    const failures = acks.flatMap(({ res }) => (res instanceof Error ? [res.message] : res.ok ? [] : [JSON.stringify(res.error)]));
    expect(failures.slice(0, 5), `${failures.length} joins failed`).to.deep.equal([]);
    const times = acks.map((a) => a.ms).sort((a, b) => a - b);
    console.log(
      `      (${MEMBERS} joins over 2 nodes: all acked in ${elapsed} ms; p50 ${times[MEMBERS / 2]} ms, p99 ${times[Math.floor(MEMBERS * 0.99)]} ms)`,
    );
    for (const { res } of acks) {
      if (res instanceof Error || !res.ok) continue;
      expect(res.data)
        .to.have.property('members')
        .with.length(MEMBERS + 1);
    }
    // The room works for everyone afterwards: one message reaches all 1,000 members on both nodes.
    const last = clients[MEMBERS - 1]!;
    const sent = await last.ok('group:send', { groupId, text: 'welcome, everyone', clientMsgId: 'storm-1' });
    const deadline = Date.now() + 30_000;
    while (clients.some((c) => !c.messages(groupId).some((m) => m.id === sent.message.id)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(clients.filter((c) => !c.messages(groupId).some((m) => m.id === sent.message.id))).to.have.length(0);
    for (const node of cluster.nodes) {
      expect(node.proc.exited()).to.equal(false);
      expect(node.proc.stdout() + node.proc.stderr()).to.not.match(/timeout|timed out|redis error|"level":50/i);
    }
  });
});
