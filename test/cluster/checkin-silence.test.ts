// The check-in silence rule across nodes (docs/protocol.md §6.1): two real server processes sweep
// one store for due silences; each silence raises its alert exactly once, whichever node claims it.
import { expect } from 'chai';
import { waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { http } from '../support/server.js';
import { Cluster, type ClusterNode } from './cluster.js';

const WINDOW_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('cluster: check-in silence, one alert per silence across nodes', function () {
  this.timeout(60_000);

  let cluster: Cluster;
  let A: ClusterNode;
  let B: ClusterNode;
  const { connect, group, closeAll } = roomClients(() => ({ url: A.url, user: (role) => cluster.user(role) }));

  before(async () => {
    cluster = await Cluster.start(2);
    [A, B] = cluster.nodes as [ClusterNode, ClusterNode];
  });
  afterEach(() => closeAll());
  after(async () => {
    await cluster?.close();
  });

  it('raises each silent person’s alert once, with both nodes sweeping', async () => {
    const { fac, people, groupId } = await group(6);
    const set = await http(A.url, 'PUT', `/api/groups/${groupId}/checkin-rules`, {
      token: fac.token,
      body: { silenceHours: WINDOW_MS / 3_600_000 },
    });
    expect(set.status, set.text).to.equal(200);
    const [facA, facB] = [await connect(fac, A), await connect(fac, B)];
    for (const [i, p] of people.entries()) {
      const c = await connect(p, i % 2 ? B : A);
      await c.ok('checkin:sharing', { with: 'staff' });
      await c.ok('checkin:daily', { on: true });
      await c.ok('checkin:send', { mood: 3, craving: 1, used: false, clientMsgId: `s${i}` });
    }
    const silenceOf = (a: { rule?: string }) => a.rule === 'silence';
    await waitFor(() => facA.received('alert:changed', silenceOf).length >= people.length, 'every silence', 15_000);
    // One more window and a few sweeps: a silence claimed twice, or not ended, would show now.
    await sleep(WINDOW_MS + 2000);
    for (const f of [facA, facB]) {
      const seen = f.received('alert:changed', silenceOf).map((a) => a.userId);
      expect(seen.sort(), 'each announced once, on both nodes').to.deep.equal(people.map((p) => p.id).sort());
    }
    const listed = (await facB.ok('alert:list', {})).alerts.filter(silenceOf);
    expect(listed.map((a) => a.userId).sort()).to.deep.equal(people.map((p) => p.id).sort());
  });
});
