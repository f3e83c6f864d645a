import { expect } from 'chai';
import { enrol } from '../support/server.js';
import { browserSuite, groupOfThree, messageItems, screenshot, send, type Tab } from './browser.js';

describe('browser: a group room with two participants and a facilitator', function () {
  const suite = browserSuite(this, { keepTabs: true });
  const g = groupOfThree(suite);
  let fTab: Tab;
  let aTab: Tab;
  let bTab: Tab;

  before(async () => {
    for (const u of [g.fac, g.ana, g.ben]) await suite.open(u.token, { route: { to: 'group', groupId: g.groupId } });
    [fTab, aTab, bTab] = suite.tabs as [Tab, Tab, Tab];
    for (const t of suite.tabs) await t.page.getByRole('heading', { name: 'Tuesday evening group' }).waitFor();
  });

  it('delivers messages both ways, once each, with sender and time', async () => {
    await send(aTab.page, 'Hello from Ana');
    await messageItems(bTab.page, 'Hello from Ana').waitFor();
    await send(bTab.page, 'Hi Ana, Ben here');
    await messageItems(aTab.page, 'Hi Ana, Ben here').waitFor();
    await messageItems(fTab.page, 'Hi Ana, Ben here').waitFor();
    for (const t of suite.tabs) {
      expect(await messageItems(t.page, 'Hello from Ana').count()).to.equal(1);
      expect(await messageItems(t.page, 'Hi Ana, Ben here').count()).to.equal(1);
    }
    const item = messageItems(bTab.page, 'Hello from Ana');
    expect(await item.locator('.sender').textContent()).to.equal('Ana');
    expect(await item.locator('time').getAttribute('datetime')).to.match(/^\d{4}-\d\d-\d\dT/);
  });

  it('shows who is typing, and stops when they send', async () => {
    await aTab.page.locator('.composer textarea').fill('I was thinking');
    await aTab.page.locator('.composer textarea').press('Space');
    await bTab.page.locator('.typing', { hasText: 'Ana is typing…' }).waitFor();
    await aTab.page.locator('.composer textarea').press('Enter');
    await bTab.page.waitForFunction(() => document.querySelector('.typing')?.textContent === '');
  });

  it('raises a hand for everyone, and the facilitator lowers it', async () => {
    await bTab.page.getByRole('button', { name: '✋ Raise hand' }).click();
    await bTab.page.getByRole('button', { name: '✋ Lower hand', pressed: true }).waitFor();
    const queue = fTab.page.locator('.queue li', { hasText: 'Ben (next)' });
    await queue.waitFor();
    await aTab.page.locator('.member', { hasText: 'Ben' }).locator('.hand').waitFor();
    await queue.getByRole('button', { name: 'Lower hand' }).click();
    await bTab.page.getByRole('button', { name: '✋ Raise hand', pressed: false }).waitFor();
    await aTab.page.locator('.member', { hasText: 'Ben' }).locator('.hand').waitFor({ state: 'detached' });
  });

  it('shows a supportive reaction to everyone', async () => {
    const item = messageItems(bTab.page, 'Hello from Ana');
    await item.locator('summary').click();
    await item.getByRole('button', { name: 'React 💪' }).click();
    await messageItems(aTab.page, 'Hello from Ana').locator('.reaction', { hasText: '💪 1' }).waitFor();
    await messageItems(bTab.page, 'Hello from Ana').locator('.reaction.mine', { hasText: '💪 1' }).waitFor();
  });

  it('files a report that the facilitator sees as an alert', async () => {
    const item = messageItems(bTab.page, 'Hi Ana, Ben here');
    await item.locator('summary').click();
    expect(await item.getByRole('button', { name: 'Report' }).count(), 'no report on my own message').to.equal(0);
    const anas = messageItems(bTab.page, 'Hello from Ana');
    if (!(await anas.locator('details[open]').count())) await anas.locator('summary').click();
    await anas.getByRole('button', { name: 'Report' }).click();
    const dialog = bTab.page.getByRole('dialog', { name: 'Report a message from Ana' });
    await dialog.getByLabel('Spam or advertising').check();
    await dialog.getByRole('button', { name: 'Send report' }).click();
    await bTab.page.locator('.flash', { hasText: 'Thank you for telling us' }).waitFor();
    const alert = fTab.page.locator('.alerts .alert', { hasText: 'Report (spam) about Ana' });
    await alert.waitFor();
    expect(await alert.textContent())
      .to.contain('“Hello from Ana”')
      .and.to.contain('reported by Ben');
    await screenshot(fTab.page, 'room-facilitator');
  });

  it('lets the facilitator resolve the report', async () => {
    const alert = fTab.page.locator('.alerts .alert', { hasText: 'Report (spam) about Ana' });
    await alert.getByRole('button', { name: 'Mark resolved' }).click();
    await alert.waitFor({ state: 'detached' });
    await fTab.page.getByRole('heading', { name: 'Alerts and reports', exact: true }).waitFor();
  });

  it('turns on slow mode: a second message is refused with a countdown and the text is kept', async () => {
    await fTab.page.getByLabel('Slow mode').selectOption({ label: 'One message every 30 s' });
    await bTab.page.locator('.badge', { hasText: 'Slow mode: 30 s' }).waitFor();
    await send(bTab.page, 'first under slow mode');
    const box = bTab.page.locator('.composer textarea');
    await box.fill('second, too soon');
    await box.press('Enter');
    await bTab.page.locator('.composer .problem', { hasText: /^Slow mode is on in this group\. You can send again in \d+ s\.$/ }).waitFor();
    expect(await box.inputValue()).to.equal('second, too soon');
    expect(await bTab.page.getByRole('button', { name: 'Send' }).isDisabled()).to.equal(true);
    expect(await bTab.page.locator('.msg', { hasText: 'second, too soon' }).count()).to.equal(0);
    await box.fill('');
    await fTab.page.getByLabel('Slow mode').selectOption({ label: 'Off' });
    await bTab.page.locator('.badge', { hasText: 'Slow mode' }).waitFor({ state: 'detached' });
    await bTab.page.locator('.composer .problem').waitFor({ state: 'hidden' });
  });

  it('closes the session: participants read but cannot send, until it opens again', async () => {
    await fTab.page.getByRole('button', { name: 'Close session' }).click();
    await aTab.page.locator('.composer .problem', { hasText: 'The session is closed.' }).waitFor();
    expect(await aTab.page.locator('.composer textarea').isDisabled()).to.equal(true);
    expect(await fTab.page.locator('.composer textarea').isDisabled(), 'facilitators still write').to.equal(false);
    await fTab.page.getByRole('button', { name: 'Open session' }).click();
    await aTab.page.locator('.composer .problem').waitFor({ state: 'hidden' });
  });

  it('removes a participant after confirmation, who can come back in', async () => {
    const member = fTab.page.locator('.member').filter({ has: fTab.page.locator('.member-name', { hasText: /^Ben$/ }) });
    await member.locator('summary').click();
    await member.getByRole('button', { name: 'Remove from room' }).click();
    await fTab.page.getByRole('dialog', { name: 'Remove Ben from the room?' }).getByRole('button', { name: 'Remove' }).click();
    const notice = bTab.page.locator('.notice', { hasText: 'A facilitator took you out of the room for now.' });
    await notice.waitFor();
    expect(await bTab.page.locator('.composer textarea').isDisabled()).to.equal(true);
    await notice.getByRole('button', { name: 'Come back in' }).click();
    await notice.waitFor({ state: 'hidden' });
    expect(await bTab.page.locator('.composer textarea').isDisabled()).to.equal(false);
    await send(bTab.page, 'back again');
    await messageItems(aTab.page, 'back again').waitFor();
  });

  it('mutes a participant, who sees why they cannot send', async () => {
    const member = fTab.page.locator('.member').filter({ has: fTab.page.locator('.member-name', { hasText: /^Ana$/ }) });
    await member.locator('summary').click();
    await member.getByLabel('Mute for').selectOption({ label: '15 minutes' });
    await member.getByRole('button', { name: 'Mute', exact: true }).click();
    await fTab.page.locator('.flash', { hasText: 'Ana is muted.' }).waitFor();
    const problem = aTab.page.locator('.composer .problem');
    await problem.filter({ hasText: /A facilitator has muted you until .+ You can still read along/ }).waitFor();
    expect(await aTab.page.locator('.composer textarea').isDisabled()).to.equal(true);
    expect(await aTab.page.getByRole('button', { name: 'Send' }).isDisabled()).to.equal(true);
    await screenshot(aTab.page, 'room-participant-muted');
  });

  it('deletes a message after confirmation, and it shows as removed for everyone', async () => {
    const item = messageItems(fTab.page, 'Hi Ana, Ben here');
    await item.locator('summary').click();
    await item.getByRole('button', { name: 'Delete' }).click();
    const dialog = fTab.page.getByRole('dialog', { name: 'Delete this message?' });
    await dialog.getByRole('button', { name: 'Delete message' }).click();
    for (const t of suite.tabs) {
      await t.page.waitForFunction(() =>
        Array.from(document.querySelectorAll('.msg .text.removed')).some((e) => e.textContent === 'This message was removed.'),
      );
      expect(await messageItems(t.page, 'Hi Ana, Ben here').count()).to.equal(0);
    }
  });

  it('shows a member the locked room keeps out that it is locked, with the composer disabled, and lets them in once it is unlocked', async () => {
    const cleo = suite.srv.user('participant', 'Cleo');
    await enrol(suite.srv, g.groupId, g.fac, cleo, 'participant', 'Cleo');
    await fTab.page.getByRole('button', { name: 'Lock room' }).click();
    await bTab.page.locator('.badge', { hasText: 'Locked' }).waitFor();
    const cTab = await suite.open(cleo.token, { route: { to: 'group', groupId: g.groupId } });
    // Ben is taken out while the room is locked, and asks to come back in.
    const member = fTab.page.locator('.member').filter({ has: fTab.page.locator('.member-name', { hasText: /^Ben$/ }) });
    await member.locator('summary').click();
    await member.getByRole('button', { name: 'Remove from room' }).click();
    await fTab.page.getByRole('dialog', { name: 'Remove Ben from the room?' }).getByRole('button', { name: 'Remove' }).click();
    await bTab.page.locator('.notice').getByRole('button', { name: 'Come back in' }).click();
    for (const t of [cTab, bTab]) {
      await t.page.locator('.notice', { hasText: 'This room is locked for this session.' }).waitFor();
      await t.page.locator('.composer .problem', { hasText: 'This room is locked' }).waitFor();
      expect(await t.page.locator('.composer textarea').isDisabled()).to.equal(true);
      expect(await t.page.getByRole('button', { name: 'Send' }).isDisabled()).to.equal(true);
      expect(await t.page.getByRole('button', { name: '✋ Raise hand' }).isDisabled()).to.equal(true);
    }
    await screenshot(cTab.page, 'room-locked-out');

    await fTab.page.getByRole('button', { name: 'Unlock room' }).click();
    for (const t of [cTab, bTab]) {
      await t.page.locator('.notice').waitFor({ state: 'hidden' });
      await t.page.locator('.composer .problem').waitFor({ state: 'hidden' });
      expect(await t.page.locator('.composer textarea').isDisabled()).to.equal(false);
    }
    await send(cTab.page, 'Cleo here, sorry I am late');
    await messageItems(aTab.page, 'Cleo here, sorry I am late').waitFor();
  });
});
