// The last two staff routes with a screen of their own (issue 19): the program's emergency-
// disclosure records in the console (admins: filtered by person and group, the §2.32 notice, the
// CSV download) and the attendance thresholds on the attendance page (a facilitator changes them,
// a record's status follows, a reload keeps them). In English and in Spanish (no English left
// outside the notice, which is the regulation's own words), axe-clean at 320 and 1280 px, light
// and dark, no sideways scroll.
import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { REDISCLOSURE_NOTICE, type QueuedReport } from '../../shared/index.js';
import { TestClient } from '../support/client.js';
import { enrol, http, randomId, type TestUser } from '../support/server.js';
import { audit, fitsWidth } from './axe.js';
import { englishIn } from './spanish-words.js';
import { browserSuite, screenshot, type OpenOptions, type Route } from './browser.js';

describe('browser: the console’s disclosures and the attendance thresholds', function () {
  const suite = browserSuite(this, { timeout: 90_000, server: { env: { ACCESS_LOG_KEY: 'k'.repeat(40) } } });
  let fac: TestUser, sam: TestUser, ana: TestUser, ben: TestUser, admin: TestUser;
  let groupId: string;

  const open = (u: TestUser, route: Route, opts: OpenOptions = {}) => suite.open(u.token, { bypassCSP: true, route, ...opts });
  const disclosuresPanel = (page: Page, heading: string) =>
    page.locator('section.console-panel', { has: page.getByRole('heading', { name: heading }) });

  /** A crisis alert about `u` in the group's queue, and a disclosure recorded from it by the facilitator. */
  async function disclose(
    u: TestUser,
    recipientName: string,
    correctsId?: string,
    alertId = randomId('r'),
  ): Promise<{ id: string; alertId: string }> {
    if (!correctsId) {
      const alert: QueuedReport = {
        id: alertId,
        groupId,
        kind: 'crisis',
        userId: u.id,
        reason: 'crisis',
        createdAt: Date.now(),
        status: 'open',
      };
      await suite.srv.store.reportQueue.fileReport(alert, alert.id);
    }
    const res = await http(suite.srv.url, 'POST', `/api/alerts/${alertId}/disclosures`, {
      token: fac.token,
      body: {
        groupId,
        recipientName,
        recipientAffiliation: 'Urgencias Centrales',
        nature: 'Sobredosis: paramédicos en camino',
        correctsId,
      },
    });
    if (res.status !== 201) throw new Error(`disclose: ${res.status} ${res.text}`);
    return { id: res.body.data.disclosure.id, alertId };
  }

  before(async () => {
    fac = suite.srv.user('facilitator', 'Fran');
    sam = suite.srv.user('participant', 'Sami');
    ana = suite.srv.user('participant', 'Ana');
    ben = suite.srv.user('participant', 'Beni');
    admin = suite.srv.user('admin', 'Ada');
    const made = await http(suite.srv.url, 'POST', '/api/groups', { token: fac.token, body: { name: 'Grupo del martes' } });
    groupId = made.body.data.group.id;
    for (const p of [sam, ana, ben]) await enrol(suite.srv, groupId, fac, p, 'participant', p.name);
    const first = await disclose(sam, 'Dra. Lee');
    await disclose(sam, 'Dra. Li', first.id, first.alertId);
    await disclose(ana, 'Dr. Park');
    // Ana comes and goes at once (her join starts the session), Beni never comes, then the session closes.
    const ca = await TestClient.connect(suite.srv.url, ana.token);
    const cf = await TestClient.connect(suite.srv.url, fac.token);
    try {
      await ca.ok('group:join', { groupId });
      await ca.ok('group:leave', { groupId });
      await new Promise((r) => setTimeout(r, 50)); // her leave is strictly before the end
      await cf.ok('mod:session', { groupId, open: false });
    } finally {
      ca.close();
      cf.close();
    }
  });

  it('lets an admin read every disclosure record with the notice, filter by person and group, and download them as CSV', async () => {
    const { page } = await open(admin, { to: 'console', section: 'disclosures' });
    const panel = disclosuresPanel(page, 'Emergency disclosures');
    await panel.getByRole('status').getByText('3 records shown.').waitFor();
    expect(await panel.locator('blockquote').innerText()).to.equal(REDISCLOSURE_NOTICE);
    const items = panel.locator('ol.console-list > li');
    expect(await items.nth(0).innerText()).to.match(/^To Dra\. Lee \(Urgencias Centrales\) by Fran, /);
    expect(await items.nth(1).innerText()).to.include('corrects an earlier record');
    expect(await items.nth(1).innerText()).to.include(`About ${sam.id} · group Grupo del martes · recorded by ${fac.id}, `);
    expect(await items.nth(1).innerText()).to.match(/corrects the record to Dra\. Lee, /);
    expect(await items.nth(2).innerText()).to.include(`About ${ana.id}`);

    await panel.getByRole('textbox', { name: 'Person disclosed about (user id)' }).fill(ana.id);
    await panel.getByRole('button', { name: 'Show records' }).click();
    await panel.getByRole('status').getByText('1 record shown.').waitFor();
    expect(await items.count()).to.equal(1);
    await panel.getByRole('combobox', { name: 'Group' }).selectOption({ label: 'Grupo del martes' });
    await panel.getByRole('textbox', { name: 'Person disclosed about (user id)' }).fill(sam.id);
    await panel.getByRole('button', { name: 'Show records' }).click();
    await panel.getByRole('status').getByText('2 records shown.').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download CSV' }).click()]);
    const lines = (await readFile(await download.path(), 'utf8')).split('\r\n').filter(Boolean);
    expect(lines[0], 'the notice is the first row').to.equal(`"${REDISCLOSURE_NOTICE}"`);
    expect(lines[1]).to.match(/^id,alertId,groupId,userId,recipientName,/);
    expect(lines.slice(2)).to.have.length(2);
    for (const row of lines.slice(2)) expect(row).to.include(sam.id).and.not.include(ana.id);

    // The time filter is the disclosure's time: from tomorrow, nothing; to tomorrow, Sami's two again.
    const tomorrow = new Date(Date.now() + 86_400_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await panel.getByLabel('From', { exact: true }).fill(tomorrow);
    await panel.getByRole('button', { name: 'Show records' }).click();
    await panel.getByRole('status').getByText('0 records shown.').waitFor();
    await panel.getByText('No disclosures recorded.').waitFor();
    await panel.getByLabel('From', { exact: true }).fill('');
    await panel.getByLabel('To', { exact: true }).fill(tomorrow);
    await panel.getByRole('button', { name: 'Show records' }).click();
    await panel.getByRole('status').getByText('2 records shown.').waitFor();
    expect(suite.tabs.at(-1)!.errors).to.deep.equal([]);
    await screenshot(page, 'console-disclosures');
  });

  it('shows no Disclosures section to a facilitator or a participant', async () => {
    const { page } = await open(fac, { to: 'console', section: 'disclosures' });
    const sections = page.getByRole('navigation', { name: 'Console sections' });
    await sections.getByRole('button', { name: 'Audit log' }).waitFor();
    expect(await sections.getByRole('button', { name: 'Disclosures' }).count()).to.equal(0);
    expect(await page.getByRole('heading', { name: 'Emergency disclosures' }).count()).to.equal(0);
    const participant = await open(ana, { to: 'console', section: 'disclosures' });
    await participant.page.getByRole('button', { name: 'Groups' }).first().waitFor();
    expect(await participant.page.getByRole('heading', { name: 'Emergency disclosures' }).count()).to.equal(0);
  });

  it('lets a facilitator change the attendance thresholds: the statuses follow and a reload keeps them', async () => {
    const { page } = await open(fac, { to: 'attendance', groupId });
    const ana = page.locator('tbody tr', { has: page.getByRole('rowheader', { name: 'Ana' }) });
    expect(await ana.locator('td').nth(3).textContent()).to.equal('Present');
    const late = page.getByRole('spinbutton', { name: 'Late after (minutes after the start)' });
    const early = page.getByRole('spinbutton', { name: 'Left early (minutes before the end)' });
    expect([await late.inputValue(), await early.inputValue()]).to.deep.equal(['10', '10']);
    await late.fill('5');
    await early.fill('0');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await page.getByRole('status').getByText('Thresholds saved.').waitFor();
    await page
      .getByText('Late: first joined more than 5 min after the start. Left early: last left more than 0 min before the end.')
      .waitFor();
    await ana.locator('td').nth(3).getByText('Left early').waitFor();

    await page.reload();
    await page.getByRole('table').waitFor();
    expect([await late.inputValue(), await early.inputValue()]).to.deep.equal(['5', '0']);
    expect(await ana.locator('td').nth(3).textContent()).to.equal('Left early');
    const stored = await http(suite.srv.url, 'GET', `/api/groups/${groupId}/attendance`, { token: fac.token });
    expect(stored.body.data.settings).to.deep.equal({ lateAfterMin: 5, earlyLeaveMin: 0 });

    // Outside the API's limits the browser keeps the form from going (0–240 whole minutes).
    await late.fill('241');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    expect(await late.evaluate((el: HTMLInputElement) => el.validity.rangeOverflow)).to.equal(true);
    expect(suite.tabs.at(-1)!.errors).to.deep.equal([]);
    await screenshot(page, 'attendance-thresholds');
  });

  it('speaks Spanish in both views, with no English left but the notice', async () => {
    const es = await open(admin, { to: 'console', section: 'disclosures' }, { locale: 'es-US' });
    const panel = disclosuresPanel(es.page, 'Divulgaciones de emergencia');
    await panel
      .getByRole('status')
      .getByText(/^Se muestran \d+ registros\.$/)
      .waitFor();
    await panel.getByText(/corrige el registro para Dra\. Lee/).waitFor();
    expect(await englishIn(panel, { except: ['blockquote'] })).to.deep.equal([]);
    await es.page.getByRole('navigation', { name: 'Secciones de la consola' }).getByRole('button', { name: 'Divulgaciones' }).waitFor();

    const att = await open(fac, { to: 'attendance', groupId }, { locale: 'es-US' });
    await att.page.getByRole('table').waitFor();
    await att.page.getByRole('spinbutton', { name: 'Llegada tarde (minutos después del inicio)' }).fill('7');
    await att.page.getByRole('button', { name: 'Guardar límites' }).click();
    await att.page.getByRole('status').getByText('Límites guardados.').waitFor();
    expect(await englishIn(att.page.locator('main'))).to.deep.equal([]);
    expect([...es.errors, ...att.errors]).to.deep.equal([]);
    await screenshot(att.page, 'attendance-thresholds-es');
  });

  it('has no serious axe findings and no sideways scroll at 320 and 1280 px, light and dark, in English and Spanish', async () => {
    for (const locale of ['en-US', 'es-US'])
      for (const width of [320, 1280])
        for (const colorScheme of ['light', 'dark'] as const) {
          const where = `${locale} at ${width} px, ${colorScheme}`;
          const opts = { width, height: 800, colorScheme, locale };
          const d = await open(admin, { to: 'console', section: 'disclosures' }, opts);
          await d.page.locator('.console-list > li').first().waitFor();
          await d.page.locator('blockquote').waitFor();
          expect(await audit(d.page), `disclosures, ${where}`).to.deep.equal([]);
          expect(await fitsWidth(d.page), `disclosures, ${where}`).to.be.at.most(width);
          const a = await open(fac, { to: 'attendance', groupId }, opts);
          await a.page.getByRole('table').waitFor();
          expect(await audit(a.page), `attendance, ${where}`).to.deep.equal([]);
          expect(await fitsWidth(a.page), `attendance, ${where}`).to.be.at.most(width);
          if (width === 320 && locale === 'en-US') {
            await screenshot(d.page, `console-disclosures-320-${colorScheme}`);
            await screenshot(a.page, `attendance-thresholds-320-${colorScheme}`);
          }
          await d.context.close();
          await a.context.close();
        }
  });
});
