// The moderation port's contract (RoomModeration in server/store/ports.ts): mutes, bans and
// attendance (which joins record). Run against every store by stores.test.ts.
import { expect } from 'chai';
import type { Stores } from '../../server/store/ports.js';
import { attend, attending, uid } from './fixtures.js';

export function describeModerationContract(getStore: () => Stores): void {
  describe('moderation port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    describe('mutes', function () {
      it('a user never muted has no mute', async function () {
        expect(await store.moderation.muteOf(uid('g'), uid('u'), Date.now())).to.equal(null);
      });

      it('an open-ended mute is in force whatever the time, until cleared', async function () {
        const [g, u] = [uid('g'), uid('u')];
        await store.moderation.setMute(g, u, { until: null });
        expect(await store.moderation.muteOf(g, u, Date.now())).to.deep.equal({ until: null });
        expect(await store.moderation.muteOf(g, u, Date.now() + 10 * 365 * 86_400_000)).to.deep.equal({ until: null });
      });

      it('a timed mute is in force before its end and gone after it', async function () {
        const [g, u] = [uid('g'), uid('u')];
        const until = Date.now() + 10 * 60_000;
        await store.moderation.setMute(g, u, { until });
        expect(await store.moderation.muteOf(g, u, Date.now())).to.deep.equal({ until });
        expect(await store.moderation.muteOf(g, u, until - 1)).to.deep.equal({ until });
        expect(await store.moderation.muteOf(g, u, until + 1)).to.equal(null);
      });

      it('a timed mute whose end is already past is not in force', async function () {
        const [g, u] = [uid('g'), uid('u')];
        await store.moderation.setMute(g, u, { until: Date.now() - 1000 });
        expect(await store.moderation.muteOf(g, u, Date.now())).to.equal(null);
      });

      it('clearMute returns true and lifts the mute, and returns false when there is none', async function () {
        const [g, u] = [uid('g'), uid('u')];
        expect(await store.moderation.clearMute(g, u)).to.equal(false);
        await store.moderation.setMute(g, u, { until: null });
        expect(await store.moderation.clearMute(g, u)).to.equal(true);
        expect(await store.moderation.muteOf(g, u, Date.now())).to.equal(null);
        expect(await store.moderation.clearMute(g, u)).to.equal(false);
      });

      it('muting again replaces the previous mute, open-ended or timed', async function () {
        const [g, u] = [uid('g'), uid('u')];
        const now = Date.now();
        await store.moderation.setMute(g, u, { until: null });
        await store.moderation.setMute(g, u, { until: now + 60_000 });
        expect(await store.moderation.muteOf(g, u, now)).to.deep.equal({ until: now + 60_000 });
        expect(await store.moderation.muteOf(g, u, now + 120_000)).to.equal(null);
        await store.moderation.setMute(g, u, { until: now + 30_000 });
        expect(await store.moderation.muteOf(g, u, now + 45_000)).to.equal(null);
        await store.moderation.setMute(g, u, { until: null });
        expect(await store.moderation.muteOf(g, u, now + 120_000)).to.deep.equal({ until: null });
      });

      it('mutes are per user and per group', async function () {
        const [g1, g2, u1, u2] = [uid('g'), uid('g'), uid('u'), uid('u')];
        await store.moderation.setMute(g1, u1, { until: null });
        expect(await store.moderation.muteOf(g1, u2, Date.now())).to.equal(null);
        expect(await store.moderation.muteOf(g2, u1, Date.now())).to.equal(null);
        expect(await store.moderation.clearMute(g2, u1)).to.equal(false);
        expect(await store.moderation.muteOf(g1, u1, Date.now())).to.deep.equal({ until: null });
      });

      it("mutes lists the group's mutes in force at `now`, open and timed, and none of another group's", async function () {
        const [g, other, open, timed, ended, lifted] = [uid('g'), uid('g'), uid('u'), uid('u'), uid('u'), uid('u')];
        const now = Date.now();
        expect(await store.moderation.mutes(g, now)).to.deep.equal([]);
        await store.moderation.setMute(g, open, { until: null });
        await store.moderation.setMute(g, timed, { until: now + 60_000 });
        await store.moderation.setMute(g, ended, { until: now - 1 });
        await store.moderation.setMute(g, lifted, { until: null });
        await store.moderation.clearMute(g, lifted);
        await store.moderation.setMute(other, uid('u'), { until: null });
        const listed = (await store.moderation.mutes(g, now)).sort((a, b) => a.userId.localeCompare(b.userId));
        const expected = [
          { userId: open, until: null },
          { userId: timed, until: now + 60_000 },
        ].sort((a, b) => a.userId.localeCompare(b.userId));
        expect(listed).to.deep.equal(expected);
        expect(await store.moderation.mutes(g, now + 120_000)).to.deep.equal([{ userId: open, until: null }]);
      });
    });

    describe('bans', function () {
      it('setBan returns true when it bans and false when the user is already banned', async function () {
        const [g, u] = [uid('g'), uid('u')];
        expect(await store.moderation.isBanned(g, u)).to.equal(false);
        expect(await store.moderation.setBan(g, u, true)).to.equal(true);
        expect(await store.moderation.isBanned(g, u)).to.equal(true);
        expect(await store.moderation.setBan(g, u, true)).to.equal(false);
        expect(await store.moderation.isBanned(g, u)).to.equal(true);
      });

      it('unbanning returns true when it lifts a ban and false when there was none', async function () {
        const [g, u] = [uid('g'), uid('u')];
        expect(await store.moderation.setBan(g, u, false)).to.equal(false);
        await store.moderation.setBan(g, u, true);
        expect(await store.moderation.setBan(g, u, false)).to.equal(true);
        expect(await store.moderation.isBanned(g, u)).to.equal(false);
        expect(await store.moderation.setBan(g, u, false)).to.equal(false);
      });

      it('bans are per user and per group', async function () {
        const [g1, g2, u1, u2] = [uid('g'), uid('g'), uid('u'), uid('u')];
        await store.moderation.setBan(g1, u1, true);
        expect(await store.moderation.isBanned(g2, u1)).to.equal(false);
        expect(await store.moderation.isBanned(g1, u2)).to.equal(false);
        expect(await store.moderation.setBan(g2, u1, true)).to.equal(true);
        expect(await store.moderation.setBan(g2, u1, false)).to.equal(true);
        expect(await store.moderation.isBanned(g1, u1)).to.equal(true);
      });

      it("bans lists the group's banned users, none of another group's, and not those unbanned", async function () {
        const [g, other, a, b, c] = [uid('g'), uid('g'), uid('u'), uid('u'), uid('u')];
        expect(await store.moderation.bans(g)).to.deep.equal([]);
        for (const u of [a, b, c]) await store.moderation.setBan(g, u, true);
        await store.moderation.setBan(g, b, false);
        await store.moderation.setBan(other, uid('u'), true);
        expect((await store.moderation.bans(g)).sort()).to.deep.equal([a, c].sort());
      });
    });

    describe('attendance', function () {
      it('waitingFacts tells the lock, the waiting room and whether the user attends this session, whatever their role', async function () {
        const [g, back, late, fac] = [uid('g'), uid('u'), uid('u'), uid('u')];
        await attend(store, g, back);
        await store.groups.enrol(g, { userId: late, role: 'participant', name: 'Sam' });
        await store.groups.enrol(g, { userId: fac, role: 'facilitator', name: 'Sam' });
        const facts = () => Promise.all([back, late, fac].map((u) => store.moderation.waitingFacts(g, u)));
        const room = (locked: boolean, waitingRoom: boolean, admitted: boolean[]) =>
          admitted.map((a) => ({ locked, waitingRoom, admitted: a }));
        expect(await facts(), 'an open room').to.deep.equal(room(false, false, [true, false, false]));
        await store.room.updateRoomState(g, { locked: true });
        expect(await facts(), 'locked').to.deep.equal(room(true, false, [true, false, false]));
        await store.moderation.forgetAttending(g, back);
        await store.room.updateRoomState(g, { waitingRoom: true });
        expect(await facts(), 'back removed, waiting room on').to.deep.equal(room(true, true, [false, false, false]));
        expect(await store.moderation.waitingFacts(uid('g'), late), 'another group').to.deep.equal({
          locked: false,
          waitingRoom: false,
          admitted: false,
        });
        await store.room.updateRoomState(g, { locked: false, waitingRoom: false });
        expect(await facts(), 'unlocked').to.deep.equal(room(false, false, [false, false, false]));
      });

      it('attendAll is true only when every one of the users attends this session', async function () {
        const [g, a, b, c] = [uid('g'), uid('u'), uid('u'), uid('u')];
        await attend(store, g, a);
        await attend(store, g, b);
        await store.groups.enrol(g, { userId: c, role: 'participant', name: 'Sam' });
        expect(await store.moderation.attendAll(g, [a, b])).to.equal(true);
        expect(await store.moderation.attendAll(g, [a, c])).to.equal(false);
        expect(await store.moderation.attendAll(uid('g'), [a])).to.equal(false);
        await store.moderation.forgetAttending(g);
        expect(await store.moderation.attendAll(g, [a, b])).to.equal(false);
      });

      it('forgetAttending with a user forgets only that user', async function () {
        const [g, a, b] = [uid('g'), uid('u'), uid('u')];
        await attend(store, g, a);
        await attend(store, g, b);
        await store.moderation.forgetAttending(g, a);
        expect(await attending(store, g, a)).to.equal(false);
        expect(await attending(store, g, b)).to.equal(true);
      });

      it('forgetAttending without a user forgets everyone in that group and no one elsewhere', async function () {
        const [g, other, a, b] = [uid('g'), uid('g'), uid('u'), uid('u')];
        for (const u of [a, b]) {
          await attend(store, g, u);
          await attend(store, other, u);
        }
        await store.moderation.forgetAttending(g);
        expect([await attending(store, g, a), await attending(store, g, b)]).to.deep.equal([false, false]);
        expect([await attending(store, other, a), await attending(store, other, b)]).to.deep.equal([true, true]);
        await attend(store, g, a);
        expect(await attending(store, g, a)).to.equal(true);
      });

      it('forgetting in a group or of a user with no attendance resolves', async function () {
        await store.moderation.forgetAttending(uid('g'));
        await store.moderation.forgetAttending(uid('g'), uid('u'));
      });
    });

    describe('waiting list', function () {
      /** A group with its waiting room on and two participants knocking, `a` first. */
      async function knocking(): Promise<{ g: string; a: string; b: string; now: number }> {
        const [g, a, b, now] = [uid('g'), uid('u'), uid('u'), Date.now()];
        await store.room.updateRoomState(g, { waitingRoom: true });
        for (const u of [a, b]) await store.groups.enrol(g, { userId: u, role: 'participant', name: 'Sam' });
        expect(await store.admission.joinGroup(g, { userId: a, admin: false, now })).to.deep.equal({
          waiting: { since: now },
          knocked: true,
        });
        expect(await store.admission.joinGroup(g, { userId: b, admin: false, now: now + 5 })).to.deep.equal({
          waiting: { since: now + 5 },
          knocked: true,
        });
        return { g, a, b, now };
      }

      it('a join into a waiting room puts the person on the list once, keeping their first knock, longest waiting first', async function () {
        const { g, a, b, now } = await knocking();
        expect(await store.admission.joinGroup(g, { userId: a, admin: false, now: now + 60 }), 'knocking again').to.deep.equal({
          waiting: { since: now },
          knocked: false,
        });
        // Another tab's knock in the same millisecond is still not a new knock (the staff hear nothing new).
        expect(await store.admission.joinGroup(g, { userId: b, admin: false, now: now + 5 }), 'again, same instant').to.deep.equal({
          waiting: { since: now + 5 },
          knocked: false,
        });
        expect(await store.moderation.waitingList(g)).to.deep.equal([
          { userId: a, since: now },
          { userId: b, since: now + 5 },
        ]);
        expect([await attending(store, g, a), await attending(store, g, b)]).to.deep.equal([false, false]);
        expect(await store.moderation.waitingList(uid('g')), 'another group').to.deep.equal([]);
      });

      it('admitWaiting lets in those waiting (once each, with when they knocked) and they attend this session; all lets everyone in', async function () {
        const { g, a, b, now } = await knocking();
        expect(await store.moderation.admitWaiting(g, [a, uid('u')]), 'one of them waits').to.deep.equal([{ userId: a, since: now }]);
        expect(await store.moderation.admitWaiting(g, [a]), 'already in').to.deep.equal([]);
        expect(await attending(store, g, a)).to.equal(true);
        expect((await store.moderation.waitingList(g)).map((w) => w.userId)).to.deep.equal([b]);
        expect(await store.admission.joinGroup(g, { userId: a, admin: false, now: Date.now() }), 'an admitted join').to.have.property(
          'enrolment',
        );
        expect(await store.moderation.admitWaiting(g, 'all')).to.deep.equal([{ userId: b, since: now + 5 }]);
        expect(await store.moderation.waitingList(g)).to.deep.equal([]);
        expect(await store.moderation.admitWaiting(g, 'all'), 'no one waits').to.deep.equal([]);
        expect(await store.moderation.admitWaiting(g, []), 'no one named').to.deep.equal([]);
      });

      it('leaveWaiting takes one person off the list and answers when they knocked; a later knock starts again', async function () {
        const { g, a, b, now } = await knocking();
        expect(await store.moderation.leaveWaiting(g, a), 'when they knocked').to.equal(now);
        expect(await store.moderation.leaveWaiting(g, a), 'not on it any more').to.equal(null);
        expect((await store.moderation.waitingList(g)).map((w) => w.userId)).to.deep.equal([b]);
        expect(await attending(store, g, a)).to.equal(false);
        expect(await store.admission.joinGroup(g, { userId: a, admin: false, now: now + 99 })).to.deep.equal({
          waiting: { since: now + 99 },
          knocked: true,
        });
      });

      it('an admitted join takes the person off the list (the waiting room turned off meanwhile)', async function () {
        const { g, a, b } = await knocking();
        await store.room.updateRoomState(g, { waitingRoom: false });
        expect(await store.admission.joinGroup(g, { userId: a, admin: false, now: Date.now() })).to.have.property('enrolment');
        expect((await store.moderation.waitingList(g)).map((w) => w.userId)).to.deep.equal([b]);
      });

      it('a new session keeps the list: those waiting still wait', async function () {
        const { g, a, b } = await knocking();
        await store.moderation.forgetAttending(g);
        expect((await store.moderation.waitingList(g)).map((w) => w.userId)).to.deep.equal([a, b]);
      });
    });
  });
}
