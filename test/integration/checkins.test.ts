import { expect } from 'chai';
import { roomClients } from '../support/room.js';
import { http, makeGroup, startServer, STORE_KINDS, type TestServer } from '../support/server.js';

for (const kind of STORE_KINDS) {
  describe(`check-ins without a partner (${kind} store)`, () => {
    let srv: TestServer;
    const { connect, closeAll } = roomClients(() => srv);

    before(async () => {
      srv = await startServer({ store: kind });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    it("checkin:send keeps a check-in in the person's own log; a resend answers the original", async () => {
      const sam = srv.user('participant');
      const c = await connect(sam);
      const { checkin } = await c.ok('checkin:send', { mood: 2, craving: 7, used: true, note: '  rough evening ', clientMsgId: 'k1' });
      expect(checkin).to.include({ mood: 2, craving: 7, used: true, note: 'rough evening', clientMsgId: 'k1' });
      const again = await c.ok('checkin:send', { mood: 5, craving: 0, used: false, clientMsgId: 'k1' });
      expect(again.checkin).to.deep.equal(checkin);
      expect(await srv.store.checkins.checkinsOf(sam.id, 0)).to.deep.equal([checkin]);
    });

    it('refuses out-of-range values with BAD_REQUEST', async () => {
      const c = await connect(srv.user('participant'));
      for (const bad of [
        { mood: 0, craving: 3, used: false, clientMsgId: 'b1' },
        { mood: 3, craving: 11, used: false, clientMsgId: 'b2' },
        { mood: 3, craving: 3, clientMsgId: 'b3' },
        { mood: 3, craving: 3, used: 'yes', clientMsgId: 'b4' },
      ]) {
        const res = await c.ack('checkin:send', bad);
        expect(res.ok, JSON.stringify(bad)).to.equal(false);
        if (!res.ok) expect(res.error.code).to.equal('BAD_REQUEST');
      }
    });

    it("checkin:sharing is 'none' until chosen, and changeable", async () => {
      const sam = srv.user('participant');
      const c = await connect(sam);
      expect(await srv.store.checkins.sharingOf(sam.id)).to.equal('none');
      expect(await c.ok('checkin:sharing', { with: 'staff' })).to.deep.equal({ with: 'staff' });
      expect(await srv.store.checkins.sharingOf(sam.id)).to.equal('staff');
      await c.ok('checkin:sharing', { with: 'partners' });
      expect(await srv.store.checkins.sharingOf(sam.id)).to.equal('partners');
    });

    it("a check-in's note and values are never logged", async () => {
      const c = await connect(srv.user('participant'));
      await c.ok('checkin:send', { mood: 1, craving: 9, used: true, note: 'zebra-note-marker', clientMsgId: 'n1' });
      expect(srv.logs.join('\n')).not.to.include('zebra-note-marker');
    });

    it('GET /api/me/export holds the check-ins and the sharing choice; DELETE /api/me erases both', async () => {
      const sam = srv.user('participant');
      const c = await connect(sam);
      await c.ok('checkin:sharing', { with: 'staff' });
      const a = (await c.ok('checkin:send', { mood: 3, craving: 4, used: false, note: 'ok day', clientMsgId: 'e1' })).checkin;
      const b = (await c.ok('checkin:send', { mood: 2, craving: 8, used: true, clientMsgId: 'e2' })).checkin;
      const exported = (await http(srv.url, 'GET', '/api/me/export', { token: sam.token })).body.data;
      expect(exported.checkins).to.deep.equal([a, b]);
      expect(exported.checkinSharing).to.equal('staff');
      const erased = await http(srv.url, 'DELETE', '/api/me', { token: sam.token });
      expect(erased.body.data.erasedCheckins).to.equal(2);
      expect(await srv.store.checkins.checkinsOf(sam.id, 0)).to.deep.equal([]);
      const after = (await http(srv.url, 'GET', '/api/me/export', { token: sam.token })).body.data;
      expect(after.checkins).to.deep.equal([]);
      expect(after.checkinSharing).to.equal('none');
    });

    describe('GET /api/groups/:groupId/members/:userId/checkins', () => {
      async function scene() {
        const fac = srv.user('facilitator');
        const sam = srv.user('participant');
        const kim = srv.user('participant');
        const groupId = await makeGroup(srv, fac, [sam, kim]);
        const c = await connect(sam);
        return { fac, sam, kim, groupId, c };
      }
      const trend = (groupId: string, userId: string, token: string) =>
        http(srv.url, 'GET', `/api/groups/${groupId}/members/${userId}/checkins`, { token });

      it("gives the group's facilitator and an admin a per-day trend when the member shares with staff", async () => {
        const { fac, sam, groupId, c } = await scene();
        await c.ok('checkin:sharing', { with: 'staff' });
        await c.ok('checkin:send', { mood: 4, craving: 2, used: false, clientMsgId: 't1' });
        await c.ok('checkin:send', { mood: 1, craving: 9, used: true, clientMsgId: 't2' });
        const today = new Date().toISOString().slice(0, 10);
        const expected = [{ day: today, checkins: 2, mood: 2.5, craving: 9, used: true }];
        for (const who of [fac, srv.user('admin')]) {
          const res = await trend(groupId, sam.id, who.token);
          expect(res.status).to.equal(200);
          expect(res.body.data.days).to.deep.equal(expected);
        }
      });

      it('leaves out check-ins older than 14 days', async () => {
        const { fac, sam, groupId, c } = await scene();
        await c.ok('checkin:sharing', { with: 'staff' });
        const old = Date.now() - 15 * 24 * 60 * 60 * 1000;
        await srv.store.checkins.appendCheckin(sam.id, { id: 'old1', clientMsgId: 'old', at: old, mood: 1, craving: 10, used: true });
        expect((await trend(groupId, sam.id, fac.token)).body.data.days).to.deep.equal([]);
      });

      it("is FORBIDDEN when sharing is 'none' or 'partners', to a participant, to another group's facilitator, and for a non-member", async () => {
        const { fac, sam, kim, groupId, c } = await scene();
        await c.ok('checkin:send', { mood: 3, craving: 3, used: false, clientMsgId: 'f1' });
        expect((await trend(groupId, sam.id, fac.token)).body.error.code, 'none').to.equal('FORBIDDEN');
        await c.ok('checkin:sharing', { with: 'partners' });
        expect((await trend(groupId, sam.id, fac.token)).body.error.code, 'partners').to.equal('FORBIDDEN');
        await c.ok('checkin:sharing', { with: 'staff' });
        expect((await trend(groupId, sam.id, kim.token)).body.error.code, 'a participant').to.equal('FORBIDDEN');
        const otherFac = srv.user('facilitator');
        await makeGroup(srv, otherFac, [sam]);
        expect((await trend(groupId, sam.id, otherFac.token)).body.error.code, "another group's facilitator").to.equal('FORBIDDEN');
        const stranger = srv.user('participant');
        await (await connect(stranger)).ok('checkin:sharing', { with: 'staff' });
        expect((await trend(groupId, stranger.id, fac.token)).body.error.code, 'not a member').to.equal('FORBIDDEN');
        expect((await trend(groupId, sam.id, fac.token)).status).to.equal(200);
      });
    });
  });
}
