// The room port's contract (RoomState in server/store/ports.ts): a group's settings and its hand
// queue. Run against every store by stores.test.ts.
import { expect } from 'chai';
import type { Stores } from '../../server/store/ports.js';
import { FRESH_STATE, uid } from './fixtures.js';

export function describeRoomContract(getStore: () => Stores): void {
  describe('room port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    describe('room state', function () {
      it('a fresh group is unlocked, not slowed, open, unpinned and has no raised hands', async function () {
        expect(await store.room.roomState(uid('g'))).to.deep.equal({
          locked: false,
          waitingRoom: false,
          slowModeSec: 0,
          sessionOpen: true,
          pinnedMessageId: null,
          quietPartnerChat: false,
          handQueue: [],
          session: null,
          nextSessionStart: null,
        });
      });

      it('raising a hand returns true, and raising it again returns false', async function () {
        const g = uid('g');
        const u = uid('u');
        expect(await store.room.setHand(g, u, true)).to.equal(true);
        expect(await store.room.setHand(g, u, true)).to.equal(false);
        expect((await store.room.roomState(g)).handQueue).to.deep.equal([u]);
      });

      it('lowering a raised hand returns true, and lowering a hand that is down returns false', async function () {
        const g = uid('g');
        const u = uid('u');
        expect(await store.room.setHand(g, u, false)).to.equal(false);
        await store.room.setHand(g, u, true);
        expect(await store.room.setHand(g, u, false)).to.equal(true);
        expect(await store.room.setHand(g, u, false)).to.equal(false);
        expect((await store.room.roomState(g)).handQueue).to.deep.equal([]);
      });

      it('the hand queue is first raised first, whatever the user ids', async function () {
        const g = uid('g');
        // Ids that sort the opposite way round from the order the hands go up, raised back to back.
        const order = ['zoe_' + uid(), 'mia_' + uid(), 'amy_' + uid(), 'bob_' + uid()];
        for (const u of order) await store.room.setHand(g, u, true);
        expect((await store.room.roomState(g)).handQueue).to.deep.equal(order);
      });

      it('a lowered and re-raised hand goes to the back of the queue', async function () {
        const g = uid('g');
        const [a, b, c] = ['c_' + uid(), 'b_' + uid(), 'a_' + uid()];
        for (const u of [a, b, c]) await store.room.setHand(g, u, true);
        await store.room.setHand(g, a, false);
        expect((await store.room.roomState(g)).handQueue).to.deep.equal([b, c]);
        await store.room.setHand(g, a, true);
        expect((await store.room.roomState(g)).handQueue).to.deep.equal([b, c, a]);
        await store.room.setHand(g, c, false);
        expect((await store.room.roomState(g)).handQueue).to.deep.equal([b, a]);
      });

      it('hands in one group do not show in another, and the rest of the state keeps its defaults', async function () {
        const [g1, g2] = [uid('g'), uid('g')];
        const u = uid('u');
        await store.room.setHand(g1, u, true);
        expect(await store.room.roomState(g2)).to.deep.equal({
          locked: false,
          waitingRoom: false,
          slowModeSec: 0,
          sessionOpen: true,
          pinnedMessageId: null,
          quietPartnerChat: false,
          handQueue: [],
          session: null,
          nextSessionStart: null,
        });
        expect(await store.room.roomState(g1)).to.deep.equal({
          locked: false,
          waitingRoom: false,
          slowModeSec: 0,
          sessionOpen: true,
          pinnedMessageId: null,
          quietPartnerChat: false,
          handQueue: [u],
          session: null,
          nextSessionStart: null,
        });
      });
    });

    describe('updateRoomState', function () {
      it('a partial patch changes only the settings it names and returns the whole state', async function () {
        const g = uid('g');
        expect(await store.room.updateRoomState(g, { locked: true })).to.deep.equal({ ...FRESH_STATE, locked: true });
        expect(await store.room.updateRoomState(g, { slowModeSec: 30 })).to.deep.equal({ ...FRESH_STATE, locked: true, slowModeSec: 30 });
        expect(await store.room.updateRoomState(g, { sessionOpen: false })).to.deep.equal({
          ...FRESH_STATE,
          locked: true,
          slowModeSec: 30,
          sessionOpen: false,
        });
        expect(await store.room.updateRoomState(g, { locked: false, slowModeSec: 0 })).to.deep.equal({
          ...FRESH_STATE,
          sessionOpen: false,
        });
        expect(await store.room.updateRoomState(g, { waitingRoom: true })).to.deep.equal({
          ...FRESH_STATE,
          sessionOpen: false,
          waitingRoom: true,
        });
        expect(await store.room.updateRoomState(g, { waitingRoom: false })).to.deep.equal({ ...FRESH_STATE, sessionOpen: false });
        expect(await store.room.roomState(g)).to.deep.equal({ ...FRESH_STATE, sessionOpen: false });
      });

      it('pinnedMessageId can be set, changed and set back to null', async function () {
        const g = uid('g');
        const [m1, m2] = [uid('m'), uid('m')];
        expect(await store.room.updateRoomState(g, { pinnedMessageId: m1 })).to.deep.equal({ ...FRESH_STATE, pinnedMessageId: m1 });
        expect(await store.room.updateRoomState(g, { pinnedMessageId: m2 })).to.deep.equal({ ...FRESH_STATE, pinnedMessageId: m2 });
        expect((await store.room.roomState(g)).pinnedMessageId).to.equal(m2);
        expect(await store.room.updateRoomState(g, { pinnedMessageId: null })).to.deep.equal(FRESH_STATE);
        expect(await store.room.roomState(g)).to.deep.equal(FRESH_STATE);
      });

      it('the returned state includes the current hand queue, which the patch leaves alone', async function () {
        const g = uid('g');
        const [a, b] = ['b_' + uid(), 'a_' + uid()];
        await store.room.setHand(g, a, true);
        await store.room.setHand(g, b, true);
        expect(await store.room.updateRoomState(g, { locked: true, slowModeSec: 10 })).to.deep.equal({
          ...FRESH_STATE,
          locked: true,
          slowModeSec: 10,
          handQueue: [a, b],
        });
        await store.room.setHand(g, a, false);
        expect(await store.room.roomState(g)).to.deep.equal({ ...FRESH_STATE, locked: true, slowModeSec: 10, handQueue: [b] });
      });

      it('an empty patch changes nothing and returns the current state', async function () {
        const g = uid('g');
        expect(await store.room.updateRoomState(g, {})).to.deep.equal(FRESH_STATE);
        await store.room.updateRoomState(g, { slowModeSec: 60 });
        expect(await store.room.updateRoomState(g, {})).to.deep.equal({ ...FRESH_STATE, slowModeSec: 60 });
      });

      it('a setting given as undefined is left unchanged', async function () {
        // Partial<RoomSettings> admits explicit undefined (exactOptionalPropertyTypes is off).
        const g = uid('g');
        const m = uid('m');
        await store.room.updateRoomState(g, { locked: true, waitingRoom: true, slowModeSec: 5, sessionOpen: false, pinnedMessageId: m });
        const expected = { ...FRESH_STATE, locked: true, waitingRoom: true, slowModeSec: 5, sessionOpen: false, pinnedMessageId: m };
        expect(
          await store.room.updateRoomState(g, {
            locked: undefined,
            waitingRoom: undefined,
            slowModeSec: undefined,
            sessionOpen: undefined,
            pinnedMessageId: undefined,
          }),
        ).to.deep.equal(expected);
        expect(await store.room.roomState(g)).to.deep.equal(expected);
      });

      it('settings of one group do not show in another', async function () {
        const [g1, g2] = [uid('g'), uid('g')];
        await store.room.updateRoomState(g1, { locked: true, slowModeSec: 20, sessionOpen: false, pinnedMessageId: uid('m') });
        expect(await store.room.roomState(g2)).to.deep.equal(FRESH_STATE);
        expect(await store.room.updateRoomState(g2, { slowModeSec: 5 })).to.deep.equal({ ...FRESH_STATE, slowModeSec: 5 });
        expect((await store.room.roomState(g1)).slowModeSec).to.equal(20);
      });

      it('mutating the returned state does not change what is stored', async function () {
        const g = uid('g');
        const state = await store.room.updateRoomState(g, { locked: true });
        state.locked = false;
        state.slowModeSec = 99;
        state.handQueue.push('intruder');
        expect(await store.room.roomState(g)).to.deep.equal({ ...FRESH_STATE, locked: true });
      });
    });
  });
}
