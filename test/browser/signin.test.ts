import { expect } from 'chai';
import { TestClient } from '../support/client.js';
import { makeGroup, serverPool } from '../support/server.js';
import { browserSuite, screenshot } from './browser.js';

describe('browser: signing in', function () {
  const suite = browserSuite(this, { server: false });
  const { start, closeAll: stopServers } = serverPool();

  after(async () => {
    await stopServers();
  });

  it('loads the first time with no console error and no failed request (a favicon included)', async () => {
    const srv = await start({ env: { JWT_SECRET: '' } });
    const context = await suite.browser.newContext();
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`${r.status()}: ${r.url()}`);
      });
      await page.goto(`${srv.url}/`);
      await page.getByRole('heading', { name: 'Demo mode' }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(problems).to.deep.equal([]);
      expect(await page.locator('link[rel="icon"]').count()).to.equal(1);
    } finally {
      await context.close();
    }
  });

  it('says so when this user has too many connections open, and connects by itself once one closes', async () => {
    const srv = await start({ env: { MAX_CONNECTIONS_PER_USER: '1' } });
    const user = srv.user('participant', 'Tam');
    const elsewhere = await TestClient.connect(srv.url, user.token);
    const context = await suite.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${srv.url}/#token=${user.token}`);
      const state = page.locator('#connection.crowded');
      await state.waitFor();
      expect(await state.textContent()).to.equal(
        'Too many Bridge tabs or devices are open for you. Close one and this page connects by itself.',
      );
      elsewhere.close();
      await page.locator('#connection.online').waitFor();
    } finally {
      elsewhere.close();
      await context.close();
    }
  });

  it('offers the demo form in demo mode and lands in the demo group', async () => {
    const srv = await start({ env: { JWT_SECRET: '' } });
    const tab = await suite.open(undefined, { server: srv });
    const { page } = tab;
    await page.getByRole('heading', { name: 'Demo mode' }).waitFor();
    expect(await page.locator('.demo').textContent()).to.contain('Never use it with real people');
    await screenshot(page, 'signin-demo');
    await page.getByLabel('Your name in the group').fill('Dee');
    await page.getByLabel('Role').selectOption('facilitator');
    await page.getByRole('button', { name: 'Try the demo' }).click();
    await page.getByRole('heading', { name: 'Demo evening group' }).waitFor();
    await page.locator('.conn.online').waitFor();
    await page.getByRole('heading', { name: /^Alerts and reports/ }).waitFor();
    expect(await page.locator('.account .who').textContent()).to.equal('Dee · facilitator');
  });

  it('takes a token from the address, and hides it from the address bar', async () => {
    const srv = await start();
    const fac = srv.user('facilitator', 'Fran');
    await makeGroup(srv, fac);
    const tab = await suite.open(fac.token, { server: srv });
    expect(tab.page.url()).to.not.contain('token');
    await tab.page.getByRole('heading', { name: 'Tuesday evening group' }).waitFor();
    await tab.page.getByRole('button', { name: 'Open Tuesday evening group' }).click();
    await tab.page.locator('.room').waitFor();
  });

  it('takes a pasted token, has no demo form outside demo mode, and refuses a bad one with a clear message', async () => {
    const srv = await start();
    const user = srv.user('participant', 'Pat');
    const tab = await suite.open(undefined, { server: srv });
    const { page } = tab;
    await page.getByRole('heading', { name: 'Sign in with a code from your program' }).waitFor();
    await page.locator('.demo-slot[data-demo="off"]').waitFor({ state: 'attached' });
    expect(await page.getByRole('heading', { name: 'Demo mode' }).count()).to.equal(0);

    const forged = `${user.token.slice(0, -4)}AAAA`;
    await page.getByLabel('Sign-in code').fill(forged);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Your sign-in was not accepted; it may have expired. Please sign in again.').waitFor();

    await page.getByLabel('Sign-in code').fill(user.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.conn.online').waitFor();
    await page.getByText('You are not in any group yet.').waitFor();
  });

  it('asks to sign in again when the server says the session expired', async () => {
    const srv = await start({ env: { JWT_CLOCK_TOLERANCE_SEC: '0' } });
    const user = { id: 'u-expiring', name: 'Eli', role: 'participant' as const };
    // Long enough that the page is connected before it expires even on a loaded CI machine
    // (2 s was not: the handshake itself was refused as expired), short enough to wait for.
    const tab = await suite.open(srv.token(user, 6), { server: srv });
    await tab.page.getByText('Your session has ended. Please sign in again to continue.').waitFor({ timeout: 15_000 });
    await tab.page.getByLabel('Sign-in code').waitFor();
    expect(await tab.page.evaluate(() => sessionStorage.getItem('bridge.token'))).to.equal(null);
  });
});
