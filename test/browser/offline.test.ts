import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { roomClients } from '../support/room.js';
import { deleteKeys, makeGroup, startServer, type TestServer } from '../support/server.js';
import { closeTabs, launchBrowser, messageItems, openTab, type Tab } from './browser.js';

describe('browser: the browser goes offline', function () {
  this.timeout(60_000);
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  let browser: Browser;
  let server: TestServer;
  const { enter, closeAll } = roomClients();
  const tabs: Tab[] = [];

  before(async () => {
    browser = await launchBrowser();
    server = await startServer({ store: 'redis', prefix });
  });

  after(async () => {
    await closeTabs(tabs);
    await browser?.close();
    closeAll();
    await server?.close();
    await deleteKeys(prefix);
  });

  it('says offline at once, keeps what is written "to send when you\'re back", and sends it when back', async () => {
    const fac = server.user('facilitator', 'Fran');
    const ana = server.user('participant', 'Ana');
    const ben = server.user('participant', 'Ben');
    const groupId = await makeGroup(server, fac, [ana, ben]);
    const benClient = await enter(ben, groupId, server);
    const tab = await openTab(browser, server.url, ana.token, { route: { to: 'group', groupId } });
    tabs.push(tab);
    const { page, context } = tab;
    await page.locator('.conn.online', { hasText: 'Connected' }).waitFor();
    await page.locator('.composer textarea').waitFor();

    await context.setOffline(true);
    // Well inside socket.io's ping timeout: only the browser's offline event can say so this soon.
    await page.locator('.conn.offline', { hasText: "You're offline" }).waitFor({ timeout: 3000 });
    await page.locator('.composer textarea').fill('written offline');
    await page.locator('.composer textarea').press('Enter');
    const pending = page.locator('.msg.pending', { hasText: 'written offline' });
    await pending.locator('.status', { hasText: "will send when you're back" }).waitFor({ timeout: 3000 });
    expect(await pending.locator('.status').textContent()).not.to.contain('Sending');

    await context.setOffline(false);
    await page.locator('.conn.online').waitFor({ timeout: 15_000 });
    await benClient.waitEvent('group:message', (m) => m.text === 'written offline');
    await messageItems(page, 'written offline').waitFor();
    expect(await page.locator('.msg.pending').count()).to.equal(0);
    expect(benClient.received('group:message', (m) => m.text === 'written offline')).to.have.length(1);
    expect(tab.errors).to.deep.equal([]);
  });
});
