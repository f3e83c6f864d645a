// Facilitator controls over the room (§5 mod:lock, mod:session, mod:slowmode, mod:pin,
// mod:lowerHand, mod:delete) with real clients on both stores. Who may use them is tested in
// moderation-members.test.ts; the audit log in audit.test.ts.
import { expect } from 'chai';
import type { Ack, GroupState } from '../../shared/index.js';
import { codeOf, TestClient, waitFor } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { enrol, makeGroup, startServer, STORE_KINDS, type TestServer } from '../support/server.js';

/** 'ok', or the error code of a refused ack. */
const retryOf = (res: Ack<unknown>) => (res.ok ? undefined : res.error.retryAfterMs);

for (const kind of STORE_KINDS) {
  describe(`moderation of the room (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, enter, send, sent, room, closeAll } = roomClients(() => srv);
    const ENROLMENT_ACTIONS = ['enrol', 'change_role', 'unenrol'];
    /** The group's audit log without the enrolments that set the test up (those are audit.test.ts's). */
    const audit = async (groupId: string) =>
      (await srv.store.auditLog.audit(groupId, { limit: 200 })).entries.filter((e) => !ENROLMENT_ACTIONS.includes(e.action));
    const stateEvent = (c: TestClient, groupId: string, pred: (s: GroupState) => boolean) =>
      c.waitEvent('group:state', (p) => p.groupId === groupId && pred(p.state));

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    describe('lock', () => {
      it('tells the room, refuses participants who have not joined this session with ROOM_LOCKED, and admits those who have, facilitators and admins', async () => {
        const fac = srv.user('facilitator');
        const coFac = srv.user('facilitator');
        const [back, late, present] = [srv.user(), srv.user(), srv.user()];
        const groupId = await makeGroup(srv, fac, [back, late, present]);
        await enrol(srv, groupId, fac, coFac, 'facilitator', coFac.name);
        (await enter(back, groupId)).close(); // joined this session, then lost the connection
        const cp = await enter(present, groupId);
        const cf = await enter(fac, groupId);

        await cf.ok('mod:lock', { groupId, locked: true });
        const locked = await stateEvent(cp, groupId, (s) => s.locked);
        expect(locked).to.deep.equal({
          groupId,
          state: {
            locked: true,
            waitingRoom: false,
            slowModeSec: 0,
            sessionOpen: true,
            pinnedMessageId: null,
            quietPartnerChat: false,
            handQueue: [],
            session: null,
            nextSessionStart: null,
          },
        });
        await stateEvent(cf, groupId, (s) => s.locked);

        const cl = await connect(late);
        const refused = await cl.ack('group:join', { groupId });
        expect(codeOf(refused)).to.equal('ROOM_LOCKED');
        expect(codeOf(await cl.ack('group:join', { groupId })), 'the refused join did not make them attending').to.equal('ROOM_LOCKED');
        expect((await (await connect(back)).ack('group:join', { groupId })).ok, 'a participant back from this session').to.equal(true);
        expect((await cp.ack('group:join', { groupId })).ok, 'a participant rejoining').to.equal(true);
        expect((await (await connect(coFac)).ack('group:join', { groupId })).ok, 'a facilitator who had not joined').to.equal(true);
        expect((await (await connect(srv.user('admin'))).ack('group:join', { groupId })).ok, 'an admin').to.equal(true);
        await cf.ok('mod:lock', { groupId, locked: false });
        await stateEvent(cp, groupId, (s) => !s.locked);
        expect((await cl.ack('group:join', { groupId })).ok).to.equal(true);
        expect((await audit(groupId)).map((e) => e.action)).to.deep.equal(['unlock', 'lock']);
      });

      it('refuses send, hand and reaction with ROOM_LOCKED from a member the locked room refused and from a participant removed while it was locked, and delivers none of it', async () => {
        const fac = srv.user('facilitator');
        const coFac = srv.user('facilitator');
        const [present, late, removed] = [srv.user(), srv.user(), srv.user()];
        const groupId = await makeGroup(srv, fac, [present, late, removed]);
        await enrol(srv, groupId, fac, coFac, 'facilitator', coFac.name);
        const cp = await enter(present, groupId);
        const cr = await enter(removed, groupId);
        const cf = await enter(fac, groupId);
        const shared = await sent(cp, groupId, 'a share to react to');
        await cf.ok('mod:lock', { groupId, locked: true });
        const cl = await connect(late);
        expect(codeOf(await cl.ack('group:join', { groupId }))).to.equal('ROOM_LOCKED');
        await cf.ok('mod:remove', { groupId, userId: removed.id });
        await cr.waitEvent('mod:notice', (p) => p.action === 'removed');
        await cp.sync(groupId);
        const seenByPresent = cp.events.length;

        for (const [who, c] of [
          ['refused at the door', cl],
          ['removed', cr],
        ] as const) {
          const refused = [
            await send(c, groupId, 'let me in'),
            await c.ack('group:hand', { groupId, raised: true }),
            await c.ack('group:react', { groupId, messageId: shared.id, emoji: '❤️' }),
          ];
          expect(refused.map(codeOf), who).to.deep.equal(['ROOM_LOCKED', 'ROOM_LOCKED', 'ROOM_LOCKED']);
          expect(codeOf(await c.ack('group:hand', { groupId, raised: false })), `${who}: lowering a hand is always allowed`).to.equal('ok');
        }
        const conv = { kind: 'group', id: groupId } as const;
        expect((await srv.store.log.history(conv, { limit: 10 })).messages.map((m) => m.text)).to.deep.equal(['a share to react to']);
        expect((await srv.store.log.findMessage(conv, shared.id))?.reactions).to.equal(undefined);
        expect((await srv.store.room.roomState(groupId)).handQueue).to.deep.equal([]);
        await cp.sync(groupId);
        expect(
          cp.events.slice(seenByPresent).map((e) => e.event),
          'nothing reached the room',
        ).to.deep.equal([]);

        // Those in the room go on; facilitators and admins are never locked out, joined or not.
        expect(codeOf(await cp.ack('group:react', { groupId, messageId: shared.id, emoji: '🙏' }))).to.equal('ok');
        expect(codeOf(await cp.ack('group:hand', { groupId, raised: true }))).to.equal('ok');
        for (const c of [cp, cf, await connect(coFac), await connect(srv.user('admin'))])
          expect(codeOf(await send(c, groupId))).to.equal('ok');

        await cf.ok('mod:lock', { groupId, locked: false });
        for (const c of [cl, cr]) {
          expect(codeOf(await send(c, groupId, 'thank you'))).to.equal('ok');
          expect(codeOf(await c.ack('group:react', { groupId, messageId: shared.id, emoji: '💪' }))).to.equal('ok');
        }
      });

      it('reopening a closed session starts a new attendance, while closing or re-opening an open one does not', async () => {
        const {
          groupId,
          cs: [ca],
          cf,
        } = await room(1);
        await cf.ok('mod:lock', { groupId, locked: true });

        await cf.ok('mod:session', { groupId, open: true }); // already open
        expect(codeOf(await ca.ack('group:join', { groupId })), 'after opening an open session').to.equal('ok');
        await cf.ok('mod:session', { groupId, open: false });
        await stateEvent(ca, groupId, (s) => !s.sessionOpen);
        expect(codeOf(await ca.ack('group:join', { groupId })), 'after closing the session').to.equal('ok');
        await cf.ok('mod:session', { groupId, open: true });
        await stateEvent(ca, groupId, (s) => s.sessionOpen);
        expect(codeOf(await ca.ack('group:join', { groupId })), 'next session, room locked').to.equal('ROOM_LOCKED');
        expect(codeOf(await cf.ack('group:join', { groupId })), 'the facilitator').to.equal('ok');
        expect((await audit(groupId)).map((e) => e.action)).to.deep.equal(['session_open', 'session_close', 'session_open', 'lock']);
      });
    });

    describe('session', () => {
      it('a closed session refuses participants\u2019 sends with SESSION_CLOSED while they read, facilitators and admins still send, and reopening lets everyone send', async () => {
        const {
          groupId,
          cs: [ca, cb],
          cf,
        } = await room(2);
        await sent(ca, groupId, 'before closing');

        await cf.ok('mod:session', { groupId, open: false });
        expect((await stateEvent(cb, groupId, (s) => !s.sessionOpen)).state.sessionOpen).to.equal(false);
        expect((await srv.store.room.roomState(groupId)).sessionOpen).to.equal(false);
        const refused = await send(ca, groupId, 'one more thing');
        expect(codeOf(refused)).to.equal('SESSION_CLOSED');
        expect(retryOf(refused)).to.equal(undefined);
        expect(codeOf(await send(cb, groupId))).to.equal('SESSION_CLOSED');

        const closing = await sent(cf, groupId, 'thank you all, see you Thursday');
        const admin = await connect(srv.user('admin'));
        const fromAdmin = await sent(admin, groupId, 'a note from the program');
        for (const c of [ca, cb]) {
          await waitFor(() => c.messages(groupId).some((m) => m.id === fromAdmin.id), 'messages reaching participants');
          expect(c.messages(groupId).map((m) => m.id)).to.include(closing.id);
        }
        expect((await ca.ok('group:history', { groupId })).messages.map((m) => m.text)).to.deep.equal([
          'before closing',
          'thank you all, see you Thursday',
          'a note from the program',
        ]);

        await cf.ok('mod:session', { groupId, open: true });
        await stateEvent(ca, groupId, (s) => s.sessionOpen);
        expect(codeOf(await send(ca, groupId, 'hello again'))).to.equal('ok');
        expect((await audit(groupId)).map((e) => e.action)).to.deep.equal(['session_open', 'session_close']);
      });
    });

    describe('slow mode', () => {
      it('lets a participant send once per interval, answers SLOW_MODE with retryAfterMs within it, exempts facilitators, and 0 turns it off', async () => {
        const {
          groupId,
          cs: [ca, cb],
          cf,
        } = await room(2);

        await cf.ok('mod:slowmode', { groupId, seconds: 30 });
        expect((await stateEvent(ca, groupId, (s) => s.slowModeSec === 30)).state.slowModeSec).to.equal(30);
        expect(codeOf(await send(ca, groupId, 'first'))).to.equal('ok');
        const second = await send(ca, groupId, 'second');
        expect(codeOf(second)).to.equal('SLOW_MODE');
        expect(retryOf(second)).to.be.within(25_000, 30_000);
        expect(codeOf(await send(cb, groupId, 'mine is my first')), 'slow mode is per participant').to.equal('ok');
        for (let i = 0; i < 3; i++) expect(codeOf(await send(cf, groupId, `facilitator ${i}`)), 'facilitators are exempt').to.equal('ok');
        expect((await srv.store.log.history({ kind: 'group', id: groupId }, { limit: 10 })).messages.map((m) => m.text)).to.not.include(
          'second',
        );

        await cf.ok('mod:slowmode', { groupId, seconds: 0 });
        await stateEvent(ca, groupId, (s) => s.slowModeSec === 0);
        expect(codeOf(await send(ca, groupId, 'free again'))).to.equal('ok');
        expect(codeOf(await send(ca, groupId, 'and again'))).to.equal('ok');
        expect((await audit(groupId)).map((e) => [e.action, e.value])).to.deep.equal([
          ['slowmode', 0],
          ['slowmode', 30],
        ]);
      });

      it('lets the participant send again once the interval has passed', async () => {
        const {
          groupId,
          cs: [ca],
          cf,
        } = await room(1);
        await cf.ok('mod:slowmode', { groupId, seconds: 1 });
        const t0 = Date.now();
        expect(codeOf(await send(ca, groupId, 'first'))).to.equal('ok');
        let res = await send(ca, groupId, 'second');
        expect(codeOf(res)).to.equal('SLOW_MODE');
        expect(retryOf(res)).to.be.within(1, 1000);
        const deadline = Date.now() + 4000;
        while (!res.ok) {
          expect(codeOf(res)).to.equal('SLOW_MODE');
          expect(Date.now(), 'the interval should have passed').to.be.below(deadline);
          await new Promise((r) => setTimeout(r, Math.min(retryOf(res) ?? 50, 200)));
          res = await send(ca, groupId, 'second');
        }
        expect(res.data.message.createdAt - t0, 'not before the interval').to.be.at.least(1000);
      });

      it('a shortened interval applies to the next send at once', async () => {
        const {
          groupId,
          cs: [ca],
          cf,
        } = await room(1);
        await cf.ok('mod:slowmode', { groupId, seconds: 300 });
        expect(codeOf(await send(ca, groupId, 'first'))).to.equal('ok');
        expect(retryOf(await send(ca, groupId, 'too soon'))).to.be.above(290_000);

        await cf.ok('mod:slowmode', { groupId, seconds: 2 });
        let res = await send(ca, groupId, 'second');
        if (!res.ok) {
          expect(res.error.code).to.equal('SLOW_MODE');
          expect(res.error.retryAfterMs, 'at most the new interval').to.be.within(1, 2000);
        }
        const deadline = Date.now() + 5000;
        while (!res.ok) {
          expect(Date.now(), 'the new interval should have passed').to.be.below(deadline);
          await new Promise((r) => setTimeout(r, Math.min(retryOf(res) ?? 50, 200)));
          res = await send(ca, groupId, 'second');
        }
      });
    });

    describe('quiet partner chat', () => {
      it('is off by default; a facilitator turns it on and off, the room is told, each change is audited', async () => {
        const {
          groupId,
          cs: [ca],
          cf,
        } = await room(1);
        expect((await srv.store.room.roomState(groupId)).quietPartnerChat).to.equal(false);

        await cf.ok('mod:quiet', { groupId, quiet: true });
        expect((await stateEvent(ca, groupId, (s) => s.quietPartnerChat)).state.quietPartnerChat).to.equal(true);
        await cf.ok('mod:quiet', { groupId, quiet: false });
        await stateEvent(ca, groupId, (s) => !s.quietPartnerChat);
        expect(codeOf(await cf.ack('mod:quiet', { groupId, quiet: 'yes' }))).to.equal('BAD_REQUEST');
        expect((await audit(groupId)).map((e) => e.action)).to.deep.equal(['quiet_off', 'quiet_on']);
      });
    });

    describe('pin', () => {
      it('sets and clears state.pinnedMessageId for the room, and refuses unknown, foreign and deleted messages with NOT_FOUND', async () => {
        const fac = srv.user('facilitator');
        const a = srv.user();
        const groupId = await makeGroup(srv, fac, [a]);
        const otherGroup = await makeGroup(srv, fac);
        const ca = await enter(a, groupId);
        const cf = await enter(fac, groupId);
        const rules = await sent(cf, groupId, 'Group agreements: what is said here stays here');
        const topic = await sent(cf, groupId, 'Tonight: coping with weekends');
        const foreign = await sent(await enter(fac, otherGroup), otherGroup, 'elsewhere');

        await cf.ok('mod:pin', { groupId, messageId: rules.id });
        expect((await stateEvent(ca, groupId, (s) => s.pinnedMessageId === rules.id)).state.pinnedMessageId).to.equal(rules.id);
        expect((await ca.ok('group:join', { groupId })).state.pinnedMessageId).to.equal(rules.id);
        await cf.ok('mod:pin', { groupId, messageId: topic.id });
        await stateEvent(ca, groupId, (s) => s.pinnedMessageId === topic.id);
        await cf.ok('mod:pin', { groupId, messageId: null });
        await stateEvent(ca, groupId, (s) => s.pinnedMessageId === null);
        expect((await srv.store.room.roomState(groupId)).pinnedMessageId).to.equal(null);

        await cf.ok('mod:pin', { groupId, messageId: rules.id });
        await cf.ok('mod:delete', { groupId, messageId: topic.id });
        await ca.sync(groupId);
        const seen = ca.received('group:state').length;
        for (const messageId of ['no-such-message', foreign.id, topic.id]) {
          expect(codeOf(await cf.ack('mod:pin', { groupId, messageId })), messageId).to.equal('NOT_FOUND');
        }
        expect((await srv.store.room.roomState(groupId)).pinnedMessageId).to.equal(rules.id);
        await ca.sync(groupId);
        expect(ca.received('group:state').length, 'no state event for a refused pin').to.equal(seen);
        expect((await audit(groupId)).map((e) => [e.action, e.messageId])).to.deep.equal([
          ['delete', topic.id],
          ['pin', rules.id],
          ['unpin', undefined],
          ['pin', topic.id],
          ['pin', rules.id],
        ]);
      });
    });

    describe('hands', () => {
      it('queues raised hands first raised first, and lowerHand lowers one and tells the room', async () => {
        const fac = srv.user('facilitator');
        const [a, b, c] = [srv.user(), srv.user(), srv.user()];
        const groupId = await makeGroup(srv, fac, [a, b, c]);
        const [ca, cb, cc] = [await enter(a, groupId), await enter(b, groupId), await enter(c, groupId)];
        const cf = await enter(fac, groupId);
        await cb.ok('group:hand', { groupId, raised: true });
        await ca.ok('group:hand', { groupId, raised: true });
        await cc.ok('group:hand', { groupId, raised: true });
        await stateEvent(cf, groupId, (s) => s.handQueue.length === 3);
        expect((await srv.store.room.roomState(groupId)).handQueue).to.deep.equal([b.id, a.id, c.id]);

        // The facilitator calls on b, then lowers b's hand.
        await cf.ok('mod:lowerHand', { groupId, userId: b.id });
        for (const client of [ca, cb, cc, cf]) {
          await client.waitEvent('group:hand', (h) => h.userId === b.id && !h.raised);
          const s = await stateEvent(client, groupId, (st) => st.handQueue.length === 2 && !st.handQueue.includes(b.id));
          expect(s.state.handQueue).to.deep.equal([a.id, c.id]);
        }
        const joined = await cf.ok('group:join', { groupId });
        expect(joined.state.handQueue).to.deep.equal([a.id, c.id]);
        expect(
          joined.members
            .filter((m) => m.handRaised)
            .map((m) => m.id)
            .sort(),
        ).to.deep.equal([a.id, c.id].sort());
        await cb.ok('group:hand', { groupId, raised: true });
        await stateEvent(cf, groupId, (s) => s.handQueue.length === 3);
        expect((await srv.store.room.roomState(groupId)).handQueue, 'a hand raised again goes to the back').to.deep.equal([
          a.id,
          c.id,
          b.id,
        ]);
        const [entry] = await audit(groupId);
        expect(entry).to.deep.include({ action: 'lower_hand', targetUserId: b.id });
      });
    });

    describe('delete', () => {
      it('erases a message for everyone: the room gets group:deleted, history serves it empty and deleted, the store keeps no text, and seq stays gap-free', async () => {
        const {
          people: [a],
          groupId,
          cs: [ca, cb],
          cf,
        } = await room(2);
        const m1 = await sent(ca, groupId, 'checking in');
        const m2 = await sent(ca, groupId, 'my dealer Joe lives on 5th street');
        const m3 = await sent(ca, groupId, 'sorry, that was too much');
        await cb.ok('group:react', { groupId, messageId: m2.id, emoji: '🙏' });

        await cf.ok('mod:delete', { groupId, messageId: m2.id, reason: 'identifying details' });
        for (const c of [ca, cb, cf]) {
          expect(await c.waitEvent('group:deleted')).to.deep.equal({ groupId, messageId: m2.id });
          await c.sync(groupId);
          expect(c.received('group:deleted')).to.have.length(1);
        }
        const erased = { ...m2, text: '', deleted: true };
        const history = await cb.ok('group:history', { groupId });
        expect(history.messages).to.deep.equal([m1, erased, m3]);
        expect((await cf.ok('group:join', { groupId })).messages).to.deep.equal([m1, erased, m3]);

        const conv = { kind: 'group', id: groupId } as const;
        expect(await srv.store.log.findMessage(conv, m2.id)).to.deep.equal(erased);
        const stored = await srv.store.log.history(conv, { limit: 100 });
        expect(stored.messages.map((m) => m.seq)).to.deep.equal([1, 2, 3]);
        expect(JSON.stringify(stored)).to.not.include('dealer');
        expect(JSON.stringify(await srv.store.log.since(conv, 0, 100))).to.not.include('dealer');

        expect(codeOf(await cb.ack('group:react', { groupId, messageId: m2.id, emoji: '❤️' }))).to.equal('NOT_FOUND');
        expect((await sent(ca, groupId, 'moving on')).seq).to.equal(4);
        const [entry] = await audit(groupId);
        expect(entry).to.deep.include({ action: 'delete', messageId: m2.id, targetUserId: a.id, reason: 'identifying details' });
      });

      it('a client catching up with since, or joining afresh, gets the deleted message without its text', async () => {
        const fac = srv.user('facilitator');
        const [a, b] = [srv.user(), srv.user()];
        const groupId = await makeGroup(srv, fac, [a, b]);
        const ca = await enter(a, groupId);
        const cf = await enter(fac, groupId);
        const away = await enter(b, groupId);
        const m1 = await sent(ca, groupId, 'hi all');
        await waitFor(() => away.messages(groupId).some((m) => m.id === m1.id), 'the first message');
        away.close();

        const m2 = await sent(ca, groupId, 'I used again, call me at 555-0100');
        const m3 = await sent(ca, groupId, 'still here');
        await cf.ok('mod:delete', { groupId, messageId: m2.id });
        const erased = { ...m2, text: '', deleted: true };

        const backAgain = await connect(b);
        const caughtUp = await backAgain.ok('group:join', { groupId, since: m1.seq });
        expect(caughtUp.messages).to.deep.equal([erased, m3]);
        expect(caughtUp.hasMore).to.equal(false);
        const fresh = await backAgain.ok('group:join', { groupId });
        expect(fresh.messages).to.deep.equal([m1, erased, m3]);
        expect(JSON.stringify([caughtUp, fresh])).to.not.include('555-0100');
      });

      it('answers NOT_FOUND for an unknown message or one of another group, erases nothing and tells nobody', async () => {
        const fac = srv.user('facilitator');
        const a = srv.user();
        const groupId = await makeGroup(srv, fac, [a]);
        const otherGroup = await makeGroup(srv, fac);
        const ca = await enter(a, groupId);
        const cf = await enter(fac, groupId);
        const co = await enter(fac, otherGroup);
        const here = await sent(ca, groupId, 'here');
        const there = await sent(co, otherGroup, 'there');

        expect(codeOf(await cf.ack('mod:delete', { groupId, messageId: 'no-such-message' }))).to.equal('NOT_FOUND');
        expect(codeOf(await cf.ack('mod:delete', { groupId, messageId: there.id }))).to.equal('NOT_FOUND');
        expect(await srv.store.log.findMessage({ kind: 'group', id: otherGroup }, there.id)).to.deep.equal(there);
        expect(await srv.store.log.findMessage({ kind: 'group', id: groupId }, here.id)).to.deep.equal(here);
        for (const c of [ca, cf, co]) {
          await c.sync(groupId);
          expect(c.received('group:deleted')).to.deep.equal([]);
        }
        expect(await audit(groupId)).to.deep.equal([]);
        expect(await audit(otherGroup)).to.deep.equal([]);
      });

      it('deleting the pinned message unpins it and tells the room', async () => {
        const {
          groupId,
          cs: [ca],
          cf,
        } = await room(1);
        const m = await sent(ca, groupId, 'pin me');
        await cf.ok('mod:pin', { groupId, messageId: m.id });
        await stateEvent(ca, groupId, (s) => s.pinnedMessageId === m.id);

        await cf.ok('mod:delete', { groupId, messageId: m.id });
        await ca.waitEvent('group:deleted');
        await stateEvent(ca, groupId, (s) => s.pinnedMessageId === null);
        expect((await srv.store.room.roomState(groupId)).pinnedMessageId).to.equal(null);
        expect((await ca.ok('group:join', { groupId })).state.pinnedMessageId).to.equal(null);
        expect(codeOf(await cf.ack('mod:pin', { groupId, messageId: m.id }))).to.equal('NOT_FOUND');
      });
    });
  });
}
