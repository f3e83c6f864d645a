import { expect } from 'chai';
import { makeGroup } from '../support/server.js';
import { browserSuite, messageItems, screenshot, send } from './browser.js';

describe('browser: accountability partners', function () {
  const suite = browserSuite(this);

  it('a check-in of one\'s own from the Partners page: the sharing choice, the notice before sending, and "used"', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const cy = suite.srv.user('participant', 'Cy');
    const groupId = await makeGroup(suite.srv, fac, [cy]);
    const c = await suite.open(cy.token, { route: { to: 'partners' } });
    await c.page.getByRole('heading', { name: 'Your check-in' }).waitFor();
    await c.page.locator('.checkin-notice', { hasText: 'Only you see your check-ins.' }).waitFor();
    await c.page.getByLabel('Who sees my check-ins:').selectOption('staff');
    await c.page.locator('.checkin-notice', { hasText: 'A "Yes" to using, a high craving' }).waitFor();
    await c.page.getByText('Check in now').click();
    await c.page.getByRole('radio', { name: 'Yes' }).check();
    const button = c.page.getByRole('button', { name: 'Send check-in' });
    expect(await button.getAttribute('aria-describedby'), 'the notice describes the button').to.be.a('string');
    await button.click();
    await c.page.locator('.flash', { hasText: 'Check-in saved.' }).waitFor();
    expect(await suite.srv.store.checkins.sharingOf(cy.id)).to.equal('staff');
    const [saved] = await suite.srv.store.checkins.checkinsOf(cy.id, 0);
    expect(saved).to.deep.include({ mood: 3, craving: 0, used: true });
    await screenshot(c.page, 'my-checkin');

    // Fran, the group's facilitator, sees Cy's trend from the member list.
    const f = await suite.open(fac.token, { route: { to: 'group', groupId } });
    const member = f.page.locator('.member').filter({ hasText: 'Cy' });
    await member.locator('summary').click();
    await member.getByRole('button', { name: 'Check-ins (14 days)' }).click();
    const table = f.page.getByRole('table', { name: "Cy's check-ins, last 14 days" });
    await table.waitFor();
    const today = new Date().toISOString().slice(0, 10);
    expect(await table.locator('tbody tr').allTextContents()).to.deep.equal([`${today}30yes`]);
  });

  it('invites, accepts, writes, checks in, and shows "seen", typing and unread', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const ana = suite.srv.user('participant', 'Ana');
    const ben = suite.srv.user('participant', 'Ben');
    await makeGroup(suite.srv, fac, [ana, ben]);
    const a = await suite.open(ana.token, { route: { to: 'partners' } });
    const b = await suite.open(ben.token, { route: { to: 'partners' } });

    // Ana invites Ben, a member of her group.
    await a.page.getByLabel('Someone from your group').selectOption({ label: 'Ben' });
    await a.page.getByLabel('A short note (optional)').fill('Want to keep each other honest this month?');
    await a.page.getByRole('button', { name: 'Send invitation' }).click();
    await a.page.locator('.flash', { hasText: 'Invitation sent to Ben.' }).waitFor();

    // Ben sees it live and accepts; he lands in the conversation.
    const invite = b.page.locator('.invite', { hasText: 'Ana would like to be your accountability partner.' });
    await invite.waitFor();
    expect(await invite.textContent()).to.contain('“Want to keep each other honest this month?”');
    await screenshot(b.page, 'partners-invite');
    await invite.getByRole('button', { name: 'Accept Ana' }).click();
    await b.page.getByRole('heading', { name: 'You and Ana' }).waitFor();

    // Ana's list shows Ben; she opens the conversation and writes.
    await a.page.getByRole('button', { name: /^Ben/ }).click();
    await a.page.getByRole('heading', { name: 'You and Ben' }).waitFor();
    await send(a.page, 'Made it through today. You?');
    await messageItems(b.page, 'Made it through today. You?').waitFor();
    // Ben has it on screen, so it is read: Ana sees "Seen" under it.
    await messageItems(a.page, 'Made it through today. You?').locator('.seen', { hasText: 'Seen' }).waitFor();

    // Typing.
    await b.page.locator('.composer textarea').fill('Yes, ');
    await b.page.locator('.composer textarea').press('Space');
    await a.page.locator('.typing', { hasText: 'Ben is typing…' }).waitFor();
    await b.page.locator('.composer textarea').fill('');

    // Ben's daily check-in.
    await b.page.getByText('Daily check-in', { exact: true }).click();
    await b.page.getByLabel('4 · good').check();
    await b.page.getByLabel(/Craving right now/).fill('2');
    await b.page.getByLabel('A few words (optional)').fill('Called my sponsor.');
    await b.page.getByRole('button', { name: 'Send check-in' }).click();
    const card = a.page.locator('.msg:not(.pending) .checkin', { hasText: 'Mood 4/5 (good) · Craving 2/10' });
    await card.waitFor();
    expect(await card.textContent()).to.contain('Called my sponsor.');
    await screenshot(a.page, 'partners-conversation');

    // Away from the conversation, a new message is an unread badge in the list and the nav.
    await a.page.getByRole('button', { name: '← All partners' }).click();
    await a.page.getByRole('heading', { name: 'Accountability partners' }).waitFor();
    await send(b.page, 'Proud of you');
    await a.page.locator('.partner-list .unread', { hasText: '1' }).waitFor();
    await a.page.locator('#nav .partners-unread', { hasText: '1' }).waitFor();
    await a.page.getByRole('button', { name: /^Ben/ }).click();
    await messageItems(a.page, 'Proud of you').waitFor();
    await a.page.locator('#nav .partners-unread').waitFor({ state: 'hidden' });
    expect(await messageItems(a.page, 'Proud of you').count()).to.equal(1);
    for (const t of suite.tabs) {
      expect(t.errors).to.deep.equal([]);
      expect(t.dialogs).to.deep.equal([]);
    }
  });
});
