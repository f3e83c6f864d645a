// The moderation part of the `Store` contract: erasing messages, room settings, mutes, bans,
// attendance, slow mode and the shared rate limiters (the audit log and the report queue are in
// audit-reports-contract.ts). Called from describeStoreContract (contract.ts), so it runs
// against every implementation.
import { expect } from 'chai';
import type { Conversation, GroupRole, Message, UserRef } from '../../shared/index.js';
import type { Store } from '../../server/store/store.js';
import { draft, groupConv, partnerConv, range, sleep, uid, user } from './contract.js';

const FRESH_STATE = { locked: false, slowModeSec: 0, sessionOpen: true, pinnedMessageId: null, handQueue: [] };

export function describeModerationContract(getStore: () => Store): void {
  let store: Store;

  before(function () {
    store = getStore();
  });

  async function appendN(c: Conversation, n: number, sender: UserRef = user()): Promise<Message[]> {
    const out: Message[] = [];
    for (let i = 1; i <= n; i++) out.push((await store.appendMessage(c, draft(c, sender, { text: `message ${i}` }))).message);
    return out;
  }

  /** What eraseMessage must leave of `m`. */
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
      const { message } = await store.appendMessage(c, d);
      await store.toggleReaction(c, message.id, '🤗', uid('u'));

      const result = await store.eraseMessage(c, message.id);
      expect(result).to.deep.equal({
        id: d.id, seq: 2, conversation: c, sender, kind: 'checkin', text: '', clientMsgId: 'k-1', createdAt: d.createdAt, deleted: true,
      });
      expect(result).to.not.have.property('checkin');
      expect(result).to.not.have.property('reactions');
    });

    it('the erased message is what history, since and findMessage serve, and the other messages are untouched', async function () {
      const c = groupConv();
      const all = await appendN(c, 3);
      await store.toggleReaction(c, all[1]!.id, '❤️', uid('u'));
      const result = await store.eraseMessage(c, all[1]!.id);
      expect(result).to.deep.equal(erased(all[1]!));
      expect(await store.findMessage(c, all[1]!.id)).to.deep.equal(result);
      expect(await store.history(c, { limit: 10 })).to.deep.equal({ messages: [all[0], result, all[2]], hasMore: false });
      expect(await store.since(c, 1, 1)).to.deep.equal({ messages: [result], hasMore: true });
    });

    it('with forgetClientMsgId also drops the clientMsgId and its idempotency entry (a person erasing their data), also after an earlier erase', async function () {
      const c = groupConv();
      const sender = user();
      const [m, n] = [(await store.appendMessage(c, draft(c, sender, { clientMsgId: 'k-1' }))).message, (await store.appendMessage(c, draft(c, sender, { clientMsgId: 'k-2' }))).message];
      await store.eraseMessage(c, n.id);
      for (const x of [m, n]) {
        const result = await store.eraseMessage(c, x.id, { forgetClientMsgId: true });
        const { clientMsgId: _forgotten, ...expected } = erased(x);
        expect(result).to.deep.equal(expected);
        expect(await store.findMessage(c, x.id)).to.deep.equal(result);
      }
      expect(await store.messageByClientId(c, sender.id, 'k-1')).to.equal(null);
      expect(await store.messageByClientId(c, sender.id, 'k-2')).to.equal(null);
    });

    it('erasing an already erased message returns it erased again and changes nothing', async function () {
      const c = groupConv();
      const [m] = await appendN(c, 1);
      const first = await store.eraseMessage(c, m!.id);
      expect(await store.eraseMessage(c, m!.id)).to.deep.equal(first);
      expect(await store.findMessage(c, m!.id)).to.deep.equal(erased(m!));
    });

    it('returns null for an unknown id or a message of another conversation, and erases nothing', async function () {
      const c = groupConv();
      const [m] = await appendN(c, 1);
      expect(await store.eraseMessage(c, uid('m'))).to.equal(null);
      expect(await store.eraseMessage(groupConv(), m!.id)).to.equal(null);
      expect(await store.eraseMessage(partnerConv(c.id), m!.id)).to.equal(null);
      expect(await store.findMessage(c, m!.id)).to.deep.equal(m);
    });

    it('erases in a partnership too', async function () {
      const p = partnerConv();
      const [m] = await appendN(p, 1);
      expect(await store.eraseMessage(p, m!.id)).to.deep.equal(erased(m!));
      expect(await store.findMessage(p, m!.id)).to.deep.equal(erased(m!));
    });

    it('a retried append with the erased message\'s clientMsgId returns the erased message as a duplicate and takes no seq', async function () {
      const c = groupConv();
      const sender = user();
      const { message } = await store.appendMessage(c, draft(c, sender, { text: 'something I regret', clientMsgId: 'k' }));
      await store.eraseMessage(c, message.id);
      const retry = await store.appendMessage(c, draft(c, sender, { text: 'something I regret', clientMsgId: 'k' }));
      expect(retry).to.deep.equal({ message: erased(message), duplicate: true });
      expect((await store.appendMessage(c, draft(c, sender, { clientMsgId: 'k2' }))).message.seq).to.equal(2);
      expect((await store.history(c, { limit: 10 })).messages.map((m) => m.seq)).to.deep.equal([1, 2]);
    });

    it('toggleReaction on an erased message returns null and leaves it erased', async function () {
      const c = groupConv();
      const [m] = await appendN(c, 1);
      await store.toggleReaction(c, m!.id, '👏', uid('u'));
      await store.eraseMessage(c, m!.id);
      expect(await store.toggleReaction(c, m!.id, '👏', uid('u'))).to.equal(null);
      expect(await store.findMessage(c, m!.id)).to.deep.equal(erased(m!));
    });

    it('the log stays gap-free: erasing amid concurrent appends keeps seqs 1..n and the next append gets n + 1', async function () {
      const c = groupConv();
      const first = await appendN(c, 10);
      const victims = [first[0]!, first[4]!, first[9]!];
      const [acks] = await Promise.all([
        Promise.all(range(1, 20).map(() => store.appendMessage(c, draft(c, user())))),
        Promise.all(victims.map((m) => store.eraseMessage(c, m.id))),
      ]);
      expect(acks.map((a) => a.message.seq).sort((a, b) => a - b)).to.deep.equal(range(11, 30));
      const page = await store.history(c, { limit: 100 });
      expect(page.messages.map((m) => m.seq)).to.deep.equal(range(1, 30));
      for (const v of victims) expect(page.messages[v.seq - 1]).to.deep.equal(erased(v));
      expect(page.messages.filter((m) => m.deleted)).to.have.length(3);
      expect((await store.appendMessage(c, draft(c, user()))).message.seq).to.equal(31);
    });

    it('mutating the erased message returned does not change what is stored', async function () {
      const c = groupConv();
      const [m] = await appendN(c, 1);
      const result = (await store.eraseMessage(c, m!.id))!;
      result.text = 'changed';
      result.sender.name = 'changed';
      expect(await store.findMessage(c, m!.id)).to.deep.equal(erased(m!));
    });
  });

  describe('updateRoomState', function () {
    it('a partial patch changes only the settings it names and returns the whole state', async function () {
      const g = uid('g');
      expect(await store.updateRoomState(g, { locked: true })).to.deep.equal({ ...FRESH_STATE, locked: true });
      expect(await store.updateRoomState(g, { slowModeSec: 30 })).to.deep.equal({ ...FRESH_STATE, locked: true, slowModeSec: 30 });
      expect(await store.updateRoomState(g, { sessionOpen: false })).to.deep.equal({
        ...FRESH_STATE, locked: true, slowModeSec: 30, sessionOpen: false,
      });
      expect(await store.updateRoomState(g, { locked: false, slowModeSec: 0 })).to.deep.equal({ ...FRESH_STATE, sessionOpen: false });
      expect(await store.roomState(g)).to.deep.equal({ ...FRESH_STATE, sessionOpen: false });
    });

    it('pinnedMessageId can be set, changed and set back to null', async function () {
      const g = uid('g');
      const [m1, m2] = [uid('m'), uid('m')];
      expect(await store.updateRoomState(g, { pinnedMessageId: m1 })).to.deep.equal({ ...FRESH_STATE, pinnedMessageId: m1 });
      expect(await store.updateRoomState(g, { pinnedMessageId: m2 })).to.deep.equal({ ...FRESH_STATE, pinnedMessageId: m2 });
      expect((await store.roomState(g)).pinnedMessageId).to.equal(m2);
      expect(await store.updateRoomState(g, { pinnedMessageId: null })).to.deep.equal(FRESH_STATE);
      expect(await store.roomState(g)).to.deep.equal(FRESH_STATE);
    });

    it('the returned state includes the current hand queue, which the patch leaves alone', async function () {
      const g = uid('g');
      const [a, b] = ['b_' + uid(), 'a_' + uid()];
      await store.setHand(g, a, true);
      await store.setHand(g, b, true);
      expect(await store.updateRoomState(g, { locked: true, slowModeSec: 10 })).to.deep.equal({
        ...FRESH_STATE, locked: true, slowModeSec: 10, handQueue: [a, b],
      });
      await store.setHand(g, a, false);
      expect(await store.roomState(g)).to.deep.equal({ ...FRESH_STATE, locked: true, slowModeSec: 10, handQueue: [b] });
    });

    it('an empty patch changes nothing and returns the current state', async function () {
      const g = uid('g');
      expect(await store.updateRoomState(g, {})).to.deep.equal(FRESH_STATE);
      await store.updateRoomState(g, { slowModeSec: 60 });
      expect(await store.updateRoomState(g, {})).to.deep.equal({ ...FRESH_STATE, slowModeSec: 60 });
    });

    it('a setting given as undefined is left unchanged', async function () {
      // Partial<RoomSettings> admits explicit undefined (exactOptionalPropertyTypes is off).
      const g = uid('g');
      const m = uid('m');
      await store.updateRoomState(g, { locked: true, slowModeSec: 5, sessionOpen: false, pinnedMessageId: m });
      const expected = { locked: true, slowModeSec: 5, sessionOpen: false, pinnedMessageId: m, handQueue: [] };
      expect(await store.updateRoomState(g, {
        locked: undefined, slowModeSec: undefined, sessionOpen: undefined, pinnedMessageId: undefined,
      })).to.deep.equal(expected);
      expect(await store.roomState(g)).to.deep.equal(expected);
    });

    it('settings of one group do not show in another', async function () {
      const [g1, g2] = [uid('g'), uid('g')];
      await store.updateRoomState(g1, { locked: true, slowModeSec: 20, sessionOpen: false, pinnedMessageId: uid('m') });
      expect(await store.roomState(g2)).to.deep.equal(FRESH_STATE);
      expect(await store.updateRoomState(g2, { slowModeSec: 5 })).to.deep.equal({ ...FRESH_STATE, slowModeSec: 5 });
      expect((await store.roomState(g1)).slowModeSec).to.equal(20);
    });

    it('mutating the returned state does not change what is stored', async function () {
      const g = uid('g');
      const state = await store.updateRoomState(g, { locked: true });
      state.locked = false;
      state.slowModeSec = 99;
      state.handQueue.push('intruder');
      expect(await store.roomState(g)).to.deep.equal({ ...FRESH_STATE, locked: true });
    });
  });

  describe('mutes', function () {
    it('a user never muted has no mute', async function () {
      expect(await store.muteOf(uid('g'), uid('u'), Date.now())).to.equal(null);
    });

    it('an open-ended mute is in force whatever the time, until cleared', async function () {
      const [g, u] = [uid('g'), uid('u')];
      await store.setMute(g, u, { until: null });
      expect(await store.muteOf(g, u, Date.now())).to.deep.equal({ until: null });
      expect(await store.muteOf(g, u, Date.now() + 10 * 365 * 86_400_000)).to.deep.equal({ until: null });
    });

    it('a timed mute is in force before its end and gone after it', async function () {
      const [g, u] = [uid('g'), uid('u')];
      const until = Date.now() + 10 * 60_000;
      await store.setMute(g, u, { until });
      expect(await store.muteOf(g, u, Date.now())).to.deep.equal({ until });
      expect(await store.muteOf(g, u, until - 1)).to.deep.equal({ until });
      expect(await store.muteOf(g, u, until + 1)).to.equal(null);
    });

    it('a timed mute whose end is already past is not in force', async function () {
      const [g, u] = [uid('g'), uid('u')];
      await store.setMute(g, u, { until: Date.now() - 1000 });
      expect(await store.muteOf(g, u, Date.now())).to.equal(null);
    });

    it('clearMute returns true and lifts the mute, and returns false when there is none', async function () {
      const [g, u] = [uid('g'), uid('u')];
      expect(await store.clearMute(g, u)).to.equal(false);
      await store.setMute(g, u, { until: null });
      expect(await store.clearMute(g, u)).to.equal(true);
      expect(await store.muteOf(g, u, Date.now())).to.equal(null);
      expect(await store.clearMute(g, u)).to.equal(false);
    });

    it('muting again replaces the previous mute, open-ended or timed', async function () {
      const [g, u] = [uid('g'), uid('u')];
      const now = Date.now();
      await store.setMute(g, u, { until: null });
      await store.setMute(g, u, { until: now + 60_000 });
      expect(await store.muteOf(g, u, now)).to.deep.equal({ until: now + 60_000 });
      expect(await store.muteOf(g, u, now + 120_000)).to.equal(null);
      await store.setMute(g, u, { until: now + 30_000 });
      expect(await store.muteOf(g, u, now + 45_000)).to.equal(null);
      await store.setMute(g, u, { until: null });
      expect(await store.muteOf(g, u, now + 120_000)).to.deep.equal({ until: null });
    });

    it('mutes are per user and per group', async function () {
      const [g1, g2, u1, u2] = [uid('g'), uid('g'), uid('u'), uid('u')];
      await store.setMute(g1, u1, { until: null });
      expect(await store.muteOf(g1, u2, Date.now())).to.equal(null);
      expect(await store.muteOf(g2, u1, Date.now())).to.equal(null);
      expect(await store.clearMute(g2, u1)).to.equal(false);
      expect(await store.muteOf(g1, u1, Date.now())).to.deep.equal({ until: null });
    });
  });

  describe('bans', function () {
    it('setBan returns true when it bans and false when the user is already banned', async function () {
      const [g, u] = [uid('g'), uid('u')];
      expect(await store.isBanned(g, u)).to.equal(false);
      expect(await store.setBan(g, u, true)).to.equal(true);
      expect(await store.isBanned(g, u)).to.equal(true);
      expect(await store.setBan(g, u, true)).to.equal(false);
      expect(await store.isBanned(g, u)).to.equal(true);
    });

    it('unbanning returns true when it lifts a ban and false when there was none', async function () {
      const [g, u] = [uid('g'), uid('u')];
      expect(await store.setBan(g, u, false)).to.equal(false);
      await store.setBan(g, u, true);
      expect(await store.setBan(g, u, false)).to.equal(true);
      expect(await store.isBanned(g, u)).to.equal(false);
      expect(await store.setBan(g, u, false)).to.equal(false);
    });

    it('bans are per user and per group', async function () {
      const [g1, g2, u1, u2] = [uid('g'), uid('g'), uid('u'), uid('u')];
      await store.setBan(g1, u1, true);
      expect(await store.isBanned(g2, u1)).to.equal(false);
      expect(await store.isBanned(g1, u2)).to.equal(false);
      expect(await store.setBan(g2, u1, true)).to.equal(true);
      expect(await store.setBan(g2, u1, false)).to.equal(true);
      expect(await store.isBanned(g1, u1)).to.equal(true);
    });
  });

  describe('attendance', function () {
    const now = Date.now();
    /** Enrols the user and joins, which records them as attending. */
    async function attend(g: string, u: string, role: GroupRole = 'participant'): Promise<void> {
      await store.enrol(g, { userId: u, role, name: 'Sam' });
      expect(await store.joinGroup(g, { userId: u, admin: false, now })).to.not.have.property('refused');
    }

    it('a member who joined is attending, and joining twice is harmless', async function () {
      const [g, u] = [uid('g'), uid('u')];
      await store.enrol(g, { userId: u, role: 'participant', name: 'Sam' });
      expect(await store.isAttending(g, u)).to.equal(false);
      const admission = { enrolment: { userId: u, role: 'participant', name: 'Sam' }, mute: null };
      expect(await store.joinGroup(g, { userId: u, admin: false, now })).to.deep.equal(admission);
      expect(await store.joinGroup(g, { userId: u, admin: false, now })).to.deep.equal(admission);
      expect(await store.isAttending(g, u)).to.equal(true);
      expect(await store.isAttending(uid('g'), u)).to.equal(false);
    });

    it('joinGroup refuses, first reason first, banned (not admins) and not enrolled, and records no attendance then', async function () {
      const [g, stranger, banned, admin] = [uid('g'), uid('u'), uid('u'), uid('u')];
      await store.enrol(g, { userId: banned, role: 'facilitator', name: 'Sam' });
      await store.setBan(g, banned, true);
      await store.setBan(g, stranger, true);
      await store.setBan(g, admin, true);
      expect(await store.joinGroup(g, { userId: banned, admin: false, now })).to.deep.equal({ refused: 'banned' });
      expect(await store.joinGroup(g, { userId: stranger, admin: false, now })).to.deep.equal({ refused: 'banned' });
      await store.setBan(g, stranger, false);
      expect(await store.joinGroup(g, { userId: stranger, admin: false, now })).to.deep.equal({ refused: 'not-enrolled' });
      expect([await store.isAttending(g, banned), await store.isAttending(g, stranger)]).to.deep.equal([false, false]);
      expect(await store.joinGroup(g, { userId: admin, admin: true, now })).to.deep.equal({ enrolment: null, mute: null });
    });

    it('joinGroup keeps a participant who is not back from this session out of a locked room, but not one who is, nor facilitators and admins', async function () {
      const [g, back, late, fac, admin] = [uid('g'), uid('u'), uid('u'), uid('u'), uid('u')];
      await attend(g, back);
      await store.enrol(g, { userId: late, role: 'participant', name: 'Sam' });
      await store.enrol(g, { userId: fac, role: 'facilitator', name: 'Sam' });
      await store.updateRoomState(g, { locked: true });
      expect(await store.joinGroup(g, { userId: late, admin: false, now })).to.deep.equal({ refused: 'locked-out' });
      expect(await store.isAttending(g, late)).to.equal(false);
      expect(await store.joinGroup(g, { userId: back, admin: false, now })).to.not.have.property('refused');
      expect(await store.joinGroup(g, { userId: fac, admin: false, now })).to.not.have.property('refused');
      expect(await store.joinGroup(g, { userId: admin, admin: true, now })).to.not.have.property('refused');
      await store.forgetAttending(g);
      expect(await store.joinGroup(g, { userId: back, admin: false, now }), 'a new session').to.deep.equal({ refused: 'locked-out' });
    });

    it('joinGroup returns the mute in force at now: open, or timed until its end', async function () {
      const [g, open, timed] = [uid('g'), uid('u'), uid('u')];
      for (const u of [open, timed]) await store.enrol(g, { userId: u, role: 'participant', name: 'Sam' });
      await store.setMute(g, open, { until: null });
      await store.setMute(g, timed, { until: now + 60_000 });
      expect(await store.joinGroup(g, { userId: open, admin: false, now })).to.have.deep.property('mute', { until: null });
      expect(await store.joinGroup(g, { userId: timed, admin: false, now })).to.have.deep.property('mute', { until: now + 60_000 });
      expect(await store.joinGroup(g, { userId: timed, admin: false, now: now + 60_000 })).to.have.property('mute', null);
    });

    it('lockedOut is true exactly while the room is locked and the user is not attending this session, whatever their role', async function () {
      const [g, back, late, fac] = [uid('g'), uid('u'), uid('u'), uid('u')];
      await attend(g, back);
      await store.enrol(g, { userId: late, role: 'participant', name: 'Sam' });
      await store.enrol(g, { userId: fac, role: 'facilitator', name: 'Sam' });
      const lockedOut = () => Promise.all([back, late, fac].map((u) => store.lockedOut(g, u)));
      expect(await lockedOut(), 'an open room').to.deep.equal([false, false, false]);
      await store.updateRoomState(g, { locked: true });
      expect(await lockedOut(), 'locked').to.deep.equal([false, true, true]);
      await store.forgetAttending(g, back);
      expect(await lockedOut(), 'back removed').to.deep.equal([true, true, true]);
      expect(await store.lockedOut(uid('g'), late), 'another group').to.equal(false);
      await store.updateRoomState(g, { locked: false });
      expect(await lockedOut(), 'unlocked').to.deep.equal([false, false, false]);
    });

    it('forgetAttending with a user forgets only that user', async function () {
      const [g, a, b] = [uid('g'), uid('u'), uid('u')];
      await attend(g, a);
      await attend(g, b);
      await store.forgetAttending(g, a);
      expect(await store.isAttending(g, a)).to.equal(false);
      expect(await store.isAttending(g, b)).to.equal(true);
    });

    it('forgetAttending without a user forgets everyone in that group and no one elsewhere', async function () {
      const [g, other, a, b] = [uid('g'), uid('g'), uid('u'), uid('u')];
      for (const u of [a, b]) {
        await attend(g, u);
        await attend(other, u);
      }
      await store.forgetAttending(g);
      expect([await store.isAttending(g, a), await store.isAttending(g, b)]).to.deep.equal([false, false]);
      expect([await store.isAttending(other, a), await store.isAttending(other, b)]).to.deep.equal([true, true]);
      await attend(g, a);
      expect(await store.isAttending(g, a)).to.equal(true);
    });

    it('forgetting in a group or of a user with no attendance resolves', async function () {
      await store.forgetAttending(uid('g'));
      await store.forgetAttending(uid('g'), uid('u'));
    });
  });

  describe('rateLimiter', function () {
    const limit = { points: 3, durationSec: 1 };

    it('with 3 points a second, three takes return 0, the fourth the ms until a point is free, and after the second the budget is back', async function () {
      const take = store.rateLimiter(uid('rl'), limit);
      const key = uid('u');
      expect([await take(key), await take(key), await take(key)]).to.deep.equal([0, 0, 0]);
      const wait = await take(key);
      expect(wait).to.be.greaterThan(0);
      expect(wait).to.be.at.most(1000);
      await sleep(1100);
      expect(await take(key)).to.equal(0);
    });

    it('each key has its own budget', async function () {
      const take = store.rateLimiter(uid('rl'), limit);
      const [a, b] = [uid('u'), uid('u')];
      for (let i = 0; i < 3; i++) await take(a);
      expect(await take(a)).to.be.greaterThan(0);
      expect(await take(b)).to.equal(0);
    });

    it('two limiters with the same name on one store share the budget, and other names do not', async function () {
      // The limit must hold whichever node takes the point. For RedisStore the budget lives in
      // Redis, so every node's limiter shares it; a MemoryStore is one node, so its limiters share
      // within that store instance (two MemoryStore instances never share anything).
      const name = uid('rl');
      const [here, there, other] = [store.rateLimiter(name, limit), store.rateLimiter(name, limit), store.rateLimiter(uid('rl'), limit)];
      const key = uid('u');
      expect([await here(key), await there(key), await here(key)]).to.deep.equal([0, 0, 0]);
      expect(await there(key)).to.be.greaterThan(0);
      expect(await here(key)).to.be.greaterThan(0);
      expect(await other(key)).to.equal(0);
    });
  });
}
