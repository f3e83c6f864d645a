import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { roomClients } from '../support/room.js';
import { deleteKeys, makeGroup, startServer, type TestServer } from '../support/server.js';
import { browserSuite, messageItems } from './browser.js';

/** Fails with a name instead of hanging until mocha's timeout. */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms)));
  try {
    return await Promise.race([p, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

describe('browser: the server restarts while a page is open', function () {
  const suite = browserSuite(this, { server: false });
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  const env = { JWT_SECRET: randomBytes(32).toString('hex') };
  const servers: TestServer[] = [];
  const { connect, enter, closeAll } = roomClients();

  after(async () => {
    closeAll();
    for (const s of servers.splice(0)) await s.close();
    await deleteKeys(prefix);
  });

  it('reconnects by itself, shows what was sent meanwhile once, and sends what was written offline', async () => {
    const first = await startServer({ store: 'redis', prefix, env });
    servers.push(first);
    // A second node on the same Redis, where Ben keeps writing while the page's node is down.
    const other = await startServer({ store: 'redis', prefix, env });
    servers.push(other);
    const fac = first.user('facilitator', 'Fran');
    const ana = first.user('participant', 'Ana');
    const ben = first.user('participant', 'Ben');
    const groupId = await makeGroup(first, fac, [ana, ben]);
    const benClient = await enter(ben, groupId, other);

    const tab = await suite.open(ana.token, { route: { to: 'group', groupId }, server: first });
    const { page } = tab;
    const { message: toRemove } = await benClient.ok('group:send', { groupId, text: 'removed while you were away', clientMsgId: 'b1x' });
    await benClient.ok('group:send', { groupId, text: 'before the restart', clientMsgId: 'b1' });
    await messageItems(page, 'before the restart').waitFor();

    await within(10_000, 'the first node to shut down', first.close());
    servers.splice(servers.indexOf(first), 1);
    await page.locator('.conn.reconnecting').waitFor();
    // Removed while the page is away: older than the page's since, so only a refresh shows it.
    const facClient = await connect(fac, other);
    await facClient.ok('mod:delete', { groupId, messageId: toRemove.id });
    await benClient.ok('group:send', { groupId, text: 'while you were away (1)', clientMsgId: 'b2' });
    await benClient.ok('group:send', { groupId, text: 'while you were away (2)', clientMsgId: 'b3' });
    // Written while offline: kept as pending, sent once the page is back.
    await page.locator('.composer textarea').fill('written while offline');
    await page.locator('.composer textarea').press('Enter');
    await page.locator('.msg.pending', { hasText: 'written while offline' }).locator('.status', { hasText: 'Not sent yet' }).waitFor();

    const port = Number(new URL(first.url).port);
    servers.push(await within(10_000, 'a node to start on the same port', startServer({ store: 'redis', prefix, env, port })));
    await page.locator('.conn.online').waitFor({ timeout: 15_000 });
    await messageItems(page, 'while you were away (2)').waitFor();
    await messageItems(page, 'written while offline').waitFor();
    await benClient.waitEvent('group:message', (m) => m.text === 'written while offline');

    for (const text of ['before the restart', 'while you were away (1)', 'while you were away (2)', 'written while offline']) {
      expect(await messageItems(page, text).count(), text).to.equal(1);
    }
    await page.locator(`#m-${toRemove.id}.deleted`, { hasText: 'This message was removed.' }).waitFor();
    expect(await messageItems(page, 'removed while you were away').count(), 'the removed text is gone').to.equal(0);
    expect(await page.locator('.msg.pending').count()).to.equal(0);
    expect(benClient.received('group:message', (m) => m.text === 'written while offline')).to.have.length(1);
    const seqs = await page.locator('.messages .msg').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.seq)));
    expect(seqs).to.deep.equal([1, 2, 3, 4, 5]);
    expect(tab.errors).to.deep.equal([]);
  });
});
