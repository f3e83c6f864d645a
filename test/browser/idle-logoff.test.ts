// Issue 18 item 5: the browser client signs out after IDLE_LOGOFF_SEC without activity, warning
// first; being in the room of an open session counts as activity. Short real windows, no fake timers.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { TestClient } from '../support/client.js';
import { makeGroup, serverPool } from '../support/server.js';
import { audit } from './axe.js';
import { browserSuite, screenshot } from './browser.js';

const warning = (page: Page) => page.getByRole('alertdialog', { name: 'Still there?' });
const signedOutNotice = (page: Page, seconds: number) => page.getByText(`You were signed out after ${seconds} seconds without activity`);
const signOutButton = (page: Page) => page.getByRole('button', { name: 'Sign out' });

describe('browser: automatic logoff after idle time', function () {
  const suite = browserSuite(this, { server: false });
  const { start, closeAll: stopServers } = serverPool();
  const clients: TestClient[] = [];

  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  after(async () => {
    await stopServers();
  });

  it('warns first, with focus on "Stay signed in", then shows the sign-in page with a calm message (axe clean)', async () => {
    const srv = await start({ env: { IDLE_LOGOFF_SEC: '4' } });
    const tab = await suite.open(srv.user('participant', 'Pat').token, { bypassCSP: true, server: srv });
    const { page } = tab;

    await warning(page).waitFor();
    expect(await signOutButton(page).isVisible(), 'still signed in while warned').to.equal(true);
    expect(await warning(page).textContent()).to.contain('You will be signed out in 2 seconds');
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Stay signed in');

    await signedOutNotice(page, 4).waitFor();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect(await warning(page).count(), 'the warning is gone').to.equal(0);
    expect(await signOutButton(page).count()).to.equal(0);
    expect(await page.evaluate(() => sessionStorage.getItem('bridge.token')), 'the token is forgotten').to.equal(null);
    expect(await audit(page)).to.deep.equal([]);
    await screenshot(page, 'idle-signed-out');
  });

  it('has no serious axe violations on the warning', async () => {
    const srv = await start({ env: { IDLE_LOGOFF_SEC: '10' } });
    const tab = await suite.open(srv.user('participant', 'Pat').token, { bypassCSP: true, server: srv });
    await warning(tab.page).waitFor();
    expect(await audit(tab.page)).to.deep.equal([]);
    await screenshot(tab.page, 'idle-warning');
  });

  it('"Stay signed in" starts the idle time over: the warning comes again before any sign-out', async () => {
    const srv = await start({ env: { IDLE_LOGOFF_SEC: '6' } });
    const tab = await suite.open(srv.user('participant', 'Pat').token, { server: srv });
    const { page } = tab;

    await warning(page).waitFor();
    await page.getByRole('button', { name: 'Stay signed in' }).click();
    await warning(page).waitFor({ state: 'detached' });
    // Without the reset the sign-out would come at the first deadline, with no second warning.
    await warning(page).waitFor();
    expect(await signOutButton(page).isVisible(), 'still signed in at the second warning').to.equal(true);
    await signedOutNotice(page, 6).waitFor();
  });

  it('counts activity in another tab of the same user in the same browser', async () => {
    const srv = await start({ env: { IDLE_LOGOFF_SEC: '4' } });
    const pat = srv.user('participant', 'Pat');
    const quiet = await suite.open(pat.token, { server: srv });
    const busy = await quiet.context.newPage();
    await busy.goto(`${srv.url}/#token=${pat.token}`);
    await busy.locator('.conn.online').waitFor();
    // Sam, opened last in a browser of his own, is the clock: once he is signed out, the quiet tab
    // has had no input of its own for longer than the idle time.
    const clock = await suite.open(srv.user('participant', 'Sam').token, { server: srv });
    const notice = signedOutNotice(clock.page, 4);
    while (!(await notice.isVisible())) {
      await busy.keyboard.press('Shift');
      await busy.waitForTimeout(300);
    }
    expect(await signOutButton(quiet.page).isVisible(), 'the quiet tab is still signed in').to.equal(true);
    expect(await signedOutNotice(quiet.page, 4).count()).to.equal(0);
  });

  it('keeps a participant in the room of an open session signed in, and signs them out once the session closes', async () => {
    const srv = await start({ env: { IDLE_LOGOFF_SEC: '4' } });
    const fac = srv.user('facilitator', 'Fran');
    const [ana, ben] = [srv.user('participant', 'Ana'), srv.user('participant', 'Ben')];
    const groupId = await makeGroup(srv, fac, [ana, ben]);
    const listening = await suite.open(ana.token, { route: { to: 'group', groupId }, server: srv });
    await listening.page.locator('.room').waitFor();
    // Ben, opened later and on the group list, is the clock: once he is signed out, Ana has been
    // idle for longer than the idle time.
    const clock = await suite.open(ben.token, { server: srv });
    await signedOutNotice(clock.page, 4).waitFor();

    expect(await warning(listening.page).count(), 'no warning in the open session').to.equal(0);
    expect(await signOutButton(listening.page).isVisible()).to.equal(true);
    expect(await listening.page.locator('.room').isVisible()).to.equal(true);

    const cf = await TestClient.connect(srv.url, fac.token);
    clients.push(cf);
    await cf.ok('group:join', { groupId });
    await cf.ok('mod:session', { groupId, open: false });
    await listening.page.getByText('Session closed').waitFor();
    await warning(listening.page).waitFor();
    expect(await signOutButton(listening.page).isVisible(), 'warned before the sign-out').to.equal(true);
    await signedOutNotice(listening.page, 4).waitFor();
  });
});
