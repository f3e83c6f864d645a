import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { TestClient } from '../support/client.js';
import { faultyStore, http, makeGroup, serverPool, type TestServer, type TestUser } from '../support/server.js';
import { audit, fitsWidth } from './axe.js';
import { browserSuite, screenshot } from './browser.js';

const WORDS = 'what I said on a hard night';

describe('browser: the privacy centre ("Your data")', function () {
  const suite = browserSuite(this, { server: false });
  const { start, closeAll: stopServers } = serverPool();

  after(async () => {
    await stopServers();
  });

  /** A participant who has said something in a group. */
  async function participantWithAMessage(srv: TestServer): Promise<TestUser> {
    const fac = srv.user('facilitator', 'Fran');
    const me = srv.user('participant', 'Pat');
    const groupId = await makeGroup(srv, fac, [me]);
    const c = await TestClient.connect(srv.url, me.token);
    try {
      await c.ok('group:join', { groupId });
      await c.ok('group:send', { groupId, text: WORDS, clientMsgId: 'c1' });
    } finally {
      c.close();
    }
    return me;
  }

  const exportOf = async (srv: TestServer, u: TestUser) => {
    const res = await http(srv.url, 'GET', '/api/me/export', { token: u.token });
    expect(res.status).to.equal(200);
    return res.body.data as { groups: unknown[]; messages: { text?: string; deleted?: boolean }[] };
  };

  it('downloads my data as a JSON file that is exactly what GET /api/me/export answers, and says calmly when it cannot', async () => {
    const srv = await start();
    const me = await participantWithAMessage(srv);
    const tab = await suite.open(me.token, { server: srv });
    const { page } = tab;
    await page.getByRole('button', { name: 'Your data' }).click();
    await page.getByRole('heading', { name: 'Your data' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download my data' }).click()]);
    expect(download.suggestedFilename()).to.match(/^bridge-my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const file = JSON.parse(await readFile(await download.path(), 'utf8')) as unknown;
    const fromServer = await exportOf(srv, me);
    expect(fromServer.messages.map((m) => m.text)).to.deep.equal([WORDS]);
    expect(file).to.deep.equal(fromServer);
    expect(await page.locator('.privacy [role="status"]').textContent()).to.contain('downloaded');

    // Offline: said calmly, in the same status line.
    await tab.context.setOffline(true);
    await page.getByRole('button', { name: 'Download my data' }).click();
    await page.locator('.privacy [role="status"]', { hasText: 'could not be downloaded' }).waitFor();
    expect(await page.locator('.privacy [role="status"]').textContent()).to.contain('Check your connection and try again.');
    await tab.context.setOffline(false);
  });

  it('asks before deleting (cancel deletes nothing), then deletes, signs out and says so calmly; axe clean at 320 px', async () => {
    const srv = await start();
    const me = await participantWithAMessage(srv);
    const tab = await suite.open(me.token, { width: 320, bypassCSP: true, server: srv });
    const { page } = tab;
    await page.getByRole('button', { name: 'Your data' }).click();
    await page.getByRole('heading', { name: 'Your data' }).waitFor();
    expect(await audit(page), 'axe on the view').to.deep.equal([]);
    expect(await fitsWidth(page)).to.be.at.most(320);

    const ask = page.getByRole('button', { name: 'Delete my data…' });
    await ask.click();
    const confirm = page.getByRole('region', { name: 'Delete my data?' });
    await confirm.waitFor();
    const text = ((await confirm.textContent()) ?? '').toLowerCase();
    // True to README "What erasure keeps": what goes, and what is kept and why.
    for (const said of ['message removed', 'check-ins', 'partnerships', 'disclosure', 'access log', 'attendance', 'audit', 'by law'])
      expect(text).to.contain(said);
    expect(await audit(page), 'axe on the confirmation').to.deep.equal([]);
    expect(await fitsWidth(page)).to.be.at.most(320);
    await screenshot(page, 'privacy-confirm-320');

    // Delete without ticking the box: asked to tick it, nothing deleted.
    await confirm.getByRole('button', { name: 'Delete my data', exact: true }).click();
    await confirm.getByText('Tick the box').waitFor();
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).to.equal('Delete my data…');
    expect((await exportOf(srv, me)).messages.map((m) => m.text)).to.deep.equal([WORDS]);

    await ask.click();
    await confirm.getByRole('checkbox').check();
    await confirm.getByRole('button', { name: 'Delete my data', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect(await page.getByRole('alert').filter({ hasText: 'Your data was deleted.' }).count()).to.equal(1);
    expect(await page.evaluate(() => sessionStorage.getItem('bridge.token'))).to.equal(null);

    const after = await exportOf(srv, me);
    expect(after.groups).to.deep.equal([]);
    expect(after.messages.filter((m) => m.text !== undefined && m.text !== '')).to.deep.equal([]);
    expect(JSON.stringify(after)).not.to.contain(WORDS);
  });

  it('says calmly when the erasure did not finish, stays signed in, and Delete again finishes it', async () => {
    // Erasing a message fails until `failing` is cleared, as a conversation whose stored state went bad would.
    let failing = true;
    const srv = await start({
      wrapStore: (store) =>
        faultyStore(store, (verb) => (failing && verb === 'eraseMessage' ? new Error('ERR user_script: undecodable record') : undefined)),
    });
    const me = await participantWithAMessage(srv);
    const tab = await suite.open(me.token, { server: srv });
    const { page } = tab;
    await page.getByRole('button', { name: 'Your data' }).click();
    await page.getByRole('button', { name: 'Delete my data…' }).click();
    const confirm = page.getByRole('region', { name: 'Delete my data?' });
    await confirm.getByRole('checkbox').check();
    const erase = confirm.getByRole('button', { name: 'Delete my data', exact: true });
    await erase.click();
    const problem = confirm.getByRole('alert');
    await problem.filter({ hasText: 'not fully deleted' }).waitFor();
    expect(await problem.textContent()).to.contain('Choose Delete again to finish');
    expect(await page.getByRole('heading', { name: 'Your data' }).count()).to.equal(1);

    failing = false;
    await erase.click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect(JSON.stringify(await exportOf(srv, me))).not.to.contain(WORDS);
  });
});
