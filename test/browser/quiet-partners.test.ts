// Quiet partner chat in the browser (docs/protocol.md §6.2): a facilitator turns it on from the
// room controls; a message between two partners attending the session shows as held (also after a
// reload), both see why, and it becomes an ordinary message when the session closes. axe check.
import { expect } from 'chai';
import { TestClient } from '../support/client.js';
import { http, makeGroup } from '../support/server.js';
import { audit } from './axe.js';
import { browserSuite, messageItems, screenshot } from './browser.js';

describe('browser: quiet partner chat during group', function () {
  const suite = browserSuite(this);
  const clients: TestClient[] = [];

  after(async () => {
    for (const c of clients) c.close();
  });

  it('holds a message during the session, shows why to both, keeps it across a reload, and delivers it when the session closes', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const ana = suite.srv.user('participant', 'Ana');
    const ben = suite.srv.user('participant', 'Ben');
    const groupId = await makeGroup(suite.srv, fac, [ana, ben]);
    const paired = await http(suite.srv.url, 'POST', '/api/partnerships', { token: fac.token, body: { userIds: [ana.id, ben.id] } });
    const partnershipId = (paired.body.data as { partnership: { id: string } }).partnership.id;

    const f = await suite.open(fac.token, { route: { to: 'group', groupId } });
    await f.page.getByRole('button', { name: 'Quiet partner chat' }).click();
    await f.page.getByText('Partner chat waits until the session ends.').waitFor();

    // Both attend the session (joined since it started).
    for (const u of [ana, ben]) {
      const c = await TestClient.connect(suite.srv.url, u.token);
      clients.push(c);
      await c.ok('group:join', { groupId });
    }
    // axe is injected as an inline script: this tab lets it past the page's CSP.
    const a = await suite.open(ana.token, { route: { to: 'partner', partnershipId }, bypassCSP: true });
    const b = await suite.open(ben.token, { route: { to: 'partner', partnershipId } });
    await a.page.getByRole('heading', { name: 'You and Ben' }).waitFor();
    await b.page.getByRole('heading', { name: 'You and Ana' }).waitFor();

    const box = a.page.locator('.composer textarea');
    await box.fill('Coffee after group?');
    await box.press('Enter');
    const held = a.page.locator('.msg.pending', { hasText: 'Coffee after group?' });
    await held.locator('.status', { hasText: 'Held until group ends' }).waitFor();
    for (const t of [a, b]) await t.page.locator('.held-note', { hasText: 'Messages wait until group ends — 1 held.' }).waitFor();
    expect(await messageItems(b.page, 'Coffee after group?').count(), 'Ben does not have it yet').to.equal(0);
    expect(await audit(a.page)).to.deep.equal([]);
    await screenshot(a.page, 'partner-held');

    await a.page.reload();
    await a.page.locator('.msg.pending .status', { hasText: 'Held until group ends' }).waitFor();
    await a.page.locator('.held-note', { hasText: '1 held' }).waitFor();

    await f.page.getByRole('button', { name: 'Close session' }).click();
    for (const t of [a, b]) {
      await messageItems(t.page, 'Coffee after group?').waitFor();
      await t.page.locator('.held-note').waitFor({ state: 'hidden' });
    }
    expect(await a.page.locator('.msg.pending').count()).to.equal(0);
    for (const t of [a, b, f]) expect(t.errors).to.deep.equal([]);
  });
});
