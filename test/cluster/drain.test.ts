// SIGTERM a node during traffic (issue 8, faults): it drains (finishes in-flight acks), exits 0,
// its clients move to the other node and catch up, and nothing acked is lost or stored twice.
import { expect } from 'chai';
import type { Message } from '../../shared/index.js';
import { contiguousSeq, TestClient, waitFor } from '../support/client.js';
import { exitWithin } from '../support/process.js';
import { roomClients } from '../support/room.js';
import { makeGroup } from '../support/server.js';
import { Cluster, type ClusterNode } from './cluster.js';

describe('cluster: a node stopped with SIGTERM during traffic', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  let A: ClusterNode;
  let B: ClusterNode;
  const { connect, enter, closeAll } = roomClients();

  before(async () => {
    cluster = await Cluster.start(2, { env: { RATE_LIMITS: 'send=100000/1' } });
    [A, B] = cluster.nodes as [ClusterNode, ClusterNode];
  });
  afterEach(() => closeAll());
  after(() => cluster?.close());

  it('drains and exits 0; its client moves to the other node, catches up and resends, with every acked message stored once', async () => {
    const fac = cluster.user('facilitator');
    const [mover, stayer] = [cluster.user(), cluster.user()];
    const groupId = await makeGroup(B, fac, [mover, stayer]);
    const watcher = await enter(fac, groupId, B);
    const onB = await enter(stayer, groupId, B);
    let client: TestClient = await enter(mover, groupId, A);

    const acked: Message[] = [];
    let stopping = false;
    let moved = 0;
    /** What the mover saw: live on A, in its rejoin's catch-up, then live on B. */
    const seenByMover = new Set<string>();
    // The mover sends one message after another; when its node goes, it reconnects to B,
    // rejoins with since and resends the message whose ack it did not get, as a client must.
    const moverLoop = (async () => {
      for (let i = 0; !stopping; i++) {
        const payload = { groupId, text: `mover ${i}`, clientMsgId: `mv${i}` };
        for (;;) {
          const res = await client.ack('group:send', payload, 3000).catch(() => undefined);
          if (res?.ok) {
            acked.push(res.data.message);
            break;
          }
          if (client.socket.connected) continue;
          // Everything up to the first gap, not the highest seq: the stayer's messages reach A
          // through Redis and may land after the mover's own later one, just before A goes.
          const since = contiguousSeq(client.messages(groupId));
          for (const m of client.messages(groupId)) seenByMover.add(m.id);
          client = await connect(mover, B);
          for (const m of (await client.ok('group:join', { groupId, since })).messages) seenByMover.add(m.id);
          moved++;
        }
      }
    })();
    const stayerAcked: Message[] = [];
    const stayerLoop = (async () => {
      for (let i = 0; !stopping; i++)
        stayerAcked.push((await onB.ok('group:send', { groupId, text: `stayer ${i}`, clientMsgId: `st${i}` })).message);
    })();

    await waitFor(() => acked.length >= 10, 'the mover chatting on A');
    A.proc.child.kill('SIGTERM');
    const exit = await exitWithin(A.proc, 10_000);
    expect(exit, 'node A drained and exited 0').to.deep.equal({ code: 0, signal: null });
    await waitFor(() => moved > 0 && acked.length >= 20, 'the mover chatting again from B', 15_000);
    stopping = true;
    await Promise.all([moverLoop, stayerLoop]);

    const all = [...acked, ...stayerAcked];
    const history: Message[] = [];
    for (let beforeSeq: number | undefined; ;) {
      const page = await watcher.ok(
        'group:history',
        beforeSeq === undefined ? { groupId, limit: 100 } : { groupId, beforeSeq, limit: 100 },
      );
      history.unshift(...page.messages);
      if (!page.hasMore) break;
      beforeSeq = page.messages[0]!.seq;
    }
    expect(
      history.map((m) => m.seq),
      'gap-free',
    ).to.deep.equal(history.map((_, i) => i + 1));
    expect(history.length, 'stored once each: as many as were acked').to.equal(all.length);
    for (const m of all)
      expect(
        history.find((h) => h.id === m.id),
        `acked ${m.clientMsgId}`,
      ).to.deep.equal(m);
    await client.sync(groupId);
    for (const m of client.messages(groupId)) seenByMover.add(m.id);
    expect(
      all.filter((m) => !seenByMover.has(m.id)).map((m) => m.clientMsgId),
      'acked messages the mover never saw',
    ).to.deep.equal([]);
    await watcher.sync(groupId);
    const live = new Set(watcher.messages(groupId).map((m) => m.id));
    expect(
      all.filter((m) => !live.has(m.id)).map((m) => m.clientMsgId),
      'acked messages the watcher on B did not get live',
    ).to.deep.equal([]);
  });
});
