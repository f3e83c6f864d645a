// The group agreement across nodes (docs/protocol.md §5.1, §8.2): two real server processes share
// the Redis. An agreement set over HTTP on one node is asked for by joins on the other; an
// acceptance on node A lets the join on node B in; a new version set on B applies from the next
// join on A, and never to the sends of someone who joined under the old one.
import { expect } from 'chai';
import { refusedWith } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { http, type TestUser } from '../support/server.js';
import { Cluster, type ClusterNode } from './cluster.js';

describe('cluster: the group agreement holds on every node', function () {
  this.timeout(60_000);

  let cluster: Cluster;
  let A: ClusterNode;
  let B: ClusterNode;
  const { connect, group, sent, closeAll } = roomClients(() => ({ url: A.url, user: (role) => cluster.user(role) }));

  before(async () => {
    cluster = await Cluster.start(2);
    [A, B] = cluster.nodes as [ClusterNode, ClusterNode];
  });
  afterEach(() => closeAll());
  after(() => cluster?.close());

  const setAgreement = async (on: ClusterNode, groupId: string, by: TestUser, text: string) => {
    const res = await http(on.url, 'PUT', `/api/groups/${groupId}/agreement`, { token: by.token, body: { text } });
    expect(res.status, res.text).to.equal(200);
    return res.body.data.agreement as { version: number };
  };

  it('accepted on node A, the join on node B gets in; a version set on B refuses the next join on A but not the sends of one already in', async () => {
    const {
      fac,
      people: [sam],
      groupId,
    } = await group(1);
    await setAgreement(A, groupId, fac, 'v1: what is said here stays here');
    const samA = await connect(sam, A);
    const samB = await connect(sam, B);
    expect(refusedWith(await samB.ack('group:join', { groupId }), 'AGREEMENT_REQUIRED').agreement).to.deep.equal({
      version: 1,
      text: 'v1: what is said here stays here',
    });
    await samA.ok('group:agree', { groupId, version: 1 });
    await samB.ok('group:join', { groupId });

    expect((await setAgreement(B, groupId, fac, 'v2: and be kind')).version).to.equal(2);
    await sent(samA, groupId, 'sent on A, joined under v1 on B');
    expect(refusedWith(await samA.ack('group:join', { groupId }), 'AGREEMENT_REQUIRED').agreement).to.deep.equal({
      version: 2,
      text: 'v2: and be kind',
    });
    refusedWith(await samB.ack('group:agree', { groupId, version: 1 }), 'AGREEMENT_CHANGED');
    await samB.ok('group:agree', { groupId, version: 2 });
    await samA.ok('group:join', { groupId });
    const list = await http(B.url, 'GET', `/api/groups/${groupId}/agreement/acceptances`, { token: fac.token });
    expect(list.body.data.acceptances.map((a: { userId: string; version: number }) => [a.userId, a.version])).to.deep.equal([[sam.id, 2]]);
  });
});
