// Attendance across nodes (docs/protocol.md §5.8; issue 17): real server processes sharing one
// Redis. A member who drops on one node and comes back on another is one record whose minutes are
// the two stretches, the gap left out; a node killed with SIGKILL has its members leave their rooms
// at the moment the presence sweep of a surviving node notices, not never and not at their last refresh.
import { expect } from 'chai';
import { minutesOf } from '../../server/attendance/records.js';
import type { AttendanceRecord } from '../../shared/index.js';
import { roomClients } from '../support/room.js';
import { http, makeGroup, type TestUser } from '../support/server.js';
import { Cluster, type ClusterNode } from './cluster.js';

const PRESENCE_TTL_SEC = 2;

async function until<T>(check: () => Promise<T | undefined | false | null>, what: string, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('cluster: attendance across nodes', function () {
  this.timeout(60_000);
  let cluster: Cluster;
  let A: ClusterNode;
  let B: ClusterNode;
  let C: ClusterNode;
  const { enter, closeAll } = roomClients();

  before(async () => {
    cluster = await Cluster.start(3, { env: { PRESENCE_TTL_SEC: String(PRESENCE_TTL_SEC) } });
    [A, B, C] = cluster.nodes as [ClusterNode, ClusterNode, ClusterNode];
  });
  afterEach(() => closeAll());
  after(() => cluster?.close());

  /** A group on `on` with a session opened by hand by its facilitator (who stays in the room on `on`). */
  async function openSession(on: ClusterNode, people: TestUser[]) {
    const fac = cluster.user('facilitator');
    const groupId = await makeGroup(on, fac, people);
    const cf = await enter(fac, groupId, on);
    await cf.ok('mod:session', { groupId, open: false });
    await cf.ok('mod:session', { groupId, open: true });
    const sessionId = (await http(on.url, 'GET', `/api/groups/${groupId}/attendance`, { token: fac.token })).body.data.sessions[0]
      .id as string;
    const recordOf = async (node: ClusterNode, userId: string) => {
      const res = await http(node.url, 'GET', `/api/groups/${groupId}/sessions/${sessionId}/attendance`, { token: fac.token });
      return (res.body.data.records as AttendanceRecord[]).find((r) => r.userId === userId)!;
    };
    return { fac, groupId, cf, sessionId, recordOf };
  }

  it('a member who drops on node A and rejoins on node B is one record: two stretches, the gap not counted', async function () {
    const p = cluster.user();
    const { groupId, cf, recordOf } = await openSession(A, [p]);
    const onA = await enter(p, groupId, A);
    onA.close();
    await until(async () => (await recordOf(B, p.id)).lastLeft, 'the drop on A recorded', 5000);
    const onB = await enter(p, groupId, B);
    await onB.ok('group:leave', { groupId });
    await cf.ok('mod:session', { groupId, open: false });

    const record = await recordOf(C, p.id);
    expect(record.stretches).to.have.length(2);
    const [first, second] = record.stretches as [{ start: number; end: number }, { start: number; end: number }];
    expect(first.end, 'the gap between the drop and the rejoin is not in the room').to.be.at.most(second.start);
    expect(record).to.deep.include({ firstJoined: first.start, lastLeft: second.end, computedStatus: 'present' });
    expect(record.minutes).to.equal(minutesOf(first.end - first.start + (second.end - second.start)));
  });

  it("a SIGKILLed node's members leave their rooms when a surviving node's sweep notices; a member with a tab elsewhere stays in", async function () {
    const [victim, twoNodes] = [cluster.user(), cluster.user()];
    const { groupId, recordOf } = await openSession(A, [victim, twoNodes]);
    await enter(victim, groupId, B);
    await enter(twoNodes, groupId, B);
    await enter(twoNodes, groupId, C);
    const killedAt = Date.now();
    await cluster.kill(B);

    const record = await until(
      async () => {
        const r = await recordOf(A, victim.id);
        return r.lastLeft !== null && r;
      },
      "the victim's leave",
      PRESENCE_TTL_SEC * 1000 * 3 + 5000,
    );
    expect(record.lastLeft, 'at the moment the sweep noticed: after the kill, not at the last refresh before it').to.be.at.least(killedAt);
    expect(record.stretches).to.have.length(1);
    const other = await recordOf(C, twoNodes.id);
    expect(other.lastLeft, 'still in the room on node C').to.equal(null);
    expect(other.stretches).to.have.length(1);
  });
});
