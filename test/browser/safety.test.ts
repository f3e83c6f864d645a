import { expect } from 'chai';
import type { Browser } from 'playwright-core';
import { makeGroup, startServer, type TestServer } from '../support/server.js';
import { closeTabs, launchBrowser, messageItems, openTab, screenshot, send, type Tab } from './browser.js';

describe('browser: safety', function () {
  this.timeout(60_000);
  let browser: Browser;
  let srv: TestServer;
  const tabs: Tab[] = [];

  before(async () => {
    browser = await launchBrowser();
    srv = await startServer();
  });

  afterEach(() => closeTabs(tabs));

  after(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('renders HTML and script in messages and names as text, and runs none of it', async () => {
    const fac = srv.user('facilitator', 'Fran');
    const evil = srv.user('participant', '<img src=x onerror=alert(3)>');
    const reader = srv.user('participant', 'Rae');
    const groupId = await makeGroup(srv, fac, [evil, reader]);
    const route = { to: 'group', groupId } as const;
    const [e, r] = [await openTab(browser, srv.url, evil.token, { route }), await openTab(browser, srv.url, reader.token, { route })];
    tabs.push(e, r);
    const payloads = ['<img src=x onerror=alert(1)>', '<script>alert(2)</script>', '<b onmouseover=alert(4)>bold</b> &amp; <a href="javascript:alert(5)">x</a>'];
    for (const text of payloads) await send(e.page, text);
    for (const text of payloads) {
      const item = messageItems(r.page, text);
      await item.waitFor();
      expect(await item.locator('.text').textContent()).to.equal(text);
    }
    await r.page.locator('.member-name', { hasText: '<img src=x onerror=alert(3)>' }).waitFor();
    for (const t of [e, r]) {
      const injected = await t.page.evaluate(() => ({
        img: document.querySelectorAll('main img').length,
        script: document.querySelectorAll('main script, body > script').length,
        b: document.querySelectorAll('main b, main a').length,
      }));
      expect(injected).to.deep.equal({ img: 0, script: 0, b: 0 });
      expect(t.dialogs).to.deep.equal([]);
      expect(t.errors).to.deep.equal([]);
    }
  });

  it('shows the sender the crisis resources, kindly, and alerts the facilitator', async () => {
    const fac = srv.user('facilitator', 'Fran');
    const sam = srv.user('participant', 'Sam');
    const groupId = await makeGroup(srv, fac, [sam]);
    const route = { to: 'group', groupId } as const;
    const [s, f] = [await openTab(browser, srv.url, sam.token, { route }), await openTab(browser, srv.url, fac.token, { route })];
    tabs.push(s, f);
    const text = 'some nights I just want to end it all';
    await s.page.locator('.composer textarea').fill(text);
    await s.page.locator('.composer textarea').press('Enter');
    const dialog = s.page.getByRole('dialog', { name: 'You don’t have to go through this alone' });
    await dialog.waitFor();
    expect(await dialog.textContent()).to.contain('988').and.to.contain('Your message was sent to your group');
    await screenshot(s.page, 'crisis-resources');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await dialog.waitFor({ state: 'detached' });
    await s.page.getByRole('button', { name: 'Help now' }).waitFor();
    // The message was not blocked, and the facilitator's queue has the alert.
    await messageItems(f.page, text).waitFor();
    await f.page.locator('.alert.crisis', { hasText: 'Crisis alert: Sam may need support' }).waitFor();
  });
});
