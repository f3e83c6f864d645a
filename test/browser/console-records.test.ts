// The staff console's record sections (issue 19) in real Chromium: pairing two members and ending
// the pairing (both partners' pages follow live), the audit log in words with its filters and
// "Load older", the report queue resolved from the console, the access log filtered by person
// (admins only), axe-clean and no sideways scroll at 320 and 1280 px in light and dark, and no
// Console for participants.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { TestClient } from '../support/client.js';
import { http, makeGroup, type TestUser } from '../support/server.js';
import { audit, fitsWidth } from './axe.js';
import { browserSuite, screenshot, type OpenOptions, type Route } from './browser.js';

const SECTIONS = [
  { id: 'partners', heading: 'Accountability partners' },
  { id: 'audit', heading: 'Audit log' },
  { id: 'reports', heading: 'Reports' },
  { id: 'access-log', heading: 'Access log' },
];

describe('browser: the console’s records (partners, audit log, reports, access log)', function () {
  const suite = browserSuite(this, { timeout: 90_000 });
  let fran: TestUser, ana: TestUser, ben: TestUser, admin: TestUser;
  let groupId: string;
  const clients: TestClient[] = [];

  const open = (u: TestUser, route: Route, opts: OpenOptions = {}) => suite.open(u.token, { bypassCSP: true, route, ...opts });
  const connect = async (u: TestUser) => {
    const c = await TestClient.connect(suite.srv.url, u.token);
    clients.push(c);
    return c;
  };
  const panel = (page: Page, heading: string) =>
    page.locator('section.console-panel', { has: page.getByRole('heading', { name: heading }) });

  before(async () => {
    fran = suite.srv.user('facilitator', 'Fran');
    ana = suite.srv.user('participant', 'Ana');
    ben = suite.srv.user('participant', 'Ben');
    admin = suite.srv.user('admin', 'Ada');
    groupId = await makeGroup(suite.srv, fran, [ana, ben]);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  it('pairs two members by name, both see it live on their Partners page, and ends it', async () => {
    const anaTab = await open(ana, { to: 'partners' });
    const benTab = await open(ben, { to: 'partners' });
    const { page } = await open(fran, { to: 'console', section: 'partners' });
    const partners = panel(page, 'Accountability partners');
    await partners.getByRole('combobox', { name: 'Group' }).waitFor();
    await partners.getByText('No pairings in this group yet.').waitFor();
    await partners.getByRole('combobox', { name: 'First person' }).selectOption({ label: 'Ana' });
    await partners.getByRole('combobox', { name: 'Second person' }).selectOption({ label: 'Ben' });
    await partners.getByRole('button', { name: 'Pair them' }).click();
    await partners.getByRole('status').getByText('Ana and Ben are now accountability partners.').waitFor();
    await partners.getByRole('listitem').filter({ hasText: 'Ana and Ben' }).waitFor();

    await anaTab.page.locator('.partner-list .member-name', { hasText: 'Ben' }).waitFor();
    await benTab.page.locator('.partner-list .member-name', { hasText: 'Ana' }).waitFor();

    await partners.getByRole('button', { name: 'End the pairing of Ana and Ben' }).click();
    const dialog = page.getByRole('dialog', { name: 'End the pairing of Ana and Ben?' });
    await dialog.getByRole('button', { name: 'End pairing' }).click();
    await partners.getByRole('status').getByText('The pairing of Ana and Ben has ended.').waitFor();
    await partners.getByText('No pairings in this group yet.').waitFor();
    for (const t of [anaTab, benTab]) await t.page.locator('.partner-list .partner .badge', { hasText: 'ended' }).waitFor();

    await partners.getByRole('checkbox', { name: 'Show ended pairings too' }).check();
    await partners.getByRole('listitem').filter({ hasText: 'Ana and Ben' }).getByText('ended', { exact: true }).waitFor();
    for (const t of [page, anaTab.page, benTab.page]) expect(suite.tabs.find((x) => x.page === t)!.errors).to.deep.equal([]);
    await screenshot(page, 'console-partners');
  });

  it('lists a mute in words with the actor’s name, loads older entries, and filters the whole log by action and by person', async () => {
    const group = await makeGroup(suite.srv, fran, [ana, ben]);
    const c = await connect(fran);
    // 2 enrolments, then 52 moderation actions: more than one page (50).
    for (let i = 0; i < 26; i++) {
      await c.ok('mod:mute', { groupId: group, userId: i % 2 ? ben.id : ana.id, minutes: 10 });
      await c.ok('mod:unmute', { groupId: group, userId: i % 2 ? ben.id : ana.id });
    }
    const { page } = await open(fran, { to: 'console', section: 'audit' });
    const log = panel(page, 'Audit log');
    await log.getByRole('combobox', { name: 'Group' }).selectOption(group);
    const entries = log.locator('ol.console-list > li');
    await entries.first().getByText('Fran unmuted Ben').waitFor();
    expect(await entries.count()).to.equal(50);
    await log.getByText('Fran muted Ana for 10 minutes').first().waitFor();
    expect(await log.getByText('Fran enrolled Ana as participant').count(), 'the oldest are not loaded yet').to.equal(0);

    await log.getByRole('button', { name: 'Load older' }).click();
    await log.getByText('Fran enrolled Ana as participant').waitFor();
    expect(await entries.count()).to.equal(54);
    await log.getByRole('button', { name: 'Load older' }).waitFor({ state: 'hidden' });

    // The filters ask the server: they reach entries not loaded yet.
    await log.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'muted' });
    await log.getByRole('combobox', { name: /^Person/ }).selectOption({ label: 'Ana' });
    await entries.nth(13).waitFor({ state: 'detached' });
    expect(await entries.count()).to.equal(13);
    for (const text of await entries.allTextContents()) expect(text).to.match(/^Fran muted Ana for 10 minutes/);
    await log.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'enrolled' });
    await log.getByText('Fran enrolled Ana as participant').waitFor();
    await entries.nth(1).waitFor({ state: 'detached' });
    expect(await entries.count(), 'a fresh first page: the server filtered the whole log').to.equal(1);
    await log.getByRole('combobox', { name: /^Person/ }).selectOption({ label: 'Everyone' });
    await log.getByText('Fran enrolled Ben as participant').waitFor();
    expect(await entries.count()).to.equal(2);
    expect(suite.tabs[0]!.errors).to.deep.equal([]);
    await screenshot(page, 'console-audit');
  });

  it('lists a group’s reports, shows a new one live, and resolves them from the console', async () => {
    const group = await makeGroup(suite.srv, fran, [ana, ben]);
    const [ca, cb] = [await connect(ana), await connect(ben)];
    for (const x of [ca, cb]) await x.ok('group:join', { groupId: group });
    const sent = await ca.ok('group:send', { groupId: group, text: 'you are all hopeless', clientMsgId: 'r1' });
    const { reportId } = await cb.ok('report', {
      conversation: { kind: 'group', id: group },
      messageId: sent.message.id,
      reason: 'harassment',
    });

    const { page } = await open(fran, { to: 'console', section: 'reports' });
    const reports = panel(page, 'Reports');
    await reports.getByRole('combobox', { name: 'Group' }).selectOption(group);
    const item = reports.getByRole('listitem').filter({ hasText: 'Report (harassment) about Ana' });
    await item.getByText('reported by Ben').waitFor();
    await item.getByText('“you are all hopeless”').waitFor();
    // A second report while the page is open appears without a reload.
    const second = await cb.ok('group:send', { groupId: group, text: 'sorry, rough day', clientMsgId: 'r2' });
    const spam = await ca.ok('report', { conversation: { kind: 'group', id: group }, messageId: second.message.id, reason: 'spam' });
    await reports.getByRole('listitem').filter({ hasText: 'Report (spam) about Ben' }).waitFor();
    await item.getByRole('button', { name: 'Mark resolved' }).click();
    await item.waitFor({ state: 'detached' });
    await reports
      .getByRole('listitem')
      .filter({ hasText: 'Report (spam) about Ben' })
      .getByRole('button', { name: 'Mark resolved' })
      .click();
    await reports.getByText('Nothing waiting.').waitFor();
    const queue = await http(suite.srv.url, 'GET', `/api/groups/${group}/reports?status=all`, { token: fran.token });
    expect(
      queue.body.data.reports.map((r: { id: string; status: string; resolvedBy?: string }) => [r.id, r.status, r.resolvedBy]),
    ).to.deep.equal([
      [reportId, 'resolved', fran.id],
      [spam.reportId, 'resolved', fran.id],
    ]);
    await reports.getByRole('combobox', { name: 'Show' }).selectOption('all');
    await reports
      .getByRole('listitem')
      .filter({ hasText: 'Report (harassment) about Ana' })
      .getByText(/^resolved/)
      .waitFor();
    expect(suite.tabs[0]!.errors).to.deep.equal([]);
  });

  it('lets an admin filter the access log by person and page back', async () => {
    // Fran reads the pairings of the first group (about Ana and Ben) and the audit log of a group with only Cal muted.
    const cal = suite.srv.user('participant', 'Cal');
    const calGroup = await makeGroup(suite.srv, fran, [cal]);
    const c = await connect(fran);
    await c.ok('mod:mute', { groupId: calGroup, userId: cal.id, minutes: 5 });
    for (let i = 0; i < 3; i++) await http(suite.srv.url, 'GET', `/api/groups/${calGroup}/audit`, { token: fran.token });
    await http(suite.srv.url, 'GET', `/api/groups/${groupId}/partnerships`, { token: fran.token });

    const { page } = await open(admin, { to: 'console', section: 'access-log' });
    const log = panel(page, 'Access log');
    await log.getByRole('textbox', { name: 'About person (user id)' }).fill(cal.id);
    await log.getByRole('button', { name: 'Show entries' }).click();
    await log.getByRole('status').getByText('3 entries shown.').waitFor();
    const entries = log.locator('ol.console-list > li');
    for (const text of await entries.allTextContents()) {
      expect(text).to.include(`${fran.id} (facilitator) read a group's audit log`);
      expect(text).to.include(`About: ${cal.id}`);
      expect(text).to.include(`group ${calGroup}`);
    }
    await log.getByRole('textbox', { name: 'About person (user id)' }).fill(ana.id);
    await log.getByRole('textbox', { name: 'Read by (user id)' }).fill(fran.id);
    await log.getByRole('button', { name: 'Show entries' }).click();
    await log.getByText(`${fran.id} (facilitator) read a group's pairings`).first().waitFor();
    expect((await entries.allTextContents()).join('\n')).to.not.include(cal.id);

    // The admin's own reads of the log are logged too: page back through them 50 at a time.
    for (let i = 0; i < 50; i++) await http(suite.srv.url, 'GET', `/api/access-log?actor=${admin.id}&limit=1`, { token: admin.token });
    await log.getByRole('textbox', { name: 'About person (user id)' }).fill('');
    await log.getByRole('textbox', { name: 'Read by (user id)' }).fill(admin.id);
    await log.getByRole('button', { name: 'Show entries' }).click();
    await log.getByRole('status').getByText('50 entries shown, more are older.').waitFor();
    await log.getByRole('button', { name: 'Load older' }).click();
    await log
      .getByRole('status')
      .getByText(/^5\d entries shown\.$/)
      .waitFor();
    expect(suite.tabs[0]!.errors).to.deep.equal([]);
    await screenshot(page, 'console-access-log');
  });

  it('has no serious axe findings and no sideways scroll at 320 and 1280 px, light and dark, in every section', async () => {
    for (const width of [320, 1280])
      for (const colorScheme of ['light', 'dark'] as const) {
        const { page } = await open(admin, { to: 'console', section: 'partners' }, { width, height: 800, colorScheme });
        for (const s of SECTIONS) {
          await page
            .getByRole('navigation', { name: 'Console sections' })
            .getByRole('button', { name: s.heading === 'Accountability partners' ? 'Partners' : s.heading })
            .click();
          await panel(page, s.heading).locator('.console-list > li').first().waitFor();
          const where = `${s.id} at ${width} px, ${colorScheme}`;
          expect(await audit(page), where).to.deep.equal([]);
          expect(await fitsWidth(page), where).to.be.at.most(width);
          if (width === 320) await screenshot(page, `console-${s.id}-320-${colorScheme}`);
        }
      }
  });

  it('shows no Console to a participant, and no access log to a facilitator', async () => {
    const { page } = await open(ana, { to: 'groups' });
    await page.getByRole('button', { name: 'Groups' }).waitFor();
    expect(await page.locator('#nav').getByRole('button', { name: 'Console' }).count()).to.equal(0);
    const fac = await open(fran, { to: 'console', section: 'access-log' });
    const sections = fac.page.getByRole('navigation', { name: 'Console sections' });
    await sections.getByRole('button', { name: 'Audit log' }).waitFor();
    expect(await sections.getByRole('button', { name: 'Access log' }).count()).to.equal(0);
  });
});
