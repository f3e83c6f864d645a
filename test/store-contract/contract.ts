// The one behavioural contract of `Store` (server/store/store.ts), run against every
// implementation by stores.test.ts so MemoryStore and RedisStore cannot drift apart.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type {
  Conversation, Enrolment, Group, GroupRole, Message, ReactionEmoji, UserRef,
} from '../../shared/index.js';
import type { Connection, MessageDraft, Store } from '../../server/store/store.js';
import { describeAdmissionCases } from './admission-cases.js';
import { describeAuditAndReportsContract } from './audit-reports-contract.js';
import { describeProgramAlertsContract } from './program-alerts-contract.js';
import { describeModerationContract } from './moderation-contract.js';
import { describePagingCases } from './paging-cases.js';
import { describePartnersContract } from './partners-contract.js';
import { describeSendToGroupContract } from './send-to-group-contract.js';

export type StoreFactory = () => Promise<{ store: Store; cleanup: () => Promise<void> }>;

/** A fresh id in the §4 id alphabet, so tests sharing one store never see each other's data. */
export function uid(tag = 'x'): string {
  return `${tag}_${randomBytes(8).toString('hex')}`;
}

export function user(role: UserRef['role'] = 'participant', name = 'Sam'): UserRef {
  return { id: uid('u'), name, role };
}

export function groupConv(id = uid('g')): Conversation {
  return { kind: 'group', id };
}

export function partnerConv(id = uid('p')): Conversation {
  return { kind: 'partner', id };
}

/** A full §4 text message as the service builds it (the store assigns `seq`). */
export function draft(
  conversation: Conversation,
  sender: UserRef,
  opts: { text?: string; clientMsgId?: string; createdAt?: number; deleted?: true } = {},
): MessageDraft {
  const d: MessageDraft = {
    id: uid('m'),
    conversation: { ...conversation },
    sender: { ...sender },
    kind: 'text',
    text: opts.text ?? 'hello',
    createdAt: opts.createdAt ?? Date.now(),
  };
  if (opts.clientMsgId !== undefined) d.clientMsgId = opts.clientMsgId;
  if (opts.deleted) d.deleted = true;
  return d;
}

function makeGroup(opts: { createdAt?: number; createdBy?: string; name?: string } = {}): Group {
  return {
    id: uid('g'),
    name: opts.name ?? 'Evening IOP',
    description: 'Tuesday and Thursday evenings',
    schedule: 'Tue/Thu 18:00',
    createdAt: opts.createdAt ?? Date.now(),
    createdBy: opts.createdBy ?? uid('u'),
  };
}

