// The conversation log's contract (ConversationLog in server/store/ports.ts): appends with a
// gap-free seq and idempotency, epochs, paging (with the paging case list), reactions, erasing
// and retention. Run against every store by stores.test.ts.
import { expect } from 'chai';
import type { Conversation, Message, ReactionEmoji, UserRef } from '../../shared/index.js';
import type { Stores } from '../../server/store/ports.js';
import { appendMessages, draft, enrolmentOf, groupConv, makeGroup, partnerConv, range, seqs, uid, user } from './fixtures.js';
import { describePagingCases } from './paging-cases.js';

export function describeLogContract(getStore: () => Stores): void {
  describe('log port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    const appendN = (c: Conversation, n: number, sender?: UserRef) => appendMessages(store, c, n, sender);

    describe('message log', function () {
      it('the first message gets seq 1 and the ack is the full message as drafted', async function () {
        const c = groupConv();
        const d = draft(c, user('facilitator', 'Dana'), { text: 'Welcome, everyone', clientMsgId: 'c-1' });
        const { message, duplicate } = await store.log.appendMessage(c, d);
        expect(duplicate).to.equal(false);
        expect(message).to.deep.equal({ seq: 1, ...d });
        expect(await store.log.findMessage(c, d.id)).to.deep.equal({ seq: 1, ...d });
      });

      it('sequential appends get seqs 1, 2, 3 … with no gaps', async function () {
        const c = groupConv();
        const appended = await appendN(c, 12);
        expect(seqs(appended)).to.deep.equal(range(1, 12));
        expect(seqs((await store.log.history(c, { limit: 100 })).messages)).to.deep.equal(range(1, 12));
      });

      it('200 concurrent appends from several senders get seqs exactly 1..200 and history agrees with the acks', async function () {
        const c = groupConv();
        const senders = [user(), user(), user('facilitator'), user(), user()];
        const drafts = range(1, 200).map((i) =>
          draft(c, senders[i % senders.length]!, { text: `concurrent ${i}`, clientMsgId: i % 2 ? `c-${i}` : undefined }),
        );
        const acks = await Promise.all(drafts.map((d) => store.log.appendMessage(c, d)));

        expect(acks.every((a) => !a.duplicate)).to.equal(true);
        const ackSeqs = acks.map((a) => a.message.seq);
        expect(new Set(ackSeqs).size).to.equal(200);
        expect([...ackSeqs].sort((a, b) => a - b)).to.deep.equal(range(1, 200));
        acks.forEach((a, i) => expect(a.message).to.deep.equal({ seq: a.message.seq, ...drafts[i]! }));

        const page = await store.log.history(c, { limit: 200 });
        expect(page.hasMore).to.equal(false);
        expect(seqs(page.messages)).to.deep.equal(range(1, 200));
        const bySeq = new Map(acks.map((a) => [a.message.seq, a.message]));
        for (const m of page.messages) expect(m).to.deep.equal(bySeq.get(m.seq));
        expect(new Set(page.messages.map((m) => m.id)).size).to.equal(200);

        const replay = await store.log.since(c, 0, 500);
        expect(replay).to.deep.equal(page);
        expect((await store.log.appendMessage(c, draft(c, senders[0]!))).message.seq).to.equal(201);
      });

      it('messages without a clientMsgId are never deduplicated', async function () {
        const c = groupConv();
        const sender = user();
        const a = await store.log.appendMessage(c, draft(c, sender, { text: 'same' }));
        const b = await store.log.appendMessage(c, draft(c, sender, { text: 'same' }));
        expect([a.duplicate, b.duplicate]).to.deep.equal([false, false]);
        expect([a.message.seq, b.message.seq]).to.deep.equal([1, 2]);
        expect(a.message).to.not.have.property('clientMsgId');
        expect((await store.log.history(c, { limit: 10 })).messages.map((m) => m.id)).to.deep.equal([a.message.id, b.message.id]);
      });

      it('a group and a partnership with the same id keep separate logs', async function () {
        const id = uid('c');
        const g = groupConv(id);
        const p = partnerConv(id);
        const sender = user();
        const inGroup = await appendN(g, 3, sender);
        const inPartner = (await store.log.appendMessage(p, draft(p, sender, { text: 'private' }))).message;
        expect(inPartner.seq).to.equal(1);
        expect((await store.log.history(g, { limit: 10 })).messages).to.deep.equal(inGroup);
        expect((await store.log.history(p, { limit: 10 })).messages).to.deep.equal([inPartner]);
        expect(await store.log.findMessage(g, inPartner.id)).to.equal(null);
        expect(await store.log.findMessage(p, inGroup[0]!.id)).to.equal(null);
      });

      it('each conversation has its own seq counter', async function () {
        const a = groupConv();
        const b = groupConv();
        await appendN(a, 4);
        expect(seqs(await appendN(b, 2))).to.deep.equal([1, 2]);
        expect((await store.log.appendMessage(a, draft(a, user()))).message.seq).to.equal(5);
      });
    });

    describe('log epoch', function () {
      it("is '' before the first message and drawn by it, then stays through appends, duplicates, erasure and retention", async function () {
        const c = groupConv();
        expect(await store.log.logEpoch(c)).to.equal('');
        const sender = user();
        const first = (await store.log.appendMessage(c, draft(c, sender, { clientMsgId: 'e1' }))).message;
        const epoch = await store.log.logEpoch(c);
        expect(epoch).to.be.a('string').with.length.greaterThan(7);
        await appendN(c, 3, sender);
        expect((await store.log.appendMessage(c, draft(c, sender, { clientMsgId: 'e1' }))).duplicate).to.equal(true);
        await store.log.eraseMessage(c, first.id);
        await store.log.trimBefore(Date.now() + 1000);
        expect(await store.log.logEpoch(c), 'after appends, a duplicate, erasure and trimming everything').to.equal(epoch);
        await appendN(c, 1, sender);
        expect(await store.log.logEpoch(c), 'seq goes on from 5, so the log did not start over').to.equal(epoch);
      });

      it('is per conversation, for groups and partnerships', async function () {
        const [g1, g2, p] = [groupConv(), groupConv(), partnerConv()];
        for (const c of [g1, g2, p]) await appendN(c, 1);
        const epochs = await Promise.all([g1, g2, p].map((c) => store.log.logEpoch(c)));
        expect(new Set(epochs).size).to.equal(3);
      });
    });

    describe('idempotency by clientMsgId', function () {
      it('finds a sent message by its sender and clientMsgId, and nothing for anyone else', async function () {
        const c = groupConv();
        const [sender, other] = [user(), user()];
        const sent = await store.log.appendMessage(c, draft(c, sender, { text: 'did the ack get lost?', clientMsgId: 'lost-ack' }));
        expect(await store.log.messageByClientId(c, sender.id, 'lost-ack')).to.deep.equal(sent.message);
        expect(await store.log.messageByClientId(c, other.id, 'lost-ack')).to.equal(null);
        expect(await store.log.messageByClientId(c, sender.id, 'never-sent')).to.equal(null);
        expect(await store.log.messageByClientId(groupConv(), sender.id, 'lost-ack')).to.equal(null);
      });

      it('the same sender and clientMsgId returns the original with duplicate: true and takes no seq', async function () {
        const c = groupConv();
        const sender = user();
        const first = await store.log.appendMessage(c, draft(c, sender, { text: 'I made it to day 30', clientMsgId: 'k1' }));
        const retry = await store.log.appendMessage(c, draft(c, sender, { text: 'I made it to day 30', clientMsgId: 'k1' }));
        expect(retry.duplicate).to.equal(true);
        expect(retry.message).to.deep.equal(first.message);
        const next = await store.log.appendMessage(c, draft(c, sender, { clientMsgId: 'k2' }));
        expect(next.message.seq).to.equal(2);
        expect(seqs((await store.log.history(c, { limit: 10 })).messages)).to.deep.equal([1, 2]);
      });

      it('a retry with different text still returns the original message unchanged', async function () {
        const c = groupConv();
        const sender = user();
        const first = await store.log.appendMessage(c, draft(c, sender, { text: 'original', clientMsgId: 'k1' }));
        const retry = await store.log.appendMessage(c, draft(c, sender, { text: 'edited on retry', clientMsgId: 'k1' }));
        expect(retry.duplicate).to.equal(true);
        expect(retry.message).to.deep.equal(first.message);
        expect(retry.message.text).to.equal('original');
        const page = await store.log.history(c, { limit: 10 });
        expect(page.messages).to.deep.equal([first.message]);
      });

      it('another sender using the same clientMsgId gets a new message', async function () {
        const c = groupConv();
        const a = await store.log.appendMessage(c, draft(c, user(), { clientMsgId: 'shared' }));
        const b = await store.log.appendMessage(c, draft(c, user(), { clientMsgId: 'shared' }));
        expect(b.duplicate).to.equal(false);
        expect(b.message.seq).to.equal(2);
        expect(b.message.id).to.not.equal(a.message.id);
      });

      it('the same clientMsgId in another conversation is a new message', async function () {
        const sender = user();
        const c1 = groupConv();
        const c2 = groupConv();
        const p = partnerConv(c1.id);
        const a = await store.log.appendMessage(c1, draft(c1, sender, { clientMsgId: 'k' }));
        const b = await store.log.appendMessage(c2, draft(c2, sender, { clientMsgId: 'k' }));
        const d = await store.log.appendMessage(p, draft(p, sender, { clientMsgId: 'k' }));
        expect([a.duplicate, b.duplicate, d.duplicate]).to.deep.equal([false, false, false]);
        expect([a.message.seq, b.message.seq, d.message.seq]).to.deep.equal([1, 1, 1]);
        expect(b.message.id).to.not.equal(a.message.id);
        expect(d.message.id).to.not.equal(a.message.id);
      });

      it('concurrent appends of the same clientMsgId store exactly one message', async function () {
        const c = groupConv();
        const sender = user();
        const drafts = range(1, 30).map((i) => draft(c, sender, { text: `attempt ${i}`, clientMsgId: 'race' }));
        const acks = await Promise.all(drafts.map((d) => store.log.appendMessage(c, d)));
        const originals = acks.filter((a) => !a.duplicate);
        expect(originals).to.have.length(1);
        const original = originals[0]!.message;
        expect(original.seq).to.equal(1);
        for (const a of acks) expect(a.message).to.deep.equal(original);
        const page = await store.log.history(c, { limit: 100 });
        expect(page.messages).to.deep.equal([original]);
        expect((await store.log.appendMessage(c, draft(c, sender))).message.seq).to.equal(2);
      });

      it('a duplicate is detected among many concurrent messages without disturbing their seqs', async function () {
        const c = groupConv();
        const sender = user();
        const first = await store.log.appendMessage(c, draft(c, sender, { clientMsgId: 'early' }));
        const others = range(1, 40).map((i) => draft(c, user(), { clientMsgId: `o-${i}` }));
        const acks = await Promise.all([
          ...others.map((d) => store.log.appendMessage(c, d)),
          store.log.appendMessage(c, draft(c, sender, { clientMsgId: 'early', text: 'again' })),
        ]);
        expect(acks.filter((a) => a.duplicate).map((a) => a.message)).to.deep.equal([first.message]);
        expect(seqs((await store.log.history(c, { limit: 100 })).messages)).to.deep.equal(range(1, 41));
      });
    });

    describe('history', function () {
      it('an empty log has no messages and no more', async function () {
        expect(await store.log.history(groupConv(), { limit: 50 })).to.deep.equal({ messages: [], hasMore: false });
        expect(await store.log.history(groupConv(), { beforeSeq: 10, limit: 50 })).to.deep.equal({ messages: [], hasMore: false });
      });

      it('by default returns the newest page, oldest first, with hasMore when older messages exist', async function () {
        const c = groupConv();
        const all = await appendN(c, 5);
        expect(await store.log.history(c, { limit: 3 })).to.deep.equal({ messages: all.slice(2), hasMore: true });
      });

      it('a log of exactly limit messages fits one page with hasMore false', async function () {
        const c = groupConv();
        const all = await appendN(c, 4);
        expect(await store.log.history(c, { limit: 4 })).to.deep.equal({ messages: all, hasMore: false });
      });

      it('a log of limit + 1 messages has hasMore true and leaves out only seq 1', async function () {
        const c = groupConv();
        const all = await appendN(c, 5);
        expect(await store.log.history(c, { limit: 4 })).to.deep.equal({ messages: all.slice(1), hasMore: true });
        expect(await store.log.history(c, { beforeSeq: 2, limit: 4 })).to.deep.equal({ messages: all.slice(0, 1), hasMore: false });
      });

      it('a limit larger than the log returns the whole log', async function () {
        const c = groupConv();
        const all = await appendN(c, 3);
        expect(await store.log.history(c, { limit: 100 })).to.deep.equal({ messages: all, hasMore: false });
      });

      it('beforeSeq pages backwards to the start without gaps or overlaps', async function () {
        const c = groupConv();
        const all = await appendN(c, 10);
        const p1 = await store.log.history(c, { limit: 4 });
        expect(seqs(p1.messages)).to.deep.equal([7, 8, 9, 10]);
        expect(p1.hasMore).to.equal(true);
        const p2 = await store.log.history(c, { beforeSeq: p1.messages[0]!.seq, limit: 4 });
        expect(seqs(p2.messages)).to.deep.equal([3, 4, 5, 6]);
        expect(p2.hasMore).to.equal(true);
        const p3 = await store.log.history(c, { beforeSeq: p2.messages[0]!.seq, limit: 4 });
        expect(seqs(p3.messages)).to.deep.equal([1, 2]);
        expect(p3.hasMore).to.equal(false);
        expect([...p3.messages, ...p2.messages, ...p1.messages]).to.deep.equal(all);
      });

      it('beforeSeq that lands exactly on a page boundary gives hasMore false on the last full page', async function () {
        const c = groupConv();
        const all = await appendN(c, 6);
        expect(await store.log.history(c, { beforeSeq: 4, limit: 3 })).to.deep.equal({ messages: all.slice(0, 3), hasMore: false });
        expect(await store.log.history(c, { beforeSeq: 5, limit: 3 })).to.deep.equal({ messages: all.slice(1, 4), hasMore: true });
      });

      it('beforeSeq 1 returns nothing and no more', async function () {
        const c = groupConv();
        await appendN(c, 3);
        expect(await store.log.history(c, { beforeSeq: 1, limit: 50 })).to.deep.equal({ messages: [], hasMore: false });
      });

      it('beforeSeq past the end behaves like the newest page', async function () {
        const c = groupConv();
        const all = await appendN(c, 5);
        expect(await store.log.history(c, { beforeSeq: 1000, limit: 3 })).to.deep.equal({ messages: all.slice(2), hasMore: true });
        expect(await store.log.history(c, { beforeSeq: 6, limit: 10 })).to.deep.equal({ messages: all, hasMore: false });
      });
    });

    describe('since', function () {
      it('since N returns exactly the later messages, up to limit, with hasMore when more follow', async function () {
        const c = groupConv();
        const all = await appendN(c, 10);
        expect(await store.log.since(c, 3, 4)).to.deep.equal({ messages: all.slice(3, 7), hasMore: true });
        expect(await store.log.since(c, 3, 7)).to.deep.equal({ messages: all.slice(3), hasMore: false });
        expect(await store.log.since(c, 3, 100)).to.deep.equal({ messages: all.slice(3), hasMore: false });
        expect(await store.log.since(c, 9, 1)).to.deep.equal({ messages: all.slice(9), hasMore: false });
        expect(await store.log.since(c, 8, 1)).to.deep.equal({ messages: all.slice(8, 9), hasMore: true });
      });

      it('since 0 returns the log from seq 1', async function () {
        const c = groupConv();
        const all = await appendN(c, 5);
        expect(await store.log.since(c, 0, 3)).to.deep.equal({ messages: all.slice(0, 3), hasMore: true });
        expect(await store.log.since(c, 0, 500)).to.deep.equal({ messages: all, hasMore: false });
      });

      it('since the last seq, or beyond the end, returns nothing and no more', async function () {
        const c = groupConv();
        await appendN(c, 5);
        expect(await store.log.since(c, 5, 50)).to.deep.equal({ messages: [], hasMore: false });
        expect(await store.log.since(c, 99, 50)).to.deep.equal({ messages: [], hasMore: false });
      });

      it('since on an empty log returns nothing and no more', async function () {
        expect(await store.log.since(groupConv(), 0, 50)).to.deep.equal({ messages: [], hasMore: false });
      });

      it('paging forward with since reaches every message exactly once', async function () {
        const c = groupConv();
        const all = await appendN(c, 11);
        const seen: Message[] = [];
        let cursor = 0;
        for (;;) {
          const page = await store.log.since(c, cursor, 4);
          seen.push(...page.messages);
          if (!page.hasMore) break;
          cursor = page.messages.at(-1)!.seq;
        }
        expect(seen).to.deep.equal(all);
      });
    });

    describe('paging window (pageWindow and PAGE)', function () {
      describePagingCases(() => store);
    });

    describe('findMessage', function () {
      it('finds a message by id in its conversation', async function () {
        const c = groupConv();
        const all = await appendN(c, 3);
        expect(await store.log.findMessage(c, all[1]!.id)).to.deep.equal(all[1]);
      });

      it('returns null for an unknown id', async function () {
        const c = groupConv();
        await appendN(c, 2);
        expect(await store.log.findMessage(c, uid('m'))).to.equal(null);
        expect(await store.log.findMessage(groupConv(), uid('m'))).to.equal(null);
      });

      it('returns null for a message of another conversation', async function () {
        const c = groupConv();
        const other = groupConv();
        await appendN(other, 1);
        const [m] = await appendN(c, 1);
        expect(await store.log.findMessage(other, m!.id)).to.equal(null);
        expect(await store.log.findMessage(partnerConv(c.id), m!.id)).to.equal(null);
      });
    });

    describe('reactions', function () {
      const heart: ReactionEmoji = '❤️';
      const clap: ReactionEmoji = '👏';

      it('toggleReaction adds the user under the emoji', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const u = uid('u');
        expect(await store.log.toggleReaction(c, m!.id, heart, u)).to.deep.equal({ [heart]: [u] });
      });

      it('a second user is added after the first', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const [u1, u2] = [uid('u'), uid('u')];
        await store.log.toggleReaction(c, m!.id, heart, u1);
        expect(await store.log.toggleReaction(c, m!.id, heart, u2)).to.deep.equal({ [heart]: [u1, u2] });
      });

      it('toggling again removes only that user', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const [u1, u2] = [uid('u'), uid('u')];
        await store.log.toggleReaction(c, m!.id, heart, u1);
        await store.log.toggleReaction(c, m!.id, heart, u2);
        expect(await store.log.toggleReaction(c, m!.id, heart, u1)).to.deep.equal({ [heart]: [u2] });
      });

      it('removing the last user of an emoji removes the emoji key, and the reactions when none are left', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const u = uid('u');
        await store.log.toggleReaction(c, m!.id, heart, u);
        await store.log.toggleReaction(c, m!.id, clap, u);
        expect(await store.log.toggleReaction(c, m!.id, heart, u)).to.deep.equal({ [clap]: [u] });
        expect(await store.log.toggleReaction(c, m!.id, clap, u)).to.deep.equal({});
        const found = await store.log.findMessage(c, m!.id);
        expect(found).to.deep.equal(m);
        expect(found).to.not.have.property('reactions');
      });

      it('different emojis are independent', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const [u1, u2] = [uid('u'), uid('u')];
        await store.log.toggleReaction(c, m!.id, heart, u1);
        await store.log.toggleReaction(c, m!.id, clap, u2);
        expect(await store.log.toggleReaction(c, m!.id, '🙏', u1)).to.deep.equal({ [heart]: [u1], [clap]: [u2], '🙏': [u1] });
      });

      it('reactions appear on the message in history, since and findMessage, and nothing else changes', async function () {
        const c = groupConv();
        const all = await appendN(c, 3);
        const target = all[1]!;
        const u = uid('u');
        const reactions = await store.log.toggleReaction(c, target.id, '💪', u);
        const expected = { ...target, reactions };
        expect(await store.log.findMessage(c, target.id)).to.deep.equal(expected);
        expect((await store.log.history(c, { limit: 10 })).messages).to.deep.equal([all[0], expected, all[2]]);
        expect((await store.log.since(c, 1, 1)).messages).to.deep.equal([expected]);
      });

      it('a duplicate append returns the original with its current reactions', async function () {
        const c = groupConv();
        const sender = user();
        const { message } = await store.log.appendMessage(c, draft(c, sender, { clientMsgId: 'k' }));
        const u = uid('u');
        await store.log.toggleReaction(c, message.id, '🤗', u);
        const retry = await store.log.appendMessage(c, draft(c, sender, { clientMsgId: 'k' }));
        expect(retry).to.deep.equal({ message: { ...message, reactions: { '🤗': [u] } }, duplicate: true });
      });

      it('concurrent reactions from many users are all kept', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const users = range(1, 25).map(() => uid('u'));
        await Promise.all(users.map((u) => store.log.toggleReaction(c, m!.id, heart, u)));
        const found = await store.log.findMessage(c, m!.id);
        expect([...(found!.reactions?.[heart] ?? [])].sort()).to.deep.equal([...users].sort());
      });

      it('returns null for an unknown message or a message of another conversation', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        expect(await store.log.toggleReaction(c, uid('m'), heart, uid('u'))).to.equal(null);
        expect(await store.log.toggleReaction(groupConv(), m!.id, heart, uid('u'))).to.equal(null);
        expect(await store.log.toggleReaction(partnerConv(c.id), m!.id, heart, uid('u'))).to.equal(null);
        expect(await store.log.findMessage(c, m!.id)).to.deep.equal(m);
      });

      it('returns null for a deleted message and leaves it unchanged', async function () {
        // A draft may already carry `deleted: true` (§4); erased messages: eraseMessage below.
        const c = groupConv();
        const { message } = await store.log.appendMessage(c, draft(c, user(), { text: '', deleted: true }));
        expect(await store.log.toggleReaction(c, message.id, heart, uid('u'))).to.equal(null);
        expect(await store.log.findMessage(c, message.id)).to.deep.equal(message);
      });
    });

    function erased(m: Message): Message {
      const { checkin: _checkin, reactions: _reactions, ...kept } = m;
      return { ...kept, text: '', deleted: true };
    }

    describe('eraseMessage', function () {
      it('empties the text, drops the check-in and reactions, marks it deleted, and keeps seq, id, sender, time and clientMsgId', async function () {
        const c = groupConv();
        const sender = user('participant', 'Alex');
        await appendN(c, 1);
        const d = {
          ...draft(c, sender, { text: 'rough day, craving is high', clientMsgId: 'k-1', createdAt: Date.now() - 5000 }),
          kind: 'checkin' as const,
          checkin: { mood: 2, craving: 8, note: 'rough day' },
        };
        const { message } = await store.log.appendMessage(c, d);
        await store.log.toggleReaction(c, message.id, '🤗', uid('u'));

        const result = await store.log.eraseMessage(c, message.id);
        expect(result).to.deep.equal({
          id: d.id,
          seq: 2,
          conversation: c,
          sender,
          kind: 'checkin',
          text: '',
          clientMsgId: 'k-1',
          createdAt: d.createdAt,
          deleted: true,
        });
        expect(result).to.not.have.property('checkin');
        expect(result).to.not.have.property('reactions');
      });

      it('the erased message is what history, since and findMessage serve, and the other messages are untouched', async function () {
        const c = groupConv();
        const all = await appendN(c, 3);
        await store.log.toggleReaction(c, all[1]!.id, '❤️', uid('u'));
        const result = await store.log.eraseMessage(c, all[1]!.id);
        expect(result).to.deep.equal(erased(all[1]!));
        expect(await store.log.findMessage(c, all[1]!.id)).to.deep.equal(result);
        expect(await store.log.history(c, { limit: 10 })).to.deep.equal({ messages: [all[0], result, all[2]], hasMore: false });
        expect(await store.log.since(c, 1, 1)).to.deep.equal({ messages: [result], hasMore: true });
      });

      it('with forgetClientMsgId also drops the clientMsgId and its idempotency entry (a person erasing their data), also after an earlier erase', async function () {
        const c = groupConv();
        const sender = user();
        const [m, n] = [
          (await store.log.appendMessage(c, draft(c, sender, { clientMsgId: 'k-1' }))).message,
          (await store.log.appendMessage(c, draft(c, sender, { clientMsgId: 'k-2' }))).message,
        ];
        await store.log.eraseMessage(c, n.id);
        for (const x of [m, n]) {
          const result = await store.log.eraseMessage(c, x.id, { forgetClientMsgId: true });
          const { clientMsgId: _forgotten, ...expected } = erased(x);
          expect(result).to.deep.equal(expected);
          expect(await store.log.findMessage(c, x.id)).to.deep.equal(result);
        }
        expect(await store.log.messageByClientId(c, sender.id, 'k-1')).to.equal(null);
        expect(await store.log.messageByClientId(c, sender.id, 'k-2')).to.equal(null);
      });

      it('erasing an already erased message returns it erased again and changes nothing', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const first = await store.log.eraseMessage(c, m!.id);
        expect(await store.log.eraseMessage(c, m!.id)).to.deep.equal(first);
        expect(await store.log.findMessage(c, m!.id)).to.deep.equal(erased(m!));
      });

      it('returns null for an unknown id or a message of another conversation, and erases nothing', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        expect(await store.log.eraseMessage(c, uid('m'))).to.equal(null);
        expect(await store.log.eraseMessage(groupConv(), m!.id)).to.equal(null);
        expect(await store.log.eraseMessage(partnerConv(c.id), m!.id)).to.equal(null);
        expect(await store.log.findMessage(c, m!.id)).to.deep.equal(m);
      });

      it('erases in a partnership too', async function () {
        const p = partnerConv();
        const [m] = await appendN(p, 1);
        expect(await store.log.eraseMessage(p, m!.id)).to.deep.equal(erased(m!));
        expect(await store.log.findMessage(p, m!.id)).to.deep.equal(erased(m!));
      });

      it("a retried append with the erased message's clientMsgId returns the erased message as a duplicate and takes no seq", async function () {
        const c = groupConv();
        const sender = user();
        const { message } = await store.log.appendMessage(c, draft(c, sender, { text: 'something I regret', clientMsgId: 'k' }));
        await store.log.eraseMessage(c, message.id);
        const retry = await store.log.appendMessage(c, draft(c, sender, { text: 'something I regret', clientMsgId: 'k' }));
        expect(retry).to.deep.equal({ message: erased(message), duplicate: true });
        expect((await store.log.appendMessage(c, draft(c, sender, { clientMsgId: 'k2' }))).message.seq).to.equal(2);
        expect((await store.log.history(c, { limit: 10 })).messages.map((m) => m.seq)).to.deep.equal([1, 2]);
      });

      it('toggleReaction on an erased message returns null and leaves it erased', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        await store.log.toggleReaction(c, m!.id, '👏', uid('u'));
        await store.log.eraseMessage(c, m!.id);
        expect(await store.log.toggleReaction(c, m!.id, '👏', uid('u'))).to.equal(null);
        expect(await store.log.findMessage(c, m!.id)).to.deep.equal(erased(m!));
      });

      it('the log stays gap-free: erasing amid concurrent appends keeps seqs 1..n and the next append gets n + 1', async function () {
        const c = groupConv();
        const first = await appendN(c, 10);
        const victims = [first[0]!, first[4]!, first[9]!];
        const [acks] = await Promise.all([
          Promise.all(range(1, 20).map(() => store.log.appendMessage(c, draft(c, user())))),
          Promise.all(victims.map((m) => store.log.eraseMessage(c, m.id))),
        ]);
        expect(acks.map((a) => a.message.seq).sort((a, b) => a - b)).to.deep.equal(range(11, 30));
        const page = await store.log.history(c, { limit: 100 });
        expect(page.messages.map((m) => m.seq)).to.deep.equal(range(1, 30));
        for (const v of victims) expect(page.messages[v.seq - 1]).to.deep.equal(erased(v));
        expect(page.messages.filter((m) => m.deleted)).to.have.length(3);
        expect((await store.log.appendMessage(c, draft(c, user()))).message.seq).to.equal(31);
      });

      it('mutating the erased message returned does not change what is stored', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const result = (await store.log.eraseMessage(c, m!.id))!;
        result.text = 'changed';
        result.sender.name = 'changed';
        expect(await store.log.findMessage(c, m!.id)).to.deep.equal(erased(m!));
      });
    });

    describe('lastSeq', function () {
      it('is 0 for a conversation without messages, partner or group', async function () {
        expect(await store.log.lastSeq(partnerConv())).to.equal(0);
        expect(await store.log.lastSeq(groupConv())).to.equal(0);
      });

      it('follows appends to a partner conversation, and a duplicate append does not move it', async function () {
        const c = partnerConv();
        const sender = user();
        for (const n of range(1, 3)) {
          await store.log.appendMessage(c, draft(c, sender, { clientMsgId: `k-${n}` }));
          expect(await store.log.lastSeq(c)).to.equal(n);
        }
        await store.log.appendMessage(c, draft(c, sender, { clientMsgId: 'k-2' }));
        expect(await store.log.lastSeq(c)).to.equal(3);
      });

      it('counts erased messages, which keep their seq', async function () {
        const c = partnerConv();
        await store.log.appendMessage(c, draft(c, user()));
        const { message } = await store.log.appendMessage(c, draft(c, user()));
        await store.log.eraseMessage(c, message.id);
        expect(await store.log.lastSeq(c)).to.equal(2);
      });

      it('a partner conversation and a group with the same id have separate seqs', async function () {
        const id = uid('x');
        const [p, g] = [partnerConv(id), groupConv(id)];
        for (let n = 0; n < 3; n++) await store.log.appendMessage(p, draft(p, user()));
        expect(await store.log.lastSeq(p)).to.equal(3);
        expect(await store.log.lastSeq(g)).to.equal(0);
        await store.log.appendMessage(g, draft(g, user()));
        expect(await store.log.lastSeq(g)).to.equal(1);
        expect(await store.log.lastSeq(p)).to.equal(3);
      });

      it('after 20 concurrent appends it is 20', async function () {
        const c = partnerConv();
        await Promise.all(range(1, 20).map(() => store.log.appendMessage(c, draft(c, user()))));
        expect(await store.log.lastSeq(c)).to.equal(20);
      });
    });

    describe('retention', function () {
      it('removes messages created before the cutoff from history, since and lookups, and keeps seq moving forward', async function () {
        const g = makeGroup();
        await store.groups.createGroup(g, enrolmentOf(g.createdBy, 'facilitator'));
        const c: Conversation = { kind: 'group', id: g.id };
        const sender = user();
        const old = Date.now() - 10 * 86_400_000;
        const gone = [];
        for (let i = 0; i < 3; i++)
          gone.push((await store.log.appendMessage(c, draft(c, sender, { createdAt: old + i, clientMsgId: `old${i}` }))).message);
        const kept = (await store.log.appendMessage(c, draft(c, sender, { clientMsgId: 'new' }))).message;

        expect((await store.log.trimBefore(Date.now() - 86_400_000)).removed).to.be.at.least(3);
        expect((await store.log.history(c, { limit: 50 })).messages).to.deep.equal([kept]);
        expect(await store.log.history(c, { limit: 50 })).to.have.property('hasMore', false);
        expect((await store.log.since(c, 0, 50)).messages).to.deep.equal([kept]);
        expect(await store.log.findMessage(c, gone[0]!.id)).to.equal(null);
        expect(await store.log.messageByClientId(c, sender.id, 'old0')).to.equal(null);
        const next = await store.log.appendMessage(c, draft(c, sender, { clientMsgId: 'old0' }));
        expect(next.duplicate, 'a trimmed clientMsgId is no longer a duplicate').to.equal(false);
        expect(next.message.seq, 'seq numbers are never reused').to.equal(5);
        expect(await store.log.trimBefore(Date.now() - 86_400_000), 'nothing left to trim').to.deep.equal({ removed: 0, failed: [] });
      });

      it('trims partnership conversations too', async function () {
        const [a, b] = [user(), user()];
        const p = {
          id: uid('p'),
          users: [
            { id: a.id, name: a.name },
            { id: b.id, name: b.name },
          ] as [{ id: string; name: string }, { id: string; name: string }],
          createdAt: Date.now(),
          status: 'active' as const,
        };
        expect(await store.partners.createPartnership(p, 3)).to.equal('created');
        const c: Conversation = { kind: 'partner', id: p.id };
        await store.log.appendMessage(c, draft(c, a, { createdAt: Date.now() - 5 * 86_400_000 }));
        const kept = (await store.log.appendMessage(c, draft(c, b))).message;
        await store.log.trimBefore(Date.now() - 86_400_000);
        expect((await store.log.history(c, { limit: 50 })).messages).to.deep.equal([kept]);
      });
    });

    describe('returned objects are copies', function () {
      it('mutating an ack, a history page, a since page or a found message does not change what is stored', async function () {
        const c = groupConv();
        const d = draft(c, user(), { text: 'keep me', clientMsgId: 'k' });
        const { message } = await store.log.appendMessage(c, d);
        const pristine = structuredClone(message);

        message.text = 'changed';
        message.sender.name = 'changed';
        message.conversation.id = 'changed';
        const page = await store.log.history(c, { limit: 10 });
        page.messages[0]!.text = 'changed';
        page.messages[0]!.sender.role = 'admin';
        page.messages.push(pristine);
        const later = await store.log.since(c, 0, 10);
        later.messages[0]!.text = 'changed';
        const found = (await store.log.findMessage(c, pristine.id))!;
        found.text = 'changed';
        found.reactions = { '❤️': ['x'] };

        expect(await store.log.findMessage(c, pristine.id)).to.deep.equal(pristine);
        expect(await store.log.history(c, { limit: 10 })).to.deep.equal({ messages: [pristine], hasMore: false });
        const retry = await store.log.appendMessage(c, draft(c, d.sender, { clientMsgId: 'k' }));
        retry.message.text = 'changed';
        expect(await store.log.findMessage(c, pristine.id)).to.deep.equal(pristine);
      });

      it('mutating the draft after appending does not change the stored message', async function () {
        const c = groupConv();
        const d = draft(c, user(), { text: 'as sent' });
        const { message } = await store.log.appendMessage(c, d);
        const pristine = structuredClone(message);
        d.text = 'changed';
        d.sender.name = 'changed';
        expect(await store.log.findMessage(c, d.id)).to.deep.equal(pristine);
      });

      it('mutating returned reactions does not change the stored reactions', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const u = uid('u');
        const r = (await store.log.toggleReaction(c, m!.id, '❤️', u))!;
        r['❤️']!.push('intruder');
        r['👏'] = ['intruder'];
        expect((await store.log.findMessage(c, m!.id))!.reactions).to.deep.equal({ '❤️': [u] });
      });
    });
  });
}
