// Regenerates the README's screenshots (docs/*.png) from the real page: a node with a seeded
// evening group, three people in three browser contexts. Needs Debian's chromium (and, for the
// emoji to show, fonts-noto-color-emoji). Run: npx tsx scripts/docs-screenshots.ts
import { fileURLToPath } from 'node:url';
import { TestClient } from '../test/support/client.js';
import { http, makeGroup, startServer } from '../test/support/server.js';
import { launchBrowser, openTab, send } from '../test/browser/browser.js';

/** Each picture in English, and again in Spanish (`-es`). */
const LANGUAGES = [
  ['', 'en-US'],
  ['-es', 'es-US'],
] as const;
const docs = (name: string) => fileURLToPath(new URL(`../docs/${name}`, import.meta.url));
const srv = await startServer({ env: { LOG_LEVEL: 'warn' } });
const browser = await launchBrowser();
try {
  const jordan = srv.user('facilitator', 'Jordan');
  const [ana, ben, chris] = [srv.user('participant', 'Ana'), srv.user('participant', 'Ben'), srv.user('participant', 'Chris')];
  const groupId = await makeGroup(srv, jordan, [ana, ben, chris]);
  await http(srv.url, 'POST', '/api/partnerships', { token: jordan.token, body: { userIds: [ana.id, ben.id] } });
  const clients = await Promise.all([jordan, ben, chris].map((u) => TestClient.connect(srv.url, u.token)));
  const [j, b, c] = clients as [TestClient, TestClient, TestClient];
  for (const cl of clients) await cl.ok('group:join', { groupId });
  const say = async (cl: TestClient, text: string) =>
    (await cl.ok('group:send', { groupId, text, clientMsgId: `${Math.random()}` })).message;
  await say(j, 'Welcome back, everyone. Quick check-in to start: one word for how your week went.');
  const steady = await say(b, 'Rough. Work stress all week, but I called my sponsor instead of going to the bar.');
  await say(c, 'Grateful. My daughter visited on Sunday.');
  const route = { to: 'group', groupId } as const;
  const a = await openTab(browser, srv.url, ana.token, { route, width: 800, height: 620 });
  await send(a.page, 'Steady. Day 42 today 🙂');
  for (const cl of [j, c]) await cl.ok('group:react', { groupId, messageId: steady.id, emoji: '💪' });
  await a.page.locator('.msg').filter({ hasText: 'Rough.' }).locator('summary').click();
  await a.page.getByRole('button', { name: 'React ❤️' }).click();
  await b.ok('group:hand', { groupId, raised: true });
  await c.ok('group:typing', { groupId, typing: true });
  await a.page.locator('.typing', { hasText: 'Chris is typing…' }).waitFor();
  await a.page.locator('.composer textarea').fill('Ben, that took real strength.');
  await a.page.locator('body').click({ position: { x: 5, y: 5 } });
  await a.page.screenshot({ path: docs('room.png') });
  // The same room on a laptop and on a phone, in English and in Spanish: only the messages
  // scroll, the composer stays.
  for (const [suffix, locale] of LANGUAGES)
    for (const [name, width, height] of [
      ['room-laptop', 1280, 800],
      ['room-phone', 390, 800],
    ] as const) {
      const t = await openTab(browser, srv.url, ana.token, { route, width, height, locale });
      await t.page.locator('.msg', { hasText: 'Day 42' }).waitFor();
      await t.page.screenshot({ path: docs(`${name}${suffix}.png`) });
    }

  const spam = await say(c, 'DM me for cheap meds, no prescription needed');
  await b.ok('report', { conversation: { kind: 'group', id: groupId }, messageId: spam.id, reason: 'spam' });
  const f = await openTab(browser, srv.url, jordan.token, { route, width: 800, height: 760 });
  await f.page.locator('.alert', { hasText: 'Report (spam)' }).first().waitFor();
  await f.page.evaluate(() => window.scrollTo(0, 0));
  await f.page.screenshot({ path: docs('facilitator.png') });

  const p = await openTab(browser, srv.url, ana.token, { route: { to: 'partners' }, width: 380, height: 760 });
  await p.page.getByRole('button', { name: /^Ben/ }).click();
  const list = await b.ok('partner:list', {});
  const partnershipId = list.partnerships[0]!.id;
  await send(p.page, 'Thinking of you after tonight. Call me if the evening gets long.');
  await b.ok('partner:read', { partnershipId, seq: 1 });
  await b.ok('partner:checkin', { partnershipId, mood: 3, craving: 4, note: 'Went to a meeting instead. Better now.', clientMsgId: 'c1' });
  await p.page.locator('.checkin', { hasText: 'Mood 3/5' }).waitFor();
  await p.page.locator('.composer textarea').evaluate((e) => (e as HTMLElement).blur());
  await p.page.screenshot({ path: docs('partners.png') });

  // The staff console: a group's members on a laptop, its moderation list on a phone.
  await j.ok('mod:mute', { groupId, userId: chris.id, minutes: 30 });
  for (const [suffix, locale] of LANGUAGES)
    for (const [name, width, height, part] of [
      ['console-laptop', 1280, 800, 'members'],
      ['console-phone', 390, 800, 'moderation'],
    ] as const) {
      const t = await openTab(browser, srv.url, jordan.token, { route: { to: 'console', section: 'groups' }, width, height, locale });
      await t.page.locator('.console-groups li button').first().click();
      await t.page.locator(`[data-tab="${part}"]`).click();
      const shown = t.page.locator('.console-group li', { hasText: 'Chris' }).first();
      await shown.waitFor();
      await shown.scrollIntoViewIfNeeded();
      await t.page.screenshot({ path: docs(`${name}${suffix}.png`) });
    }
  for (const cl of clients) cl.close();
} finally {
  await browser.close();
  await srv.close();
}
