import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { roomClients } from '../support/room.js';
import { deleteKeys, makeGroup } from '../support/server.js';
import { browserSuite, messageItems } from './browser.js';

describe('browser: the browser goes offline', function () {
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  const suite = browserSuite(this, { server: { store: 'redis', prefix } });
  const { enter, closeAll } = roomClients();

  after(async () => {
    closeAll();
    await deleteKeys(prefix);
  });

  it('says offline at once, keeps what is written "to send when you\'re back", and sends it when back', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const ana = suite.srv.user('participant', 'Ana');
    const ben = suite.srv.user('participant', 'Ben');
    const groupId = await makeGroup(suite.srv, fac, [ana, ben]);
    const benClient = await enter(ben, groupId, suite.srv);
    const tab = await suite.open(ana.token, { route: { to: 'group', groupId } });
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
