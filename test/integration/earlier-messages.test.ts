// A group's earlier sessions are private to those who were there (issue 8): a participant
// enrolled later sees, in a join, a catch-up with since and history, only what came after their
// enrolment, unless the group was created with earlierMessages 'shared'. Facilitators see all.
import { expect } from 'chai';
import { roomClients } from '../support/room.js';
import { enrol, http, makeGroup, startServer, STORE_KINDS, type TestServer } from '../support/server.js';

for (const kind of STORE_KINDS) {
  describe(`messages from before someone was enrolled (${kind} store)`, () => {
    let srv: TestServer;
    const { enter, sent, closeAll } = roomClients(() => srv);

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    it('shows a participant enrolled later only what came after, in join, since and history', async () => {
      const fac = srv.user('facilitator');
      const early = srv.user();
      const groupId = await makeGroup(srv, fac, [early]);
      const ce = await enter(early, groupId);
      const before = [await sent(ce, groupId, 'last week, one'), await sent(ce, groupId, 'last week, two')];

      const late = srv.user();
      await enrol(srv, groupId, fac, late, 'participant');
      const after = await sent(ce, groupId, 'tonight');
      const cl = await enter(late, groupId);
      const join = await cl.ok('group:join', { groupId });
      expect(join.messages.map((m) => m.id)).to.deep.equal([after.id]);
      expect(join.hasMore).to.equal(false);
      expect(
        (await cl.ok('group:join', { groupId, since: 0 })).messages.map((m) => m.id),
        'since 0',
      ).to.deep.equal([after.id]);
      expect(await cl.ok('group:history', { groupId, beforeSeq: after.seq })).to.deep.equal({ messages: [], hasMore: false });

      // Those who were there, and facilitators enrolled later, keep everything.
      expect((await ce.ok('group:join', { groupId })).messages.map((m) => m.id)).to.deep.equal([...before, after].map((m) => m.id));
      const lateFac = srv.user('facilitator');
      await enrol(srv, groupId, fac, lateFac, 'facilitator');
      const cf = await enter(lateFac, groupId);
      expect((await cf.ok('group:history', { groupId })).messages).to.have.length(3);
    });

    it('keeps the starting point across a role or name change, and draws it anew after an unenrolment', async () => {
      const fac = srv.user('facilitator');
      const early = srv.user();
      const groupId = await makeGroup(srv, fac, [early]);
      const ce = await enter(early, groupId);
      await sent(ce, groupId, 'one');
      const late = srv.user();
      await enrol(srv, groupId, fac, late, 'participant');
      const two = await sent(ce, groupId, 'two');
      await enrol(srv, groupId, fac, late, 'participant'); // enrolled again, nothing changes
      const cl = await enter(late, groupId);
      expect((await cl.ok('group:history', { groupId })).messages.map((m) => m.id)).to.deep.equal([two.id]);

      expect((await http(srv.url, 'DELETE', `/api/groups/${groupId}/members/${late.id}`, { token: fac.token })).status).to.equal(200);
      const three = await sent(ce, groupId, 'three');
      await enrol(srv, groupId, fac, late, 'participant');
      const four = await sent(ce, groupId, 'four');
      const back = await enter(late, groupId);
      expect(
        (await back.ok('group:history', { groupId })).messages.map((m) => m.id),
        'after coming back',
      ).to.deep.equal([four.id]);
      expect(three.seq).to.be.lessThan(four.seq);
    });

    it("shows everything to a late participant of a group created with earlierMessages 'shared'", async () => {
      const fac = srv.user('facilitator');
      const created = await http(srv.url, 'POST', '/api/groups', {
        token: fac.token,
        body: { name: 'Open study group', earlierMessages: 'shared' },
      });
      expect(created.status, created.text).to.equal(201);
      const groupId: string = created.body.data.group.id;
      expect(created.body.data.group.earlierMessages).to.equal('shared');
      const cf = await enter(fac, groupId);
      const first = await sent(cf, groupId, 'reading for next week');
      const late = srv.user();
      await enrol(srv, groupId, fac, late, 'participant');
      const cl = await enter(late, groupId);
      expect((await cl.ok('group:join', { groupId })).messages.map((m) => m.id)).to.deep.equal([first.id]);
      const bad = await http(srv.url, 'POST', '/api/groups', { token: fac.token, body: { name: 'x', earlierMessages: 'everyone' } });
      expect(bad.status).to.equal(400);
    });
  });
}
