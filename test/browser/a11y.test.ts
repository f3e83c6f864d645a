import { expect } from 'chai';
import { enrol, http } from '../support/server.js';
import { audit, fitsWidth } from './axe.js';
import { browserSuite, groupOfThree, screenshot, send } from './browser.js';

describe('browser: accessibility (axe-core) and small screens', function () {
  const suite = browserSuite(this);
  const g = groupOfThree(suite);

  before(async () => {
    const pair = await http(suite.srv.url, 'POST', '/api/partnerships', { token: g.fac.token, body: { userIds: [g.ana.id, g.ben.id] } });
    expect(pair.status).to.be.oneOf([200, 201]);
  });

  it('has no serious violations on the sign-in page, at 320 px', async () => {
    const tab = await suite.open(undefined, { bypassCSP: true, width: 320, height: 640 });
    await tab.page.getByRole('heading', { name: 'Sign in with a code from your program' }).waitFor();
    expect(await audit(tab.page)).to.deep.equal([]);
    expect(await fitsWidth(tab.page)).to.be.at.most(320);
    await screenshot(tab.page, 'signin-320');
  });

  it('has no serious violations in a participant’s room, light and dark, at 320 px', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const tab = await suite.open(g.ana.token, {
        bypassCSP: true,
        width: 320,
        height: 700,
        colorScheme,
        route: { to: 'group', groupId: g.groupId },
      });
      await tab.page.getByRole('heading', { name: 'Tuesday evening group' }).waitFor();
      await send(tab.page, `Checking in from my phone (${colorScheme})`);
      // Raised in the first pass; the second finds it still raised (the queue is room state).
      if (colorScheme === 'light') await tab.page.getByRole('button', { name: '✋ Raise hand' }).click();
      await tab.page.getByRole('button', { name: '✋ Lower hand' }).waitFor();
      expect(await audit(tab.page), colorScheme).to.deep.equal([]);
      expect(await fitsWidth(tab.page), colorScheme).to.be.at.most(320);
      await screenshot(tab.page, `room-320-${colorScheme}`);
    }
  });

  it('has no serious violations in a facilitator’s room with an alert, a menu and a dialog open', async () => {
    const a = await suite.open(g.ana.token, { route: { to: 'group', groupId: g.groupId } });
    const f = await suite.open(g.fac.token, { bypassCSP: true, route: { to: 'group', groupId: g.groupId } });
    await send(a.page, 'I might relapse tonight, I want to end it all');
    await f.page.locator('main .alert.crisis').waitFor();
    const ben = f.page.locator('.member').filter({ hasText: 'Ben' });
    await ben.locator('summary').click();
    await ben.getByRole('button', { name: 'Check-ins (14 days)' }).click();
    await ben.getByText('Ben does not share check-ins with staff.').waitFor();
    expect(await audit(f.page)).to.deep.equal([]);
    await screenshot(f.page, 'room-facilitator-alert');
    const msg = f.page.locator('.msg').filter({ hasText: 'end it all' });
    await msg.locator('summary').click();
    await msg.getByRole('button', { name: 'Delete' }).click();
    await f.page.getByRole('dialog').waitFor();
    expect(await audit(f.page)).to.deep.equal([]);
    await f.page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('has no serious violations for a member the locked room keeps out, at 320 px', async () => {
    const cleo = suite.srv.user('participant', 'Cleo');
    await enrol(suite.srv, g.groupId, g.fac, cleo, 'participant', 'Cleo');
    await suite.srv.store.room.updateRoomState(g.groupId, { locked: true });
    try {
      const tab = await suite.open(cleo.token, {
        bypassCSP: true,
        width: 320,
        height: 700,
        route: { to: 'group', groupId: g.groupId },
      });
      await tab.page.locator('.composer .problem', { hasText: 'This room is locked' }).waitFor();
      expect(await audit(tab.page)).to.deep.equal([]);
      expect(await fitsWidth(tab.page)).to.be.at.most(320);
      await screenshot(tab.page, 'room-locked-out-320');
    } finally {
      await suite.srv.store.room.updateRoomState(g.groupId, { locked: false });
    }
  });

  it("has no serious violations in the partner list (with one's own check-in open) and a partner conversation", async () => {
    const tab = await suite.open(g.ana.token, { bypassCSP: true, route: { to: 'partners' } });
    await tab.page.getByRole('button', { name: /^Ben/ }).waitFor();
    expect(await audit(tab.page)).to.deep.equal([]);
    // The check-in of one's own, open, with the staff notice showing.
    await tab.page.getByLabel('Who sees my check-ins:').selectOption('staff');
    await tab.page.locator('.checkin-notice', { hasText: 'alerts them' }).waitFor();
    await tab.page.getByText('Check in now', { exact: true }).click();
    expect(await audit(tab.page), 'own check-in open').to.deep.equal([]);
    await tab.page.getByRole('button', { name: /^Ben/ }).click();
    await tab.page.getByRole('heading', { name: 'You and Ben' }).waitFor();
    await tab.page.getByText('Daily check-in', { exact: true }).click();
    expect(await audit(tab.page)).to.deep.equal([]);
    await screenshot(tab.page, 'partner-chat');
  });

  it('has no serious violations with a schedule: the session line with its countdown, and the schedule editor open, at 320 px', async () => {
    const soon = Date.now() + 30 * 60_000;
    const schedule = {
      timeZone: 'America/New_York',
      weekly: [{ day: 'tue', start: '18:00', minutes: 90 }],
      oneOff: [{ start: new Date(soon).toISOString(), end: new Date(soon + 3_600_000).toISOString() }],
      cancelled: [],
    };
    const put = await http(suite.srv.url, 'PUT', `/api/groups/${g.groupId}/schedule`, { token: g.fac.token, body: schedule });
    expect(put.status, put.text).to.equal(200);
    try {
      const a = await suite.open(g.ana.token, { bypassCSP: true, width: 320, height: 700, route: { to: 'group', groupId: g.groupId } });
      const f = await suite.open(g.fac.token, { bypassCSP: true, width: 320, height: 900, route: { to: 'group', groupId: g.groupId } });
      await a.page.locator('.schedule-line', { hasText: 'starts in' }).waitFor();
      expect(await audit(a.page), 'participant').to.deep.equal([]);
      expect(await fitsWidth(a.page)).to.be.at.most(320);
      await f.page.getByText('Edit schedule', { exact: true }).click();
      await f.page.getByLabel('Time zone').waitFor();
      await f.page.locator('.schedule .sessions li').first().waitFor();
      expect(await audit(f.page), 'facilitator').to.deep.equal([]);
      expect(await fitsWidth(f.page)).to.be.at.most(320);
      await screenshot(f.page, 'schedule-editor-320');
    } finally {
      await http(suite.srv.url, 'DELETE', `/api/groups/${g.groupId}/schedule`, { token: g.fac.token });
    }
  });
});
