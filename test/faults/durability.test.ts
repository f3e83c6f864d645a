// Durable mode (issue 13, "acked should be able to mean on disk"): Redis is SIGKILLed while two
// nodes in STORE_DURABILITY=fsync have hundreds of sends in flight, and started again from its
// append-only file; every message that was acked ok must be in the history it comes back with.
// The negative control runs the same crash against a Redis without an AOF and asserts that the
// acked messages are lost: it shows the check can fail, so the first test's pass means something.
//
// What this proves is process-crash durability: a reply that left Redis had its write in the AOF
// file. `appendfsync everysec` passes this test too (tried: Redis writes the AOF before it
// replies and fsyncs later), because the kernel still holds what Redis wrote. What `always` adds
// is the fsync before the reply, which only a power loss or kernel crash would show, and that
// cannot be simulated on this machine. STORE_DURABILITY=fsync refuses any setting but `always`
// (test/integration/config-and-process.test.ts).
import { expect } from 'chai';
import type { Message } from '../../shared/index.js';
import { connectRedisStores } from '../../server/store/redis/index.js';
import { closeAll, TestClient, waitFor } from '../support/client.js';
import { PrivateRedis } from '../support/process.js';
import { makeGroup } from '../support/server.js';
import { Cluster } from '../cluster/cluster.js';

/** Sends each client has out at any moment, without waiting for their acks. */
const IN_FLIGHT = 100;
/** Redis is killed on this ack: always mid-stream (sends are still in flight), and after this many acks. */
const ACKED_BEFORE_KILL = 300;
/** Long enough for a send caught by the crash to be answered (a Redis command fails after 1 s, retried twice). */
const ACK_TIMEOUT_MS = 20_000;

type Outcome = { acked: Message[]; ackedBeforeKill: Message[]; refused: number; unanswered: number; stored: Map<string, Message> };

/**
 * Two nodes on a redis-server of the test's own started with `settings`; one client on each keeps
 * IN_FLIGHT sends out; on the ACKED_BEFORE_KILL-th ack, Redis is SIGKILLed and
 * started again from its directory; every send is left to be answered; then the group's whole log
 * is read from the Redis that came back.
 */
async function crashMidStream(settings: string[], durability: 'fsync' | 'default'): Promise<Outcome> {
  const redis = await PrivateRedis.start(settings);
  const cluster = await Cluster.start(2, { redisUrl: redis.url, env: { STORE_DURABILITY: durability, RATE_LIMITS: 'send=999999/1' } });
  const clients: TestClient[] = [];
  try {
    const [fac, a, b] = [cluster.user('facilitator'), cluster.user(), cluster.user()];
    const groupId = await makeGroup(cluster.nodes[0]!, fac, [a, b]);
    for (const [i, user] of [a, b].entries()) {
      const c = await TestClient.connect(cluster.nodes[i]!.url, user.token);
      clients.push(c);
      await c.ok('group:join', { groupId });
    }

    const acked: Message[] = [];
    let refused = 0;
    let unanswered = 0;
    let restarted: Promise<void> | undefined;
    const sends: Promise<void>[] = [];
    // Each client keeps IN_FLIGHT sends out, emitting the next as soon as one is answered, until
    // the crash: acks trail Redis by whatever is queued on the way back, so only a steady stream
    // makes sure Redis is still working through sends when it dies.
    const send = (c: TestClient, i: number, k: number): void => {
      sends.push(c.ack('group:send', { groupId, text: `client ${i} message ${k}`, clientMsgId: `c${i}-${k}` }, ACK_TIMEOUT_MS).then(
        (res) => {
          if (res.ok) acked.push(res.data.message);
          else refused++;
          // The SIGKILL goes out synchronously, on the very ack that reaches the count.
          if (acked.length === ACKED_BEFORE_KILL && !restarted) restarted = redis.restart(200, 'SIGKILL');
          if (!restarted) send(c, i, k + IN_FLIGHT);
        },
        () => void unanswered++,
      ));
    };
    clients.forEach((c, i) => Array.from({ length: IN_FLIGHT }, (_, k) => send(c, i, k)));

    await waitFor(() => restarted, `${ACKED_BEFORE_KILL} acks`, 30_000);
    const ackedBeforeKill = acked.slice(0, ACKED_BEFORE_KILL);
    await restarted;
    await Promise.all(sends);

    // Read straight from the store: without an AOF the group itself is gone, and a client's
    // history request would be refused before it could show what was lost.
    const store = connectRedisStores({ url: redis.url, cluster: false }, cluster.prefix);
    const stored = new Map<string, Message>();
    try {
      for (let since = 0; ;) {
        const page = await store.log.since({ kind: 'group', id: groupId }, since, 500);
        for (const m of page.messages) stored.set(m.id, m);
        if (!page.hasMore || !page.messages.length) break;
        since = page.messages.at(-1)!.seq;
      }
    } finally {
      await store.close();
    }
    console.log(`      (${acked.length} acked, ${ackedBeforeKill.length} of them before the SIGKILL; ${refused} refused, ${unanswered} unanswered; ${stored.size} in the log after the restart)`);
    return { acked, ackedBeforeKill, refused, unanswered, stored };
  } finally {
    closeAll(clients);
    await cluster.close();
    await redis.stop();
  }
}

/** The acked messages that are not in the log as they were acked (same id, seq, sender's clientMsgId and text). */
const missing = (acked: Message[], stored: Map<string, Message>): Message[] =>
  acked.filter((m) => {
    const s = stored.get(m.id);
    return !s || s.seq !== m.seq || s.clientMsgId !== m.clientMsgId || s.text !== m.text;
  });

describe('durability: Redis SIGKILLed with sends in flight, restarted from disk', function () {
  this.timeout(120_000);

  it('with STORE_DURABILITY=fsync (AOF, appendfsync always), finds every acked message in the history', async () => {
    const r = await crashMidStream(['--appendonly', 'yes', '--appendfsync', 'always'], 'fsync');
    expect(r.refused + r.unanswered, 'sends caught by the crash').to.be.greaterThan(0);
    expect(missing(r.acked, r.stored).map((m) => m.clientMsgId), 'acked messages missing after the restart').to.deep.equal([]);
  });

  it('negative control: without an AOF (appendonly no) the same crash loses the acked messages', async () => {
    const r = await crashMidStream(['--appendonly', 'no'], 'default');
    expect(r.refused + r.unanswered, 'sends caught by the crash').to.be.greaterThan(0);
    expect(missing(r.ackedBeforeKill, r.stored), 'acked before the SIGKILL and lost').to.have.length(r.ackedBeforeKill.length);
  });
});
