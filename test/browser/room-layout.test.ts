// The room laid out as a chat app (issue 19 item 3): the header and the composer stay in view and
// only the messages scroll; why you cannot send sits right above the box; "New messages" and a
// jump button when scrolled up; runs of one person's messages under one header; safe links; an
// empty room that says so; and unread counts on the groups list.
import { expect } from 'chai';
import type { Locator, Page } from 'playwright-core';
import { eventually, type TestClient } from '../support/client.js';
import { roomClients } from '../support/room.js';
import { http, makeGroup, type TestUser } from '../support/server.js';
import { audit, fitsWidth } from './axe.js';
import { browserSuite, groupOfThree, messageItems, screenshot, send } from './browser.js';

describe('browser: the room layout of a chat app', function () {
  const suite = browserSuite(this, { timeout: 90_000, server: { env: { RATE_LIMITS: 'send=1000/10' } } });
  const g = groupOfThree(suite);
  let benClient: TestClient;
  let facClient: TestClient;
  const { connect, enter, sent, partnerSent, closeAll } = roomClients(() => suite.srv);

  before(async () => {
    benClient = await enter(g.ben, g.groupId);
    facClient = await enter(g.fac, g.groupId);
    for (let i = 1; i <= 60; i++) await sent(benClient, g.groupId, `earlier message ${i}`);
  });

  after(async () => {
    closeAll();
  });

  const open = async (user: TestUser, width: number, height = 800, colorScheme: 'light' | 'dark' = 'light', gid = g.groupId) => {
    const tab = await suite.open(user.token, {
      bypassCSP: true,
      width,
      height,
      colorScheme,
      route: { to: 'group', groupId: gid },
    });
    await tab.page.locator('.room-head h2', { hasText: 'Tuesday evening group' }).waitFor();
    return tab;
  };

  /** Wholly inside the window. */
  const inView = async (page: Page, el: Locator, what: string) => {
    const box = await el.boundingBox();
    const view = page.viewportSize()!;
    expect(box, what).to.not.equal(null);
    expect(box!.y, `${what}: top`).to.be.at.least(0);
    expect(box!.y + box!.height, `${what}: bottom`).to.be.at.most(view.height);
  };

  /** The page as a whole does not scroll: it has nothing to scroll, and asking it to moves nothing. */
  const pageStill = async (page: Page) => {
    const scroll = await page.evaluate(() => {
      const el = document.scrollingElement!;
      el.scrollTop = 10_000;
      return { top: el.scrollTop, over: el.scrollHeight - el.clientHeight };
    });
    expect(scroll, 'the page scrolls').to.deep.equal({ top: 0, over: 0 });
  };

  const scroller = (page: Page) => page.locator('.room-main .scroller');
  const atBottom = (page: Page) => scroller(page).evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight < 80);

  for (const width of [1280, 390]) {
    it(`keeps the header and the composer in view after 60 messages, and only the messages scroll, at ${width}×800`, async () => {
      const { page } = await open(g.ana, width);
      await page.locator('.msg[data-seq="60"]').waitFor();
      await inView(page, page.locator('.room-head h2'), 'the room heading');
      await inView(page, page.locator('.composer'), 'the composer');
      await inView(page, page.locator('.msg[data-seq="60"]'), 'the newest message');
      await pageStill(page);
      expect(await scroller(page).evaluate((el) => el.scrollHeight > el.clientHeight), 'the message list scrolls').to.equal(true);
      await screenshot(page, `room-layout-${width}`);
      // The members beside the conversation, or on a phone one tap below it, the page still still.
      const members = page.getByRole('heading', { name: /^Members/ });
      const toSide = page.getByRole('button', { name: 'Members and room tools ↓' });
      if (width < 760) {
        await toSide.click();
        await page.waitForFunction(() => document.querySelector('.room-side h3')!.getBoundingClientRect().bottom <= innerHeight);
      } else expect(await toSide.isVisible()).to.equal(false);
      await inView(page, members, 'the members panel');
      await pageStill(page);
    });
  }

  it('says why you cannot send right above the box, in view on a phone, with the box looking disabled', async () => {
    const { page } = await open(g.ana, 390);
    const box = page.locator('.composer textarea');
    const enabledLook = await box.evaluate((el) => getComputedStyle(el).borderStyle);
    await facClient.ok('mod:mute', { groupId: g.groupId, userId: g.ana.id, minutes: 15 });
    const problem = page.locator('.composer .problem', { hasText: /A facilitator has muted you until .+ You can still read along/ });
    await problem.waitFor();
    await inView(page, problem, 'the mute reason');
    const [p, t] = [await problem.boundingBox(), await box.boundingBox()];
    expect(p!.y + p!.height, 'the reason is above the box').to.be.at.most(t!.y);
    expect(t!.y - (p!.y + p!.height), 'and right above it').to.be.below(60);
    expect(await box.isDisabled()).to.equal(true);
    const look = await box.evaluate((el) => ({ border: getComputedStyle(el).borderStyle, cursor: getComputedStyle(el).cursor }));
    expect(look).to.deep.equal({ border: 'dashed', cursor: 'not-allowed' });
    expect(enabledLook).to.equal('solid');
    await screenshot(page, 'room-layout-muted-390');
    await facClient.ok('mod:unmute', { groupId: g.groupId, userId: g.ana.id });
    await problem.waitFor({ state: 'hidden' });
  });

  it('marks new messages and offers to jump to them when scrolled up; at the bottom it follows them', async () => {
    const { page } = await open(g.ana, 1280);
    await page.locator('.msg[data-seq="60"]').waitFor();
    await scroller(page).evaluate((el) => (el.scrollTop = 0));
    await page.locator('.msg[data-seq="1"]').waitFor();
    await scroller(page).evaluate((el) => (el.scrollTop = 0));
    const jump = page.getByRole('button', { name: /^Jump to latest/ });
    expect(await jump.isVisible()).to.equal(false);
    const first = await sent(benClient, g.groupId, 'while you were reading back');
    await jump.filter({ hasText: 'Jump to latest (1 new)' }).waitFor();
    await sent(benClient, g.groupId, 'and another one');
    await jump.filter({ hasText: 'Jump to latest (2 new)' }).waitFor();
    const marker = page.locator('.new-marker');
    expect(await marker.textContent()).to.equal('New messages');
    expect(await marker.evaluate((el) => (el.nextElementSibling as HTMLElement).dataset.seq)).to.equal(String(first.seq));
    expect(await atBottom(page), 'nothing scrolled the reader away').to.equal(false);
    await screenshot(page, 'room-layout-new-messages');
    await jump.click();
    await jump.waitFor({ state: 'hidden' });
    await marker.waitFor({ state: 'detached' });
    expect(await atBottom(page)).to.equal(true);
    await inView(page, messageItems(page, 'and another one'), 'the newest message');
    // At the bottom, a new message scrolls into view by itself and marks nothing.
    await sent(benClient, g.groupId, 'followed into view');
    await messageItems(page, 'followed into view').waitFor();
    await page.waitForFunction(() => {
      const el = document.querySelector('.room-main .scroller')!;
      return el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    });
    expect(await marker.count()).to.equal(0);
    expect(await jump.isVisible()).to.equal(false);
    // Scrolling down by hand clears the mark too.
    await scroller(page).evaluate((el) => (el.scrollTop = 0));
    await sent(benClient, g.groupId, 'one more while up');
    await jump.waitFor();
    await scroller(page).evaluate((el) => (el.scrollTop = el.scrollHeight));
    await jump.waitFor({ state: 'hidden' });
    await marker.waitFor({ state: 'detached' });
  });

  it("shows a run of one person's messages under one header, and still names the sender to screen readers", async () => {
    const { page } = await open(g.ana, 1280);
    await send(page, 'Ana in between');
    await sent(benClient, g.groupId, 'Ben starts a run');
    await sent(benClient, g.groupId, 'Ben goes on');
    await messageItems(page, 'Ben goes on').waitFor();
    const firstOfRun = messageItems(page, 'Ben starts a run');
    const second = messageItems(page, 'Ben goes on');
    expect(await firstOfRun.getAttribute('class')).not.to.contain('grouped');
    expect((await firstOfRun.locator('.sender').boundingBox())!.width, 'the first shows its sender').to.be.above(10);
    expect(await second.getAttribute('class')).to.contain('grouped');
    const sender = second.locator('.sender');
    expect(await sender.textContent()).to.equal('Ben');
    expect((await sender.boundingBox())!.width, 'the second hides it from sight').to.be.at.most(1);
    expect((await second.locator('time').boundingBox())!.width).to.be.at.most(1);
    const mine = messageItems(page, 'Ana in between');
    expect(await mine.getAttribute('class')).not.to.contain('grouped');
  });

  it('makes http(s) addresses links that open apart, and leaves javascript: and data: as text', async () => {
    const { page } = await open(g.ana, 1280);
    const text = 'Worth a read: https://example.org/guide. Not javascript:alert(1) nor data:text/html,<b>x</b> though';
    await send(page, text);
    const item = messageItems(page, 'Worth a read');
    const links = item.locator('.text a');
    expect(await links.count()).to.equal(1);
    expect(
      await links.evaluate((a) => [a.getAttribute('href'), a.getAttribute('rel'), a.getAttribute('target'), a.textContent]),
    ).to.deep.equal(['https://example.org/guide', 'noopener noreferrer', '_blank', 'https://example.org/guide']);
    expect(await item.locator('.text').textContent(), 'the text is whole, as written').to.equal(text);
    expect(await item.locator('.text b').count(), 'no markup from text').to.equal(0);
    const other = await suite.open(g.ben.token, { route: { to: 'group', groupId: g.groupId } });
    await messageItems(other.page, 'Worth a read').locator('a[href="https://example.org/guide"]').waitFor();
    expect(await other.page.locator('.msg a[href^="javascript"], .msg a[href^="data"]').count()).to.equal(0);
  });

  it('welcomes the first words in an empty room, and the groups list counts what is new in each group', async () => {
    const quiet = await makeGroup(suite.srv, g.fac, [g.ana, g.ben]);
    const tab = await open(g.ana, 1280, 800, 'light', quiet);
    const prompt = tab.page.locator('.empty-prompt');
    await prompt.filter({ hasText: 'No messages yet.' }).waitFor();
    await inView(tab.page, prompt, 'the empty-room prompt');
    await screenshot(tab.page, 'room-layout-empty');

    // Back on the list: nothing new in the group just read; two from Ben after it are counted.
    await tab.page.getByRole('button', { name: '← All groups' }).click();
    await tab.page.getByRole('heading', { name: 'My groups' }).waitFor();
    const ben2 = await enter(g.ben, quiet);
    await sent(ben2, quiet, 'hello, anyone here?');
    await sent(ben2, quiet, 'I will wait a bit');
    await tab.page.locator('#nav').getByRole('button', { name: 'Groups' }).click();
    const badge = tab.page.locator('.card .unread').filter({ visible: true });
    await badge.filter({ hasText: '2 new messages' }).waitFor();
    expect(await badge.count(), 'only the group with news (the other was read to its end)').to.equal(1);
    await screenshot(tab.page, 'room-layout-groups-unread');

    // Read, it is no longer new.
    await tab.page
      .locator('.card')
      .filter({ has: tab.page.locator('.unread:visible') })
      .getByRole('button', { name: /^Open/ })
      .click();
    await messageItems(tab.page, 'I will wait a bit').waitFor();
    expect(await prompt.isVisible()).to.equal(false);
    await tab.page.getByRole('button', { name: '← All groups' }).click();
    await tab.page.getByRole('heading', { name: 'My groups' }).waitFor();
    await tab.page.locator('.card button.primary').first().waitFor();
    await tab.page.waitForTimeout(500);
    expect(await badge.count()).to.equal(0);
  });

  /** A new partnership of two people in a new group; its id. */
  const pair = async (a: TestUser, b: TestUser) => {
    await makeGroup(suite.srv, g.fac, [a, b]);
    const res = await http(suite.srv.url, 'POST', '/api/partnerships', { token: g.fac.token, body: { userIds: [a.id, b.id] } });
    expect(res.status, res.text).to.equal(201);
    return (res.body.data as { partnership: { id: string } }).partnership.id;
  };

  it('lays out a partner conversation the same way: empty at first, then header and composer in view after 60 messages, at 390×800', async () => {
    const cy = suite.srv.user('participant', 'Cy');
    const di = suite.srv.user('participant', 'Di');
    const partnershipId = await pair(cy, di);
    const tab = await suite.open(cy.token, { width: 390, height: 800, route: { to: 'partner', partnershipId } });
    const { page } = tab;
    await page.getByRole('heading', { name: 'You and Di' }).waitFor();
    await page.locator('.empty-prompt', { hasText: 'No messages yet.' }).waitFor();
    const diClient = await connect(di);
    for (let i = 1; i <= 60; i++) await partnerSent(diClient, partnershipId, `partner line ${i}`);
    await messageItems(page, 'partner line 60').waitFor();
    expect(await page.locator('.empty-prompt').isVisible()).to.equal(false);
    await inView(page, page.getByRole('heading', { name: 'You and Di' }), 'the heading');
    await inView(page, page.locator('.composer'), 'the composer');
    await inView(page, messageItems(page, 'partner line 60'), 'the newest message');
    await pageStill(page);
    await screenshot(page, 'room-layout-partner-390');
  });

  it('shows in a partner conversation a message erased while it was away, once back', async () => {
    const ed = suite.srv.user('participant', 'Ed');
    const flo = suite.srv.user('participant', 'Flo');
    const partnershipId = await pair(ed, flo);
    const floClient = await connect(flo);
    await partnerSent(floClient, partnershipId, 'please forget I said this');
    const tab = await suite.open(ed.token, { route: { to: 'partner', partnershipId } });
    const { page, context } = tab;
    await messageItems(page, 'please forget I said this').waitFor();
    await context.setOffline(true);
    await page.locator('.composer-note', { hasText: 'Not connected' }).waitFor();
    const erased = await http(suite.srv.url, 'DELETE', '/api/me', { token: flo.token });
    expect(erased.status, erased.text).to.equal(200);
    await context.setOffline(false);
    await page.locator('.conn.online').waitFor({ timeout: 15_000 });
    await page.locator('.composer-note').waitFor({ state: 'hidden' });
    await page.locator('.msg .text.removed', { hasText: 'This message was removed.' }).waitFor();
    expect(await page.locator('.msg', { hasText: 'please forget I said this' }).count()).to.equal(0);
  });

  it("keeps the staff inbox above a facilitator's room in view and usable on a phone, the page still not scrolling", async () => {
    const gia = suite.srv.user('participant', 'Gia');
    const crisisGroup = await makeGroup(suite.srv, g.fac, [gia]);
    const { page } = await open(g.fac, 390, 800, 'light', crisisGroup);
    const giaClient = await enter(gia, crisisGroup);
    await sent(giaClient, crisisGroup, 'I want to end it all tonight');
    const alert = page.getByRole('region', { name: 'Staff alerts' }).locator('.alert.crisis');
    await alert.waitFor();
    // The inbox may draw its list again as the alert's state arrives: ask until the alert is laid out.
    const box = await eventually(async () => (await alert.boundingBox()) ?? undefined, 'the crisis alert laid out');
    expect(box.y, 'the crisis alert is near the top of a 390 px page').to.be.below(400);
    await alert.getByRole('button', { name: 'Acknowledge' }).click();
    await alert.filter({ hasText: /acknowledged by you/ }).waitFor();
    await inView(page, page.locator('.room-head h2'), 'the room heading under the inbox');
    await pageStill(page);
    await screenshot(page, 'room-layout-inbox-390');
  });

  for (const width of [320, 1280]) {
    it(`has no serious violations in a room with a mark, a run, a link and a jump button, light and dark, at ${width} px`, async () => {
      for (const colorScheme of ['light', 'dark'] as const) {
        const { page } = await open(g.ana, width, 700, colorScheme);
        await messageItems(page, 'Worth a read').waitFor();
        await scroller(page).evaluate((el) => (el.scrollTop = 0));
        await sent(benClient, g.groupId, `news while scrolled up (${colorScheme} ${width})`);
        await page.getByRole('button', { name: /^Jump to latest/ }).waitFor();
        expect(await audit(page), `${colorScheme} ${width}`).to.deep.equal([]);
        if (width === 320) expect(await fitsWidth(page)).to.be.at.most(320);
        await screenshot(page, `room-layout-${width}-${colorScheme}`);
      }
    });
  }
});
