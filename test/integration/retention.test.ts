import { expect } from 'chai';
import { closeAll, TestClient } from '../support/client.js';
import { makeGroup, startServer, STORE_KINDS, type TestServer } from '../support/server.js';

// RETENTION_DAYS of 0.00003 is about 2.6 s; each node sweeps every second.
const RETENTION = { RETENTION_DAYS: '0.00003', RETENTION_SWEEP_SEC: '1' };

for (const kind of STORE_KINDS) {
  describe(`retention (${kind} store)`, function () {
    this.timeout(20_000);
    let srv: TestServer;
    const clients: TestClient[] = [];

    before(async () => {
      srv = await startServer({ store: kind, env: RETENTION });
    });
    afterEach(() => closeAll(clients));
    after(() => srv.close());

    it('removes messages older than RETENTION_DAYS from history, catch-up and the store, by itself', async () => {
      const fac = srv.user('facilitator');
      const groupId = await makeGroup(srv, fac);
      const c = await TestClient.connect(srv.url, fac.token);
      clients.push(c);
      await c.ok('group:join', { groupId });
      const old = [];
      for (let i = 0; i < 3; i++) old.push((await c.ok('group:send', { groupId, text: `old ${i}`, clientMsgId: `o${i}` })).message);

      const deadline = Date.now() + 10_000;
      for (;;) {
        const page = await c.ok('group:history', { groupId });
        if (page.messages.length === 0) break;
        if (Date.now() > deadline) throw new Error(`still kept: ${page.messages.map((m) => m.seq).join(',')}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect((await c.ok('group:join', { groupId, since: 0 })).messages).to.deep.equal([]);
      for (const m of old) expect(await srv.store.findMessage({ kind: 'group', id: groupId }, m.id), `stored ${m.text}`).to.equal(null);
      const fresh = (await c.ok('group:send', { groupId, text: 'new', clientMsgId: 'n' })).message;
      expect(fresh.seq, 'seq numbers are never reused').to.equal(4);
      expect((await c.ok('group:history', { groupId })).messages).to.deep.equal([fresh]);
    });
  });
}
