import { expect } from 'chai';
import { makeGroup } from '../support/server.js';
import { browserSuite, messageItems, send } from './browser.js';

describe('browser: small traps (issue 19)', function () {
  const suite = browserSuite(this);

  it('two participants named Sam are told apart in messages and members; a unique name has no tag', async () => {
    const fac = suite.srv.user('facilitator', 'Fran');
    const sam1 = suite.srv.user('participant', 'Sam');
    const sam2 = suite.srv.user('participant', 'sam');
    const groupId = await makeGroup(suite.srv, fac, [sam1, sam2]);
    const tag1 = `Sam · #${sam1.id.slice(-4)}`;
    const tag2 = `sam · #${sam2.id.slice(-4)}`;
    const a = await suite.open(sam1.token, { route: { to: 'group', groupId } });
    await send(a.page, 'First from one Sam');
    await send(a.page, 'Second, grouped under the first');
    const b = await suite.open(sam2.token, { route: { to: 'group', groupId } });
    await send(b.page, 'Hello from the other Sam');
    const f = await suite.open(fac.token, { route: { to: 'group', groupId } });

    await messageItems(f.page, 'Hello from the other Sam').waitFor();
    const sender = (text: string) => messageItems(f.page, text).locator('.sender').textContent();
    expect(await sender('First from one Sam')).to.equal(tag1);
    // The grouped one hides its header from sight only: screen readers still hear which Sam.
    expect(await sender('Second, grouped under the first')).to.equal(tag1);
    expect(await sender('Hello from the other Sam')).to.equal(tag2);
    const names = await f.page.locator('.members .member-name').allTextContents();
    expect(names).to.include.members([tag1, tag2, 'Fran (you)']);

    // Each Sam sees themself tagged too, with "(you)".
    await messageItems(a.page, 'Hello from the other Sam').waitFor();
    expect(await messageItems(a.page, 'First from one Sam').locator('.sender').textContent()).to.equal(`${tag1} (you)`);
    // The first Sam's page told the names apart once the second one came, without a reload.
    expect(await messageItems(a.page, 'Hello from the other Sam').locator('.sender').textContent()).to.equal(tag2);
    await a.page.locator('.members .member-name', { hasText: `${tag1} (you)` }).waitFor();

    // Typing names which Sam.
    await b.page.locator('.composer textarea').fill('Still ');
    await b.page.locator('.composer textarea').press('Space');
    await f.page.locator('.typing', { hasText: `${tag2} is typing…` }).waitFor();
  });
});
