// The group agreement in the browser (§5.1): a participant who has not accepted the current
// version sees it before the composer unlocks (focus on its heading, keyboard-only accept, Escape
// back to the groups, axe clean); a facilitator edits it in the room (each save a new version)
// and sees who accepted which version; a new version never locks out someone mid-session.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { http, type TestUser } from '../support/server.js';
import { audit } from './axe.js';
import { browserSuite, groupOfThree, screenshot, send } from './browser.js';

const RULES = 'What is said here stays here.\nWe listen without judging.\nWe do not share the stories of others.';

describe('browser: the group agreement', function () {
  const suite = browserSuite(this);
  const g = groupOfThree(suite);

  before(async () => {
    const res = await http(suite.srv.url, 'PUT', `/api/groups/${g.groupId}/agreement`, { token: g.fac.token, body: { text: RULES } });
    expect(res.status, res.text).to.equal(200);
  });

  const open = async (u: TestUser) => {
    const tab = await suite.open(u.token, { bypassCSP: true, route: { to: 'group', groupId: g.groupId } });
    return tab.page;
  };
  const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');
  const acceptances = async () =>
    (await http(suite.srv.url, 'GET', `/api/groups/${g.groupId}/agreement/acceptances`, { token: g.fac.token })).body.data.acceptances as {
      userId: string;
      version: number;
    }[];

  it('shows a participant the agreement before the composer unlocks, focused on its heading; accepted with the keyboard alone; axe clean', async () => {
    const page = await open(g.ana);
    const panel = page.getByRole('region', { name: 'Group agreement' });
    await panel.waitFor();
    expect(await focusedText(page)).to.equal('Group agreement');
    expect(await panel.locator('.agreement-text').innerText()).to.equal(RULES);
    expect(await page.locator('.composer textarea').isDisabled(), 'the composer waits for the agreement').to.equal(true);
    expect(await audit(page)).to.deep.equal([]);
    await screenshot(page, 'agreement-participant');

    // Keyboard only: Tab from the heading reaches "I agree", Enter accepts.
    for (let i = 0; i < 5 && (await focusedText(page)) !== 'I agree'; i++) await page.keyboard.press('Tab');
    expect(await focusedText(page)).to.equal('I agree');
    await page.keyboard.press('Enter');
    await panel.waitFor({ state: 'hidden' });
    await page.getByRole('heading', { name: 'Tuesday evening group' }).waitFor();
    await send(page, 'Thank you, I agree to the rules');
    expect((await acceptances()).map((a) => [a.userId, a.version])).to.deep.equal([[g.ana.id, 1]]);
  });

  it('goes back to the groups on Escape, and asks again on the next visit', async () => {
    const page = await open(g.ben);
    await page.getByRole('region', { name: 'Group agreement' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('heading', { name: 'My groups' }).waitFor();
    await page.getByRole('button', { name: 'Open Tuesday evening group' }).click();
    await page.getByRole('region', { name: 'Group agreement' }).waitFor();
    expect(await acceptances()).to.have.length(1);
  });

  it('lets a facilitator save a new version and see who accepted which; it never locks out someone already in, only their next join; axe clean', async () => {
    const anaPage = await open(g.ana);
    await anaPage.getByRole('heading', { name: 'Tuesday evening group' }).waitFor();
    await anaPage.locator('.composer textarea:not([disabled])').waitFor();

    const page = await open(g.fac);
    const editor = page.getByRole('region', { name: 'Group agreement' });
    await editor.getByText(/^Version 1, set /).waitFor();
    await editor.getByText(/^Ana: version 1 /).waitFor();
    await editor.getByText('Not yet accepted: Ben').waitFor();
    expect(await audit(page)).to.deep.equal([]);
    const box = editor.getByLabel('Agreement text');
    expect(await box.inputValue()).to.equal(RULES);
    await box.fill(`${RULES}\nPhones on silent.`);
    await editor.getByRole('button', { name: 'Save as new version' }).click();
    await editor.getByText(/^Version 2, set /).waitFor();
    await editor.getByText('Not yet accepted: Ana, Ben').waitFor();
    await screenshot(page, 'agreement-editor');

    await send(anaPage, 'Still here after the new version');
    await anaPage.reload();
    const panel = anaPage.getByRole('region', { name: 'Group agreement' });
    await panel.waitFor();
    expect(await panel.locator('.agreement-text').innerText()).to.include('Phones on silent.');
    await panel.getByRole('button', { name: 'I agree' }).click();
    await anaPage.locator('.composer textarea:not([disabled])').waitFor();
    await page.getByRole('button', { name: 'Refresh' }).click();
    await editor.getByText(/^Ana: version 2 /).waitFor();
  });
});
