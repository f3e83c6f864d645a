import { expect } from 'chai';
import type { Ack, Message } from '../../shared/index.js';
import { JOINS_PER_USER } from '../../server/groups/join-queue.js';
import type { Stores } from '../../server/store/ports.js';
import { pairByInvite, type TestClient, waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { aroundVerbs, makeGroup, observeStore, serverPool, STORE_KINDS } from '../support/server.js';

type SendAck = Ack<{ message: Message }>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fires `n` sends at once on one socket and waits for every ack. */
function fire(c: TestClient, groupId: string, n: number, tag: string): Promise<SendAck[]> {
  return Promise.all(
    Array.from({ length: n }, (_, i) => c.ack('group:send', { groupId, text: `${tag} ${i}`, clientMsgId: `${tag}-${i}` }, 15_000)),
  );
}

/** Splits acks into accepted messages and refusals; every refusal must be RATE_LIMITED within the window. */
function split(acks: SendAck[], windowMs: number): { accepted: Message[]; refused: number[] } {
  const accepted: Message[] = [];
  const refused: number[] = [];
  for (const a of acks) {
    if (a.ok) {
      accepted.push(a.data.message);
      continue;
    }
    expect(a.error.code, JSON.stringify(a.error)).to.equal('RATE_LIMITED');
    expect(a.error.retryAfterMs, 'retryAfterMs').to.be.a('number').greaterThan(0).and.at.most(windowMs);
    refused.push(a.error.retryAfterMs!);
  }
  return { accepted, refused };
}

/** The ack is RATE_LIMITED; returns its retryAfterMs, checked to be within the window. */
function rateLimited(a: Ack<unknown>, windowMs: number): number {
  expect(a.ok, JSON.stringify(a)).to.equal(false);
  if (a.ok) throw new Error('unreachable');
  expect(a.error.code).to.equal('RATE_LIMITED');
  expect(a.error.retryAfterMs).to.be.a('number').greaterThan(0).and.at.most(windowMs);
  return a.error.retryAfterMs!;
}

/** Reads the whole group log through the protocol (oldest first). */
async function wholeHistory(c: TestClient, groupId: string): Promise<Message[]> {
  const page = await c.ok('group:history', { groupId, limit: 100 });
  expect(page.hasMore).to.equal(false);
  return page.messages;
}

/** Each client got exactly `expected` (by id), once each, in gap-free seq order 1..n. */
/**
 * Every accepted message once, in one gap-free seq order: as they arrived from one node, or
 * `bySeq` as clients order them across nodes. A message sent on another node comes through Redis
 * pub/sub and may arrive after a later one sent on this node (its ack can reach the sender before
 * its broadcast reaches this node).
 */
function expectDeliveredInOrder(clients: TestClient[], groupId: string, expected: Message[], bySeq = false): void {
  const ids = new Set(expected.map((m) => m.id));
  expect(ids.size, 'distinct messages').to.equal(expected.length);
  for (const c of clients) {
    const arrived = c.messages(groupId);
    const got = bySeq ? [...arrived].sort((x, y) => x.seq - y.seq) : arrived;
    expect(
      got.map((m) => m.seq),
      'seq order, gap-free, no duplicates',
    ).to.deep.equal(expected.map((_, i) => i + 1));
    expect(new Set(got.map((m) => m.id)), 'exactly the accepted messages').to.deep.equal(ids);
  }
}

/**
 * Counts the store calls that name `id` in an argument while `during` runs: a typing event that
 * needed the store to authorise it would show up here.
 */
class CallsAbout {
  private counting: string | undefined;
  calls = 0;
  readonly wrap = (store: Stores) =>
    observeStore(store, (args) => {
      if (this.counting !== undefined && JSON.stringify(args).includes(this.counting)) this.calls++;
    });

  async during<T>(id: string, run: () => Promise<T>): Promise<T> {
    this.counting = id;
    try {
      return await run();
    } finally {
      this.counting = undefined;
    }
  }
}

/** `store`, but its joins into `slow.groupId` take `ms` longer. */
function slowJoinsInto(store: Stores, slow: { groupId: string }, ms: number): Stores {
  return aroundVerbs(store, (verb, args, call) =>
    verb === 'joinGroup' && args[0] === slow.groupId ? new Promise((r) => setTimeout(r, ms)).then(call) : call(),
  );
}

/** Exactly `points` of the flood were accepted and relayed (`relayed` counted once all acks are in); the rest were RATE_LIMITED. */
function expectTypingBudget(acks: Ack<unknown>[], relayed: () => number, points: number, windowMs: number): void {
  const accepted = acks.filter((a) => a.ok).length;
  expect(relayed(), 'typing events relayed').to.equal(accepted);
  expect(accepted, 'accepted: exactly the budget').to.equal(points);
  for (const a of acks.filter((x) => !x.ok)) rateLimited(a, windowMs);
}

/** Fires `n` typing events at once on one socket (alternating true and false) and waits for every ack. */
function fireTyping<E extends 'group:typing' | 'partner:typing'>(
  c: TestClient,
  event: E,
  target: Record<string, string>,
  n: number,
): Promise<Ack<unknown>[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => c.ack(event, { ...target, typing: i % 2 === 0 }, 15_000)));
}

