// Sessions on a schedule in the browser (§5.6): a facilitator's schedule editor (time zone, weekly
// sessions, one-off sessions, cancelling one, extend, close now) and the room's session line as a
// participant sees it, in their own time zone.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { http, makeGroup, type TestUser } from '../support/server.js';
import { browserSuite, screenshot } from './browser.js';

const ZONE = 'America/New_York';
const clock = new Intl.DateTimeFormat('en-US', { timeZone: ZONE, hour: 'numeric', minute: '2-digit' });

describe('browser: sessions on a schedule', function () {
  const suite = browserSuite(this, { keepTabs: true });
  let fac: TestUser;
  let ana: TestUser;
  let groupId: string;
  let f: Page;
  let a: Page;

  const put = async (schedule: unknown) => {
    const res = await http(suite.srv.url, 'PUT', `/api/groups/${groupId}/schedule`, { token: fac.token, body: schedule });
    expect(res.status, res.text).to.equal(200);
    return res.body.data as { sessions: { id: string; start: number; end: number }[] };
  };
  const line = (page: Page) => page.locator('.schedule-line');
  /** The line says the session is open until `end` (with its date first when that is not today in New York). */
  const open = (page: Page, end: number) =>
    line(page)
      .filter({ hasText: /^Session open until / })
      .filter({ hasText: clock.format(end) })
      .waitFor();

  before(async () => {
    fac = suite.srv.user('facilitator', 'Fran');
    ana = suite.srv.user('participant', 'Ana');
    groupId = await makeGroup(suite.srv, fac, [ana]);
    for (const u of [fac, ana]) await suite.open(u.token, { route: { to: 'group', groupId }, timeZone: ZONE });
    [f, a] = suite.tabs.map((t) => t.page) as [Page, Page];
    for (const p of [f, a]) await p.getByRole('heading', { name: 'Tuesday evening group' }).waitFor();
  });

  it('without a schedule there is no session line, and the panel says sessions are by hand', async () => {
    expect(await line(a).isHidden()).to.equal(true);
    await f.locator('.schedule', { hasText: 'No schedule: sessions are opened and closed by hand.' }).waitFor();
  });

  it('a facilitator adds a weekly session in the editor and saves; the participant sees "Next session Thu 6:30 PM"', async () => {
    await f.getByText('Edit schedule', { exact: true }).click();
    await f.getByLabel('Time zone').fill(ZONE);
    await f.getByRole('button', { name: 'Add weekly session' }).click();
    const row = f.locator('.schedule .slots li').first();
    await row.getByLabel('Day', { exact: true }).selectOption('thu');
    await row.getByLabel('Starts', { exact: true }).fill('18:30');
    await row.getByLabel('Minutes', { exact: true }).fill('75');
    await row.getByRole('button', { name: 'Remove the Thursday 18:30 session' }).waitFor();
    await f.getByRole('button', { name: 'Save schedule' }).click();
    await f.locator('.flash', { hasText: 'Schedule saved.' }).waitFor();
    await f.locator('.schedule .sessions li').first().waitFor();
    const saved = await http(suite.srv.url, 'GET', `/api/groups/${groupId}/schedule`, { token: fac.token });
    expect(saved.body.data.schedule).to.deep.equal({
      timeZone: ZONE,
      weekly: [{ day: 'thu', start: '18:30', minutes: 75 }],
      oneOff: [],
      cancelled: [],
    });
    // In the viewer's zone (New York here): Thursday at 6:30 PM, unless one is running right now.
    await line(a)
      .filter({ hasText: /^(Next session Thu(, \w+ \d+,)? 6:30 PM|Session open until)/ })
      .waitFor();
    await screenshot(f, 'schedule-weekly');
  });

  it('a session under an hour away counts down; Open session starts it early, Extend 15 min moves its end, Close now ends it', async () => {
    const start = Date.now() + 30 * 60_000;
    const end = start + 60 * 60_000;
    await put({
      timeZone: ZONE,
      weekly: [],
      oneOff: [{ start: new Date(start).toISOString(), end: new Date(end).toISOString() }],
      cancelled: [],
    });
    await line(a)
      .filter({ hasText: /^Next session .+ · starts in (29|30) min$/ })
      .waitFor();

    await f.getByRole('button', { name: 'Open session' }).click();
    await open(a, end);
    await f.getByRole('button', { name: 'Extend 15 min' }).click();
    await open(a, end + 15 * 60_000);
    await f.locator('.schedule-status', { hasText: clock.format(end + 15 * 60_000) }).waitFor();
    await f.getByRole('button', { name: 'Close now' }).click();
    // Nothing else is planned: the line goes, and the participant's composer says the session is closed.
    await a.locator('.schedule-line[hidden]').waitFor({ state: 'attached' });
    await f.locator('.schedule', { hasText: 'No sessions planned.' }).waitFor();
  });

  it('cancels one coming session from the list, after asking', async () => {
    const { sessions } = await put({
      timeZone: ZONE,
      weekly: [
        { day: 'tue', start: '18:00', minutes: 90 },
        { day: 'thu', start: '18:00', minutes: 90 },
      ],
      oneOff: [],
      cancelled: [],
    });
    const first = f.locator('.schedule .sessions li').first();
    await first.getByRole('button', { name: /^Cancel the session of / }).click();
    await f.getByRole('dialog').getByRole('button', { name: 'Cancel session' }).click();
    await f.locator('.flash', { hasText: 'is cancelled.' }).waitFor();
    const after = await http(suite.srv.url, 'GET', `/api/groups/${groupId}/schedule`, { token: fac.token });
    expect(after.body.data.schedule.cancelled).to.deep.equal([sessions[0]!.id]);
    expect(after.body.data.sessions[0].id).to.equal(sessions[1]!.id);
  });
});
