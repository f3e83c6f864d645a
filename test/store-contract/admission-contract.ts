// The admission port's contract (RoomAdmission in server/store/ports.ts): a group send judged and
// appended in one step, refusing exactly what the separate reads (isBanned, enrolment, muteOf,
// roomState, the 'send' budget) say, first reason first, and storing what appendMessage would; a
// join judged and recorded in one step; and admission's case list. Run against every store by
// stores.test.ts.
import { expect } from 'chai';
import type { GroupRole } from '../../shared/index.js';
import type { Stores } from '../../server/store/ports.js';
import type { GroupSend, RateLimit } from '../../server/store/store.js';
import { describeAdmissionCases } from './admission-cases.js';
import { attend, attending, range, sleep, uid } from './fixtures.js';

const ROOMY: RateLimit = { points: 1000, durationSec: 60 };

export function describeAdmissionContract(getStore: () => Stores): void {
  describe('admission port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    const send = (
      userId: string,
      opts: { admin?: boolean; flood?: RateLimit; now?: number; clientMsgId?: string; name?: string; text?: string } = {},
    ): GroupSend => ({
      draft: {
        id: uid('m'),
        sender: { id: userId, name: opts.name ?? 'Sam' },
        kind: 'text',
        text: opts.text ?? 'hello',
        createdAt: Date.now(),
        ...(opts.clientMsgId === undefined ? {} : { clientMsgId: opts.clientMsgId }),
      },
      admin: opts.admin ?? false,
      flood: opts.flood ?? ROOMY,
      now: opts.now ?? Date.now(),
    });

    async function member(role: GroupRole = 'participant', g = uid('g')): Promise<[string, string]> {
      const u = uid('u');
      await store.groups.enrol(g, { userId: u, role, name: 'Sam' });
      return [g, u];
    }

    describe('sendToGroup', function () {
      it("stores a member's message with their group role, the next seq and an epoch, as history and lookups serve it", async function () {
        const [g, fac] = await member('facilitator');
        const [, pat] = await member('participant', g);
        const name = 'Sam "the" \\ 🙂 Ünïcode';
        const first = await store.admission.sendToGroup(g, send(fac, { clientMsgId: 'c1', name, text: 'line one\n"quoted" \u2028' }));
        const second = await store.admission.sendToGroup(g, send(pat));
        expect(first).to.have.property('duplicate', false);
        expect(second).to.have.property('duplicate', false);
        if ('refused' in first || 'refused' in second) throw new Error('refused');
        expect(first.message).to.deep.include({
          seq: 1,
          conversation: { kind: 'group', id: g },
          sender: { id: fac, name, role: 'facilitator' },
          text: 'line one\n"quoted" \u2028',
          clientMsgId: 'c1',
        });
        expect(second.message).to.deep.include({ seq: 2, sender: { id: pat, name: 'Sam', role: 'participant' } });
        expect(second.message).to.not.have.property('clientMsgId');
        const c = { kind: 'group', id: g } as const;
        expect((await store.log.history(c, { limit: 10 })).messages).to.deep.equal([first.message, second.message]);
        expect(await store.log.messageByClientId(c, fac, 'c1')).to.deep.equal(first.message);
        expect(await store.log.findMessage(c, second.message.id)).to.deep.equal(second.message);
        expect(await store.log.logEpoch(c))
          .to.be.a('string')
          .and.not.equal('');
      });

      it('lets an admin send without an enrolment, as admin, even when banned', async function () {
        const [g] = await member('facilitator');
        const admin = uid('u');
        await store.moderation.setBan(g, admin, true);
        const result = await store.admission.sendToGroup(g, send(admin, { admin: true }));
        if ('refused' in result) throw new Error(`refused: ${result.refused}`);
        expect(result.message.sender).to.deep.equal({ id: admin, name: 'Sam', role: 'admin' });
      });

      it('refuses someone not enrolled, and a banned one as banned first', async function () {
        const [g] = await member('facilitator');
        const stranger = uid('u');
        expect(await store.admission.sendToGroup(g, send(stranger))).to.deep.equal({ refused: 'not-enrolled' });
        await store.moderation.setBan(g, stranger, true);
        expect(await store.admission.sendToGroup(g, send(stranger))).to.deep.equal({ refused: 'banned' });
        expect(await store.log.lastSeq({ kind: 'group', id: g })).to.equal(0);
      });

      it('refuses first reason first: banned, muted, over the budget, session closed, slow mode; and stores only what passes', async function () {
        const [g, u] = await member();
        // Two sends a second, every attempt counted: the waits let the budget refill.
        const flood = { points: 2, durationSec: 1 };
        await store.moderation.setBan(g, u, true);
        await store.moderation.setMute(g, u, { until: null });
        await store.room.updateRoomState(g, { sessionOpen: false, slowModeSec: 60 });
        expect(await store.admission.sendToGroup(g, send(u, { flood }))).to.deep.equal({ refused: 'banned' });
        await store.moderation.setBan(g, u, false);
        expect(await store.admission.sendToGroup(g, send(u, { flood }))).to.deep.equal(
          { refused: 'muted', until: null },
          'muted comes before the spent budget',
        );
        await store.moderation.clearMute(g, u);
        const spent = await store.admission.sendToGroup(g, send(u, { flood }));
        expect(spent).to.have.property('refused', 'rate-limited');
        expect((spent as { retryAfterMs: number }).retryAfterMs).to.be.within(1, 1000);
        await sleep(1100);
        expect(await store.admission.sendToGroup(g, send(u, { flood }))).to.deep.equal({ refused: 'session-closed' });
        await store.room.updateRoomState(g, { sessionOpen: true });
        expect(await store.admission.sendToGroup(g, send(u, { flood }))).to.have.property('duplicate', false);
        await sleep(1100);
        const slow = await store.admission.sendToGroup(g, send(u, { flood }));
        expect(slow).to.deep.include({ refused: 'slow-mode', slowModeSec: 60 });
        expect((slow as { retryAfterMs: number }).retryAfterMs).to.be.within(57_000, 60_000);
        expect(await store.log.lastSeq({ kind: 'group', id: g })).to.equal(1);
      });

      it('holds facilitators to mutes and the budget but not to a closed session or slow mode', async function () {
        const [g, fac] = await member('facilitator');
        const flood = { points: 2, durationSec: 60 };
        await store.room.updateRoomState(g, { sessionOpen: false, slowModeSec: 60 });
        expect(await store.admission.sendToGroup(g, send(fac, { flood }))).to.have.property('duplicate', false);
        expect(await store.admission.sendToGroup(g, send(fac, { flood }))).to.have.property('duplicate', false);
        expect(await store.admission.sendToGroup(g, send(fac, { flood }))).to.have.property('refused', 'rate-limited');
        await store.moderation.setMute(g, fac, { until: null });
        expect(await store.admission.sendToGroup(g, send(fac, { flood }))).to.deep.equal({ refused: 'muted', until: null });
      });

      it('counts a timed mute until its end, as muteOf does', async function () {
        const [g, u] = await member();
        const now = Date.now();
        await store.moderation.setMute(g, u, { until: now + 60_000 });
        expect(await store.admission.sendToGroup(g, send(u, { now }))).to.deep.equal({ refused: 'muted', until: now + 60_000 });
        expect(await store.admission.sendToGroup(g, send(u, { now: now + 60_000 }))).to.have.property('duplicate', false);
      });

      it('refuses a participant not attending this session while the room is locked, as waiting after banned and before muted; never facilitators or admins', async function () {
        const [g, u] = await member();
        const [, fac] = await member('facilitator', g);
        const admin = uid('u');
        await store.room.updateRoomState(g, { locked: true });
        await store.moderation.setMute(g, u, { until: null });
        await store.moderation.setBan(g, u, true);
        expect(await store.admission.sendToGroup(g, send(u))).to.deep.equal({ refused: 'banned' });
        await store.moderation.setBan(g, u, false);
        expect(await store.admission.sendToGroup(g, send(u)), 'waiting comes before muted').to.deep.equal({
          refused: 'waiting',
          waitingRoom: false,
        });
        await store.moderation.clearMute(g, u);
        expect(await store.admission.sendToGroup(g, send(u))).to.deep.equal({ refused: 'waiting', waitingRoom: false });
        expect(await store.admission.sendToGroup(g, send(fac))).to.have.property('duplicate', false);
        expect(await store.admission.sendToGroup(g, send(admin, { admin: true }))).to.have.property('duplicate', false);
        // A join while the room was open makes them attending: the lock lets them go on, until a remove forgets them.
        await store.room.updateRoomState(g, { locked: false });
        expect(await store.admission.joinGroup(g, { userId: u, admin: false, now: Date.now() })).to.not.have.property('refused');
        await store.room.updateRoomState(g, { locked: true });
        expect(await store.admission.sendToGroup(g, send(u))).to.have.property('duplicate', false);
        await store.moderation.forgetAttending(g, u);
        expect(await store.admission.sendToGroup(g, send(u))).to.deep.equal({ refused: 'waiting', waitingRoom: false });
        await store.room.updateRoomState(g, { locked: false });
        expect(await store.admission.sendToGroup(g, send(u)), 'an open room asks no attendance').to.have.property('duplicate', false);
        expect(await store.log.lastSeq({ kind: 'group', id: g })).to.equal(4);
      });

      it('answers a resend with the original and stores nothing, whatever refuses the sender now', async function () {
        const [g, u] = await member();
        const original = await store.admission.sendToGroup(g, send(u, { clientMsgId: 'once', text: 'first' }));
        if ('refused' in original) throw new Error('refused');
        await store.moderation.setBan(g, u, true);
        await store.moderation.setMute(g, u, { until: null });
        await store.groups.unenrol(g, u);
        await store.room.updateRoomState(g, { sessionOpen: false, locked: true });
        const again = await store.admission.sendToGroup(
          g,
          send(u, { clientMsgId: 'once', text: 'second', flood: { points: 1, durationSec: 60 } }),
        );
        expect(again).to.deep.equal({ message: original.message, duplicate: true });
        expect(await store.log.lastSeq({ kind: 'group', id: g })).to.equal(1);
      });

      it('shares the send budget with the store\'s "send" rate limiter', async function () {
        const [g, u] = await member();
        const limit = { points: 3, durationSec: 60 };
        const take = store.limits.rateLimiter('send', limit);
        expect([await take(u), await take(u)]).to.deep.equal([0, 0]);
        expect(await store.admission.sendToGroup(g, send(u, { flood: limit }))).to.have.property('duplicate', false);
        expect(await store.admission.sendToGroup(g, send(u, { flood: limit }))).to.have.property('refused', 'rate-limited');
        expect(await take(u)).to.be.greaterThan(0);
      });

      describe('slow mode', function () {
        it('once the interval has passed the next send goes again, and a refused send does not extend it', async function () {
          const [g, u] = await member();
          await store.room.updateRoomState(g, { slowModeSec: 1 });
          expect(await store.admission.sendToGroup(g, send(u))).to.have.property('duplicate', false);
          const refused = await store.admission.sendToGroup(g, send(u));
          expect((refused as { retryAfterMs: number }).retryAfterMs).to.be.within(1, 1000);
          await sleep(1100);
          expect(await store.admission.sendToGroup(g, send(u))).to.have.property('duplicate', false);
          expect(await store.admission.sendToGroup(g, send(u))).to.have.property('refused', 'slow-mode');
        });

        it('measures the wait with the interval in force now, so shortening slow mode shortens it', async function () {
          const [g, u] = await member();
          await store.room.updateRoomState(g, { slowModeSec: 60 });
          expect(await store.admission.sendToGroup(g, send(u))).to.have.property('duplicate', false);
          await store.room.updateRoomState(g, { slowModeSec: 1 });
          const refused = await store.admission.sendToGroup(g, send(u));
          expect(refused).to.deep.include({ refused: 'slow-mode', slowModeSec: 1 });
          expect((refused as { retryAfterMs: number }).retryAfterMs).to.be.within(1, 1000);
        });

        it('keeps a slot per member and per group', async function () {
          const g1 = uid('g');
          const [, u1] = await member('participant', g1);
          const [, u2] = await member('participant', g1);
          const g2 = uid('g');
          await store.groups.enrol(g2, { userId: u1, role: 'participant', name: 'Sam' });
          for (const g of [g1, g2]) await store.room.updateRoomState(g, { slowModeSec: 60 });
          for (const [g, u] of [
            [g1, u1],
            [g1, u2],
            [g2, u1],
          ] as const)
            expect(await store.admission.sendToGroup(g, send(u))).to.have.property('duplicate', false);
          expect(await store.admission.sendToGroup(g1, send(u1))).to.have.property('refused', 'slow-mode');
        });

        it('of 20 concurrent sends by one member stores exactly one', async function () {
          const [g, u] = await member();
          await store.room.updateRoomState(g, { slowModeSec: 60 });
          const results = await Promise.all(range(1, 20).map(() => store.admission.sendToGroup(g, send(u))));
          expect(results.filter((r) => 'message' in r)).to.have.length(1);
          expect(results.filter((r) => 'refused' in r && r.refused === 'slow-mode')).to.have.length(19);
          expect(await store.log.lastSeq({ kind: 'group', id: g })).to.equal(1);
        });
      });
    });

    describe('joinGroup', function () {
      const now = Date.now();

      it('a member who joined is attending, and joining twice is harmless', async function () {
        const [g, u] = [uid('g'), uid('u')];
        await store.groups.enrol(g, { userId: u, role: 'participant', name: 'Sam' });
        expect(await attending(store, g, u)).to.equal(false);
        const admission = { enrolment: { userId: u, role: 'participant', name: 'Sam' }, mute: null };
        expect(await store.admission.joinGroup(g, { userId: u, admin: false, now })).to.deep.equal(admission);
        expect(await store.admission.joinGroup(g, { userId: u, admin: false, now })).to.deep.equal(admission);
        expect(await attending(store, g, u)).to.equal(true);
        expect(await attending(store, uid('g'), u)).to.equal(false);
      });

      it('joinGroup refuses, first reason first, banned (not admins) and not enrolled, and records no attendance then', async function () {
        const [g, stranger, banned, admin] = [uid('g'), uid('u'), uid('u'), uid('u')];
        await store.groups.enrol(g, { userId: banned, role: 'facilitator', name: 'Sam' });
        await store.moderation.setBan(g, banned, true);
        await store.moderation.setBan(g, stranger, true);
        await store.moderation.setBan(g, admin, true);
        expect(await store.admission.joinGroup(g, { userId: banned, admin: false, now })).to.deep.equal({ refused: 'banned' });
        expect(await store.admission.joinGroup(g, { userId: stranger, admin: false, now })).to.deep.equal({ refused: 'banned' });
        await store.moderation.setBan(g, stranger, false);
        expect(await store.admission.joinGroup(g, { userId: stranger, admin: false, now })).to.deep.equal({ refused: 'not-enrolled' });
        expect([await attending(store, g, banned), await attending(store, g, stranger)]).to.deep.equal([false, false]);
        expect(await store.admission.joinGroup(g, { userId: admin, admin: true, now })).to.deep.equal({ enrolment: null, mute: null });
      });

      it('joinGroup keeps a participant who is not back from this session out of a locked room, but not one who is, nor facilitators and admins', async function () {
        const [g, back, late, fac, admin] = [uid('g'), uid('u'), uid('u'), uid('u'), uid('u')];
        await attend(store, g, back);
        await store.groups.enrol(g, { userId: late, role: 'participant', name: 'Sam' });
        await store.groups.enrol(g, { userId: fac, role: 'facilitator', name: 'Sam' });
        await store.room.updateRoomState(g, { locked: true });
        expect(await store.admission.joinGroup(g, { userId: late, admin: false, now })).to.deep.equal({
          refused: 'waiting',
          waitingRoom: false,
        });
        expect(await attending(store, g, late)).to.equal(false);
        expect(await store.admission.joinGroup(g, { userId: back, admin: false, now })).to.not.have.property('refused');
        expect(await store.admission.joinGroup(g, { userId: fac, admin: false, now })).to.not.have.property('refused');
        expect(await store.admission.joinGroup(g, { userId: admin, admin: true, now })).to.not.have.property('refused');
        await store.moderation.forgetAttending(g);
        expect(await store.admission.joinGroup(g, { userId: back, admin: false, now }), 'a new session').to.deep.equal({
          refused: 'waiting',
          waitingRoom: false,
        });
      });

      it('joinGroup returns the mute in force at now: open, or timed until its end', async function () {
        const [g, open, timed] = [uid('g'), uid('u'), uid('u')];
        for (const u of [open, timed]) await store.groups.enrol(g, { userId: u, role: 'participant', name: 'Sam' });
        await store.moderation.setMute(g, open, { until: null });
        await store.moderation.setMute(g, timed, { until: now + 60_000 });
        expect(await store.admission.joinGroup(g, { userId: open, admin: false, now })).to.have.deep.property('mute', { until: null });
        expect(await store.admission.joinGroup(g, { userId: timed, admin: false, now })).to.have.deep.property('mute', {
          until: now + 60_000,
        });
        expect(await store.admission.joinGroup(g, { userId: timed, admin: false, now: now + 60_000 })).to.have.property('mute', null);
      });
    });

    describeAdmissionCases(() => store);
  });
}