for (const kind of STORE_KINDS) {
  describe(`flood control (${kind} store)`, () => {
    const { connect, enter, closeAll } = roomClients();
    const { start, closeAll: stopServers } = serverPool({ store: kind });
    afterEach(async () => {
      closeAll();
      await stopServers();
    });

    it('refuses most of 200 messages fired at once with RATE_LIMITED, while three others keep chatting with nothing lost', async () => {
      const srv = await start(); // the default send budget: 20 per 10 s
      expect(srv.config.rateLimits.send).to.deep.equal({ points: 20, durationSec: 10 });
      const fac = srv.user('facilitator');
      const flooder = srv.user();
      const others = [srv.user(), srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [flooder, ...others]);
      const cf = await enter(fac, groupId, srv);
      const cflood = await enter(flooder, groupId, srv);
      const cothers = await Promise.all(others.map((u) => enter(u, groupId, srv)));
      const everyone = [cf, cflood, ...cothers];

      const chat = async (c: TestClient, who: number) => {
        const sent: { message: Message; ms: number }[] = [];
        for (let i = 0; i < 10; i++) {
          const t = Date.now();
          const res = await c.ack('group:send', { groupId, text: `participant ${who} says ${i}`, clientMsgId: `p${who}-${i}` }, 15_000);
          const ms = Date.now() - t;
          expect(res.ok, `participant ${who} message ${i}: ${JSON.stringify(res)}`).to.equal(true);
          if (res.ok) sent.push({ message: res.data.message, ms });
          await sleep(100); // their own pace of typing, not a wait for anything
        }
        return sent;
      };
      const [flood, ...chats] = await Promise.all([fire(cflood, groupId, 200, 'flood'), ...cothers.map((c, i) => chat(c, i))]);

      const { accepted, refused } = split(flood, 10_000);
      expect(accepted, 'exactly the budget is accepted within the window').to.have.length(20);
      expect(refused).to.have.length(180);
      for (const { ms } of chats.flat()) expect(ms, 'ack latency for the others').to.be.below(2000);
      for (const [i, sent] of chats.entries()) {
        expect(
          sent.map((s) => s.message.clientMsgId),
          `participant ${i}: all acked, in their order`,
        ).to.deep.equal(Array.from({ length: 10 }, (_, n) => `p${i}-${n}`));
        const seqs = sent.map((s) => s.message.seq);
        expect(seqs, `participant ${i}: seqs increase in sending order`).to.deep.equal([...seqs].sort((a, b) => a - b));
      }

      const stored = [...accepted, ...chats.flat().map((s) => s.message)].sort((a, b) => a.seq - b.seq);
      expect(stored).to.have.length(50);
      for (const c of everyone) await waitFor(() => c.messages(groupId).length >= 50, 'fifty messages');
      for (const c of everyone) await c.sync(groupId);
      expectDeliveredInOrder(everyone, groupId, stored);

      const history = await wholeHistory(cf, groupId);
      expect(history, 'the log holds exactly the accepted messages').to.deep.equal(cf.messages(groupId));
      const refusedIds = new Set(flood.flatMap((a, i) => (a.ok ? [] : [`flood-${i}`])));
      expect(refusedIds.size).to.equal(180);
      expect(
        history.filter((m) => refusedIds.has(m.clientMsgId ?? '')),
        'no refused message was stored',
      ).to.deep.equal([]);
    });

    it('lets the flooder send again once the window has passed, with a fresh budget', async () => {
      const srv = await start({ env: { RATE_LIMITS: 'send=20/2' } });
      const fac = srv.user('facilitator');
      const flooder = srv.user();
      const groupId = await makeGroup(srv, fac, [flooder]);
      const cf = await enter(fac, groupId, srv);
      const c = await enter(flooder, groupId, srv);

      const first = split(await fire(c, groupId, 30, 'burst1'), 2000);
      expect(first.accepted).to.have.length(20);
      const wait = rateLimited(await c.ack('group:send', { groupId, text: 'still too soon', clientMsgId: 'soon' }), 2000);

      await sleep(wait + 20); // what the server said to wait (the margin covers timer granularity)
      const after = await c.ack('group:send', { groupId, text: 'back again', clientMsgId: 'back' });
      expect(after.ok, JSON.stringify(after)).to.equal(true);
      const second = split(await fire(c, groupId, 30, 'burst2'), 2000);
      expect(second.accepted, 'the new window holds 20 again, one taken by "back again"').to.have.length(19);

      const expected = [...first.accepted, ...(after.ok ? [after.data.message] : []), ...second.accepted].sort((a, b) => a.seq - b.seq);
      await waitFor(() => cf.messages(groupId).length >= 40, 'forty messages');
      await cf.sync(groupId);
      expectDeliveredInOrder([cf], groupId, expected);
      expect((await wholeHistory(cf, groupId)).map((m) => m.id)).to.deep.equal(expected.map((m) => m.id));
    });

    it('disconnects a socket that keeps sending invalid events, after answering each within the budget with BAD_REQUEST', async () => {
      const srv = await start({ env: { RATE_LIMITS: 'invalid=5/60' } });
      const fac = srv.user('facilitator');
      const [noisy, calm] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [noisy, calm]);
      const bad = await enter(noisy, groupId, srv);
      const good = await enter(calm, groupId, srv);
      const disconnected = new Promise<string>((resolve) => bad.socket.once('disconnect', resolve));
      for (let i = 0; i < 5; i++) {
        const res = await bad.ack('group:send', { groupId, text: 42 });
        expect(res.ok === false && res.error.code, `invalid event ${i + 1}`).to.equal('BAD_REQUEST');
      }
      (bad.socket as unknown as { emit(e: string, p: unknown): void }).emit('group:send', { groupId });
      expect(await disconnected).to.equal('io server disconnect');
      const { message } = await good.ok('group:send', { groupId, text: 'still here', clientMsgId: 'calm-1' });
      expect(message.seq).to.equal(1);
    });

    it('relays only the typing budget of 500 group:typing fired at once, acks the rest RATE_LIMITED, and asks the store nothing', async () => {
      const store = new CallsAbout();
      const srv = await start({ wrapStore: store.wrap });
      const budget = srv.config.rateLimits.typing;
      const fac = srv.user('facilitator');
      const [flooder, other] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [flooder, other]);
      const bystander = await enter(fac, groupId, srv);
      const cflood = await enter(flooder, groupId, srv);
      const cother = await enter(other, groupId, srv);

      const acks = await store.during(groupId, () => fireTyping(cflood, 'group:typing', { groupId }, 500));
      await bystander.sync(groupId); // the relays went out before the flooder's acks; this ack comes after them
      expectTypingBudget(
        acks,
        () => bystander.received('group:typing', (t) => t.userId === flooder.id).length,
        budget.points,
        budget.durationSec * 1000,
      );
      expect(store.calls, 'store calls naming the group during the flood').to.equal(0);

      // Another member's budget is their own.
      await cother.ok('group:typing', { groupId, typing: true });
      await bystander.waitEvent('group:typing', (t) => t.userId === other.id);
      expect(budget, 'the default typing budget').to.deep.equal({ points: 10, durationSec: 5 });
    });

    it('relays only the typing budget of 500 partner:typing fired at once, acks the rest RATE_LIMITED, and reads the partnership once', async () => {
      const store = new CallsAbout();
      const srv = await start({ env: { RATE_LIMITS: 'typing=4/60' }, wrapStore: store.wrap });
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      await makeGroup(srv, fac, [a, b]);
      const ca = await connect(a, srv);
      const cb = await connect(b, srv);
      const p = await pairByInvite(ca, cb, b.id);

      const acks = await store.during(p.id, () => fireTyping(ca, 'partner:typing', { partnershipId: p.id }, 500));
      await cb.ok('partner:list', {}); // an ordering barrier, as above
      expectTypingBudget(acks, () => cb.received('partner:typing').length, 4, 60_000);
      expect(store.calls, 'store calls naming the partnership: the first authorisation only').to.equal(1);
    });

    it("answers a bystander's join before a flooder's 2,000 queued joins, and refuses the flooder's excess RATE_LIMITED at once", async () => {
      // The flooded group's joins take 3 s in the store, so the flooder's admitted joins are still
      // running when the bystander's arrives, however slowly this machine reads the flood; the
      // order then shows the queue, not how the flood happened to be read. First-come-first-served
      // made the bystander wait behind all 2,000 (about 3 minutes here).
      const slow = { groupId: '' };
      const srv = await start({ wrapStore: (store) => slowJoinsInto(store, slow, 3000) });
      const fac = srv.user('facilitator');
      const [flooder, bystander] = [srv.user(), srv.user()];
      const floodedGroup = (slow.groupId = await makeGroup(srv, fac, [flooder]));
      const otherGroup = await makeGroup(srv, fac, [bystander]);
      const cflood = await connect(flooder, srv);
      const cby = await connect(bystander, srv);

      // Every ack in the order it arrived; the flooder's emits go out before the bystander's one.
      const arrivals: string[] = [];
      const flood = Array.from({ length: 2000 }, () =>
        cflood.ack('group:join', { groupId: floodedGroup }, 60_000).then((a) => {
          arrivals.push(a.ok ? 'flooder ok' : `flooder ${a.error.code}`);
          return a;
        }),
      );
      const joined = await cby.ack('group:join', { groupId: otherGroup }, 60_000);
      arrivals.push('bystander');
      const acks = await Promise.all(flood);

      expect(joined.ok, JSON.stringify(joined)).to.equal(true);
      const before = arrivals.slice(0, arrivals.indexOf('bystander'));
      expect(before.filter((a) => a === 'flooder ok').length, "flooder joins answered ok before the bystander's").to.equal(0);
      const refused = acks.filter((a) => !a.ok);
      for (const a of refused) rateLimited(a, 60_000);
      expect(acks.length - refused.length, "the flooder's joins answered ok: its budget").to.equal(JOINS_PER_USER);
      expect(refused.length, "the flooder's joins refused RATE_LIMITED").to.equal(2000 - JOINS_PER_USER);
    });

    it('gives reactions and raised hands their own budgets, apart from sends', async () => {
      const srv = await start({ env: { RATE_LIMITS: 'send=3/60, react=4/60, hand=2/60' } });
      const fac = srv.user('facilitator');
      const [p, q] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [p, q]);
      const cf = await enter(fac, groupId, srv);
      const cp = await enter(p, groupId, srv);
      const cq = await enter(q, groupId, srv);

      const sent = split(await fire(cp, groupId, 4, 'p'), 60_000);
      expect(sent.accepted).to.have.length(3);
      expect(sent.refused).to.have.length(1);
      const target = sent.accepted[0]!;

      // Sends are spent; reactions are not: four toggles pass, the fifth is refused and changes nothing.
      for (let i = 0; i < 4; i++) await cp.ok('group:react', { groupId, messageId: target.id, emoji: '💪' });
      rateLimited(await cp.ack('group:react', { groupId, messageId: target.id, emoji: '🙏' }), 60_000);
      expect(await cq.ok('group:react', { groupId, messageId: target.id, emoji: '❤️' }), "another member's budget").to.deep.equal({
        reactions: { '❤️': [q.id] },
      });

      // Reactions are spent; hands are not: two raises pass (lowering is free), the third is refused.
      await cp.ok('group:hand', { groupId, raised: true });
      await cp.ok('group:hand', { groupId, raised: false });
      await cp.ok('group:hand', { groupId, raised: true });
      await cp.ok('group:hand', { groupId, raised: false });
      rateLimited(await cp.ack('group:hand', { groupId, raised: true }), 60_000);
      await cq.ok('group:hand', { groupId, raised: true });
      await cp.ok('group:hand', { groupId, raised: false }); // lowering is never refused

      // And the send budget is still spent.
      rateLimited(await cp.ack('group:send', { groupId, text: 'one more', clientMsgId: 'one-more' }), 60_000);

      await waitFor(() => cf.received('group:hand').length >= 5, 'five hand events');
      await cf.sync(groupId);
      expect(cf.received('group:hand').map((h) => [h.userId, h.raised])).to.deep.equal([
        [p.id, true],
        [p.id, false],
        [p.id, true],
        [p.id, false],
        [q.id, true],
      ]);
      expect(cf.received('group:reaction')).to.have.length(5);
      expect((await cf.ok('group:join', { groupId })).state.handQueue).to.deep.equal([q.id]);
      const history = await wholeHistory(cf, groupId);
      expect(
        history.map((m) => m.id),
        'the refused send was not stored',
      ).to.deep.equal([...sent.accepted].sort((a, b) => a.seq - b.seq).map((m) => m.id));
      expect(history.find((m) => m.id === target.id)?.reactions).to.deep.equal({ '❤️': [q.id] });
    });
  });
}

