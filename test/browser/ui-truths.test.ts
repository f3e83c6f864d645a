import { expect } from 'chai';
import { audit } from './axe.js';
import { browserSuite, groupOfThree, messageItems, send, type Tab } from './browser.js';

/** What the page says matches what is true (issue 19): no pre-chosen answers, no stale words. */
describe('browser: the page tells the truth', function () {
  const suite = browserSuite(this, { keepTabs: true });
  const g = groupOfThree(suite);
  let fTab: Tab;
  let aTab: Tab;
  let bTab: Tab;

  before(async () => {
    for (const u of [g.fac, g.ana, g.ben]) await suite.open(u.token, { route: { to: 'group', groupId: g.groupId }, bypassCSP: true });
    [fTab, aTab, bTab] = suite.tabs as [Tab, Tab, Tab];
    for (const t of suite.tabs) await t.page.getByRole('heading', { name: 'Tuesday evening group' }).waitFor();
  });

  it('the report dialog chooses no reason for you, and asks for one when none is chosen', async () => {
    await send(aTab.page, 'Hello from Ana');
    const anas = messageItems(bTab.page, 'Hello from Ana');
    await anas.locator('summary').click();
    await anas.getByRole('button', { name: 'Report' }).click();
    const dialog = bTab.page.getByRole('dialog', { name: 'Report a message from Ana' });
    await dialog.waitFor();
    expect(await dialog.locator('input[name="reason"]:checked').count(), 'a reason pre-selected').to.equal(0);
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'Choose what is wrong' }).waitFor();
    expect(await dialog.isVisible(), 'the dialog stays open').to.equal(true);
    expect(await audit(bTab.page), 'axe with the report dialog open').to.deep.equal([]);
    await dialog.getByLabel('Spam or advertising').check();
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await bTab.page.locator('.flash', { hasText: 'Thank you for telling us' }).waitFor();
    await fTab.page.locator('.alerts .alert', { hasText: 'Report (spam) about Ana' }).waitFor();
  });

  it('says the hand is lowered once a facilitator lowers it', async () => {
    await bTab.page.getByRole('button', { name: '✋ Raise hand' }).click();
    const flash = bTab.page.locator('.room .flash');
    await flash.filter({ hasText: 'Your hand is raised' }).waitFor();
    await fTab.page.locator('.queue li', { hasText: 'Ben' }).getByRole('button', { name: 'Lower hand' }).click();
    await bTab.page.getByRole('button', { name: '✋ Raise hand', pressed: false }).waitFor();
    await flash.filter({ hasText: 'Your hand is lowered' }).waitFor();
    expect(await flash.textContent()).not.to.contain('raised');
  });

  it('offers no "Raise hand" to a facilitator', async () => {
    await fTab.page.getByRole('heading', { name: 'Raised hands' }).waitFor();
    expect(await fTab.page.getByRole('button', { name: /Raise hand/ }).count()).to.equal(0);
    expect(await aTab.page.getByRole('button', { name: /Raise hand/ }).count(), 'participants keep theirs').to.equal(1);
  });

  it('closes an action menu once an action is chosen, focus back on its button', async () => {
    const item = messageItems(aTab.page, 'Hello from Ana');
    await item.locator('summary').click();
    await item.getByRole('button', { name: 'React 💪' }).click();
    await item.locator('.reaction.mine', { hasText: '💪 1' }).waitFor();
    expect(await item.locator('details[open]').count(), 'the message menu is still open').to.equal(0);
    expect(await item.locator('summary').evaluate((el) => el === document.activeElement)).to.equal(true);

    const member = fTab.page.locator('.member').filter({ has: fTab.page.locator('.member-name', { hasText: /^Ana$/ }) });
    await member.locator('summary').click();
    await member.getByRole('button', { name: 'Check-ins (14 days)' }).click();
    expect(await member.locator('details[open]').count(), 'showing more keeps it open').to.equal(1);
    await member.getByRole('button', { name: 'Mute', exact: true }).click();
    await aTab.page.locator('.composer .problem').waitFor();
    expect(await member.locator('details[open]').count(), 'the member menu is still open').to.equal(0);
  });

  it('lets the word on the last facilitator action go, instead of keeping it forever', async () => {
    const member = fTab.page.locator('.member').filter({ has: fTab.page.locator('.member-name', { hasText: /^Ana$/ }) });
    await member.locator('summary').click();
    await member.getByRole('button', { name: 'Unmute' }).click();
    const flash = fTab.page.locator('.room .flash');
    await flash.filter({ hasText: 'Ana is unmuted.' }).waitFor();
    await fTab.page.waitForFunction(() => document.querySelector('.room .flash')?.textContent === '', null, { timeout: 20_000 });
  });

  it('in dark mode a disabled Send looks disabled, and signing out leaves no stray status dot', async () => {
    const tab = await suite.open(g.ana.token, { route: { to: 'group', groupId: g.groupId }, bypassCSP: true, colorScheme: 'dark' });
    const { page } = tab;
    await page.getByRole('heading', { name: 'Tuesday evening group' }).waitFor();
    const sendButton = page.getByRole('button', { name: 'Send' });
    const background = () => sendButton.evaluate((el) => getComputedStyle(el).backgroundColor);
    await page.locator('.composer textarea').fill('a draft');
    const enabled = await background();
    await page.locator('.composer textarea').fill('');
    expect(await sendButton.isDisabled()).to.equal(true);
    expect(await background(), 'the disabled Send wears the enabled accent').not.to.equal(enabled);

    // Signed out while the badge showed a problem (here: offline), nothing of it may stay behind.
    await tab.context.setOffline(true);
    await page.locator('.conn.offline').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page
      .getByRole('heading', { name: /sign in/i })
      .first()
      .waitFor();
    expect(await page.locator('#connection').isVisible(), 'a stray status dot').to.equal(false);
    await tab.context.setOffline(false);
    expect(await audit(page), 'axe on the sign-in page, dark').to.deep.equal([]);
  });
});
