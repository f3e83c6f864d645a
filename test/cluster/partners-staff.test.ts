// Staff ending a pairing across nodes (docs/protocol.md §6, §8.4): the facilitator ends it over
// HTTP on node A while the partners are connected to A and B. Both hear partner:updated on
// whichever node they are, and a socket on B that had remembered the partnership for typing
// forgets it, as when a partner ends it with partner:end.
import { expect } from 'chai';
import type { Partnership } from '../../shared/index.js';
import { partnerSync, roomClients } from '../support/room.js';
import { http, makeGroup } from '../support/server.js';
import { Cluster, type ClusterNode } from './cluster.js';

describe('cluster: staff end a pairing on another node', function () {
  this.timeout(60_000);

  let cluster: Cluster;
  let A: ClusterNode;
  let B: ClusterNode;
  const { connect, closeAll } = roomClients();

  before(async () => {
    cluster = await Cluster.start(2);
    [A, B] = cluster.nodes as [ClusterNode, ClusterNode];
  });
  afterEach(() => closeAll());
  after(() => cluster?.close());

  it('tells both partners on both nodes, and typing on node B no longer reaches the other', async () => {
    const fac = cluster.user('facilitator');
    const [a, b] = [cluster.user(), cluster.user()];
    const groupId = await makeGroup(A, fac, [a, b]);
    const made = await http(A.url, 'POST', '/api/partnerships', { token: fac.token, body: { userIds: [a.id, b.id] } });
    const p = made.body.data.partnership as Partnership;
    const aOnA = await connect(a, A);
    const aOnB = await connect(a, B);
    const bOnB = await connect(b, B);

    // b's socket on B now remembers the partnership (typing costs no store read after this).
    await bOnB.ok('partner:typing', { partnershipId: p.id, typing: true });
    await aOnA.waitEvent('partner:typing');

    const res = await http(A.url, 'POST', `/api/groups/${groupId}/partnerships/${p.id}/end`, { token: fac.token });
    expect(res.status, res.text).to.equal(200);
    const ended = res.body.data.partnership as Partnership;
    expect(ended).to.deep.include({ status: 'ended', endedBy: fac.id });
    for (const c of [aOnA, aOnB, bOnB]) expect(await c.waitEvent('partner:updated')).to.deep.equal({ partnership: ended });

    await bOnB.ok('partner:typing', { partnershipId: p.id, typing: false });
    // A marker from the same node after it: once a has it, the typing would have come before.
    const { inviteId } = await bOnB.ok('partner:invite', { userId: a.id });
    for (const c of [aOnA, aOnB]) {
      await c.waitEvent('partner:invited', (i) => i.inviteId === inviteId);
      expect(c.received('partner:typing'), 'typing after the end goes nowhere').to.deep.equal([
        { partnershipId: p.id, userId: b.id, typing: true },
      ]);
    }
    await partnerSync(aOnA, aOnB, bOnB);
    for (const c of [aOnA, aOnB, bOnB]) expect(c.received('partner:updated'), 'once per device').to.have.length(1);
  });
});
