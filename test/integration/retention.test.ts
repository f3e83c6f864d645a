import { expect } from 'chai';
import { redisKeys } from '../../server/store/keys.js';
import type { RedisStores } from '../../server/store/redis/index.js';
import { waitFor, type TestClient } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { makeGroup, startServer, STORE_KINDS, type TestServer } from '../support/server.js';

// RETENTION_DAYS of 0.00003 is about 2.6 s; each node sweeps every second.
const RETENTION = { RETENTION_DAYS: '0.00003', RETENTION_SWEEP_SEC: '1' };

for (const kind of STORE_KINDS) {
  describe(`retention (${kind} store)`, function () {
    this.timeout(20_000);
    let srv: TestServer;
    const { connect, enter, closeAll } = roomClients(() => srv);

    before(async () => {
      srv = await startServer({ store: kind, env: RETENTION });
    });
    afterEach(() => closeAll());
    after(() => srv.close());

    /** Resolves once the group's history is empty: the sweep took every message. */
    async function trimmed(c: TestClient, groupId: string): Promise<void> {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const page = await c.ok('group:history', { groupId });
        if (page.messages.length === 0) return;
        if (Date.now() > deadline) throw new Error(`still kept: ${page.messages.map((m) => m.seq).join(',')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }

    it('removes messages older than RETENTION_DAYS from history, catch-up and the store, by itself', async () => {
      const fac = srv.user('facilitator');
      const groupId = await makeGroup(srv, fac);
      const c = await enter(fac, groupId);
      const old = [];
      for (let i = 0; i < 3; i++) old.push((await c.ok('group:send', { groupId, text: `old ${i}`, clientMsgId: `o${i}` })).message);

      await trimmed(c, groupId);
      expect((await c.ok('group:join', { groupId, since: 0 })).messages).to.deep.equal([]);
      for (const m of old) expect(await srv.store.log.findMessage({ kind: 'group', id: groupId }, m.id), `stored ${m.text}`).to.equal(null);
      const fresh = (await c.ok('group:send', { groupId, text: 'new', clientMsgId: 'n' })).message;
      expect(fresh.seq, 'seq numbers are never reused').to.equal(4);
      expect((await c.ok('group:history', { groupId })).messages).to.deep.equal([fresh]);
    });

    /** Resolves once the person's check-ins are all gone. */
    async function checkinsTrimmed(userId: string): Promise<void> {
      const left = async () => (await srv.store.checkins.checkinsOf(userId, 0)).length;
      const deadline = Date.now() + 10_000;
      while ((await left()) > 0) {
        if (Date.now() > deadline) throw new Error('check-ins still kept');
        await new Promise((r) => setTimeout(r, 200));
      }
    }

    it('removes check-ins older than RETENTION_DAYS, with their clientMsgIds, by itself', async () => {
      const sam = srv.user('participant');
      const c = await connect(sam);
      const old = (await c.ok('checkin:send', { mood: 3, craving: 2, used: false, clientMsgId: 'k1' })).checkin;
      await checkinsTrimmed(sam.id);
      const again = (await c.ok('checkin:send', { mood: 4, craving: 1, used: false, clientMsgId: 'k1' })).checkin;
      expect(again.id, 'the clientMsgId went with it: a new check-in').not.to.equal(old.id);
      expect(await srv.store.checkins.checkinsOf(sam.id, 0)).to.deep.equal([again]);
    });

    if (kind === 'redis') {
      it("trims everyone else's check-ins when one person's log cannot be trimmed, and logs that one by id only", async () => {
        const [broken, sam] = [srv.user('participant'), srv.user('participant')];
        const [cb, cs] = [await connect(broken), await connect(sam)];
        await cb.ok('checkin:send', { mood: 3, craving: 2, used: false, note: 'Wrenfallow', clientMsgId: 'b' });
        // Their log is no longer a sorted set: the trim script fails on it, as on a log whose state went bad.
        const log = redisKeys(srv.config.redisPrefix).checkins(broken.id);
        await (srv.store as RedisStores).client.del(log);
        await (srv.store as RedisStores).client.set(log, 'not a log');
        await cs.ok('checkin:send', { mood: 3, craving: 2, used: false, note: 'Thistlecombe', clientMsgId: 's' });
        await checkinsTrimmed(sam.id);
        const failure = await waitFor(
          () => srv.logs.find((l) => l.includes('retention could not trim some check-ins') && l.includes(broken.id)),
          'the failure logged',
        );
        expect(JSON.parse(failure).users).to.include(broken.id);
        expect(srv.logs.join('').includes('Thistlecombe') || srv.logs.join('').includes('Wrenfallow'), 'no note in the log').to.equal(
          false,
        );
      });

      it('trims every other conversation when one cannot be trimmed, and logs that one by id only', async () => {
        const fac = srv.user('facilitator');
        // Groups are swept oldest first: the broken one comes before the one that must still be trimmed.
        const broken = await makeGroup(srv, fac);
        const groupId = await makeGroup(srv, fac);
        const c = await connect(fac);
        for (const g of [broken, groupId]) await c.ok('group:join', { groupId: g });
        await c.ok('group:send', { groupId: broken, text: 'Wrenfallow kept', clientMsgId: 'b' });
        // Its log is no longer a hash: every script on it fails, as on a conversation whose state went bad.
        const log = redisKeys(srv.config.redisPrefix).log({ kind: 'group', id: broken });
        await (srv.store as RedisStores).client.del(log);
        await (srv.store as RedisStores).client.set(log, 'not a log');
        for (let i = 0; i < 3; i++) await c.ok('group:send', { groupId, text: `Thistlecombe ${i}`, clientMsgId: `o${i}` });

        await trimmed(c, groupId);
        const failures = srv.logs.filter((l) => l.includes('retention could not trim some conversations'));
        expect(failures.length, 'the broken conversation is logged').to.be.above(0);
        expect(JSON.parse(failures[0]!).conversations).to.deep.equal([`group:${broken}`]);
        expect(srv.logs.join('').includes('Thistlecombe') || srv.logs.join('').includes('Wrenfallow'), 'no text in the log').to.equal(
          false,
        );
      });
    }
  });
}
