import { expect } from 'chai';
import type { Message } from '../../shared/index.js';
import { waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { makeGroup, startServer, STORE_KINDS, type TestServer } from '../support/server.js';

/** Asserts the messages are exactly seqs from..to, each once. */
function expectSeqs(messages: Message[], from: number, to: number, label: string) {
  const seqs = messages.map((m) => m.seq).sort((a, b) => a - b);
  expect(seqs, label).to.deep.equal(Array.from({ length: to - from + 1 }, (_, i) => from + i));
}

for (const kind of STORE_KINDS) {
  describe(`delivery (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, closeAll } = roomClients(() => srv);

    before(async () => {
      // These tests are about delivery, not floods: the flood limit is lifted (flood.test.ts covers it).
      srv = await startServer({ store: kind, env: { RATE_LIMITS: 'send=100000/1' } });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    it('delivers 12 clients × 20 concurrent messages to every client, once each, in one gap-free seq order', async () => {
      const fac = srv.user('facilitator');
      const people = Array.from({ length: 11 }, () => srv.user());
      const groupId = await makeGroup(srv, fac, people);
      const cs = await Promise.all([fac, ...people].map((u) => connect(u)));
      for (const c of cs) await c.ok('group:join', { groupId });

      const acks = await Promise.all(
        cs.flatMap((c, i) =>
          Array.from({ length: 20 }, (_, j) => c.ok('group:send', { groupId, text: `client ${i} line ${j}`, clientMsgId: `c${i}-${j}` })),
        ),
      );
      const acked = acks.map((a) => a.message);
      expectSeqs(acked, 1, 240, 'acked seqs');

      const bySeq = new Map(acked.map((m) => [m.seq, m]));
      for (const [i, c] of cs.entries()) {
        const got = await waitFor(() => c.messages(groupId).length >= 240 && c.messages(groupId), `240 messages on client ${i}`, 10_000);
        await c.sync(groupId);
        const all = c.messages(groupId);
        expect(all, `client ${i} count`).to.have.length(240);
        expectSeqs(all, 1, 240, `client ${i}`);
        for (const m of got) expect(m, `client ${i} seq ${m.seq}`).to.deep.equal(bySeq.get(m.seq));
        // Each node emits in the order the store assigned seqs.
        expect(
          all.map((m) => m.seq),
          `client ${i} arrival order`,
        ).to.deep.equal([...all.map((m) => m.seq)].sort((a, b) => a - b));
      }
      const history = await cs[0]!.ok('group:history', { groupId, limit: 100 });
      expect(history.messages.map((m) => m.seq)).to.deep.equal(Array.from({ length: 100 }, (_, i) => 141 + i));
      expect(history.hasMore).to.equal(true);
    });

    it('stores and delivers a retried send with the same clientMsgId once', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [a, b]);
      const ca = await connect(a);
      const ca2 = await connect(a); // the sender's other tab
      const cb = await connect(b);
      for (const c of [ca, ca2, cb]) await c.ok('group:join', { groupId });

      const first = (await ca.ok('group:send', { groupId, text: 'only once', clientMsgId: 'retry-1' })).message;
      // Concurrent retries, as a client that lost its ack on a flaky connection would send.
      const retries = await Promise.all([
        ca.ok('group:send', { groupId, text: 'only once', clientMsgId: 'retry-1' }),
        ca2.ok('group:send', { groupId, text: 'changed on retry', clientMsgId: 'retry-1' }),
      ]);
      for (const r of retries) expect(r.message).to.deep.equal(first);
      const next = (await cb.ok('group:send', { groupId, text: 'marker', clientMsgId: 'retry-1' })).message;
      expect(next.seq, 'another user with the same clientMsgId gets a new message').to.equal(first.seq + 1);

      for (const c of [ca, ca2, cb]) {
        await waitFor(() => c.messages(groupId).some((m) => m.id === next.id), 'the marker');
        await c.sync(groupId);
        expect(c.messages(groupId).map((m) => m.id)).to.deep.equal([first.id, next.id]);
      }
      const history = await cb.ok('group:history', { groupId });
      expect(history.messages.map((m) => m.text)).to.deep.equal(['only once', 'marker']);
    });

    it('gives a client that rejoins with since exactly the 30 messages it missed', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [a, b]);
      const sender = await connect(a);
      await sender.ok('group:join', { groupId });
      const reader = await connect(b);
      await reader.ok('group:join', { groupId });
      for (let i = 0; i < 5; i++) await sender.ok('group:send', { groupId, text: `before ${i}`, clientMsgId: `b${i}` });
      await waitFor(() => reader.messages(groupId).length === 5, 'the first 5');
      const since = Math.max(...reader.messages(groupId).map((m) => m.seq));
      reader.close();

      const missed = [];
      for (let i = 0; i < 30; i++)
        missed.push((await sender.ok('group:send', { groupId, text: `missed ${i}`, clientMsgId: `m${i}` })).message);
      const back = await connect(b);
      const joined = await back.ok('group:join', { groupId, since });
      expect(joined.messages).to.deep.equal(missed);
      expect(joined.hasMore).to.equal(false);

      const live = (await sender.ok('group:send', { groupId, text: 'live again', clientMsgId: 'live' })).message;
      await waitFor(() => back.messages(groupId).some((m) => m.id === live.id), 'a live message after catch-up');
      expect(back.messages(groupId)).to.have.length(1);
    });

    it('caps catch-up at 500 messages and says there are more', async () => {
      const fac = srv.user('facilitator');
      const groupId = await makeGroup(srv, fac);
      const c = await connect(fac);
      await c.ok('group:join', { groupId });
      await Promise.all(Array.from({ length: 520 }, (_, i) => c.ok('group:send', { groupId, text: `bulk ${i}`, clientMsgId: `k${i}` })));
      const first = await c.ok('group:join', { groupId, since: 10 });
      expectSeqs(first.messages, 11, 510, 'first catch-up page');
      expect(first.hasMore).to.equal(true);
      const rest = await c.ok('group:join', { groupId, since: 510 });
      expectSeqs(rest.messages, 511, 520, 'second catch-up page');
      expect(rest.hasMore).to.equal(false);
      const latest = await c.ok('group:join', { groupId });
      expectSeqs(latest.messages, 471, 520, 'a join without since');
      expect(latest.hasMore).to.equal(true);
    });
  });
}
