// The waiting room in the browser (§5.7, Chromium): the participant's calm waiting screen, the
// facilitator's "Waiting (n)" list with Admit, Turn away and Admit all, axe-clean on both sides.
import { expect } from 'chai';
import { makeGroup, type TestUser } from '../support/server.js';
import { audit } from './axe.js';
import { browserSuite, messageItems, screenshot, send, type Tab } from './browser.js';

describe('browser: the waiting room', function () {
  const suite = browserSuite(this, { keepTabs: true });
  let fac: TestUser;
  let people: TestUser[];
  let groupId: string;
  let fTab: Tab;
  /** Ben, who still waits after the first test */
  let bTab: Tab;
  /** Cleo, let in by Admit all */
  let cTab: Tab;

  const open = (u: TestUser) => suite.open(u.token, { route: { to: 'group', groupId }, bypassCSP: true });
  const waitingScreen = (t: Tab) => t.page.getByRole('region', { name: 'Waiting to be let in' });
  const waitingHeading = (n: number) => fTab.page.getByRole('heading', { name: `Waiting (${n})` });

  before(async () => {
    fac = suite.srv.user('facilitator', 'Fran');
    people = ['Ana', 'Ben', 'Cleo', 'Dee'].map((name) => suite.srv.user('participant', name));
    groupId = await makeGroup(suite.srv, fac, people);
    fTab = await open(fac);
    await fTab.page.getByRole('heading', { name: 'Tuesday evening group' }).waitFor();
  });

  it('shows a participant a calm waiting screen and the facilitator who waits, both axe-clean; Admit lets one in', async () => {
    await fTab.page.getByRole('button', { name: 'Turn waiting room on' }).click();
    await fTab.page.getByText('The waiting room is on.').waitFor();
    await waitingHeading(0).waitFor();
    await send(fTab.page, 'Welcome, we start at seven');

    const aTab = await open(people[0]!);
    bTab = await open(people[1]!);
    for (const t of [aTab, bTab]) {
      await waitingScreen(t).waitFor();
      const status = waitingScreen(t).getByRole('status');
      expect(await status.textContent()).to.match(/You are in the waiting room for Tuesday evening group\. .*Waiting since /);
      expect(await t.page.locator('.composer').isVisible(), 'nothing of the room shows').to.equal(false);
      expect(await messageItems(t.page, 'Welcome, we start at seven').count()).to.equal(0);
    }
    expect(await audit(aTab.page), 'the waiting screen').to.deep.equal([]);
    await screenshot(aTab.page, 'waiting-room-participant');

    await waitingHeading(2).waitFor();
    const list = fTab.page.getByRole('list', { name: 'Waiting (2)' });
    expect(await list.locator('.member-name').allTextContents()).to.deep.equal(['Ana', 'Ben']);
    expect(await list.getByText(/since /).count()).to.equal(2);
    await fTab.page.getByRole('heading', { name: 'Members (1 of 5 online)' }).waitFor(); // those waiting are not present
    expect(await audit(fTab.page), 'the facilitator with people waiting').to.deep.equal([]);
    await screenshot(fTab.page, 'waiting-room-facilitator');

    await fTab.page.getByRole('button', { name: 'Admit Ana' }).click();
    await waitingHeading(1).waitFor();
    await waitingScreen(aTab).waitFor({ state: 'hidden' });
    await messageItems(aTab.page, 'Welcome, we start at seven').waitFor();
    await send(aTab.page, 'Ana here, thank you');
    await messageItems(fTab.page, 'Ana here, thank you').waitFor();
    expect(await waitingScreen(bTab).isVisible(), 'Ben still waits').to.equal(true);
  });

  it('Turn away tells the person kindly and they may ask again; Admit all lets everyone waiting in', async () => {
    await fTab.page.getByRole('button', { name: 'Turn away Ben' }).click();
    await waitingScreen(bTab).getByText('A facilitator could not let you into Tuesday evening group right now.').waitFor();
    await waitingHeading(0).waitFor();
    expect(await audit(bTab.page), 'the turned-away screen').to.deep.equal([]);

    cTab = await open(people[2]!);
    await waitingScreen(cTab).waitFor();
    await waitingHeading(1).waitFor();
    await waitingScreen(bTab).getByRole('button', { name: 'Ask again' }).click();
    await waitingHeading(2).waitFor();
    expect(await fTab.page.getByRole('list', { name: 'Waiting (2)' }).locator('.member-name').allTextContents()).to.deep.equal([
      'Cleo',
      'Ben',
    ]);

    await fTab.page.getByRole('button', { name: 'Admit all' }).click();
    await fTab.page.getByText('No one is waiting.').waitFor();
    for (const t of [bTab, cTab]) {
      await waitingScreen(t).waitFor({ state: 'hidden' });
      await messageItems(t.page, 'Ana here, thank you').waitFor();
    }
    await send(cTab.page, 'Cleo made it');
    await messageItems(bTab.page, 'Cleo made it').waitFor();
  });

  it('a new session needs a new admission: a participant still in the room who sends is taken to the waiting screen', async () => {
    await fTab.page.getByRole('button', { name: 'Close session' }).click();
    await fTab.page.getByRole('button', { name: 'Open session' }).click();
    await cTab.page.locator('.composer .problem').waitFor({ state: 'hidden' });
    const box = cTab.page.locator('.composer textarea');
    await box.fill('still here?');
    await box.press('Enter');
    await waitingScreen(cTab).waitFor();
    await waitingHeading(1).waitFor();
    expect(await fTab.page.getByRole('list', { name: 'Waiting (1)' }).locator('.member-name').allTextContents()).to.deep.equal(['Cleo']);
    await fTab.page.getByRole('button', { name: 'Admit Cleo' }).click();
    await waitingScreen(cTab).waitFor({ state: 'hidden' });
    await send(cTab.page, 'back in for the new session');
    await messageItems(fTab.page, 'back in for the new session').waitFor();
  });

  it("Leave takes the person back to their groups and off the facilitator's list", async () => {
    const dTab = await open(people[3]!);
    await waitingScreen(dTab).waitFor();
    await waitingHeading(1).waitFor();
    await waitingScreen(dTab).getByRole('button', { name: 'Leave' }).click();
    await dTab.page.getByRole('heading', { name: 'My groups' }).waitFor();
    await waitingHeading(0).waitFor();
  });
});
