// Moderation across nodes (docs/protocol.md §5; issue 5, "cross-node moderation"): three real server
// processes A, B and C share the Redis. Remove and ban take the target's sockets out of the room
// on every node at once (the adapter's cross-node socketsLeave); mute, lock, slow mode and a closed
// session set on one node are enforced on the next send or join on another; a delete reaches
// clients on every node and erases the text from history everywhere.
import { expect } from 'chai';
import { refusedWith, waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { Cluster, type ClusterNode } from './cluster.js';

describe('cluster: moderation set on one node holds on every node', function () {
  this.timeout(60_000);

  let cluster: Cluster;
  let A: ClusterNode;
  let B: ClusterNode;
  let C: ClusterNode;

  // Groups are made over HTTP on node A, for the cluster's users; every client names its node.
  const { connect, enter, send, sent, group, closeAll } = roomClients(() => ({ url: A.url, user: (role) => cluster.user(role) }));

  before(async () => {
    cluster = await Cluster.start(3, { env: { RATE_LIMITS: 'send=100000/1' } });
    [A, B, C] = cluster.nodes as [ClusterNode, ClusterNode, ClusterNode];
  });
  afterEach(() => closeAll());
  after(() => cluster?.close());

  it('takes a participant banned on node A out of the room on nodes B and C at once, and refuses their join on A, B and C', async () => {
    const {
      fac,
      people: [target, other],
      groupId,
    } = await group(2);
    const facA = await enter(fac, groupId, A);
    const otherA = await enter(other, groupId, A);
    const targetB = await enter(target, groupId, B);
    const targetC = await enter(target, groupId, C);
    // Watchers on the target's nodes: when they have a message, those nodes have handled it.
    const watcherB = await enter(other, groupId, B);
    const watcherC = await enter(other, groupId, C);

    const before = await sent(otherA, groupId, 'before the ban');
    for (const c of [targetB, targetC, watcherB, watcherC])
      await waitFor(() => c.messages(groupId).some((m) => m.id === before.id), 'the first message on B and C');

    await facA.ok('mod:ban', { groupId, userId: target.id, reason: 'harassment' });
    // No waiting: the ban's socketsLeave went out on A's adapter before this send's broadcast
    // does, so B and C must have taken the target out before this message reaches them.
    const after = await sent(otherA, groupId, 'right after the ban');

    for (const c of [watcherB, watcherC, facA])
      await waitFor(() => c.messages(groupId).some((m) => m.id === after.id), 'the second message at the watchers');
    for (const c of [targetB, targetC]) {
      await c.waitEvent('mod:notice', (e) => e.groupId === groupId && e.action === 'banned');
      await c.sync(groupId);
    }
    // The target's sockets got the notice and nothing of the room after it.
    for (const [name, c] of [
      ['on B', targetB],
      ['on C', targetC],
    ] as const) {
      expect(
        c.messages(groupId).map((m) => m.text),
        `messages of the banned participant's socket ${name}`,
      ).to.deep.equal(['before the ban']);
      expect(
        c.received('mod:notice', (e) => e.groupId === groupId),
        `notices ${name}`,
      ).to.deep.equal([{ groupId, action: 'banned', reason: 'harassment' }]);
      expect(c.socket.connected, `the socket ${name} stays connected`).to.equal(true);
    }

    // Refused on rejoin anywhere: the two sockets it had and a fresh one on A.
    const targetA = await connect(target, A);
    for (const c of [targetA, targetB, targetC]) refusedWith(await c.ack('group:join', { groupId }), 'BANNED');
    refusedWith(await send(targetC, groupId, 'am I still here?'), 'BANNED');

    // The room goes on without them: a later message still reaches nobody on their sockets.
    const later = await sent(facA, groupId, 'carrying on');
    for (const c of [watcherB, watcherC])
      await waitFor(() => c.messages(groupId).some((m) => m.id === later.id), 'the later message on B and C');
    for (const c of [targetA, targetB, targetC]) await c.sync(groupId);
    for (const c of [targetA, targetB, targetC])
      expect(
        c.messages(groupId).filter((m) => m.seq > before.seq),
        'messages after the ban',
      ).to.deep.equal([]);
  });

  it('enforces a mute set on node A on the next send on node B', async () => {
    const {
      fac,
      people: [p],
      groupId,
    } = await group(1);
    const facA = await enter(fac, groupId, A);
    const pB = await enter(p, groupId, B);
    await sent(pB, groupId, 'before the mute');

    await facA.ok('mod:mute', { groupId, userId: p.id });
    refusedWith(await send(pB, groupId, 'after the mute'), 'MUTED');
    await pB.waitEvent('mod:notice', (e) => e.groupId === groupId && e.action === 'muted');

    await facA.ok('mod:unmute', { groupId, userId: p.id });
    await sent(pB, groupId, 'unmuted again');
    expect((await facA.ok('group:history', { groupId })).messages.map((m) => m.text)).to.deep.equal(['before the mute', 'unmuted again']);
  });

  it('refuses a new participant joining on node C a room locked on node A, and lets them in once it is unlocked', async () => {
    const {
      fac,
      people: [p],
      groupId,
    } = await group(1);
    const facA = await enter(fac, groupId, A);
    const pC = await connect(p, C);

    await facA.ok('mod:lock', { groupId, locked: true });
    refusedWith(await pC.ack('group:join', { groupId }), 'ROOM_LOCKED');

    await facA.ok('mod:lock', { groupId, locked: false });
    const joined = await pC.ok('group:join', { groupId });
    expect(joined.state.locked).to.equal(false);
  });

  it('refuses on node B the send, hand and reaction of a participant the room locked on node A kept out, and of one removed on node C, and delivers none of it', async () => {
    const {
      fac,
      people: [present, late, removed],
      groupId,
    } = await group(3);
    const facA = await enter(fac, groupId, A);
    const presentA = await enter(present, groupId, A);
    const removedC = await enter(removed, groupId, C);
    const shared = await sent(presentA, groupId, 'a share to react to');
    await facA.ok('mod:lock', { groupId, locked: true });
    const lateB = await connect(late, B);
    refusedWith(await lateB.ack('group:join', { groupId }), 'ROOM_LOCKED');
    const facC = await connect(fac, C);
    await facC.ok('mod:remove', { groupId, userId: removed.id });
    await removedC.waitEvent('mod:notice', (e) => e.groupId === groupId && e.action === 'removed');
    const removedB = await connect(removed, B);

    for (const c of [lateB, removedB]) {
      refusedWith(await send(c, groupId, 'let me in'), 'ROOM_LOCKED');
      refusedWith(await c.ack('group:hand', { groupId, raised: true }), 'ROOM_LOCKED');
      refusedWith(await c.ack('group:react', { groupId, messageId: shared.id, emoji: '🙏' }), 'ROOM_LOCKED');
    }
    const next = await sent(presentA, groupId, 'still only us');
    await waitFor(() => facA.messages(groupId).some((m) => m.id === next.id), 'the next message at the facilitator');
    expect(facA.messages(groupId).map((m) => m.text)).to.deep.equal(['a share to react to', 'still only us']);
    expect(facA.received('group:reaction')).to.deep.equal([]);
    expect(facA.received('group:hand')).to.deep.equal([]);
    expect((await facC.ok('group:history', { groupId })).messages.map((m) => m.text)).to.deep.equal([
      'a share to react to',
      'still only us',
    ]);

    await facC.ok('mod:lock', { groupId, locked: false });
    await sent(lateB, groupId, 'thank you for letting me in');
  });

  it('enforces slow mode set on node B on sends on node C', async () => {
    const {
      fac,
      people: [p],
      groupId,
    } = await group(1);
    const facB = await enter(fac, groupId, B);
    const pC = await enter(p, groupId, C);

    await facB.ok('mod:slowmode', { groupId, seconds: 60 });
    await sent(pC, groupId, 'first under slow mode');
    const err = refusedWith(await send(pC, groupId, 'too soon'), 'SLOW_MODE');
    expect(err.retryAfterMs, 'retryAfterMs').to.be.a('number').greaterThan(50_000).and.at.most(60_000);
    // The slot is shared by the nodes: the same participant on another node waits too.
    const pA = await enter(p, groupId, A);
    refusedWith(await send(pA, groupId, 'too soon from A'), 'SLOW_MODE');
    expect((await facB.ok('group:history', { groupId })).messages.map((m) => m.text)).to.deep.equal(['first under slow mode']);
  });

  it('refuses a participant send on node A while the session is closed on node C', async () => {
    const {
      fac,
      people: [p],
      groupId,
    } = await group(1);
    const facC = await enter(fac, groupId, C);
    const pA = await enter(p, groupId, A);
    await sent(pA, groupId, 'while open');

    await facC.ok('mod:session', { groupId, open: false });
    refusedWith(await send(pA, groupId, 'while closed'), 'SESSION_CLOSED');
    await pA.waitEvent('group:state', (e) => e.groupId === groupId && !e.state.sessionOpen);

    await facC.ok('mod:session', { groupId, open: true });
    await sent(pA, groupId, 'open again');
    expect((await facC.ok('group:history', { groupId })).messages.map((m) => m.text)).to.deep.equal(['while open', 'open again']);
  });

  it('delivers a delete made on node A to clients on nodes B and C, and history on C shows the message erased', async () => {
    const {
      fac,
      people: [p, q],
      groupId,
    } = await group(2);
    const facA = await enter(fac, groupId, A);
    const pB = await enter(p, groupId, B);
    const qC = await enter(q, groupId, C);
    const keep = await sent(pB, groupId, 'a message that stays');
    const gone = await sent(pB, groupId, 'something that should not have been said');
    for (const c of [pB, qC, facA]) await waitFor(() => c.messages(groupId).some((m) => m.id === gone.id), 'the message everywhere');

    await facA.ok('mod:delete', { groupId, messageId: gone.id, reason: 'privacy' });
    for (const c of [pB, qC, facA]) {
      const e = await c.waitEvent('group:deleted', (d) => d.groupId === groupId);
      expect(e).to.deep.equal({ groupId, messageId: gone.id });
    }
    for (const c of [pB, qC]) {
      await c.sync(groupId);
      expect(
        c.received('group:deleted', (d) => d.groupId === groupId),
        'one delete event',
      ).to.have.length(1);
    }

    const { messages } = await qC.ok('group:history', { groupId });
    expect(messages.map((m) => [m.seq, m.id])).to.deep.equal([
      [keep.seq, keep.id],
      [gone.seq, gone.id],
    ]);
    expect(messages[0]).to.include({ text: 'a message that stays' }).and.not.have.property('deleted');
    expect(messages[1]).to.include({ text: '', deleted: true });
    expect(JSON.stringify(messages)).to.not.include('should not have been said');
  });

  it('takes the socket on node A of a participant removed on node B out of the room, and lets them rejoin', async () => {
    const {
      fac,
      people: [target, other],
      groupId,
    } = await group(2);
    const facB = await enter(fac, groupId, B);
    const targetA = await enter(target, groupId, A);
    const watcherA = await enter(other, groupId, A);

    const before = await sent(facB, groupId, 'before the removal');
    for (const c of [targetA, watcherA]) await waitFor(() => c.messages(groupId).some((m) => m.id === before.id), 'the first message on A');

    await facB.ok('mod:remove', { groupId, userId: target.id });
    // Sent through B right away: B's adapter published the socketsLeave first.
    const after = await sent(facB, groupId, 'after the removal');
    await waitFor(() => watcherA.messages(groupId).some((m) => m.id === after.id), 'the second message at the watcher on A');
    await targetA.waitEvent('mod:notice', (e) => e.groupId === groupId && e.action === 'removed');
    await targetA.sync(groupId);
    expect(
      targetA.messages(groupId).map((m) => m.text),
      'messages at the removed socket',
    ).to.deep.equal(['before the removal']);
    expect(targetA.received('mod:notice', (e) => e.groupId === groupId)).to.deep.equal([{ groupId, action: 'removed' }]);

    // Removal is not a ban: they may come back, and then hear the room again.
    const rejoined = await targetA.ok('group:join', { groupId, since: before.seq });
    expect(rejoined.messages.map((m) => m.id)).to.deep.equal([after.id]);
    const back = await sent(facB, groupId, 'welcome back');
    await waitFor(() => targetA.messages(groupId).some((m) => m.id === back.id), 'the message after rejoining');
  });
});
