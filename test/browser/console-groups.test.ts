// The console's Groups section (issue 19 item 1) in real Chromium: a facilitator creates a group,
// edits it, enrols, promotes and unenrols (asked in the page, never window.confirm); sees mutes and
// bans another facilitator set, after a reload, and lifts them; is not offered a change to another
// facilitator's enrolment, which an admin is; no serious axe findings at 320 and 1280 px, light and dark.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { TestClient } from '../support/client.js';
import { enrol, http, makeGroup, type TestUser } from '../support/server.js';
import { audit, fitsWidth } from './axe.js';
import { browserSuite, closeTabs, screenshot } from './browser.js';

describe('browser: console groups', function () {
  const suite = browserSuite(this, { timeout: 90_000 });
  const clients: TestClient[] = [];

  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  const open = async (who: TestUser, opts: { width?: number; colorScheme?: 'light' | 'dark' } = {}) => {
    const tab = await suite.open(who.token, {
      ...opts,
      height: 760,
      bypassCSP: true,
      route: { to: 'console', section: 'groups' },
    });
    await tab.page.getByRole('heading', { name: 'Groups', level: 3 }).waitFor();
    return tab;
  };
  /** Opens a group's page from the list, and one of its parts. */
  const manage = async (page: Page, groupName: string, part?: string) => {
    await page.getByRole('button', { name: `Manage ${groupName}` }).click();
    await page.getByRole('heading', { name: groupName, level: 3 }).waitFor();
    if (part)
      await page
        .getByRole('navigation', { name: `Parts of ${groupName}` })
        .getByRole('button', { name: part, exact: true })
        .click();
  };
  /** A group of its own for each test (the list names groups by name), with these participants. */
  const groupOf = async (fac: TestUser, name: string, members: TestUser[] = []) => {
    const groupId = await makeGroup(suite.srv, fac, members);
    const res = await http(suite.srv.url, 'PATCH', `/api/groups/${groupId}`, { token: fac.token, body: { name } });
    expect(res.status, res.text).to.equal(200);
    return groupId;
  };
  const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent);
  const rowOf = (page: Page, name: string) => page.locator('.console-row').filter({ has: page.getByText(name, { exact: true }) });

  it('a facilitator creates a group, edits it, enrols a member, changes a role and unenrols after confirming in the page', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const [ana, ben] = [suite.srv.user('participant', 'Ana'), suite.srv.user('participant', 'Ben')];
    const { page, errors, dialogs } = await open(fac);
    await page.getByText('No groups yet. Create the first one below.').waitFor();

    const create = page.getByRole('form', { name: 'New group' });
    await create.getByLabel('Name').fill('  Thursday mornings ');
    await create.getByLabel('Description (optional)').fill('Weekly, 9 to 10');
    await create.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { name: 'Thursday mornings', level: 3 }).waitFor();
    const groupId = ((await http(suite.srv.url, 'GET', '/api/groups', { token: fac.token })).body.data.groups as { id: string }[])[0]!.id;

    const details = page.getByRole('form', { name: 'Details' });
    expect(await details.getByLabel('Description').inputValue()).to.equal('Weekly, 9 to 10');
    await details.getByLabel('Name').fill('Thursday morning group');
    await details.getByRole('button', { name: 'Save details' }).click();
    await details.getByText('Saved.').waitFor();
    await page.getByRole('heading', { name: 'Thursday morning group', level: 3 }).waitFor();
    const stored = (await http(suite.srv.url, 'GET', `/api/groups/${groupId}`, { token: fac.token })).body.data.group;
    expect(stored).to.deep.include({ name: 'Thursday morning group', description: 'Weekly, 9 to 10' });

    await page.getByRole('navigation', { name: 'Parts of Thursday morning group' }).getByRole('button', { name: 'Members' }).click();
    const form = page.getByRole('form', { name: 'Enrol someone' });
    for (const p of [ana, ben]) {
      await form.getByLabel('User id').fill(p.id);
      await form.getByLabel('Name shown in the group').fill(p.name);
      await form.getByRole('button', { name: 'Enrol' }).click();
      await page.getByText(`${p.name} is enrolled.`).waitFor();
    }
    await rowOf(page, 'Ben').waitFor();
    expect((await suite.srv.store.groups.enrolment(groupId, ana.id))?.role).to.equal('participant');

    await page.getByRole('button', { name: 'Make Ana facilitator' }).click();
    await page.getByText('Ana is now a facilitator.').waitFor();
    expect((await suite.srv.store.groups.enrolment(groupId, ana.id))?.role).to.equal('facilitator');
    // Now a facilitator, Ana's enrolment is an admin's to change: Fran is offered nothing for it.
    await rowOf(page, 'Ana').getByText('Only an admin changes a facilitator.').waitFor();
    expect(await rowOf(page, 'Ana').getByRole('button').count()).to.equal(0);

    await page.getByRole('button', { name: 'Unenrol Ben' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unenrol Ben?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await suite.srv.store.groups.enrolment(groupId, ben.id)).to.not.equal(null);
    await page.getByRole('button', { name: 'Unenrol Ben' }).click();
    await dialog.getByRole('button', { name: 'Unenrol' }).click();
    await page.getByText('Ben is unenrolled.').waitFor();
    await rowOf(page, 'Ben').waitFor({ state: 'detached' });
    expect(await suite.srv.store.groups.enrolment(groupId, ben.id)).to.equal(null);
    // The button that had focus is gone with Ben's row: focus lands on the list's heading, not the page's start.
    expect(await focusedText(page)).to.equal('Members');
    expect(dialogs).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    await screenshot(page, 'console-members');
  });

  it('shows after a reload the mute and ban another facilitator set, and lifts them', async () => {
    const [fran, gus] = [suite.srv.user('facilitator', 'Fran'), suite.srv.user('facilitator', 'Gus')];
    const [ana, ben] = [suite.srv.user('participant', 'Ana'), suite.srv.user('participant', 'Ben')];
    const groupId = await groupOf(fran, 'Moderated group', [ana, ben]);
    await enrol(suite.srv, groupId, fran, gus, 'facilitator', 'Gus');
    const { page, errors } = await open(fran);
    await manage(page, 'Moderated group', 'Moderation');
    await page.getByText('No one is muted.').waitFor();
    await page.getByText('No one is banned.').waitFor();

    const cg = await TestClient.connect(suite.srv.url, gus.token);
    clients.push(cg);
    await cg.ok('mod:mute', { groupId, userId: ana.id, minutes: 30 });
    await cg.ok('mod:ban', { groupId, userId: ben.id });

    await page.reload();
    await page.getByRole('heading', { name: 'Groups', level: 3 }).waitFor();
    await manage(page, 'Moderated group', 'Moderation');
    const muted = rowOf(page, 'Ana');
    await muted.waitFor();
    expect(await muted.textContent()).to.match(/^Ana until .+Unmute Ana$/);
    await rowOf(page, 'Ben').waitFor();
    await screenshot(page, 'console-moderation');

    await muted.getByRole('button', { name: 'Unmute Ana' }).click();
    await page.getByText('Ana is unmuted.').waitFor();
    await page.getByText('No one is muted.').waitFor();
    expect(await suite.srv.store.moderation.muteOf(groupId, ana.id, Date.now())).to.equal(null);
    expect(await focusedText(page)).to.equal('Mutes and bans');

    await page.getByRole('button', { name: 'Unban Ben' }).click();
    await page.getByText('Ben is unbanned.').waitFor();
    await page.getByText('No one is banned.').waitFor();
    expect(await suite.srv.store.moderation.isBanned(groupId, ben.id)).to.equal(false);
    expect(errors).to.deep.equal([]);
  });

  it("offers a change of another facilitator's enrolment, and lifting their mute, to an admin, not to a facilitator", async () => {
    const [fran, gus] = [suite.srv.user('facilitator', 'Fran'), suite.srv.user('facilitator', 'Gus')];
    const admin = suite.srv.user('admin', 'Ada');
    const ana = suite.srv.user('participant', 'Ana');
    const groupId = await groupOf(fran, 'Shared group', [ana]);
    await enrol(suite.srv, groupId, fran, gus, 'facilitator', 'Gus');

    const asFran = await open(fran);
    await manage(asFran.page, 'Shared group', 'Members');
    await rowOf(asFran.page, 'Ana').getByRole('button', { name: 'Make Ana facilitator' }).waitFor();
    await rowOf(asFran.page, 'Gus').getByText('Only an admin changes a facilitator.').waitFor();
    expect(await rowOf(asFran.page, 'Gus').getByRole('button').count()).to.equal(0);
    expect(await rowOf(asFran.page, 'Fran').getByRole('button').count()).to.equal(0);

    // A facilitator muted by an admin: Fran sees it, and is not offered to lift it.
    const cadmin = await TestClient.connect(suite.srv.url, admin.token);
    clients.push(cadmin);
    await cadmin.ok('mod:mute', { groupId, userId: gus.id });
    await asFran.page.getByRole('navigation', { name: 'Parts of Shared group' }).getByRole('button', { name: 'Moderation' }).click();
    await rowOf(asFran.page, 'Gus').getByText('Only an admin unmutes a facilitator.').waitFor();
    expect(await rowOf(asFran.page, 'Gus').getByRole('button').count()).to.equal(0);

    const asAdmin = await open(admin);
    await manage(asAdmin.page, 'Shared group', 'Moderation');
    await asAdmin.page.getByRole('button', { name: 'Unmute Gus' }).click();
    await asAdmin.page.getByText('Gus is unmuted.').waitFor();
    await asAdmin.page.getByRole('navigation', { name: 'Parts of Shared group' }).getByRole('button', { name: 'Members' }).click();
    await asAdmin.page.getByRole('button', { name: 'Make Gus participant' }).click();
    await asAdmin.page.getByText('Gus is now a participant.').waitFor();
    expect((await suite.srv.store.groups.enrolment(groupId, gus.id))?.role).to.equal('participant');
  });

  it("opens the group's agreement with who accepted it by name, and its attendance page", async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const [ana, ben] = [suite.srv.user('participant', 'Ana'), suite.srv.user('participant', 'Ben')];
    const groupId = await groupOf(fac, 'Agreed group', [ana, ben]);
    const set = await http(suite.srv.url, 'PUT', `/api/groups/${groupId}/agreement`, {
      token: fac.token,
      body: { text: 'We keep what is said here.' },
    });
    expect(set.status, set.text).to.equal(200);
    const ca = await TestClient.connect(suite.srv.url, ana.token);
    clients.push(ca);
    await ca.ok('group:agree', { groupId, version: 1 });

    const { page, errors } = await open(fac);
    await manage(page, 'Agreed group', 'Agreement');
    await page.getByText('Ana: version 1').waitFor();
    await page.getByText('Not yet accepted: Ben').waitFor();
    expect(await page.getByLabel('Agreement text').inputValue()).to.equal('We keep what is said here.');

    await page.getByRole('navigation', { name: 'Parts of Agreed group' }).getByRole('button', { name: 'Attendance' }).click();
    await page.getByRole('heading', { name: 'Attendance', level: 2 }).waitFor();
    expect(errors).to.deep.equal([]);
  });

  it('has no serious axe findings at 320 and 1280 px, light and dark, and does not scroll sideways', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const [ana, ben] = [suite.srv.user('participant', 'Ana'), suite.srv.user('participant', 'Ben with a rather long name')];
    const groupId = await groupOf(fac, 'Checked group', [ana, ben]);
    const cf = await TestClient.connect(suite.srv.url, fac.token);
    clients.push(cf);
    await cf.ok('mod:mute', { groupId, userId: ana.id });
    await cf.ok('mod:ban', { groupId, userId: ben.id });
    const parts = ['Details', 'Members', 'Moderation', 'Schedule', 'Agreement', 'Check-in alerts'];
    const ready: Record<string, string> = {
      Details: 'Save details',
      Members: 'Make Ana facilitator',
      Moderation: 'Unmute Ana',
      Schedule: 'Edit schedule',
      Agreement: 'Save as new version',
      'Check-in alerts': 'Save check-in alerts',
    };
    for (const width of [320, 1280]) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const { page } = await open(fac, { width, colorScheme });
        const where = `${width} px ${colorScheme}`;
        await page.getByRole('button', { name: 'Manage Checked group' }).waitFor();
        expect(await audit(page), `list, ${where}`).to.deep.equal([]);
        expect(await fitsWidth(page), `list, ${where}`).to.be.at.most(width);
        await manage(page, 'Checked group');
        for (const part of parts) {
          await page.getByRole('navigation', { name: 'Parts of Checked group' }).getByRole('button', { name: part, exact: true }).click();
          await page.getByText(ready[part]!, { exact: true }).first().waitFor();
          expect(await audit(page), `${part}, ${where}`).to.deep.equal([]);
          expect(await fitsWidth(page), `${part}, ${where}`).to.be.at.most(width);
        }
        await screenshot(page, `console-groups-${width}-${colorScheme}`);
        await closeTabs(suite.tabs);
      }
    }
  });
});
