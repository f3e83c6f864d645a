// The facilitator's attendance view (docs/protocol.md §5.8) in real Chromium: reached from the
// room once the session closes, a table of every participant, a correction, the CSV download, and
// no serious axe findings, wide and at 320 px.
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { TestClient } from '../support/client.js';
import { audit, fitsWidth } from './axe.js';
import { browserSuite, groupOfThree, screenshot } from './browser.js';

describe('browser: attendance', function () {
  const suite = browserSuite(this);
  const g = groupOfThree(suite, 'Ben, "B" =1');

  before(async () => {
    // Ana comes and goes (the group, open since it was made, starts its session at her join); Ben never comes.
    const c = await TestClient.connect(suite.srv.url, g.ana.token);
    await c.ok('group:join', { groupId: g.groupId });
    await c.ok('group:leave', { groupId: g.groupId });
    c.close();
  });

  it('opens from the room when the session closes, lists every participant, takes a correction and downloads the CSV', async () => {
    const tab = await suite.open(g.fac.token, { bypassCSP: true, route: { to: 'group', groupId: g.groupId } });
    const { page } = tab;
    await page.getByRole('heading', { name: 'Tuesday evening group' }).waitFor();
    await page.getByRole('button', { name: 'Close session' }).click();
    await page.getByText('The session has ended: see who came.').waitFor();
    await page.getByRole('button', { name: 'Attendance', exact: true }).click();
    await page.getByRole('heading', { name: 'Attendance', level: 2 }).waitFor();

    const table = page.getByRole('table');
    await table.waitFor();
    const rows = table.locator('tbody tr');
    expect(await rows.count()).to.equal(2);
    expect(await rows.nth(0).getByRole('rowheader').textContent()).to.equal('Ana');
    expect(await rows.nth(0).locator('td').nth(3).textContent()).to.equal('Present');
    expect(await rows.nth(1).getByRole('rowheader').textContent()).to.equal('Ben, "B" =1');
    expect(await rows.nth(1).locator('td').nth(3).textContent()).to.equal('Absent');
    expect(await audit(page)).to.deep.equal([]);

    await page.getByRole('combobox', { name: 'Status for Ben, "B" =1' }).selectOption('present');
    await page.getByRole('textbox', { name: 'Note for Ben, "B" =1' }).fill('excused: called ahead');
    await page.getByRole('button', { name: 'Save status for Ben, "B" =1' }).click();
    await rows.nth(1).getByText('Present (corrected; was Absent)').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.split('\r\n').slice(1); // after the redisclosure notice (§8.8)
    expect(lines[0]).to.equal('session,userId,name,firstJoined,lastLeft,minutes,waitingMinutes,status,computedStatus,corrected,note');
    expect(lines[2]).to.include(`,${g.ben.id},"Ben, ""B"" =1",,,0,0,present,absent,yes,excused: called ahead`);
    expect(tab.errors).to.deep.equal([]);
    await screenshot(page, 'attendance');
  });

  it('has no serious violations at 320 px, light and dark, and does not scroll sideways', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const tab = await suite.open(g.fac.token, {
        bypassCSP: true,
        width: 320,
        height: 700,
        colorScheme,
        route: { to: 'attendance', groupId: g.groupId },
      });
      await tab.page.getByRole('table').waitFor();
      expect(await audit(tab.page), colorScheme).to.deep.equal([]);
      expect(await fitsWidth(tab.page), colorScheme).to.be.at.most(320);
      await screenshot(tab.page, `attendance-320-${colorScheme}`);
    }
  });
});
