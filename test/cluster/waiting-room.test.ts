// The waiting room across nodes (§5.7): two real server processes share the Redis. A person
// knocks on node B while the facilitator is on node A; the list reaches the staff on both nodes,
// an admission on A reaches the person's tabs on both nodes, and they enter on either; turning
// away and going offline on one node clear the list the staff see on the other.
import { expect } from 'chai';
import type { GroupJoinWaiting } from '../../shared/index.js';
import { TestClient, waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { Cluster, type ClusterNode } from './cluster.js';

describe('cluster: the waiting room on two nodes', function () {
  this.timeout(60_000);

  let cluster: Cluster;
  let A: ClusterNode;
  let B: ClusterNode;
  const { connect, enter, sent, group, closeAll } = roomClients(() => ({ url: A.url, user: (role) => cluster.user(role) }));

  const knock = async (c: TestClient, groupId: string): Promise<GroupJoinWaiting> => {
    const res = await c.ack('group:join', { groupId });
    if (!res.ok || 'members' in res.data) throw new Error(`expected to wait: ${JSON.stringify(res)}`);
    return res.data;
  };
  const waitList = (c: TestClient, groupId: string, ids: string[]) =>
    waitFor(
      () => {
        const last = c.received('group:waiting', (p) => p.groupId === groupId).at(-1);
        return last && JSON.stringify(last.waiting.map((w) => w.userId)) === JSON.stringify(ids) && last;
      },
      `the waiting list [${ids.join(', ')}]`,
    );

  before(async () => {
    cluster = await Cluster.start(2);
    [A, B] = cluster.nodes as [ClusterNode, ClusterNode];
  });
  afterEach(() => closeAll());
  after(() => cluster?.close());

  it('knocks on B, is listed for the staff on A and B, is admitted on A on every tab, and enters on B and on A', async () => {
    const {
      fac,
      people: [p],
      groupId,
    } = await group(1);
    const facA = await enter(fac, groupId, A);
    const admin = cluster.user('admin');
    const adminB = await connect(admin, B); // staff who never joined the room hear the list too
    await facA.ok('mod:waitingroom', { groupId, waitingRoom: true });
    await sent(facA, groupId, 'before anyone came in');

    const pB = await connect(p, B);
    const pA = await connect(p, A);
    const { waiting } = await knock(pB, groupId);
    for (const staff of [facA, adminB]) {
      const list = await waitList(staff, groupId, [p.id]);
      expect(list.waiting).to.deep.equal([{ userId: p.id, name: p.name, since: waiting.since }]);
    }
    expect((await knock(pA, groupId)).waiting.since, 'the same knock on the other node').to.equal(waiting.since);

    await facA.ok('mod:admit', { groupId, userId: p.id });
    for (const tab of [pA, pB]) expect(await tab.waitEvent('group:admitted')).to.deep.equal({ groupId });
    for (const staff of [facA, adminB]) await waitList(staff, groupId, []);
    expect(pB.messages(groupId), 'nothing of the room while waiting').to.deep.equal([]);

    const inB = await pB.ok('group:join', { groupId });
    expect(inB.messages.map((m) => m.text)).to.deep.equal(['before anyone came in']);
    await pA.ok('group:join', { groupId });
    const hello = await sent(pB, groupId, 'hello from B');
    await waitFor(() => facA.messages(groupId).some((m) => m.id === hello.id), 'the message on A');
    await waitFor(() => pA.messages(groupId).some((m) => m.id === hello.id), 'the message on the other tab');
  });

  it('turned away on A reaches the person on B; their last tab closing on B clears the list on A', async () => {
    const {
      fac,
      people: [p, q],
      groupId,
    } = await group(2);
    const facA = await enter(fac, groupId, A);
    await facA.ok('mod:waitingroom', { groupId, waitingRoom: true });
    const pB = await connect(p, B);
    const qB = await connect(q, B);
    await knock(pB, groupId);
    await knock(qB, groupId);
    await waitList(facA, groupId, [p.id, q.id]);

    await facA.ok('mod:turn-away', { groupId, userId: p.id });
    expect(await pB.waitEvent('group:turned-away')).to.deep.equal({ groupId });
    await waitList(facA, groupId, [q.id]);

    qB.close();
    await waitList(facA, groupId, []);
  });
});