function enrolmentOf(userId: string, role: GroupRole = 'participant', name = 'Sam'): Enrolment {
  return { userId, role, name };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const seqs = (messages: Message[]) => messages.map((m) => m.seq);
const byUserId = (a: Enrolment, b: Enrolment) => a.userId.localeCompare(b.userId);

export function describeStoreContract(name: string, makeStore: StoreFactory): void {
  describe(`Store contract: ${name}`, function () {
    let store: Store;
    let cleanup: () => Promise<void> = async () => {};

    before(async function () {
      ({ store, cleanup } = await makeStore());
    });

    after(async function () {
      await cleanup();
    });

    /** Appends `n` messages from `sender` one after another, returning the stored messages. */
    async function appendN(c: Conversation, n: number, sender: UserRef = user()): Promise<Message[]> {
      const out: Message[] = [];
      for (let i = 1; i <= n; i++) out.push((await store.appendMessage(c, draft(c, sender, { text: `message ${i}` }))).message);
      return out;
    }

    describe('groups', function () {
      it('createGroup stores the group so getGroup returns it unchanged', async function () {
        const g = makeGroup();
        await store.createGroup(g, enrolmentOf(g.createdBy, 'facilitator', 'Dana'));
        expect(await store.getGroup(g.id)).to.deep.equal(g);
      });

      it('getGroup returns null for an unknown group', async function () {
        expect(await store.getGroup(uid('g'))).to.equal(null);
      });

      it('createGroup enrols the creator with the given role and name', async function () {
        const g = makeGroup();
        const creator = enrolmentOf(g.createdBy, 'facilitator', 'Dana');
        await store.createGroup(g, creator);
        expect(await store.enrolment(g.id, creator.userId)).to.deep.equal(creator);
        expect(await store.members(g.id)).to.deep.equal([creator]);
        expect(await store.groupIdsOf(creator.userId)).to.deep.equal([g.id]);
      });

      it('getGroups returns the known groups in the order asked and skips unknown ids', async function () {
        const a = makeGroup({ name: 'A' });
        const b = makeGroup({ name: 'B' });
        await store.createGroup(a, enrolmentOf(a.createdBy));
        await store.createGroup(b, enrolmentOf(b.createdBy));
        expect(await store.getGroups([b.id, uid('g'), a.id])).to.deep.equal([b, a]);
      });

      it('getGroups of no ids is empty', async function () {
        expect(await store.getGroups([])).to.deep.equal([]);
      });

      it('allGroups lists every group oldest first by createdAt, whatever the creation order', async function () {
        const base = Date.now();
        const middle = makeGroup({ createdAt: base + 2000 });
        const newest = makeGroup({ createdAt: base + 3000 });
        const oldest = makeGroup({ createdAt: base + 1000 });
        for (const g of [middle, newest, oldest]) await store.createGroup(g, enrolmentOf(g.createdBy));
        const mine = new Set([middle.id, newest.id, oldest.id]);
        const listed = (await store.allGroups()).filter((g) => mine.has(g.id));
        expect(listed).to.deep.equal([oldest, middle, newest]);
      });
    });

    describe('enrolment', function () {
      let g: Group;
      beforeEach(async function () {
        g = makeGroup();
        await store.createGroup(g, enrolmentOf(g.createdBy, 'facilitator', 'Dana'));
      });

      it('enrol adds a member that enrolment(), members() and groupIdsOf() all see', async function () {
        const e = enrolmentOf(uid('u'), 'participant', 'Alex');
        await store.enrol(g.id, e);
        expect(await store.enrolment(g.id, e.userId)).to.deep.equal(e);
        expect((await store.members(g.id)).sort(byUserId)).to.deep.equal(
          [enrolmentOf(g.createdBy, 'facilitator', 'Dana'), e].sort(byUserId),
        );
        expect(await store.groupIdsOf(e.userId)).to.deep.equal([g.id]);
      });

      it('re-enrolling updates the role and name without adding a second member', async function () {
        const userId = uid('u');
        await store.enrol(g.id, enrolmentOf(userId, 'participant', 'Alex'));
        await store.enrol(g.id, enrolmentOf(userId, 'facilitator', 'Alexandra'));
        expect(await store.enrolment(g.id, userId)).to.deep.equal(enrolmentOf(userId, 'facilitator', 'Alexandra'));
        const members = await store.members(g.id);
        expect(members.filter((m) => m.userId === userId)).to.deep.equal([enrolmentOf(userId, 'facilitator', 'Alexandra')]);
        expect(members).to.have.length(2);
        expect(await store.groupIdsOf(userId)).to.deep.equal([g.id]);
      });

      it('unenrol returns true and removes the member from enrolment(), members() and groupIdsOf()', async function () {
        const e = enrolmentOf(uid('u'));
        await store.enrol(g.id, e);
        expect(await store.unenrol(g.id, e.userId)).to.equal(true);
        expect(await store.enrolment(g.id, e.userId)).to.equal(null);
        expect((await store.members(g.id)).map((m) => m.userId)).to.deep.equal([g.createdBy]);
        expect(await store.groupIdsOf(e.userId)).to.deep.equal([]);
      });

      it('unenrol returns false for a user who is not enrolled, and on a second unenrol', async function () {
        const userId = uid('u');
        expect(await store.unenrol(g.id, userId)).to.equal(false);
        expect(await store.unenrol(uid('g'), userId)).to.equal(false);
        await store.enrol(g.id, enrolmentOf(userId));
        expect(await store.unenrol(g.id, userId)).to.equal(true);
        expect(await store.unenrol(g.id, userId)).to.equal(false);
      });

      it('unenrolling from one group leaves the user enrolled in the others', async function () {
        const other = makeGroup();
        await store.createGroup(other, enrolmentOf(other.createdBy));
        const userId = uid('u');
        await store.enrol(g.id, enrolmentOf(userId));
        await store.enrol(other.id, enrolmentOf(userId));
        await store.unenrol(g.id, userId);
        expect(await store.groupIdsOf(userId)).to.deep.equal([other.id]);
        expect(await store.enrolment(other.id, userId)).to.deep.equal(enrolmentOf(userId));
      });

      it('unenrol remembers the group as a former group, only when there was an enrolment', async function () {
        const userId = uid('u');
        await store.unenrol(g.id, userId);
        expect(await store.formerGroupIdsOf(userId), 'never enrolled').to.deep.equal([]);
        await store.enrol(g.id, enrolmentOf(userId));
        expect(await store.formerGroupIdsOf(userId), 'while enrolled').to.deep.equal([]);
        await store.unenrol(g.id, userId);
        expect(await store.formerGroupIdsOf(userId)).to.deep.equal([g.id]);
        expect(await store.groupIdsOf(userId)).to.deep.equal([]);
      });

      it('enrolling again takes the group out of the former groups; forgetFormerGroups empties them', async function () {
        const other = makeGroup();
        await store.createGroup(other, enrolmentOf(other.createdBy));
        const userId = uid('u');
        for (const group of [g, other]) {
          await store.enrol(group.id, enrolmentOf(userId));
          await store.unenrol(group.id, userId);
        }
        expect((await store.formerGroupIdsOf(userId)).sort()).to.deep.equal([g.id, other.id].sort());
        await store.enrol(g.id, enrolmentOf(userId));
        expect(await store.formerGroupIdsOf(userId)).to.deep.equal([other.id]);
        await store.forgetFormerGroups(userId);
        expect(await store.formerGroupIdsOf(userId)).to.deep.equal([]);
        expect(await store.groupIdsOf(userId), 'current groups are untouched').to.deep.equal([g.id]);
      });

      it('enrolment() returns null for an unknown user or an unknown group', async function () {
        expect(await store.enrolment(g.id, uid('u'))).to.equal(null);
        expect(await store.enrolment(uid('g'), g.createdBy)).to.equal(null);
      });

      it('members() of an unknown group and groupIdsOf() of an unknown user are empty', async function () {
        expect(await store.members(uid('g'))).to.deep.equal([]);
        expect(await store.groupIdsOf(uid('u'))).to.deep.equal([]);
      });

      it('groupIdsOf lists every group the user is enrolled in', async function () {
        const others = [makeGroup(), makeGroup()];
        for (const o of others) await store.createGroup(o, enrolmentOf(o.createdBy));
        const userId = uid('u');
        for (const id of [g.id, ...others.map((o) => o.id)]) await store.enrol(id, enrolmentOf(userId));
        expect((await store.groupIdsOf(userId)).sort()).to.deep.equal([g.id, ...others.map((o) => o.id)].sort());
      });
    });

    describe('message log', function () {
      it('the first message gets seq 1 and the ack is the full message as drafted', async function () {
        const c = groupConv();
        const d = draft(c, user('facilitator', 'Dana'), { text: 'Welcome, everyone', clientMsgId: 'c-1' });
        const { message, duplicate } = await store.appendMessage(c, d);
        expect(duplicate).to.equal(false);
        expect(message).to.deep.equal({ seq: 1, ...d });
        expect(await store.findMessage(c, d.id)).to.deep.equal({ seq: 1, ...d });
      });

      it('sequential appends get seqs 1, 2, 3 … with no gaps', async function () {
        const c = groupConv();
        const appended = await appendN(c, 12);
        expect(seqs(appended)).to.deep.equal(range(1, 12));
        expect(seqs((await store.history(c, { limit: 100 })).messages)).to.deep.equal(range(1, 12));
      });

      it('200 concurrent appends from several senders get seqs exactly 1..200 and history agrees with the acks', async function () {
        const c = groupConv();
        const senders = [user(), user(), user('facilitator'), user(), user()];
        const drafts = range(1, 200).map((i) =>
          draft(c, senders[i % senders.length]!, { text: `concurrent ${i}`, clientMsgId: i % 2 ? `c-${i}` : undefined }),
        );
        const acks = await Promise.all(drafts.map((d) => store.appendMessage(c, d)));

        expect(acks.every((a) => !a.duplicate)).to.equal(true);
        const ackSeqs = acks.map((a) => a.message.seq);
        expect(new Set(ackSeqs).size).to.equal(200);
        expect([...ackSeqs].sort((a, b) => a - b)).to.deep.equal(range(1, 200));
        acks.forEach((a, i) => expect(a.message).to.deep.equal({ seq: a.message.seq, ...drafts[i]! }));

        const page = await store.history(c, { limit: 200 });
        expect(page.hasMore).to.equal(false);
        expect(seqs(page.messages)).to.deep.equal(range(1, 200));
        const bySeq = new Map(acks.map((a) => [a.message.seq, a.message]));
        for (const m of page.messages) expect(m).to.deep.equal(bySeq.get(m.seq));
        expect(new Set(page.messages.map((m) => m.id)).size).to.equal(200);

        const replay = await store.since(c, 0, 500);
        expect(replay).to.deep.equal(page);
        expect((await store.appendMessage(c, draft(c, senders[0]!))).message.seq).to.equal(201);
      });

      it('messages without a clientMsgId are never deduplicated', async function () {
        const c = groupConv();
        const sender = user();
        const a = await store.appendMessage(c, draft(c, sender, { text: 'same' }));
        const b = await store.appendMessage(c, draft(c, sender, { text: 'same' }));
        expect([a.duplicate, b.duplicate]).to.deep.equal([false, false]);
        expect([a.message.seq, b.message.seq]).to.deep.equal([1, 2]);
        expect(a.message).to.not.have.property('clientMsgId');
        expect((await store.history(c, { limit: 10 })).messages.map((m) => m.id)).to.deep.equal([a.message.id, b.message.id]);
      });

      it('a group and a partnership with the same id keep separate logs', async function () {
        const id = uid('c');
        const g = groupConv(id);
        const p = partnerConv(id);
        const sender = user();
        const inGroup = await appendN(g, 3, sender);
        const inPartner = (await store.appendMessage(p, draft(p, sender, { text: 'private' }))).message;
        expect(inPartner.seq).to.equal(1);
        expect((await store.history(g, { limit: 10 })).messages).to.deep.equal(inGroup);
        expect((await store.history(p, { limit: 10 })).messages).to.deep.equal([inPartner]);
        expect(await store.findMessage(g, inPartner.id)).to.equal(null);
        expect(await store.findMessage(p, inGroup[0]!.id)).to.equal(null);
      });

      it('each conversation has its own seq counter', async function () {
        const a = groupConv();
        const b = groupConv();
        await appendN(a, 4);
        expect(seqs(await appendN(b, 2))).to.deep.equal([1, 2]);
        expect((await store.appendMessage(a, draft(a, user()))).message.seq).to.equal(5);
      });
    });

    describe('log epoch', function () {
      it("is '' before the first message and drawn by it, then stays through appends, duplicates, erasure and retention", async function () {
        const c = groupConv();
        expect(await store.logEpoch(c)).to.equal('');
        const sender = user();
        const first = (await store.appendMessage(c, draft(c, sender, { clientMsgId: 'e1' }))).message;
        const epoch = await store.logEpoch(c);
        expect(epoch).to.be.a('string').with.length.greaterThan(7);
        await appendN(c, 3, sender);
        expect((await store.appendMessage(c, draft(c, sender, { clientMsgId: 'e1' }))).duplicate).to.equal(true);
        await store.eraseMessage(c, first.id);
        await store.trimBefore(Date.now() + 1000);
        expect(await store.logEpoch(c), 'after appends, a duplicate, erasure and trimming everything').to.equal(epoch);
        await appendN(c, 1, sender);
        expect(await store.logEpoch(c), 'seq goes on from 5, so the log did not start over').to.equal(epoch);
      });

      it('is per conversation, for groups and partnerships', async function () {
        const [g1, g2, p] = [groupConv(), groupConv(), partnerConv()];
        for (const c of [g1, g2, p]) await appendN(c, 1);
        const epochs = await Promise.all([g1, g2, p].map((c) => store.logEpoch(c)));
        expect(new Set(epochs).size).to.equal(3);
      });
    });

    describe('idempotency by clientMsgId', function () {
      it('finds a sent message by its sender and clientMsgId, and nothing for anyone else', async function () {
        const c = groupConv();
        const [sender, other] = [user(), user()];
        const sent = await store.appendMessage(c, draft(c, sender, { text: 'did the ack get lost?', clientMsgId: 'lost-ack' }));
        expect(await store.messageByClientId(c, sender.id, 'lost-ack')).to.deep.equal(sent.message);
        expect(await store.messageByClientId(c, other.id, 'lost-ack')).to.equal(null);
        expect(await store.messageByClientId(c, sender.id, 'never-sent')).to.equal(null);
        expect(await store.messageByClientId(groupConv(), sender.id, 'lost-ack')).to.equal(null);
      });

      it('the same sender and clientMsgId returns the original with duplicate: true and takes no seq', async function () {
        const c = groupConv();
        const sender = user();
        const first = await store.appendMessage(c, draft(c, sender, { text: 'I made it to day 30', clientMsgId: 'k1' }));
        const retry = await store.appendMessage(c, draft(c, sender, { text: 'I made it to day 30', clientMsgId: 'k1' }));
        expect(retry.duplicate).to.equal(true);
        expect(retry.message).to.deep.equal(first.message);
        const next = await store.appendMessage(c, draft(c, sender, { clientMsgId: 'k2' }));
        expect(next.message.seq).to.equal(2);
        expect(seqs((await store.history(c, { limit: 10 })).messages)).to.deep.equal([1, 2]);
      });

      it('a retry with different text still returns the original message unchanged', async function () {
        const c = groupConv();
        const sender = user();
        const first = await store.appendMessage(c, draft(c, sender, { text: 'original', clientMsgId: 'k1' }));
        const retry = await store.appendMessage(c, draft(c, sender, { text: 'edited on retry', clientMsgId: 'k1' }));
        expect(retry.duplicate).to.equal(true);
        expect(retry.message).to.deep.equal(first.message);
        expect(retry.message.text).to.equal('original');
        const page = await store.history(c, { limit: 10 });
        expect(page.messages).to.deep.equal([first.message]);
      });

      it('another sender using the same clientMsgId gets a new message', async function () {
        const c = groupConv();
        const a = await store.appendMessage(c, draft(c, user(), { clientMsgId: 'shared' }));
        const b = await store.appendMessage(c, draft(c, user(), { clientMsgId: 'shared' }));
        expect(b.duplicate).to.equal(false);
        expect(b.message.seq).to.equal(2);
        expect(b.message.id).to.not.equal(a.message.id);
      });

      it('the same clientMsgId in another conversation is a new message', async function () {
        const sender = user();
        const c1 = groupConv();
        const c2 = groupConv();
        const p = partnerConv(c1.id);
        const a = await store.appendMessage(c1, draft(c1, sender, { clientMsgId: 'k' }));
        const b = await store.appendMessage(c2, draft(c2, sender, { clientMsgId: 'k' }));
        const d = await store.appendMessage(p, draft(p, sender, { clientMsgId: 'k' }));
        expect([a.duplicate, b.duplicate, d.duplicate]).to.deep.equal([false, false, false]);
        expect([a.message.seq, b.message.seq, d.message.seq]).to.deep.equal([1, 1, 1]);
        expect(b.message.id).to.not.equal(a.message.id);
        expect(d.message.id).to.not.equal(a.message.id);
      });

      it('concurrent appends of the same clientMsgId store exactly one message', async function () {
        const c = groupConv();
        const sender = user();
        const drafts = range(1, 30).map((i) => draft(c, sender, { text: `attempt ${i}`, clientMsgId: 'race' }));
        const acks = await Promise.all(drafts.map((d) => store.appendMessage(c, d)));
        const originals = acks.filter((a) => !a.duplicate);
        expect(originals).to.have.length(1);
        const original = originals[0]!.message;
        expect(original.seq).to.equal(1);
        for (const a of acks) expect(a.message).to.deep.equal(original);
        const page = await store.history(c, { limit: 100 });
        expect(page.messages).to.deep.equal([original]);
        expect((await store.appendMessage(c, draft(c, sender))).message.seq).to.equal(2);
      });

      it('a duplicate is detected among many concurrent messages without disturbing their seqs', async function () {
        const c = groupConv();
        const sender = user();
        const first = await store.appendMessage(c, draft(c, sender, { clientMsgId: 'early' }));
        const others = range(1, 40).map((i) => draft(c, user(), { clientMsgId: `o-${i}` }));
        const acks = await Promise.all([
          ...others.map((d) => store.appendMessage(c, d)),
          store.appendMessage(c, draft(c, sender, { clientMsgId: 'early', text: 'again' })),
        ]);
        expect(acks.filter((a) => a.duplicate).map((a) => a.message)).to.deep.equal([first.message]);
        expect(seqs((await store.history(c, { limit: 100 })).messages)).to.deep.equal(range(1, 41));
      });
    });

    describe('history', function () {
      it('an empty log has no messages and no more', async function () {
        expect(await store.history(groupConv(), { limit: 50 })).to.deep.equal({ messages: [], hasMore: false });
        expect(await store.history(groupConv(), { beforeSeq: 10, limit: 50 })).to.deep.equal({ messages: [], hasMore: false });
      });

      it('by default returns the newest page, oldest first, with hasMore when older messages exist', async function () {
        const c = groupConv();
        const all = await appendN(c, 5);
        expect(await store.history(c, { limit: 3 })).to.deep.equal({ messages: all.slice(2), hasMore: true });
      });

      it('a log of exactly limit messages fits one page with hasMore false', async function () {
        const c = groupConv();
        const all = await appendN(c, 4);
        expect(await store.history(c, { limit: 4 })).to.deep.equal({ messages: all, hasMore: false });
      });

      it('a log of limit + 1 messages has hasMore true and leaves out only seq 1', async function () {
        const c = groupConv();
        const all = await appendN(c, 5);
        expect(await store.history(c, { limit: 4 })).to.deep.equal({ messages: all.slice(1), hasMore: true });
        expect(await store.history(c, { beforeSeq: 2, limit: 4 })).to.deep.equal({ messages: all.slice(0, 1), hasMore: false });
      });

      it('a limit larger than the log returns the whole log', async function () {
        const c = groupConv();
        const all = await appendN(c, 3);
        expect(await store.history(c, { limit: 100 })).to.deep.equal({ messages: all, hasMore: false });
      });

      it('beforeSeq pages backwards to the start without gaps or overlaps', async function () {
        const c = groupConv();
        const all = await appendN(c, 10);
        const p1 = await store.history(c, { limit: 4 });
        expect(seqs(p1.messages)).to.deep.equal([7, 8, 9, 10]);
        expect(p1.hasMore).to.equal(true);
        const p2 = await store.history(c, { beforeSeq: p1.messages[0]!.seq, limit: 4 });
        expect(seqs(p2.messages)).to.deep.equal([3, 4, 5, 6]);
        expect(p2.hasMore).to.equal(true);
        const p3 = await store.history(c, { beforeSeq: p2.messages[0]!.seq, limit: 4 });
        expect(seqs(p3.messages)).to.deep.equal([1, 2]);
        expect(p3.hasMore).to.equal(false);
        expect([...p3.messages, ...p2.messages, ...p1.messages]).to.deep.equal(all);
      });

      it('beforeSeq that lands exactly on a page boundary gives hasMore false on the last full page', async function () {
        const c = groupConv();
        const all = await appendN(c, 6);
        expect(await store.history(c, { beforeSeq: 4, limit: 3 })).to.deep.equal({ messages: all.slice(0, 3), hasMore: false });
        expect(await store.history(c, { beforeSeq: 5, limit: 3 })).to.deep.equal({ messages: all.slice(1, 4), hasMore: true });
      });

      it('beforeSeq 1 returns nothing and no more', async function () {
        const c = groupConv();
        await appendN(c, 3);
        expect(await store.history(c, { beforeSeq: 1, limit: 50 })).to.deep.equal({ messages: [], hasMore: false });
      });

      it('beforeSeq past the end behaves like the newest page', async function () {
        const c = groupConv();
        const all = await appendN(c, 5);
        expect(await store.history(c, { beforeSeq: 1000, limit: 3 })).to.deep.equal({ messages: all.slice(2), hasMore: true });
        expect(await store.history(c, { beforeSeq: 6, limit: 10 })).to.deep.equal({ messages: all, hasMore: false });
      });
    });

    describe('since', function () {
      it('since N returns exactly the later messages, up to limit, with hasMore when more follow', async function () {
        const c = groupConv();
        const all = await appendN(c, 10);
        expect(await store.since(c, 3, 4)).to.deep.equal({ messages: all.slice(3, 7), hasMore: true });
        expect(await store.since(c, 3, 7)).to.deep.equal({ messages: all.slice(3), hasMore: false });
        expect(await store.since(c, 3, 100)).to.deep.equal({ messages: all.slice(3), hasMore: false });
        expect(await store.since(c, 9, 1)).to.deep.equal({ messages: all.slice(9), hasMore: false });
        expect(await store.since(c, 8, 1)).to.deep.equal({ messages: all.slice(8, 9), hasMore: true });
      });

      it('since 0 returns the log from seq 1', async function () {
        const c = groupConv();
        const all = await appendN(c, 5);
        expect(await store.since(c, 0, 3)).to.deep.equal({ messages: all.slice(0, 3), hasMore: true });
        expect(await store.since(c, 0, 500)).to.deep.equal({ messages: all, hasMore: false });
      });

      it('since the last seq, or beyond the end, returns nothing and no more', async function () {
        const c = groupConv();
        await appendN(c, 5);
        expect(await store.since(c, 5, 50)).to.deep.equal({ messages: [], hasMore: false });
        expect(await store.since(c, 99, 50)).to.deep.equal({ messages: [], hasMore: false });
      });

      it('since on an empty log returns nothing and no more', async function () {
        expect(await store.since(groupConv(), 0, 50)).to.deep.equal({ messages: [], hasMore: false });
      });

      it('paging forward with since reaches every message exactly once', async function () {
        const c = groupConv();
        const all = await appendN(c, 11);
        const seen: Message[] = [];
        let cursor = 0;
        for (;;) {
          const page = await store.since(c, cursor, 4);
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
        expect(await store.findMessage(c, all[1]!.id)).to.deep.equal(all[1]);
      });

      it('returns null for an unknown id', async function () {
        const c = groupConv();
        await appendN(c, 2);
        expect(await store.findMessage(c, uid('m'))).to.equal(null);
        expect(await store.findMessage(groupConv(), uid('m'))).to.equal(null);
      });

      it('returns null for a message of another conversation', async function () {
        const c = groupConv();
        const other = groupConv();
        await appendN(other, 1);
        const [m] = await appendN(c, 1);
        expect(await store.findMessage(other, m!.id)).to.equal(null);
        expect(await store.findMessage(partnerConv(c.id), m!.id)).to.equal(null);
      });
    });

    describe('reactions', function () {
      const heart: ReactionEmoji = '❤️';
      const clap: ReactionEmoji = '👏';

      it('toggleReaction adds the user under the emoji', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const u = uid('u');
        expect(await store.toggleReaction(c, m!.id, heart, u)).to.deep.equal({ [heart]: [u] });
      });

      it('a second user is added after the first', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const [u1, u2] = [uid('u'), uid('u')];
        await store.toggleReaction(c, m!.id, heart, u1);
        expect(await store.toggleReaction(c, m!.id, heart, u2)).to.deep.equal({ [heart]: [u1, u2] });
      });

      it('toggling again removes only that user', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const [u1, u2] = [uid('u'), uid('u')];
        await store.toggleReaction(c, m!.id, heart, u1);
        await store.toggleReaction(c, m!.id, heart, u2);
        expect(await store.toggleReaction(c, m!.id, heart, u1)).to.deep.equal({ [heart]: [u2] });
      });

      it('removing the last user of an emoji removes the emoji key, and the reactions when none are left', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const u = uid('u');
        await store.toggleReaction(c, m!.id, heart, u);
        await store.toggleReaction(c, m!.id, clap, u);
        expect(await store.toggleReaction(c, m!.id, heart, u)).to.deep.equal({ [clap]: [u] });
        expect(await store.toggleReaction(c, m!.id, clap, u)).to.deep.equal({});
        const found = await store.findMessage(c, m!.id);
        expect(found).to.deep.equal(m);
        expect(found).to.not.have.property('reactions');
      });

      it('different emojis are independent', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const [u1, u2] = [uid('u'), uid('u')];
        await store.toggleReaction(c, m!.id, heart, u1);
        await store.toggleReaction(c, m!.id, clap, u2);
        expect(await store.toggleReaction(c, m!.id, '🙏', u1)).to.deep.equal({ [heart]: [u1], [clap]: [u2], '🙏': [u1] });
      });

      it('reactions appear on the message in history, since and findMessage, and nothing else changes', async function () {
        const c = groupConv();
        const all = await appendN(c, 3);
        const target = all[1]!;
        const u = uid('u');
        const reactions = await store.toggleReaction(c, target.id, '💪', u);
        const expected = { ...target, reactions };
        expect(await store.findMessage(c, target.id)).to.deep.equal(expected);
        expect((await store.history(c, { limit: 10 })).messages).to.deep.equal([all[0], expected, all[2]]);
        expect((await store.since(c, 1, 1)).messages).to.deep.equal([expected]);
      });

      it('a duplicate append returns the original with its current reactions', async function () {
        const c = groupConv();
        const sender = user();
        const { message } = await store.appendMessage(c, draft(c, sender, { clientMsgId: 'k' }));
        const u = uid('u');
        await store.toggleReaction(c, message.id, '🤗', u);
        const retry = await store.appendMessage(c, draft(c, sender, { clientMsgId: 'k' }));
        expect(retry).to.deep.equal({ message: { ...message, reactions: { '🤗': [u] } }, duplicate: true });
      });

      it('concurrent reactions from many users are all kept', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const users = range(1, 25).map(() => uid('u'));
        await Promise.all(users.map((u) => store.toggleReaction(c, m!.id, heart, u)));
        const found = await store.findMessage(c, m!.id);
        expect([...(found!.reactions?.[heart] ?? [])].sort()).to.deep.equal([...users].sort());
      });

      it('returns null for an unknown message or a message of another conversation', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        expect(await store.toggleReaction(c, uid('m'), heart, uid('u'))).to.equal(null);
        expect(await store.toggleReaction(groupConv(), m!.id, heart, uid('u'))).to.equal(null);
        expect(await store.toggleReaction(partnerConv(c.id), m!.id, heart, uid('u'))).to.equal(null);
        expect(await store.findMessage(c, m!.id)).to.deep.equal(m);
      });

      it('returns null for a deleted message and leaves it unchanged', async function () {
        // A draft may already carry `deleted: true` (§4); erased messages: moderation-contract.ts.
        const c = groupConv();
        const { message } = await store.appendMessage(c, draft(c, user(), { text: '', deleted: true }));
        expect(await store.toggleReaction(c, message.id, heart, uid('u'))).to.equal(null);
        expect(await store.findMessage(c, message.id)).to.deep.equal(message);
      });
    });

    describe('room state', function () {
      it('a fresh group is unlocked, not slowed, open, unpinned and has no raised hands', async function () {
        expect(await store.roomState(uid('g'))).to.deep.equal({
          locked: false, slowModeSec: 0, sessionOpen: true, pinnedMessageId: null, handQueue: [],
        });
      });

      it('raising a hand returns true, and raising it again returns false', async function () {
        const g = uid('g');
        const u = uid('u');
        expect(await store.setHand(g, u, true)).to.equal(true);
        expect(await store.setHand(g, u, true)).to.equal(false);
        expect((await store.roomState(g)).handQueue).to.deep.equal([u]);
      });

      it('lowering a raised hand returns true, and lowering a hand that is down returns false', async function () {
        const g = uid('g');
        const u = uid('u');
        expect(await store.setHand(g, u, false)).to.equal(false);
        await store.setHand(g, u, true);
        expect(await store.setHand(g, u, false)).to.equal(true);
        expect(await store.setHand(g, u, false)).to.equal(false);
        expect((await store.roomState(g)).handQueue).to.deep.equal([]);
      });

      it('the hand queue is first raised first, whatever the user ids', async function () {
        const g = uid('g');
        // Ids that sort the opposite way round from the order the hands go up, raised back to back.
        const order = ['zoe_' + uid(), 'mia_' + uid(), 'amy_' + uid(), 'bob_' + uid()];
        for (const u of order) await store.setHand(g, u, true);
        expect((await store.roomState(g)).handQueue).to.deep.equal(order);
      });

      it('a lowered and re-raised hand goes to the back of the queue', async function () {
        const g = uid('g');
        const [a, b, c] = ['c_' + uid(), 'b_' + uid(), 'a_' + uid()];
        for (const u of [a, b, c]) await store.setHand(g, u, true);
        await store.setHand(g, a, false);
        expect((await store.roomState(g)).handQueue).to.deep.equal([b, c]);
        await store.setHand(g, a, true);
        expect((await store.roomState(g)).handQueue).to.deep.equal([b, c, a]);
        await store.setHand(g, c, false);
        expect((await store.roomState(g)).handQueue).to.deep.equal([b, a]);
      });

      it('hands in one group do not show in another, and the rest of the state keeps its defaults', async function () {
        const [g1, g2] = [uid('g'), uid('g')];
        const u = uid('u');
        await store.setHand(g1, u, true);
        expect(await store.roomState(g2)).to.deep.equal({
          locked: false, slowModeSec: 0, sessionOpen: true, pinnedMessageId: null, handQueue: [],
        });
        expect(await store.roomState(g1)).to.deep.equal({
          locked: false, slowModeSec: 0, sessionOpen: true, pinnedMessageId: null, handQueue: [u],
        });
      });
    });

    describe('presence', function () {
      const TTL = 60_000;
      const conn = (userId: string): Connection => ({ userId, connId: uid('s') });

      it('connectionUp returns true only for the first live connection of a user', async function () {
        const u = uid('u');
        expect(await store.connectionUp(conn(u), TTL)).to.equal(true);
        expect(await store.connectionUp(conn(u), TTL)).to.equal(false);
        expect(await store.onlineUsers([u])).to.deep.equal(new Set([u]));
      });

      it('connectionUp of the same connection again returns false', async function () {
        const c = conn(uid('u'));
        expect(await store.connectionUp(c, TTL)).to.equal(true);
        expect(await store.connectionUp(c, TTL)).to.equal(false);
      });

      it('connectionDown returns true only when the last connection goes', async function () {
        const u = uid('u');
        const [a, b] = [conn(u), conn(u)];
        await store.connectionUp(a, TTL);
        await store.connectionUp(b, TTL);
        expect(await store.connectionDown(a)).to.equal(false);
        expect(await store.onlineUsers([u])).to.deep.equal(new Set([u]));
        expect(await store.connectionDown(b)).to.equal(true);
        expect(await store.onlineUsers([u])).to.deep.equal(new Set());
      });

      it('after going offline, the next connectionUp returns true again', async function () {
        const u = uid('u');
        const a = conn(u);
        await store.connectionUp(a, TTL);
        await store.connectionDown(a);
        expect(await store.connectionUp(conn(u), TTL)).to.equal(true);
      });

      it('onlineUsers returns exactly the users with a live connection', async function () {
        const [on1, on2, off, never] = [uid('u'), uid('u'), uid('u'), uid('u')];
        await store.connectionUp(conn(on1), TTL);
        await store.connectionUp(conn(on2), TTL);
        const c = conn(off);
        await store.connectionUp(c, TTL);
        await store.connectionDown(c);
        expect(await store.onlineUsers([on1, off, never, on2])).to.deep.equal(new Set([on1, on2]));
        expect(await store.onlineUsers([])).to.deep.equal(new Set());
      });

      it('a connection whose ttl has passed no longer counts', async function () {
        const u = uid('u');
        expect(await store.connectionUp(conn(u), 150)).to.equal(true);
        expect(await store.onlineUsers([u])).to.deep.equal(new Set([u]));
        await sleep(300);
        expect(await store.onlineUsers([u])).to.deep.equal(new Set());
        expect(await store.connectionUp(conn(u), TTL)).to.equal(true);
      });

      it('connectionDown returns true when the only other connection has expired', async function () {
        const u = uid('u');
        const live = conn(u);
        await store.connectionUp(conn(u), 150);
        await store.connectionUp(live, TTL);
        await sleep(300);
        expect(await store.connectionDown(live)).to.equal(true);
      });

      it('refreshConnections keeps a connection alive past its first ttl', async function () {
        const u = uid('u');
        const c = conn(u);
        await store.connectionUp(c, 150);
        await sleep(80);
        await store.refreshConnections([c], 400);
        await sleep(200); // ~280ms in: past the first ttl, within the refreshed one
        expect(await store.onlineUsers([u])).to.deep.equal(new Set([u]));
        expect(await store.connectionUp(conn(u), TTL)).to.equal(false);
      });

      it('refreshConnections keeps hundreds alive at once, many users\' and one user\'s 300, and the sweep takes none of them', async function () {
        const many = Array.from({ length: 200 }, () => conn(uid('u')));
        const busy = uid('u');
        const own = Array.from({ length: 300 }, () => conn(busy));
        const all = [...many, ...own];
        await Promise.all(all.map((c) => store.connectionUp(c, 1000)));
        await store.refreshConnections(all, 4000);
        await sleep(1200); // past the first ttl, within the refreshed one
        const users = [...many.map((c) => c.userId), busy];
        const swept = await store.sweepConnections(Date.now()); // other tests' expired connections may be in it
        expect(swept.filter((u) => users.includes(u))).to.deep.equal([]);
        expect(await store.onlineUsers(users)).to.deep.equal(new Set(users));
        // Each of the 300 is still live: taking them away one by one leaves the user online until the last.
        const downs = [];
        for (const c of own) downs.push(await store.connectionDown(c));
        expect(downs.indexOf(true), 'the first removal that left no live connection').to.equal(299);
      });

      it('refreshConnections of no connections resolves', async function () {
        await store.refreshConnections([], TTL);
      });

      it('a new connection with a short ttl does not cut short the user\'s longer-lived one', async function () {
        const u = uid('u');
        const long = conn(u);
        await store.connectionUp(long, TTL);
        await store.connectionUp(conn(u), 150);
        await sleep(300);
        expect(await store.onlineUsers([u])).to.deep.equal(new Set([u]));
        expect(await store.connectionDown(long)).to.equal(true);
      });

      it('refreshing one connection with a short ttl does not cut short the user\'s other connections', async function () {
        const u = uid('u');
        const [long, short] = [conn(u), conn(u)];
        await store.connectionUp(long, TTL);
        await store.connectionUp(short, TTL);
        await store.refreshConnections([short], 150);
        await sleep(300);
        expect(await store.onlineUsers([u])).to.deep.equal(new Set([u]));
        expect(await store.connectionDown(long)).to.equal(true);
      });

      it('sweeps connections nobody refreshed: their users are reported offline once, others are not', async function () {
        const [gone, stays, tabs] = [uid('u'), uid('u'), uid('u')];
        await store.connectionUp(conn(gone), 150); // a node that died: never refreshed
        await store.connectionUp(conn(stays), TTL);
        await store.connectionUp(conn(tabs), 150); // one tab on the dead node, one alive elsewhere
        await store.connectionUp(conn(tabs), TTL);
        expect(await store.sweepConnections(Date.now()), 'nothing has expired yet').to.not.include(gone);
        await sleep(300);
        const offline = await store.sweepConnections(Date.now());
        expect(offline.filter((u) => [gone, stays, tabs].includes(u))).to.deep.equal([gone]);
        expect(await store.sweepConnections(Date.now()), 'reported once').to.not.include(gone);
        expect(await store.onlineUsers([gone, stays, tabs])).to.deep.equal(new Set([stays, tabs]));
      });

      it('sweeps a closed connection as nothing: connectionDown already reported it', async function () {
        const u = uid('u');
        const c = conn(u);
        await store.connectionUp(c, 150);
        expect(await store.connectionDown(c)).to.equal(true);
        await sleep(300);
        expect(await store.sweepConnections(Date.now())).to.not.include(u);
      });
    });

    describe('retention', function () {
      it('removes messages created before the cutoff from history, since and lookups, and keeps seq moving forward', async function () {
        const g = makeGroup();
        await store.createGroup(g, enrolmentOf(g.createdBy, 'facilitator'));
        const c: Conversation = { kind: 'group', id: g.id };
        const sender = user();
        const old = Date.now() - 10 * 86_400_000;
        const gone = [];
        for (let i = 0; i < 3; i++) gone.push((await store.appendMessage(c, draft(c, sender, { createdAt: old + i, clientMsgId: `old${i}` }))).message);
        const kept = (await store.appendMessage(c, draft(c, sender, { clientMsgId: 'new' }))).message;

        expect((await store.trimBefore(Date.now() - 86_400_000)).removed).to.be.at.least(3);
        expect((await store.history(c, { limit: 50 })).messages).to.deep.equal([kept]);
        expect(await store.history(c, { limit: 50 })).to.have.property('hasMore', false);
        expect((await store.since(c, 0, 50)).messages).to.deep.equal([kept]);
        expect(await store.findMessage(c, gone[0]!.id)).to.equal(null);
        expect(await store.messageByClientId(c, sender.id, 'old0')).to.equal(null);
        const next = await store.appendMessage(c, draft(c, sender, { clientMsgId: 'old0' }));
        expect(next.duplicate, 'a trimmed clientMsgId is no longer a duplicate').to.equal(false);
        expect(next.message.seq, 'seq numbers are never reused').to.equal(5);
        expect(await store.trimBefore(Date.now() - 86_400_000), 'nothing left to trim').to.deep.equal({ removed: 0, failed: [] });
      });

      it('trims partnership conversations too', async function () {
        const [a, b] = [user(), user()];
        const p = { id: uid('p'), users: [{ id: a.id, name: a.name }, { id: b.id, name: b.name }] as [{ id: string; name: string }, { id: string; name: string }], createdAt: Date.now(), status: 'active' as const };
        expect(await store.createPartnership(p, 3)).to.equal('created');
        const c: Conversation = { kind: 'partner', id: p.id };
        await store.appendMessage(c, draft(c, a, { createdAt: Date.now() - 5 * 86_400_000 }));
        const kept = (await store.appendMessage(c, draft(c, b))).message;
        await store.trimBefore(Date.now() - 86_400_000);
        expect((await store.history(c, { limit: 50 })).messages).to.deep.equal([kept]);
      });
    });

    describe('returned objects are copies', function () {
      it('mutating an ack, a history page, a since page or a found message does not change what is stored', async function () {
        const c = groupConv();
        const d = draft(c, user(), { text: 'keep me', clientMsgId: 'k' });
        const { message } = await store.appendMessage(c, d);
        const pristine = structuredClone(message);

        message.text = 'changed';
        message.sender.name = 'changed';
        message.conversation.id = 'changed';
        const page = await store.history(c, { limit: 10 });
        page.messages[0]!.text = 'changed';
        page.messages[0]!.sender.role = 'admin';
        page.messages.push(pristine);
        const later = await store.since(c, 0, 10);
        later.messages[0]!.text = 'changed';
        const found = (await store.findMessage(c, pristine.id))!;
        found.text = 'changed';
        found.reactions = { '❤️': ['x'] };

        expect(await store.findMessage(c, pristine.id)).to.deep.equal(pristine);
        expect(await store.history(c, { limit: 10 })).to.deep.equal({ messages: [pristine], hasMore: false });
        const retry = await store.appendMessage(c, draft(c, d.sender, { clientMsgId: 'k' }));
        retry.message.text = 'changed';
        expect(await store.findMessage(c, pristine.id)).to.deep.equal(pristine);
      });

      it('mutating the draft after appending does not change the stored message', async function () {
        const c = groupConv();
        const d = draft(c, user(), { text: 'as sent' });
        const { message } = await store.appendMessage(c, d);
        const pristine = structuredClone(message);
        d.text = 'changed';
        d.sender.name = 'changed';
        expect(await store.findMessage(c, d.id)).to.deep.equal(pristine);
      });

      it('mutating returned reactions does not change the stored reactions', async function () {
        const c = groupConv();
        const [m] = await appendN(c, 1);
        const u = uid('u');
        const r = (await store.toggleReaction(c, m!.id, '❤️', u))!;
        r['❤️']!.push('intruder');
        r['👏'] = ['intruder'];
        expect((await store.findMessage(c, m!.id))!.reactions).to.deep.equal({ '❤️': [u] });
      });

      it('mutating returned groups, enrolments, members and room state does not change what is stored', async function () {
        const g = makeGroup();
        const creator = enrolmentOf(g.createdBy, 'facilitator', 'Dana');
        await store.createGroup(g, creator);
        const u = uid('u');
        await store.setHand(g.id, u, true);

        (await store.getGroup(g.id))!.name = 'changed';
        (await store.getGroups([g.id]))[0]!.name = 'changed';
        (await store.enrolment(g.id, creator.userId))!.role = 'participant';
        (await store.members(g.id))[0]!.name = 'changed';
        (await store.groupIdsOf(creator.userId)).push('changed');
        (await store.roomState(g.id)).handQueue.push('changed');

        expect(await store.getGroup(g.id)).to.deep.equal(g);
        expect(await store.enrolment(g.id, creator.userId)).to.deep.equal(creator);
        expect(await store.members(g.id)).to.deep.equal([creator]);
        expect(await store.groupIdsOf(creator.userId)).to.deep.equal([g.id]);
        expect((await store.roomState(g.id)).handQueue).to.deep.equal([u]);
      });

      it('mutating the group or enrolment passed in does not change what is stored', async function () {
        const g = makeGroup();
        const creator = enrolmentOf(g.createdBy, 'facilitator', 'Dana');
        const original = { ...g };
        await store.createGroup(g, creator);
        const e = enrolmentOf(uid('u'), 'participant', 'Alex');
        await store.enrol(g.id, e);
        g.name = 'changed';
        creator.name = 'changed';
        e.role = 'facilitator';
        expect(await store.getGroup(g.id)).to.deep.equal(original);
        expect(await store.enrolment(g.id, creator.userId)).to.deep.equal({ ...creator, name: 'Dana' });
        expect(await store.enrolment(g.id, e.userId)).to.deep.equal({ ...e, role: 'participant' });
      });
    });

    describe('moderation', function () {
      describeModerationContract(() => store);
      describeAuditAndReportsContract(() => store);
      describe('sendToGroup', function () {
        describeSendToGroupContract(() => store);
      });
      describeAdmissionCases(() => store);
    });

    describe('accountability partners', function () {
      describePartnersContract(() => store);
    });

    describe('program alert queue', function () {
      describeProgramAlertsContract(() => store);
    });

    describe('readiness', function () {
      it('ping resolves', async function () {
        await store.ping();
      });
    });
  });
}
