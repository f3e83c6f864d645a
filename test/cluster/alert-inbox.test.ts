// The staff alert inbox across nodes (docs/protocol.md §5.5): three real server processes share
// the Redis. An alert and every change to it reach the staff through their own rooms on every
// node, whether or not they are in the group's room.
import { expect } from 'chai';
import { enrol } from '../support/server.js';
import { roomClients } from '../support/room.js';
import { Cluster, type ClusterNode } from './cluster.js';

describe('cluster: the staff alert inbox on every node', function () {
  this.timeout(60_000);

  let cluster: Cluster;
  let A: ClusterNode;
  let B: ClusterNode;
  let C: ClusterNode;

  const { connect, enter, sent, group, closeAll } = roomClients(() => ({ url: A.url, user: (role) => cluster.user(role) }));

  before(async () => {
    cluster = await Cluster.start(3);
    [A, B, C] = cluster.nodes as [ClusterNode, ClusterNode, ClusterNode];
  });
  afterEach(() => closeAll());
  after(() => cluster?.close());

  it('a crisis in a group on node A reaches its facilitator on node B outside the room; an acknowledgement on B is seen on C', async () => {
    const {
      fac,
      people: [member],
      groupId,
    } = await group(1);
    const fac2 = cluster.user('facilitator');
    await enrol(A, groupId, fac, fac2, 'facilitator');
    // Neither facilitator joins the room: they are elsewhere in the app.
    const facB = await connect(fac, B);
    const fac2C = await connect(fac2, C);
    const memberA = await enter(member, groupId, A);

    const message = await sent(memberA, groupId, 'I want to kill myself');
    const opened = await facB.waitEvent('alert:changed', (a) => a.messageId === message.id);
    expect(opened).to.include({ scope: 'group', groupId, kind: 'crisis', severity: 'crisis', status: 'open' });
    await fac2C.waitEvent('alert:changed', (a) => a.id === opened.id);
    expect((await fac2C.ok('alert:list', {})).alerts.map((a) => a.id)).to.deep.equal([opened.id]);

    const { alert } = await facB.ok('alert:ack', { groupId, alertId: opened.id });
    expect(alert).to.include({ status: 'acknowledged', acknowledgedBy: fac.id });
    expect(await fac2C.waitEvent('alert:changed', (a) => a.status === 'acknowledged')).to.deep.equal(alert);
    expect((await fac2C.ok('alert:list', {})).alerts).to.deep.equal([alert]);
  });
});
