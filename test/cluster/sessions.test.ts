// Sessions on a schedule across nodes (docs/protocol.md §5.6; issue 17): two real server processes
// share the Redis. A one-off session a few seconds ahead opens and closes by itself: whether a
// participant may send is computed from the stored windows when the send is judged, and each change
// is announced once across the nodes (one audit entry, one group:state), whichever node saw it.
import { expect } from 'chai';
import type { AuditEntry, ServerPayload } from '../../shared/index.js';

type GroupStateEvent = ServerPayload<'group:state'>;
import { refusedWith, type TestClient, waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { http, type TestUser } from '../support/server.js';
import { Cluster, type ClusterNode } from './cluster.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const oneOff = (start: number, end: number) => ({
  timeZone: 'UTC',
  weekly: [],
  oneOff: [{ start: new Date(start).toISOString(), end: new Date(end).toISOString() }],
  cancelled: [],
});

async function putSchedule(node: ClusterNode, fac: TestUser, groupId: string, schedule: unknown) {
  const res = await http(node.url, 'PUT', `/api/groups/${groupId}/schedule`, { token: fac.token, body: schedule });
  if (res.status !== 200) throw new Error(`PUT schedule: ${res.status} ${res.text}`);
  return res.body.data as { sessions: { id: string; start: number; end: number }[] };
}

async function auditOf(node: ClusterNode, fac: TestUser, groupId: string): Promise<AuditEntry[]> {
  const res = await http(node.url, 'GET', `/api/groups/${groupId}/audit?limit=200`, { token: fac.token });
  return res.body.data.entries as AuditEntry[];
}

describe('cluster: a scheduled session opens and closes by itself, announced once', function () {
  this.timeout(60_000);

  let cluster: Cluster;
  let A: ClusterNode;
  let B: ClusterNode;
  const { enter, send, sent, group, closeAll } = roomClients(() => ({ url: A.url, user: (role) => cluster.user(role) }));

  before(async () => {
    // Both nodes poll the check queue often, so both race for every boundary.
    cluster = await Cluster.start(2, { env: { RATE_LIMITS: 'send=100000/1', SESSION_CHECK_MS: '50' } });
    [A, B] = cluster.nodes as [ClusterNode, ClusterNode];
  });
  afterEach(() => closeAll());
  after(() => cluster?.close());

  it('a one-off session 3 s ahead lasting 3 s: refused before, accepted during, refused after; one open and one close on each node, one audit entry each', async () => {
    const {
      fac,
      people: [p],
      groupId,
    } = await group(1);
    const pA = await enter(p, groupId, A);
    const pB = await enter(p, groupId, B);
    const facB = await enter(fac, groupId, B);
    const start = Date.now() + 3000;
    const { sessions } = await putSchedule(A, fac, groupId, oneOff(start, start + 3000));
    expect(sessions).to.have.length(1);
    const id = sessions[0]!.id;

    refusedWith(await send(pA, groupId, 'too early'), 'SESSION_CLOSED');
    refusedWith(await send(pB, groupId, 'too early on B'), 'SESSION_CLOSED');

    const opened = (s: GroupStateEvent) => s.groupId === groupId && s.state.session?.id === id;
    // After the end nothing else is planned: no session and no next start.
    const closed = (s: GroupStateEvent) => s.groupId === groupId && !s.state.sessionOpen && s.state.nextSessionStart === null;
    for (const c of [pA, pB, facB]) await c.waitEvent('group:state', opened, 10_000);
    expect((await sent(pA, groupId, 'during, on A')).text).to.equal('during, on A');
    expect((await sent(pB, groupId, 'during, on B')).text).to.equal('during, on B');
    const state = pA.received('group:state', opened)[0]!.state;
    expect(state).to.deep.include({ sessionOpen: true, session: sessions[0], nextSessionStart: null });

    for (const c of [pA, pB, facB]) await c.waitEvent('group:state', closed, 10_000);
    refusedWith(await send(pA, groupId, 'too late'), 'SESSION_CLOSED');
    refusedWith(await send(pB, groupId, 'too late on B'), 'SESSION_CLOSED');

    // Give both nodes many more polls to announce again (they must not), then count.
    await sleep(500);
    for (const c of [pA, pB, facB] as TestClient[]) await c.sync(groupId);
    for (const [name, c] of [
      ['A', pA],
      ['B', pB],
      ['B (facilitator)', facB],
    ] as const) {
      expect(c.received('group:state', opened), `openings seen on ${name}`).to.have.length(1);
      expect(c.received('group:state', closed), `closings seen on ${name}`).to.have.length(1);
    }
    const entries = await auditOf(B, fac, groupId);
    const system = entries.filter((e) => e.actor.role === 'system');
    expect(system.map((e) => [e.action, e.sessionId, e.actor.id])).to.deep.equal([
      ['session_closed', id, 'system'],
      ['session_opened', id, 'system'],
    ]);
    expect(entries.filter((e) => e.action === 'schedule_set')).to.have.length(1);
  });
});

describe('cluster: whether a session is open is computed when a send is judged, not by a timer', function () {
  this.timeout(60_000);

  let cluster: Cluster;
  let A: ClusterNode;
  const { enter, send, sent, group, closeAll } = roomClients(() => ({ url: A.url, user: (role) => cluster.user(role) }));

  before(async () => {
    // Checks a minute apart: no announcement can happen during the test.
    cluster = await Cluster.start(1, { env: { SESSION_CHECK_MS: '60000' } });
    [A] = cluster.nodes as [ClusterNode];
  });
  afterEach(() => closeAll());
  after(() => cluster?.close());

  it('a node started after the start time admits sends, and a node that saw no boundary refuses after the end', async () => {
    const {
      fac,
      people: [p],
      groupId,
    } = await group(1);
    // Ten seconds long, so starting a node on a loaded machine still ends inside the session.
    const start = Date.now() + 1500;
    const end = start + 10_000;
    await putSchedule(A, fac, groupId, oneOff(start, end));
    const pA = await enter(p, groupId, A);
    refusedWith(await send(pA, groupId, 'before'), 'SESSION_CLOSED');
    await waitFor(() => Date.now() > start + 100 || undefined, 'the start', 5000);
    const C = await cluster.addNode();
    const pC = await enter(p, groupId, C);
    expect((await sent(pC, groupId, 'on the late node')).text).to.equal('on the late node');
    expect((await sent(pA, groupId, 'on the first node')).text).to.equal('on the first node');
    expect(Date.now(), 'both sends were inside the session').to.be.below(end);
    await waitFor(() => Date.now() > end + 100 || undefined, 'the end', 12_000);
    refusedWith(await send(pC, groupId, 'after'), 'SESSION_CLOSED');
    // No timer announced anything: the only group:state the room saw is the schedule's own.
    expect(pA.received('group:state', (s) => s.state.session !== null)).to.deep.equal([]);
  });
});
