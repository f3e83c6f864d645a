import { expect } from 'chai';
import type { Message, Partnership } from '../../shared/index.js';
import { pairByInvite, refusedWith, type TestClient, waitFor } from '../support/client.js';
import { partnerSync, roomClients } from '../support/room.js';
import { http, makeGroup, serverPool, startServer, STORE_KINDS, type TestServer, type TestUser } from '../support/server.js';

// One-to-one partner conversations (docs/protocol.md §4, §6): messages and check-ins, idempotency,
// gap-free order, read receipts and unread counts across devices and nodes, offline catch-up,
// history paging, typing, presence and ending.

// These tests are about delivery, not floods (flood.test.ts covers the send budget).
const LIFTED = 'send=100000/1,invite=100000/1';

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Two participants of one group, paired by invitation. */
async function partnersOn(node: TestServer, connect: (u: TestUser, n: TestServer) => Promise<TestClient>) {
  const fac = node.user('facilitator');
  const [a, b] = [node.user(), node.user()];
  const groupId = await makeGroup(node, fac, [a, b]);
  const ca = await connect(a, node);
  const cb = await connect(b, node);
  return { fac, a, b, groupId, ca, cb, p: await pairByInvite(ca, cb, b.id) };
}

for (const kind of STORE_KINDS) {
  describe(`partners: messages (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, partnerSent, closeAll } = roomClients(() => srv);
    const { start, closeAll: stopServers } = serverPool({ store: kind });

    before(async () => {
      srv = await startServer({ store: kind, env: { RATE_LIMITS: LIFTED } });
    });
    afterEach(async () => {
      closeAll();
      await stopServers();
    });
    after(() => srv.close());

    it('carries messages both ways to every device of both, with read receipts and unread counts that agree on a second device', async () => {
      const { a, b, ca: ca1, cb, p } = await partnersOn(srv, connect);
      const ca2 = await connect(a);
      const everyone = [ca1, ca2, cb];

      const m1 = await partnerSent(cb, p.id, 'rough evening, I called my sponsor');
      expect(m1).to.deep.include({
        seq: 1,
        conversation: { kind: 'partner', id: p.id },
        sender: { id: b.id, name: b.name, role: 'participant' },
        kind: 'text',
        text: 'rough evening, I called my sponsor',
      });
      expect(m1.id).to.match(/^[A-Za-z0-9_-]{1,64}$/);
      expect(m1).to.not.have.property('checkin');
      const m2 = await partnerSent(cb, p.id, 'doing better now');
      expect(m2.seq).to.equal(2);
      for (const c of everyone) {
        await waitFor(() => c.partnerMessages(p.id).length === 2, 'both messages');
        expect(c.partnerMessages(p.id), 'the sender gets its own messages too').to.deep.equal([m1, m2]);
      }

      // Writing moved b's own mark; a has not read anything yet, on either device.
      for (const c of [ca1, ca2]) {
        const view = await c.partnerView(p.id);
        expect(view).to.deep.include({ lastSeq: 2, unread: 2 });
        expect(view.lastReadSeq).to.deep.equal({ [b.id]: 2 });
      }
      expect(await cb.partnerView(p.id)).to.deep.include({ lastSeq: 2, unread: 0 });

      // a reads on the first device: every device of both hears it, and the second device's count agrees.
      expect(await ca1.ok('partner:read', { partnershipId: p.id, seq: 2 })).to.deep.equal({});
      for (const c of everyone)
        expect(await c.waitEvent('partner:read', (r) => r.userId === a.id)).to.deep.equal({ partnershipId: p.id, userId: a.id, seq: 2 });
      const afterRead = await ca2.partnerView(p.id);
      expect(afterRead).to.deep.include({ lastSeq: 2, unread: 0 });
      expect(afterRead.lastReadSeq).to.deep.equal({ [a.id]: 2, [b.id]: 2 });

      // a answers from the second device.
      const m3 = await partnerSent(ca2, p.id, 'proud of you for calling');
      expect(m3).to.deep.include({ seq: 3, sender: { id: a.id, name: a.name, role: 'participant' } });
      for (const c of everyone) await waitFor(() => c.partnerMessages(p.id).length === 3, 'the answer');
      for (const c of everyone) expect(c.partnerMessages(p.id)).to.deep.equal([m1, m2, m3]);
      const bView = await cb.partnerView(p.id);
      expect(bView).to.deep.include({ lastSeq: 3, unread: 1 });
      expect(bView.lastReadSeq).to.deep.equal({ [a.id]: 3, [b.id]: 2 });
      expect(await ca1.partnerView(p.id)).to.deep.include({ unread: 0 });

      await cb.ok('partner:read', { partnershipId: p.id, seq: 3 });
      await waitFor(() => ca1.received('partner:read').length === 5, 'five read receipts');
      await partnerSync(...everyone);
      for (const c of everyone) {
        expect(
          c.received('partner:read').map((r) => [r.userId, r.seq]),
          'read receipts in order',
        ).to.deep.equal([
          [b.id, 1],
          [b.id, 2],
          [a.id, 2],
          [a.id, 3],
          [b.id, 3],
        ]);
      }
      expect(await cb.partnerView(p.id)).to.deep.include({ unread: 0 });
      expect(await ca2.partnerView(p.id)).to.deep.include({ unread: 0 });
    });

    it('keeps 50 messages for an offline partner, hands all of them over in order on connect with unread 50, and 0 after partner:read', async () => {
      const { a, b, ca, cb, p } = await partnersOn(srv, connect);
      cb.close();
      await ca.waitEvent('partner:presence', (e) => e.userId === b.id && !e.online);
      const sent: Message[] = [];
      for (let i = 1; i <= 50; i++) sent.push(await partnerSent(ca, p.id, `night message ${i}`));
      expect(sent.map((m) => m.seq)).to.deep.equal(range(1, 50));

      const back = await connect(b);
      const view = await back.partnerView(p.id);
      expect(view).to.deep.include({ lastSeq: 50, unread: 50 });
      expect(view.partner.online).to.equal(true);
      const opened = await back.ok('partner:open', { partnershipId: p.id });
      expect(opened.messages).to.deep.equal(sent);
      expect(opened.hasMore).to.equal(false);
      expect(opened.partnership).to.deep.include({ id: p.id, lastSeq: 50, unread: 50 });
      expect(opened.partnership.partner).to.deep.equal({ id: a.id, name: a.name, online: true });
      const caughtUp = await back.ok('partner:open', { partnershipId: p.id, since: 0 });
      expect(caughtUp.messages).to.deep.equal(sent);
      expect(caughtUp.hasMore).to.equal(false);
      expect((await back.ok('partner:open', { partnershipId: p.id, since: 20 })).messages).to.deep.equal(sent.slice(20));
      expect(back.partnerMessages(p.id), 'nothing is pushed again on connect').to.deep.equal([]);

      await back.ok('partner:read', { partnershipId: p.id, seq: 50 });
      expect(await back.partnerView(p.id)).to.deep.include({ unread: 0 });
      expect(await ca.waitEvent('partner:read', (r) => r.userId === b.id)).to.deep.equal({ partnershipId: p.id, userId: b.id, seq: 50 });
      expect((await back.ok('partner:open', { partnershipId: p.id })).partnership.unread).to.equal(0);
    });

    it('gives a partner who reconnects with since exactly the messages they missed, and then live ones', async () => {
      const { b, ca, cb, p } = await partnersOn(srv, connect);
      for (let i = 0; i < 5; i++) await partnerSent(ca, p.id, `before ${i}`);
      await waitFor(() => cb.partnerMessages(p.id).length === 5, 'the first five');
      const since = Math.max(...cb.partnerMessages(p.id).map((m) => m.seq));
      await cb.ok('partner:read', { partnershipId: p.id, seq: since });
      cb.close();
      const missed: Message[] = [];
      for (let i = 0; i < 30; i++) missed.push(await partnerSent(ca, p.id, `missed ${i}`));

      const back = await connect(b);
      const opened = await back.ok('partner:open', { partnershipId: p.id, since });
      expect(opened.messages).to.deep.equal(missed);
      expect(opened.hasMore).to.equal(false);
      expect(opened.partnership.unread).to.equal(30);
      const live = await partnerSent(ca, p.id, 'live again');
      await waitFor(() => back.partnerMessages(p.id).length === 1, 'a live message after catch-up');
      expect(back.partnerMessages(p.id)).to.deep.equal([live]);
    });

    it('orders concurrent sends from both partners on two devices each into one gap-free sequence that every device sees alike', async () => {
      const { a, b, ca: ca1, cb: cb1, p } = await partnersOn(srv, connect);
      const [ca2, cb2] = [await connect(a), await connect(b)];
      const devices = [ca1, ca2, cb1, cb2];
      const PER_DEVICE = 25;
      const total = devices.length * PER_DEVICE;
      const acks = await Promise.all(
        devices.flatMap((c, d) =>
          range(1, PER_DEVICE).map((i) =>
            c.sent('partner:send', { partnershipId: p.id, text: `device ${d} line ${i}`, clientMsgId: `d${d}-${i}` }),
          ),
        ),
      );
      const acked = acks.map((r) => r.message).sort((x, y) => x.seq - y.seq);
      expect(
        acked.map((m) => m.seq),
        'acked seqs',
      ).to.deep.equal(range(1, total));
      expect(new Set(acked.map((m) => m.id)).size, 'distinct ids').to.equal(total);
      expect(new Set(acked.map((m) => m.text)).size, 'each send stored once').to.equal(total);

      for (const [i, c] of devices.entries()) {
        await waitFor(() => c.partnerMessages(p.id).length >= total, `${total} messages on device ${i}`, 10_000);
        await partnerSync(c);
        expect(c.partnerMessages(p.id), `device ${i}: each once, in seq order, as acked`).to.deep.equal(acked);
      }
      const all = await ca1.ok('partner:open', { partnershipId: p.id, since: 0 });
      expect(all.messages).to.deep.equal(acked);

      // Each side's mark is its own newest message; the unread count is what the other wrote after it.
      const lastOf = (id: string) => Math.max(...acked.filter((m) => m.sender.id === id).map((m) => m.seq));
      const view = await ca2.partnerView(p.id);
      expect(view.lastReadSeq).to.deep.equal({ [a.id]: lastOf(a.id), [b.id]: lastOf(b.id) });
      expect(view.unread).to.equal(total - lastOf(a.id));
      expect((await cb2.partnerView(p.id)).unread).to.equal(total - lastOf(b.id));
    });

    it('stores and delivers a resent clientMsgId once per sender, even when both devices resend at once', async () => {
      const { a, ca, cb, p } = await partnersOn(srv, connect);
      const ca2 = await connect(a);
      const first = (await ca.sent('partner:send', { partnershipId: p.id, text: 'only once', clientMsgId: 'retry-1' })).message;
      const retries = await Promise.all([
        ca.sent('partner:send', { partnershipId: p.id, text: 'only once', clientMsgId: 'retry-1' }),
        ca2.sent('partner:send', { partnershipId: p.id, text: 'changed on retry', clientMsgId: 'retry-1' }),
        ca2.sent('partner:checkin', { partnershipId: p.id, mood: 4, craving: 1, clientMsgId: 'retry-1' }),
      ]);
      for (const r of retries) expect(r.message).to.deep.equal(first);
      const other = (await cb.sent('partner:send', { partnershipId: p.id, text: 'marker', clientMsgId: 'retry-1' })).message;
      expect(other.seq, "the other partner's clientMsgId is their own").to.equal(first.seq + 1);
      for (const c of [ca, ca2, cb]) {
        await waitFor(() => c.partnerMessages(p.id).some((m) => m.id === other.id), 'the marker');
        await partnerSync(c);
        expect(c.partnerMessages(p.id).map((m) => m.id)).to.deep.equal([first.id, other.id]);
      }
    });

    it('stores a check-in as a checkin message the partner sees like any message, with the note as its text', async () => {
      const { a, ca, cb, p } = await partnersOn(srv, connect);
      const withNote = (
        await ca.sent('partner:checkin', { partnershipId: p.id, mood: 2, craving: 7, note: '  payday is hard\u0007 ', clientMsgId: 'ck1' })
      ).message;
      expect(withNote).to.deep.include({
        seq: 1,
        kind: 'checkin',
        text: 'payday is hard',
        checkin: { mood: 2, craving: 7, note: 'payday is hard' },
        conversation: { kind: 'partner', id: p.id },
        sender: { id: a.id, name: a.name, role: 'participant' },
        clientMsgId: 'ck1',
      });
      const bare = (await cb.sent('partner:checkin', { partnershipId: p.id, mood: 5, craving: 0, clientMsgId: 'ck2' })).message;
      expect(bare).to.deep.include({ seq: 2, kind: 'checkin', text: '', checkin: { mood: 5, craving: 0 } });
      expect(bare.checkin).to.not.have.property('note');
      for (const c of [ca, cb]) {
        await waitFor(() => c.partnerMessages(p.id).length === 2, 'both check-ins');
        expect(c.partnerMessages(p.id)).to.deep.equal([withNote, bare]);
      }
      expect((await cb.ok('partner:history', { partnershipId: p.id })).messages).to.deep.equal([withNote, bare]);
      expect(await cb.partnerView(p.id)).to.deep.include({ unread: 0, lastSeq: 2 });
      expect(await ca.partnerView(p.id)).to.deep.include({ unread: 1 });

      for (const bad of [
        { mood: 0, craving: 3 },
        { mood: 6, craving: 3 },
        { mood: 2.5, craving: 3 },
        { mood: 3, craving: -1 },
        { mood: 3, craving: 11 },
        { mood: '3', craving: 3 },
        { craving: 3 },
        { mood: 3 },
        { mood: 3, craving: 3, note: 'x'.repeat(501) },
      ]) {
        const err = refusedWith(await ca.ack('partner:checkin', { partnershipId: p.id, clientMsgId: 'bad', ...bad }), 'BAD_REQUEST');
        expect(err.issues, JSON.stringify(bad)).to.be.an('array').that.is.not.empty;
      }
      refusedWith(await ca.ack('partner:send', { partnershipId: p.id, text: ' \u202E ', clientMsgId: 'blank' }), 'BAD_REQUEST');
      refusedWith(await ca.ack('partner:send', { partnershipId: p.id, text: 'x'.repeat(2001), clientMsgId: 'long' }), 'BAD_REQUEST');
      expect((await ca.ok('partner:history', { partnershipId: p.id })).messages, 'refused sends store nothing').to.have.length(2);
    });

    it("counts partner messages and check-ins against the sender's send budget, refusing the excess with RATE_LIMITED and storing none of it", async () => {
      const node = await start({ env: { RATE_LIMITS: 'send=3/60,invite=100000/1' } });
      const { ca, cb, p } = await partnersOn(node, connect);
      await ca.sent('partner:send', { partnershipId: p.id, text: 'one', clientMsgId: 'f1' });
      await ca.sent('partner:checkin', { partnershipId: p.id, mood: 3, craving: 3, clientMsgId: 'f2' });
      await ca.sent('partner:send', { partnershipId: p.id, text: 'three', clientMsgId: 'f3' });
      for (const res of [
        await ca.ack('partner:send', { partnershipId: p.id, text: 'four', clientMsgId: 'f4' }),
        await ca.ack('partner:checkin', { partnershipId: p.id, mood: 3, craving: 3, clientMsgId: 'f5' }),
      ])
        expect(refusedWith(res, 'RATE_LIMITED').retryAfterMs).to.be.a('number').greaterThan(0).and.at.most(60_000);
      // The budget is the sender's own.
      const other = (await cb.sent('partner:send', { partnershipId: p.id, text: 'mine', clientMsgId: 'f1' })).message;
      expect(other.seq).to.equal(4);
      expect((await cb.ok('partner:history', { partnershipId: p.id })).messages.map((m) => m.text)).to.deep.equal([
        'one',
        '',
        'three',
        'mine',
      ]);
    });

    it('moves a read mark forward only, clamps it to the newest message, and tells both partners when it moves but not for a lower seq', async () => {
      const { a, b, ca, cb, p } = await partnersOn(srv, connect);
      // Nothing to read yet: the mark stays unset and nobody is told.
      expect(await cb.ok('partner:read', { partnershipId: p.id, seq: 5 })).to.deep.equal({});
      expect((await cb.partnerView(p.id)).lastReadSeq).to.deep.equal({});
      for (let i = 0; i < 4; i++) await partnerSent(ca, p.id, `line ${i}`);

      await cb.ok('partner:read', { partnershipId: p.id, seq: 3 });
      expect(await ca.waitEvent('partner:read', (r) => r.userId === b.id)).to.deep.equal({ partnershipId: p.id, userId: b.id, seq: 3 });
      await cb.ok('partner:read', { partnershipId: p.id, seq: 1 });
      await cb.ok('partner:read', { partnershipId: p.id, seq: 0 });
      const view = await cb.partnerView(p.id);
      expect(view.lastReadSeq[b.id], 'a lower seq changes nothing').to.equal(3);
      expect(view.unread).to.equal(1);

      await cb.ok('partner:read', { partnershipId: p.id, seq: 1_000_000 });
      expect(await ca.waitEvent('partner:read', (r) => r.userId === b.id && r.seq !== 3)).to.deep.equal({
        partnershipId: p.id,
        userId: b.id,
        seq: 4,
      });
      expect((await cb.partnerView(p.id)).lastReadSeq).to.deep.equal({ [a.id]: 4, [b.id]: 4 });
      await partnerSync(ca, cb);
      for (const c of [ca, cb]) expect(c.received('partner:read', (r) => r.userId === b.id).map((r) => r.seq)).to.deep.equal([3, 4]);

      // A clamped mark does not hide what comes later.
      await partnerSent(ca, p.id, 'after the clamp');
      expect(await cb.partnerView(p.id)).to.deep.include({ lastSeq: 5, unread: 1 });
      refusedWith(await cb.ack('partner:read', { partnershipId: p.id, seq: -1 }), 'BAD_REQUEST');
      refusedWith(await cb.ack('partner:read', { partnershipId: p.id, seq: 1.5 }), 'BAD_REQUEST');
    });

    it('announces the end once when both partners end it at the same moment', async () => {
      const { a, b, ca, cb, p } = await partnersOn(srv, connect);
      const results = await Promise.all([ca.ok('partner:end', { partnershipId: p.id }), cb.ok('partner:end', { partnershipId: p.id })]);
      expect(results).to.deep.equal([{}, {}]);
      const ended = (await ca.waitEvent('partner:updated', (u) => u.partnership.status === 'ended')).partnership;
      expect([a.id, b.id]).to.include(ended.endedBy);
      await cb.waitEvent('partner:updated', (u) => u.partnership.status === 'ended');
      await partnerSync(ca, cb);
      for (const c of [ca, cb])
        expect(c.received('partner:updated', (u) => u.partnership.status === 'ended')).to.deep.equal([{ partnership: ended }]);
      expect(await cb.partnerView(p.id)).to.deep.include({ status: 'ended', endedBy: ended.endedBy, endedAt: ended.endedAt });
    });

    it('pages history back from the newest message and caps catch-up at 500 with hasMore', async () => {
      const { ca, cb, p } = await partnersOn(srv, connect);
      await Promise.all(
        range(1, 505).map((i) => ca.sent('partner:send', { partnershipId: p.id, text: `bulk ${i}`, clientMsgId: `k${i}` })),
      );
      const seqs = (ms: Message[]) => ms.map((m) => m.seq);

      const newest = await cb.ok('partner:history', { partnershipId: p.id });
      expect(seqs(newest.messages)).to.deep.equal(range(456, 505));
      expect(newest.hasMore).to.equal(true);
      const page = await cb.ok('partner:history', { partnershipId: p.id, beforeSeq: 456, limit: 100 });
      expect(seqs(page.messages)).to.deep.equal(range(356, 455));
      expect(page.hasMore).to.equal(true);
      const oldest = await cb.ok('partner:history', { partnershipId: p.id, beforeSeq: 11, limit: 100 });
      expect(seqs(oldest.messages)).to.deep.equal(range(1, 10));
      expect(oldest.hasMore).to.equal(false);
      for (const limit of [0, 101]) refusedWith(await cb.ack('partner:history', { partnershipId: p.id, limit }), 'BAD_REQUEST');

      const opened = await cb.ok('partner:open', { partnershipId: p.id });
      expect(seqs(opened.messages), 'open shows the newest 50').to.deep.equal(range(456, 505));
      expect(opened.hasMore).to.equal(true);
      const first = await cb.ok('partner:open', { partnershipId: p.id, since: 0 });
      expect(seqs(first.messages)).to.deep.equal(range(1, 500));
      expect(first.hasMore).to.equal(true);
      const rest = await cb.ok('partner:open', { partnershipId: p.id, since: 500 });
      expect(seqs(rest.messages)).to.deep.equal(range(501, 505));
      expect(rest.hasMore).to.equal(false);
    });

    it('sends typing to every device of the other partner only, even without an ack callback', async () => {
      const { a, b, ca, cb, p } = await partnersOn(srv, connect);
      const [ca2, cb2] = [await connect(a), await connect(b)];
      (ca.socket as unknown as { emit: (e: string, p: unknown) => void }).emit('partner:typing', { partnershipId: p.id, typing: true });
      for (const c of [cb, cb2])
        expect(await c.waitEvent('partner:typing')).to.deep.equal({ partnershipId: p.id, userId: a.id, typing: true });
      expect(await cb2.ok('partner:typing', { partnershipId: p.id, typing: false })).to.deep.equal({});
      for (const c of [ca, ca2])
        expect(await c.waitEvent('partner:typing')).to.deep.equal({ partnershipId: p.id, userId: b.id, typing: false });
      await partnerSync(ca, ca2, cb, cb2);
      for (const c of [ca, ca2]) expect(c.received('partner:typing'), 'not to the typist').to.have.length(1);
      for (const c of [cb, cb2]) expect(c.received('partner:typing'), 'not to the typist').to.have.length(1);
    });

    it('tells a partner when the other comes online and goes offline, per person rather than per device', async () => {
      const fac = srv.user('facilitator');
      const [a, b] = [srv.user(), srv.user()];
      const groupId = await makeGroup(srv, fac, [a, b]);
      const ca = await connect(a);
      await ca.ok('group:join', { groupId });
      const res = await http(srv.url, 'POST', '/api/partnerships', { token: fac.token, body: { userIds: [a.id, b.id] } });
      expect(res.status, res.text).to.equal(201);
      const p: Partnership = res.body.data.partnership;
      expect((await ca.partnerView(p.id)).partner).to.deep.equal({ id: b.id, name: b.name, online: false });

      const presence = () => ca.received('partner:presence').map((e) => [e.partnershipId, e.userId, e.online]);
      const cb1 = await connect(b);
      expect(await ca.waitEvent('partner:presence')).to.deep.equal({ partnershipId: p.id, userId: b.id, online: true });
      expect((await ca.partnerView(p.id)).partner.online).to.equal(true);
      const cb2 = await connect(b);
      cb1.close();
      await cb2.ok('partner:list', {});
      cb2.close();
      await waitFor(() => presence().length >= 2, 'the offline notice');
      // group:presence comes from the same announcement: once a's room hears b left, a's partner channel has been told too.
      await ca.waitEvent('group:presence', (e) => e.user.id === b.id && !e.online);
      await partnerSync(ca);
      expect(presence(), 'one online and one offline for two devices').to.deep.equal([
        [p.id, b.id, true],
        [p.id, b.id, false],
      ]);
      expect(ca.received('group:presence', (e) => e.user.id === b.id).map((e) => e.online)).to.deep.equal([true, false]);
      expect((await ca.partnerView(p.id)).partner.online).to.equal(false);

      // After the partnership ends, coming and going is nobody's business.
      await ca.ok('partner:end', { partnershipId: p.id });
      const cb3 = await connect(b);
      await waitFor(() => ca.received('group:presence', (e) => e.user.id === b.id).length === 3, 'b online again in the room');
      cb3.close();
      await waitFor(() => ca.received('group:presence', (e) => e.user.id === b.id).length === 4, 'b offline again in the room');
      await partnerSync(ca);
      expect(presence(), 'no presence for an ended partnership').to.have.length(2);
    });

    it('relays no typing once the partnership has ended, by partner:end or by erasure, though the socket was typing in it just before', async () => {
      const ends: [string, (ca: TestClient, cb: TestClient, b: TestUser, partnershipId: string) => Promise<unknown>][] = [
        ['partner:end by the other partner', (_ca, cb, _b, partnershipId) => cb.ok('partner:end', { partnershipId })],
        ['partner:end by the typist', (ca, _cb, _b, partnershipId) => ca.ok('partner:end', { partnershipId })],
        [
          'the other partner erasing their data',
          async (_ca, _cb, b) => expect((await http(srv.url, 'DELETE', '/api/me', { token: b.token })).status).to.equal(200),
        ],
      ];
      for (const [how, end] of ends) {
        const { ca, cb, b, p } = await partnersOn(srv, connect);
        await ca.ok('partner:typing', { partnershipId: p.id, typing: true });
        await cb.waitEvent('partner:typing');
        await end(ca, cb, b, p.id);
        expect(await ca.ok('partner:typing', { partnershipId: p.id, typing: true }), `typing after ${how}`).to.deep.equal({});
        await partnerSync(cb);
        expect(cb.received('partner:typing'), `typing relayed after ${how}`).to.have.length(1);
      }
    });

    it('ends the partnership for both on partner:end, refuses later sends with FORBIDDEN, and keeps history readable for both', async () => {
      const { a, ca, cb, p } = await partnersOn(srv, connect);
      const sent = [await partnerSent(ca, p.id, 'first'), await partnerSent(cb, p.id, 'second')];
      const t0 = Date.now();
      expect(await ca.ok('partner:end', { partnershipId: p.id })).to.deep.equal({});
      const ended = (await cb.waitEvent('partner:updated', (u) => u.partnership.status === 'ended')).partnership;
      expect(ended).to.deep.include({ ...p, status: 'ended', endedBy: a.id });
      expect(ended.endedAt).to.be.within(t0 - 1000, Date.now() + 1000);
      expect(await ca.waitEvent('partner:updated', (u) => u.partnership.status === 'ended')).to.deep.equal({ partnership: ended });

      refusedWith(await cb.ack('partner:send', { partnershipId: p.id, text: 'are you there?', clientMsgId: 'late' }), 'FORBIDDEN');
      refusedWith(await ca.ack('partner:send', { partnershipId: p.id, text: 'are you there?', clientMsgId: 'late' }), 'FORBIDDEN');
      refusedWith(await ca.ack('partner:checkin', { partnershipId: p.id, mood: 3, craving: 3, clientMsgId: 'late-ck' }), 'FORBIDDEN');
      (cb.socket as unknown as { emit: (e: string, p: unknown) => void }).emit('partner:typing', { partnershipId: p.id, typing: true });

      for (const c of [ca, cb]) {
        expect((await c.ok('partner:history', { partnershipId: p.id })).messages).to.deep.equal(sent);
        const opened = await c.ok('partner:open', { partnershipId: p.id });
        expect(opened.messages).to.deep.equal(sent);
        expect(opened.partnership).to.deep.include({ status: 'ended', endedBy: a.id, lastSeq: 2 });
        expect((await c.ok('partner:list', {})).partnerships.map((x) => [x.id, x.status])).to.deep.equal([[p.id, 'ended']]);
      }
      await cb.ok('partner:read', { partnershipId: p.id, seq: 2 });
      expect(await cb.partnerView(p.id)).to.deep.include({ unread: 0 });

      // Ending again changes nothing: the first end stands.
      expect(await cb.ok('partner:end', { partnershipId: p.id })).to.deep.equal({});
      expect(await ca.partnerView(p.id)).to.deep.include({ status: 'ended', endedBy: a.id, endedAt: ended.endedAt });
      await partnerSync(ca, cb);
      for (const c of [ca, cb])
        expect(
          c.received('partner:updated').map((u) => u.partnership.status),
          'told of the end once',
        ).to.deep.equal(['active', 'ended']);
      expect(ca.received('partner:typing'), 'no typing in an ended partnership').to.deep.equal([]);
      expect(ca.partnerMessages(p.id)).to.deep.equal(sent);
      expect(cb.partnerMessages(p.id)).to.deep.equal(sent);
    });
  });
}

describe('partners across nodes (redis store)', () => {
  const { connect, closeAll } = roomClients();
  const { startNodes, closeAll: stopServers } = serverPool();
  afterEach(async () => {
    closeAll();
    await stopServers();
  });

  it('delivers messages, read receipts and unread counts to both partners with a device on each of two nodes', async () => {
    const [n1, n2] = await startNodes(2, { RATE_LIMITS: LIFTED });

    const { a, b, ca: a1, cb: b1, p } = await partnersOn(n1, connect);
    const [a2, b2] = [await connect(a, n2), await connect(b, n2)];
    const everyone = [a1, a2, b1, b2];

    const m1 = (await a2.sent('partner:send', { partnershipId: p.id, text: 'from node two', clientMsgId: 'x1' })).message;
    const m2 = (await b1.sent('partner:send', { partnershipId: p.id, text: 'from node one', clientMsgId: 'x2' })).message;
    const m3 = (await b2.sent('partner:checkin', { partnershipId: p.id, mood: 3, craving: 4, clientMsgId: 'x3' })).message;
    expect([m1, m2, m3].map((m) => m.seq)).to.deep.equal([1, 2, 3]);
    for (const [i, c] of everyone.entries()) {
      await waitFor(() => c.partnerMessages(p.id).length === 3, `three messages on device ${i}`);
      expect(c.partnerMessages(p.id), `device ${i}`).to.deep.equal([m1, m2, m3]);
    }
    for (const c of [a1, a2]) expect(await c.partnerView(p.id)).to.deep.include({ lastSeq: 3, unread: 2 });

    await a1.ok('partner:read', { partnershipId: p.id, seq: 3 });
    for (const c of everyone) await c.waitEvent('partner:read', (r) => r.userId === a.id && r.seq === 3);
    for (const c of [a1, a2]) expect(await c.partnerView(p.id)).to.deep.include({ unread: 0 });
    for (const c of [b1, b2]) expect((await c.partnerView(p.id)).lastReadSeq).to.deep.equal({ [a.id]: 3, [b.id]: 3 });

    // b goes offline on both nodes; a hears it once, on both nodes, and the messages wait.
    b1.close();
    b2.close();
    for (const c of [a1, a2]) await c.waitEvent('partner:presence', (e) => e.userId === b.id && !e.online);
    const waiting: Message[] = [];
    for (let i = 0; i < 5; i++)
      waiting.push(
        (await (i % 2 ? a1 : a2).sent('partner:send', { partnershipId: p.id, text: `waiting ${i}`, clientMsgId: `w${i}` })).message,
      );
    // The node b was last on dies; b comes back on the other one.
    await n1.close();
    const back = await connect(b, n2);
    const opened = await back.ok('partner:open', { partnershipId: p.id, since: 3 });
    expect(opened.messages).to.deep.equal(waiting);
    expect(opened.partnership).to.deep.include({ lastSeq: 8, unread: 5 });
    await a2.waitEvent('partner:presence', (e) => e.userId === b.id && e.online);
    await partnerSync(a2);
    expect(a2.received('partner:presence').map((e) => e.online)).to.deep.equal([false, true]);
  });
});