describe('flood control across nodes (redis store)', () => {
  const { enter, closeAll } = roomClients();
  const { startNodes, closeAll: stopServers } = serverPool();
  afterEach(async () => {
    closeAll();
    await stopServers();
  });

  it('shares one send budget between two nodes on one Redis', async () => {
    const [a, b] = await startNodes(2, { RATE_LIMITS: 'send=10/60' });
    const fac = a.user('facilitator');
    const [u, v, w] = [a.user(), a.user(), a.user()];
    const groupId = await makeGroup(a, fac, [u, v, w]);
    const watcher = await enter(fac, groupId, a);
    const [ua, ub] = [await enter(u, groupId, a), await enter(u, groupId, b)];

    // One after another, alternating nodes: ten pass between them, then both nodes refuse.
    const accepted: Message[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await (i % 2 ? ub : ua).ack('group:send', { groupId, text: `alternating ${i}`, clientMsgId: `alt-${i}` });
      expect(res.ok, `send ${i}: ${JSON.stringify(res)}`).to.equal(true);
      if (res.ok) accepted.push(res.data.message);
    }
    rateLimited(await ua.ack('group:send', { groupId, text: 'on node a', clientMsgId: 'over-a' }), 60_000);
    rateLimited(await ub.ack('group:send', { groupId, text: 'on node b', clientMsgId: 'over-b' }), 60_000);

    // Fired at once from both nodes: still ten in all.
    const [wa, wb] = [await enter(w, groupId, a), await enter(w, groupId, b)];
    const [fromA, fromB] = await Promise.all([fire(wa, groupId, 15, 'wa'), fire(wb, groupId, 15, 'wb')]);
    const both = split([...fromA, ...fromB], 60_000);
    expect(both.accepted, 'one budget across the nodes').to.have.length(10);
    accepted.push(...both.accepted);

    // Another user on node b has a budget of their own.
    const vb = await enter(v, groupId, b);
    const vs = await vb.ok('group:send', { groupId, text: 'my own budget', clientMsgId: 'v-1' });
    accepted.push(vs.message);

    accepted.sort((x, y) => x.seq - y.seq);
    await waitFor(() => watcher.messages(groupId).length >= 21, 'twenty-one messages on node a');
    await watcher.sync(groupId);
    expectDeliveredInOrder([watcher], groupId, accepted, true);
  });
});
