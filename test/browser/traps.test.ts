import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { TestClient } from '../support/client.js';
import { makeGroup } from '../support/server.js';
import { audit, fitsWidth } from './axe.js';
import { browserSuite, messageItems, screenshot, send } from './browser.js';

/** axe-clean and no sideways scroll at 320 px, axe-clean at 1280 px. */
async function accessibleAtBothWidths(page: Page, what: string): Promise<void> {
  await page.setViewportSize({ width: 320, height: 700 });
  expect(await audit(page), `${what} at 320 px`).to.deep.equal([]);
  expect(await fitsWidth(page), `${what} fits 320 px`).to.be.at.most(320);
  await page.setViewportSize({ width: 1280, height: 800 });
  expect(await audit(page), `${what} at 1280 px`).to.deep.equal([]);
}

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
    // The facilitator's confirmation says which Sam.
    const row = f.page.locator('.member', { hasText: tag2 });
    await row.locator('summary').click();
    await row.getByRole('button', { name: 'Remove from room' }).click();
    const dialog = f.page.getByRole('dialog');
    await dialog.getByText(`Remove ${tag2} from the room?`).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

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

  /** Ben in a group room, and Ana (a socket of her own) inviting him to be partners. */
  async function invitedInRoom(locale?: string) {
    const fac = suite.srv.user('facilitator', 'Fran');
    const ana = suite.srv.user('participant', 'Ana');
    const ben = suite.srv.user('participant', 'Ben');
    const groupId = await makeGroup(suite.srv, fac, [ana, ben]);
    const b = await suite.open(ben.token, { route: { to: 'group', groupId }, bypassCSP: true, ...(locale ? { locale } : {}) });
    const box = b.page.locator('.composer textarea');
    await box.focus();
    const ca = await TestClient.connect(suite.srv.url, ana.token);
    try {
      await ca.ok('partner:invite', { userId: ben.id });
    } finally {
      ca.socket.close();
    }
    return { b, box };
  }

  it('an invitation that arrives in a room: a badge and a notice that keeps the focus where it was, still counted after a reload, cleared on Partners', async () => {
    const { b, box } = await invitedInRoom();
    const partnersNav = b.page.getByRole('button', { name: 'Partners 1 invitation' });
    await partnersNav.waitFor();
    const notice = b.page.getByRole('region', { name: 'Partner invitation' });
    await notice.getByText('Ana invited you to be accountability partners.').waitFor();
    await b.page.locator('#live-polite', { hasText: 'Ana invited you to be accountability partners.' }).waitFor();
    expect(await box.evaluate((el) => el === document.activeElement), 'the composer keeps the focus').to.equal(true);
    await screenshot(b.page, 'invite-notice-room');
    await accessibleAtBothWidths(b.page, 'the room with an invitation notice');

    // Dismissed, the notice goes; the count stays until Partners is opened.
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'hidden' });
    await partnersNav.waitFor();

    // After a reload the pending invitation still counts.
    await b.page.reload();
    await b.page.locator('.conn.online').waitFor();
    await partnersNav.waitFor();

    await partnersNav.click();
    const invite = b.page.locator('.invite', { hasText: 'Ana would like to be your accountability partner.' });
    await invite.waitFor();
    await b.page.locator('.invites-badge').waitFor({ state: 'hidden' });
    await invite.getByRole('button', { name: 'Accept Ana' }).click();
    await b.page.getByRole('heading', { name: 'You and Ana' }).waitFor();
    await b.page.getByRole('button', { name: 'Groups' }).click();
    await b.page.getByRole('heading', { name: 'My groups' }).waitFor();
    expect(await b.page.locator('.invites-badge').isHidden(), 'no invitation left to count').to.equal(true);
  });

  it('in Spanish, the notice and the badge are Spanish, and "Abrir Compañeros" opens the invitation', async () => {
    const { b } = await invitedInRoom('es-US');
    const partnersNav = b.page.getByRole('button', { name: 'Compañeros 1 invitación' });
    await partnersNav.waitFor();
    const notice = b.page.getByRole('region', { name: 'Invitación de compañero de apoyo' });
    await notice.getByText('Ana te invitó a ser compañeros de apoyo.').waitFor();
    await accessibleAtBothWidths(b.page, 'the Spanish room with an invitation notice');
    await notice.getByRole('button', { name: 'Abrir Compañeros' }).click();
    await b.page.locator('.invite').waitFor();
    await notice.waitFor({ state: 'hidden' });
    await b.page.locator('.invites-badge').waitFor({ state: 'hidden' });
  });
});
