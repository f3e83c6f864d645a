// Quiet partner chat across nodes (docs/protocol.md §6.2; issue 17): two real server processes
// share the Redis. A message held on node A stays held when A dies; when the scheduled session
// ends, node B announces the end and delivers the held message once, with its seq.
import { expect } from 'chai';
import type { ServerPayload } from '../../shared/index.js';
import { pairByInvite } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { http } from '../support/server.js';
import { Cluster, type ClusterNode } from './cluster.js';

type GroupStateEvent = ServerPayload<'group:state'>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('cluster: a partner message held on a node that dies is delivered once by another when the session ends', function () {
  this.timeout(60_000);

  let cluster: Cluster;
  let A: ClusterNode;
  let B: ClusterNode;
  const { connect, enter, group, closeAll } = roomClients(() => ({ url: A.url, user: (role) => cluster.user(role) }));

  before(async () => {
    cluster = await Cluster.start(2, { env: { SESSION_CHECK_MS: '50' } });
    [A, B] = cluster.nodes as [ClusterNode, ClusterNode];
  });
  afterEach(() => closeAll());
  after(() => cluster?.close());

  it('holds on A, A is killed, the session ends, B delivers it once with seq 1', async () => {
    const {
      fac,
      people: [a, b],
      groupId,
    } = await group(2);
    const facB = await enter(fac, groupId, B);
    await facB.ok('mod:quiet', { groupId, quiet: true });
    const [aOnA, bOnA] = [await connect(a, A), await connect(b, A)];
    const p = await pairByInvite(aOnA, bOnA, b.id);

    const start = Date.now() + 1500;
    const schedule = {
      timeZone: 'UTC',
      weekly: [],
      oneOff: [{ start: new Date(start).toISOString(), end: new Date(start + 4000).toISOString() }],
      cancelled: [],
    };
    const put = await http(B.url, 'PUT', `/api/groups/${groupId}/schedule`, { token: fac.token, body: schedule });
    expect(put.status).to.equal(200);
    const session = (put.body.data as { sessions: { id: string; end: number }[] }).sessions[0]!;
    await facB.waitEvent('group:state', (s: GroupStateEvent) => s.groupId === groupId && s.state.session?.id === session.id, 10_000);
    // Attending means joined since the session started.
    for (const c of [aOnA, bOnA]) await c.ok('group:join', { groupId });

    const res = await aOnA.ok('partner:send', { partnershipId: p.id, text: 'after group, coffee?', clientMsgId: 'q1' });
    expect(res).to.deep.include({ held: { groupId, sessionId: session.id, until: session.end } });
    await bOnA.waitEvent('partner:held', (e) => e.partnershipId === p.id && e.count === 1);

    await cluster.kill(A);
    const bOnB = await connect(b, B);
    const closed = (s: GroupStateEvent) => s.groupId === groupId && !s.state.sessionOpen;
    await facB.waitEvent('group:state', closed, 15_000);
    const delivered = await bOnB.waitEvent('partner:message', (m) => m.clientMsgId === 'q1', 10_000);
    expect(delivered).to.deep.include({ id: res.message.id, seq: 1, text: 'after group, coffee?' });

    // B keeps polling: nothing is delivered again, and the log holds it once.
    await sleep(500);
    expect(bOnB.received('partner:message', (m) => m.clientMsgId === 'q1')).to.have.length(1);
    const open = await bOnB.ok('partner:open', { partnershipId: p.id });
    expect(open.messages.map((m) => [m.clientMsgId, m.seq])).to.deep.equal([['q1', 1]]);
    expect(open.partnership.lastSeq).to.equal(1);
  });
});
