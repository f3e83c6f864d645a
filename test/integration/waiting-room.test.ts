// The waiting room (§5.7) with real clients on both stores: a participant not yet let in this
// session waits (the join answers a waiting state), the staff see the live list, and mod:admit /
// mod:turn-away answer them. Across nodes: test/cluster/waiting-room.test.ts.
import { expect } from 'chai';
import type { GroupJoinWaiting } from '../../shared/index.js';
import { codeOf, TestClient, waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { http, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

for (const kind of STORE_KINDS) {
  describe(`the waiting room (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, enter, sent, group, closeAll } = roomClients(() => srv);
    const auditOf = async (groupId: string, action: string) =>
      (await srv.store.auditLog.audit(groupId, { limit: 200 })).entries.filter((e) => e.action === action);
    /** A join that must be left waiting; resolves its answer. */
    const knock = async (c: TestClient, groupId: string): Promise<GroupJoinWaiting> => {
      const res = await c.ack('group:join', { groupId });
      if (!res.ok || 'members' in res.data) throw new Error(`expected to wait: ${JSON.stringify(res)}`);
      return res.data;
    };
    /** The list the staff last heard of. */
    const listed = (c: TestClient, groupId: string) => c.received('group:waiting', (p) => p.groupId === groupId).at(-1)?.waiting;
    const listedIds = (c: TestClient, groupId: string) => listed(c, groupId)?.map((w) => w.userId);
    const waitList = (c: TestClient, groupId: string, ids: string[]) =>
      waitFor(() => JSON.stringify(listedIds(c, groupId)) === JSON.stringify(ids) && listed(c, groupId), `waiting list ${ids.length}`);

    /** A group with its waiting room on, its facilitator joined (cf), and `n` participants not yet in. */
    async function waitingGroup<N extends number>(n: N) {
      const g = await group(n);
      const cf = await enter(g.fac, g.groupId);
      await cf.ok('mod:waitingroom', { groupId: g.groupId, waitingRoom: true });
      return { ...g, cf };
    }

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    it('a join while waiting answers a waiting state only, the staff see who waits and since when, and they are not present', async () => {
      const { groupId, fac, people, cf } = await waitingGroup(2);
      const [p, early] = people as [TestUser, TestUser];
      const state = await cf.waitEvent('group:state', (s) => s.groupId === groupId && s.state.waitingRoom);
      expect(state.state).to.include({ waitingRoom: true, locked: false });
      expect((await auditOf(groupId, 'waiting_room_on')).map((e) => e.actor.id)).to.deep.equal([fac.id]);

      const cp = await connect(p);
      const before = Date.now();
      const answer = await knock(cp, groupId);
      expect(answer).to.have.all.keys('group', 'waiting');
      expect(answer.group).to.deep.equal({ id: groupId, name: 'Tuesday evening group' });
      expect(answer.waiting.since).to.be.within(before - 1000, Date.now() + 1000);
      const list = await waitList(cf, groupId, [p.id]);
      expect(list).to.deep.equal([{ userId: p.id, name: p.name, since: answer.waiting.since }]);

      const heard = cf.received('group:waiting').length;
      expect((await knock(cp, groupId)).waiting.since, 'knocking again keeps the first since').to.equal(answer.waiting.since);
      await cf.sync(groupId);
      expect(cf.received('group:waiting'), 'knocking again changes no list: nothing announced').to.have.length(heard);
      const again = await connect(fac);
      const staffJoin = await again.ok('group:join', { groupId });
      expect(staffJoin.waiting, 'a facilitator joining sees the list').to.deep.equal(list);
      expect(
        staffJoin.members.find((m) => m.id === p.id),
        'waiting is not present',
      ).to.include({ online: false });
      expect(staffJoin.members.find((m) => m.id === fac.id)).to.include({ online: true });
      expect(codeOf(await cp.ack('mod:admit', { groupId, userId: p.id })), 'participants admit no one').to.equal('FORBIDDEN');

      const ce = await connect(early);
      expect(await knock(ce, groupId)).to.have.property('waiting');
      await waitList(cf, groupId, [p.id, early.id]);
    });

    it('a waiting person receives no room messages, and may not send, raise a hand, react or type', async () => {
      const { groupId, people, cf } = await waitingGroup(1);
      const cp = await connect(people[0]);
      await knock(cp, groupId);
      const m = await sent(cf, groupId, 'welcome, everyone who is in');
      for (const [event, payload] of [
        ['group:send', { groupId, text: 'hello?', clientMsgId: 'w1' }],
        ['group:hand', { groupId, raised: true }],
        ['group:react', { groupId, messageId: m.id, emoji: '👏' }],
      ] as const)
        expect(codeOf(await cp.ack(event, payload)), event).to.equal('ROOM_LOCKED');
      expect(codeOf(await cp.ack('group:typing', { groupId, typing: true }))).to.equal('FORBIDDEN');
      await sent(cf, groupId, 'a second one');
      await cf.ok('group:hand', { groupId, raised: true });
      await cp.sync(groupId);
      expect(cp.messages(groupId), 'no room messages').to.deep.equal([]);
      expect(cp.received('group:hand').concat(cp.received('group:state') as never[]), 'nor other room events').to.deep.equal([]);
      expect((await srv.store.log.history({ kind: 'group', id: groupId }, { limit: 10 })).messages.map((x) => x.text)).to.deep.equal([
        'welcome, everyone who is in',
        'a second one',
      ]);
    });

    it('admit one: every tab of theirs hears it, their join then enters as a normal join, for the rest of the session across reconnects', async () => {
      const { groupId, fac, people, cf } = await waitingGroup(2);
      const [p, other] = people as [TestUser, TestUser];
      const [tab1, tab2, co] = [await connect(p), await connect(p), await connect(other)];
      await knock(tab1, groupId);
      await knock(co, groupId);
      await waitList(cf, groupId, [p.id, other.id]);
      await sent(cf, groupId, 'before you came in');

      await cf.ok('mod:admit', { groupId, userId: p.id });
      for (const tab of [tab1, tab2]) expect(await tab.waitEvent('group:admitted')).to.deep.equal({ groupId });
      await waitList(cf, groupId, [other.id]);
      await co.sync(groupId);
      expect(co.received('group:admitted'), 'only the one admitted').to.deep.equal([]);
      const joined = await tab1.ok('group:join', { groupId });
      expect(joined.messages.map((x) => x.text)).to.deep.equal(['before you came in']);
      expect(joined, 'participants get no list').to.not.have.property('waiting');
      expect((await sent(tab1, groupId, 'thank you')).text).to.equal('thank you');
      expect(await auditOf(groupId, 'admit'))
        .to.have.length(1)
        .and.to.have.nested.property('[0].targetUserId', p.id);
      expect((await auditOf(groupId, 'admit'))[0]!.actor.id).to.equal(fac.id);

      expect(codeOf(await cf.ack('mod:admit', { groupId, userId: p.id })), 'no longer waiting').to.equal('NOT_FOUND');
      tab1.close();
      tab2.close();
      const back = await connect(p);
      expect((await back.ok('group:join', { groupId })).messages.map((x) => x.text)).to.include('thank you');
      await cf.ok('mod:session', { groupId, open: false });
      await cf.ok('mod:session', { groupId, open: true });
      expect(await knock(back, groupId), 'a new session: waiting again').to.have.property('waiting');
    });

    it('admit all lets everyone waiting in, each audited once', async () => {
      const { groupId, people, cf } = await waitingGroup(3);
      const cs = await Promise.all(people.map((u) => connect(u)));
      for (const c of cs) await knock(c, groupId);
      await waitList(
        cf,
        groupId,
        people.map((u) => u.id),
      );
      await cf.ok('mod:admit', { groupId, all: true });
      for (const c of cs) await c.waitEvent('group:admitted', (e) => e.groupId === groupId);
      await waitList(cf, groupId, []);
      for (const c of cs) await c.ok('group:join', { groupId });
      expect((await auditOf(groupId, 'admit')).map((e) => e.targetUserId).sort()).to.deep.equal(people.map((u) => u.id).sort());
      await cf.ok('mod:admit', { groupId, all: true });
      expect(await auditOf(groupId, 'admit'), 'no one waits: nothing audited').to.have.length(3);
    });

    it('turned away: told kindly, off the list, audited, and they may knock again', async () => {
      const { groupId, people, cf } = await waitingGroup(1);
      const p = people[0];
      const cp = await connect(p);
      await knock(cp, groupId);
      await waitList(cf, groupId, [p.id]);
      await cf.ok('mod:turn-away', { groupId, userId: p.id });
      expect(await cp.waitEvent('group:turned-away')).to.deep.equal({ groupId });
      await waitList(cf, groupId, []);
      expect((await auditOf(groupId, 'turn_away')).map((e) => e.targetUserId)).to.deep.equal([p.id]);
      expect(codeOf(await cf.ack('mod:turn-away', { groupId, userId: p.id })), 'not waiting').to.equal('NOT_FOUND');
      await knock(cp, groupId);
      await waitList(cf, groupId, [p.id]);
    });

    it('leaving, or losing the last connection, takes a waiting person off the list', async () => {
      const { groupId, people, cf } = await waitingGroup(2);
      const [a, b] = people as [TestUser, TestUser];
      const ca = await connect(a);
      const [cb1, cb2] = [await connect(b), await connect(b)];
      await knock(ca, groupId);
      await knock(cb1, groupId);
      await waitList(cf, groupId, [a.id, b.id]);
      await ca.ok('group:leave', { groupId });
      await waitList(cf, groupId, [b.id]);
      cb1.close();
      await cb2.sync(groupId);
      expect(listedIds(cf, groupId), 'another tab is still open').to.deep.equal([b.id]);
      cb2.close();
      await waitList(cf, groupId, []);
    });

    it('a waiting person who erases their data (DELETE /api/me) leaves the list', async () => {
      const { groupId, people, cf } = await waitingGroup(2);
      const [a, b] = people as [TestUser, TestUser];
      await knock(await connect(a), groupId);
      await knock(await connect(b), groupId);
      await waitList(cf, groupId, [a.id, b.id]);
      expect((await http(srv.url, 'DELETE', '/api/me', { token: a.token })).status).to.equal(200);
      await waitList(cf, groupId, [b.id]);
      expect((await srv.store.moderation.waitingList(groupId)).map((w) => w.userId)).to.deep.equal([b.id]);
    });

    it('turning the waiting room off lets everyone waiting in; a locked room without one still answers ROOM_LOCKED', async () => {
      const { groupId, people, cf } = await waitingGroup(2);
      const [a, b] = people as [TestUser, TestUser];
      const ca = await connect(a);
      await knock(ca, groupId);
      await waitList(cf, groupId, [a.id]);
      await cf.ok('mod:lock', { groupId, locked: true });
      await cf.ok('mod:waitingroom', { groupId, waitingRoom: false });
      await ca.waitEvent('group:admitted');
      await waitList(cf, groupId, []);
      await ca.ok('group:join', { groupId });
      expect(await auditOf(groupId, 'waiting_room_off')).to.have.length(1);
      expect(codeOf(await (await connect(b)).ack('group:join', { groupId })), 'locked, not admitted').to.equal('ROOM_LOCKED');
    });
  });
}
