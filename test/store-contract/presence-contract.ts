// The presence port's contract (Presence in server/store/ports.ts): connections with an expiry
// the owning node refreshes, and the sweep of a dead node's. Run against every store by
// stores.test.ts.
import { expect } from 'chai';
import type { Stores } from '../../server/store/ports.js';
import type { Connection } from '../../server/store/store.js';
import { sleep, uid } from './fixtures.js';

export function describePresenceContract(getStore: () => Stores): void {
  describe('presence port', function () {
    let store: Stores;

    before(function () {
      store = getStore();
    });

    describe('presence', function () {
      const TTL = 60_000;
      const conn = (userId: string): Connection => ({ userId, connId: uid('s') });

      it('connectionUp returns true only for the first live connection of a user', async function () {
        const u = uid('u');
        expect(await store.presence.connectionUp(conn(u), TTL)).to.equal(true);
        expect(await store.presence.connectionUp(conn(u), TTL)).to.equal(false);
        expect(await store.presence.onlineUsers([u])).to.deep.equal(new Set([u]));
      });

      it('connectionUp of the same connection again returns false', async function () {
        const c = conn(uid('u'));
        expect(await store.presence.connectionUp(c, TTL)).to.equal(true);
        expect(await store.presence.connectionUp(c, TTL)).to.equal(false);
      });

      it('connectionDown returns true only when the last connection goes', async function () {
        const u = uid('u');
        const [a, b] = [conn(u), conn(u)];
        await store.presence.connectionUp(a, TTL);
        await store.presence.connectionUp(b, TTL);
        expect(await store.presence.connectionDown(a)).to.equal(false);
        expect(await store.presence.onlineUsers([u])).to.deep.equal(new Set([u]));
        expect(await store.presence.connectionDown(b)).to.equal(true);
        expect(await store.presence.onlineUsers([u])).to.deep.equal(new Set());
      });

      it('after going offline, the next connectionUp returns true again', async function () {
        const u = uid('u');
        const a = conn(u);
        await store.presence.connectionUp(a, TTL);
        await store.presence.connectionDown(a);
        expect(await store.presence.connectionUp(conn(u), TTL)).to.equal(true);
      });

      it('onlineUsers returns exactly the users with a live connection', async function () {
        const [on1, on2, off, never] = [uid('u'), uid('u'), uid('u'), uid('u')];
        await store.presence.connectionUp(conn(on1), TTL);
        await store.presence.connectionUp(conn(on2), TTL);
        const c = conn(off);
        await store.presence.connectionUp(c, TTL);
        await store.presence.connectionDown(c);
        expect(await store.presence.onlineUsers([on1, off, never, on2])).to.deep.equal(new Set([on1, on2]));
        expect(await store.presence.onlineUsers([])).to.deep.equal(new Set());
      });

      it('a connection whose ttl has passed no longer counts', async function () {
        const u = uid('u');
        expect(await store.presence.connectionUp(conn(u), 150)).to.equal(true);
        expect(await store.presence.onlineUsers([u])).to.deep.equal(new Set([u]));
        await sleep(300);
        expect(await store.presence.onlineUsers([u])).to.deep.equal(new Set());
        expect(await store.presence.connectionUp(conn(u), TTL)).to.equal(true);
      });

      it('connectionDown returns true when the only other connection has expired', async function () {
        const u = uid('u');
        const live = conn(u);
        await store.presence.connectionUp(conn(u), 150);
        await store.presence.connectionUp(live, TTL);
        await sleep(300);
        expect(await store.presence.connectionDown(live)).to.equal(true);
      });

      it('refreshConnections keeps a connection alive past its first ttl', async function () {
        const u = uid('u');
        const c = conn(u);
        await store.presence.connectionUp(c, 150);
        await sleep(80);
        await store.presence.refreshConnections([c], 400);
        await sleep(200); // ~280ms in: past the first ttl, within the refreshed one
        expect(await store.presence.onlineUsers([u])).to.deep.equal(new Set([u]));
        expect(await store.presence.connectionUp(conn(u), TTL)).to.equal(false);
      });

      it("refreshConnections keeps hundreds alive at once, many users' and one user's 300, and the sweep takes none of them", async function () {
        const many = Array.from({ length: 200 }, () => conn(uid('u')));
        const busy = uid('u');
        const own = Array.from({ length: 300 }, () => conn(busy));
        const all = [...many, ...own];
        await Promise.all(all.map((c) => store.presence.connectionUp(c, 1000)));
        await store.presence.refreshConnections(all, 4000);
        await sleep(1200); // past the first ttl, within the refreshed one
        const users = [...many.map((c) => c.userId), busy];
        const swept = await store.presence.sweepConnections(Date.now()); // other tests' expired connections may be in it
        expect(swept.filter((u) => users.includes(u))).to.deep.equal([]);
        expect(await store.presence.onlineUsers(users)).to.deep.equal(new Set(users));
        // Each of the 300 is still live: taking them away one by one leaves the user online until the last.
        const downs = [];
        for (const c of own) downs.push(await store.presence.connectionDown(c));
        expect(downs.indexOf(true), 'the first removal that left no live connection').to.equal(299);
      });

      it('refreshConnections of no connections resolves', async function () {
        await store.presence.refreshConnections([], TTL);
      });

      it("a new connection with a short ttl does not cut short the user's longer-lived one", async function () {
        const u = uid('u');
        const long = conn(u);
        await store.presence.connectionUp(long, TTL);
        await store.presence.connectionUp(conn(u), 150);
        await sleep(300);
        expect(await store.presence.onlineUsers([u])).to.deep.equal(new Set([u]));
        expect(await store.presence.connectionDown(long)).to.equal(true);
      });

      it("refreshing one connection with a short ttl does not cut short the user's other connections", async function () {
        const u = uid('u');
        const [long, short] = [conn(u), conn(u)];
        await store.presence.connectionUp(long, TTL);
        await store.presence.connectionUp(short, TTL);
        await store.presence.refreshConnections([short], 150);
        await sleep(300);
        expect(await store.presence.onlineUsers([u])).to.deep.equal(new Set([u]));
        expect(await store.presence.connectionDown(long)).to.equal(true);
      });

      it('sweeps connections nobody refreshed: their users are reported offline once, others are not', async function () {
        const [gone, stays, tabs] = [uid('u'), uid('u'), uid('u')];
        await store.presence.connectionUp(conn(gone), 150); // a node that died: never refreshed
        await store.presence.connectionUp(conn(stays), TTL);
        await store.presence.connectionUp(conn(tabs), 150); // one tab on the dead node, one alive elsewhere
        await store.presence.connectionUp(conn(tabs), TTL);
        expect(await store.presence.sweepConnections(Date.now()), 'nothing has expired yet').to.not.include(gone);
        await sleep(300);
        const offline = await store.presence.sweepConnections(Date.now());
        expect(offline.filter((u) => [gone, stays, tabs].includes(u))).to.deep.equal([gone]);
        expect(await store.presence.sweepConnections(Date.now()), 'reported once').to.not.include(gone);
        expect(await store.presence.onlineUsers([gone, stays, tabs])).to.deep.equal(new Set([stays, tabs]));
      });

      it('sweeps a closed connection as nothing: connectionDown already reported it', async function () {
        const u = uid('u');
        const c = conn(u);
        await store.presence.connectionUp(c, 150);
        expect(await store.presence.connectionDown(c)).to.equal(true);
        await sleep(300);
        expect(await store.presence.sweepConnections(Date.now())).to.not.include(u);
      });
    });
  });
}
