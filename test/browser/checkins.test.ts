import { expect } from 'chai';
import { http, makeGroup } from '../support/server.js';
import { audit } from './axe.js';
import { browserSuite, screenshot } from './browser.js';

describe('browser: check-in alerts, daily check-ins and a partner’s check-ins', function () {
  const suite = browserSuite(this);

  it("a facilitator sets the group's check-in alerts and goes back to the program defaults", async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const groupId = await makeGroup(suite.srv, fac, [suite.srv.user('participant', 'Cy')]);
    const f = await suite.open(fac.token, { bypassCSP: true, route: { to: 'group', groupId } });
    const panel = f.page.getByRole('region', { name: 'Check-in alerts' });
    await panel.getByLabel('Craving at or above').waitFor();
    expect(await panel.getByLabel('Craving at or above').inputValue(), 'the default').to.equal('8');
    expect(await audit(f.page)).to.deep.equal([]);
    await panel.getByLabel('Craving at or above').selectOption('5');
    await panel.getByLabel('Craving rise since the last check-in').selectOption('Off');
    await panel.getByLabel('Used since the last check-in').uncheck();
    await panel.getByLabel('No check-in (daily check-ins) for').selectOption('48 hours');
    await panel.getByRole('button', { name: 'Save check-in alerts' }).click();
    await panel.getByRole('status').filter({ hasText: 'Check-in alerts saved.' }).waitFor();
    expect(await suite.srv.store.checkinWatch.checkinRules(groupId)).to.deep.equal({
      craving: 5,
      jump: null,
      used: false,
      silenceHours: 48,
    });
    await screenshot(f.page, 'checkin-rules');
    await panel.getByRole('button', { name: 'Use program defaults' }).click();
    await panel.getByRole('status').filter({ hasText: 'back to the program defaults' }).waitFor();
    expect(await suite.srv.store.checkinWatch.checkinRules(groupId)).to.deep.equal({});
    expect(await panel.getByLabel('Craving at or above').inputValue()).to.equal('8');
    expect(await audit(f.page)).to.deep.equal([]);
    expect(f.errors).to.deep.equal([]);
  });

  it('my check-in tells, before sending, that staff see use and high craving only when shared with staff; daily check-ins opt in', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const cy = suite.srv.user('participant', 'Cy');
    await makeGroup(suite.srv, fac, [cy]);
    const c = await suite.open(cy.token, { bypassCSP: true, route: { to: 'partners' } });
    const notice = c.page.locator('.checkin-notice');
    await notice.filter({ hasText: 'Only you see your check-ins.' }).waitFor();
    await c.page.getByLabel('Who sees my check-ins:').selectOption('partners');
    await notice.filter({ hasText: 'No staff member sees them' }).waitFor();
    expect(await notice.textContent()).not.to.contain('using');
    await c.page.getByLabel('Who sees my check-ins:').selectOption('staff');
    await notice.filter({ hasText: 'A "Yes" to using, a high craving' }).waitFor();
    await c.page.getByLabel(/I check in daily/).check();
    await notice.filter({ hasText: 'if you miss a day, they are told too' }).waitFor();
    expect(await suite.srv.store.checkins.dailyOf(cy.id)).to.equal(true);
    await c.page.getByText('Check in now').click();
    const button = c.page.getByRole('button', { name: 'Send check-in' });
    const describedBy = await button.getAttribute('aria-describedby');
    expect(await c.page.locator(`#${describedBy}`).textContent(), 'the button is read with the notice').to.contain('A "Yes" to using');
    expect(await audit(c.page)).to.deep.equal([]);
    await c.page.getByLabel(/I check in daily/).uncheck();
    await c.page.locator('.flash', { hasText: 'Daily check-ins are off.' }).waitFor();
    expect(await suite.srv.store.checkins.dailyOf(cy.id)).to.equal(false);
  });

  it("the partner chat shows the partner's 14-day trend when they share with partners, and says so when they do not", async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const [ana, ben] = [suite.srv.user('participant', 'Ana'), suite.srv.user('participant', 'Ben')];
    await makeGroup(suite.srv, fac, [ana, ben]);
    const paired = await http(suite.srv.url, 'POST', '/api/partnerships', { token: fac.token, body: { userIds: [ana.id, ben.id] } });
    const partnershipId: string = paired.body.data.partnership.id;
    await suite.srv.store.checkins.setSharing(ana.id, 'partners');
    await suite.srv.store.checkins.appendCheckin(ana.id, { id: 'c1', clientMsgId: 'c1', at: Date.now(), mood: 2, craving: 7, used: false });

    const b = await suite.open(ben.token, { bypassCSP: true, route: { to: 'partner', partnershipId } });
    await b.page.getByText("Ana's check-ins", { exact: true }).click();
    const table = b.page.getByRole('table', { name: "Ana's check-ins, last 14 days" });
    await table.waitFor();
    const today = new Date().toISOString().slice(0, 10);
    expect(await table.locator('tbody tr').allTextContents()).to.deep.equal([`${today}27no`]);
    expect(await audit(b.page)).to.deep.equal([]);
    await screenshot(b.page, 'partner-checkins');

    const a = await suite.open(ana.token, { route: { to: 'partner', partnershipId } });
    await a.page.getByText("Ben's check-ins", { exact: true }).click();
    await a.page.getByText('Ben does not share check-ins with partners.').waitFor();
  });
});
