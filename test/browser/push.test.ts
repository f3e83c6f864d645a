// Web Push to staff devices, the page's side (docs/protocol.md §5.5, §7.1), in real Chromium: the
// service worker at /sw.js shows a neutral notification for a push delivered through the DevTools
// protocol; "Notify this device" for staff only, with a calm word when the browser refuses; the
// subscription it sends reaches the server, which then pushes to it; `#alert=<id>` opens the
// alert; an on-call participant sees an escalated alert.
//
// Real: Chromium, the service worker, its push event and notifications, the page's code, the
// server, the encrypted push to a local HTTPS push service. Stubbed: only PushManager.subscribe
// and getSubscription in one test (headless Chromium has no push service to register with), which
// hand the page a subscription of that local push service.
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import webpush from 'web-push';
import type { PushSubscriptionInfo } from '../../shared/index.js';
import { eventually, TestClient, waitFor } from '../support/client.js';
import { pushReceiver } from '../support/push-receiver.js';
import { http, makeGroup, randomId, type TestUser } from '../support/server.js';
import { audit } from './axe.js';
import { browserSuite, screenshot, type OpenOptions } from './browser.js';

const CRISIS = 'I want to kill myself tonight';
const NOTIFY = 'Notify this device';
const STOP = 'Stop notifying this device';

describe('browser: web push and alert links', function () {
  let receiver: Awaited<ReturnType<typeof pushReceiver>>;
  /** On call (ON_CALL), a participant: the server needs the id before it starts. */
  const onCallId = randomId('oncall');
  const suite = browserSuite(this, {
    server: async () => {
      receiver = await pushReceiver();
      const vapid = webpush.generateVAPIDKeys();
      return {
        pushAgent: receiver.agent,
        env: {
          VAPID_PUBLIC_KEY: vapid.publicKey,
          VAPID_PRIVATE_KEY: vapid.privateKey,
          VAPID_SUBJECT: 'mailto:ops@example.org',
          PUSH_HOSTS: '127.0.0.1',
          ON_CALL: onCallId,
        },
      };
    },
  });
  const clients: TestClient[] = [];

  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  after(async () => {
    await receiver?.close();
  });

  const open = (user: TestUser | undefined, opts: OpenOptions = {}, fragment = '') =>
    suite.open(user ? user.token + fragment : undefined, { bypassCSP: true, ...opts });

  /** A crisis message from `member` in the group; resolves the alert as its facilitator's inbox lists it. */
  const raiseCrisis = async (member: TestUser, groupId: string, fac: TestUser) => {
    const c = await TestClient.connect(suite.srv.url, member.token);
    clients.push(c);
    await c.ok('group:join', { groupId });
    await c.ok('group:send', { groupId, text: CRISIS, clientMsgId: randomId('m') });
    const alerts = await eventually(async () => {
      const res = await http(suite.srv.url, 'GET', '/api/inbox', { token: fac.token });
      return res.body.data.alerts.length > 0 && res.body.data.alerts;
    }, 'the alert in the inbox');
    return alerts[0] as { id: string; groupId: string };
  };

  /** The notifications the page's service worker shows, as the page sees them. */
  const notifications = (page: Page) =>
    page.evaluate(async () =>
      (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
        title: n.title,
        body: n.body,
        tag: n.tag,
        data: n.data as unknown,
      })),
    );

  it('serves the service worker at the site root, uncached, under the page CSP', async () => {
    const res = await fetch(`${suite.srv.url}/sw.js`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^(text|application)\/javascript/);
    expect(res.headers.get('cache-control')).to.equal('no-cache');
    expect(res.headers.get('content-security-policy')).to.include("default-src 'self'");
  });

  it('shows a push as a neutral notification (no text, name, group or kind), one per alert', async () => {
    const fac = suite.srv.user('facilitator', 'Fay Facilitator');
    const tab = await open(fac);
    const { page, context } = tab;
    await page.getByRole('button', { name: NOTIFY }).waitFor();
    await context.grantPermissions(['notifications'], { origin: suite.srv.url });
    const cdp = await context.newCDPSession(page);
    const registrationId = new Promise<string>((resolve) =>
      cdp.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
        const mine = registrations.find((r) => r.scopeURL === `${suite.srv.url}/` && !r.isDeleted);
        if (mine) resolve(mine.registrationId);
      }),
    );
    await cdp.send('ServiceWorker.enable');
    const push = async (data: unknown) =>
      cdp.send('ServiceWorker.deliverPushMessage', {
        origin: suite.srv.url,
        registrationId: await registrationId,
        data: JSON.stringify(data),
      });

    // Every page registers the worker on load; its install keeps the shell first (more so on a busy
    // machine), and Chromium drops a push delivered to a worker still installing or activating, even
    // after navigator.serviceWorker.ready. So the first push is repeated until it shows: a repeat of
    // the same alert replaces its notification (asserted below), so the count stays honest.
    await page.evaluate(async () => void (await navigator.serviceWorker.ready));
    await eventually(
      async () => (await notifications(page)).length === 1 || void (await push({ type: 'alert', alertId: 'alert-one' })),
      'the notification',
      15_000,
    );
    const neutral = { title: 'Bridge: a new alert needs attention', body: 'Open Bridge to see it.' };
    expect(await notifications(page)).to.deep.equal([{ ...neutral, tag: 'bridge-alert-alert-one', data: { alertId: 'alert-one' } }]);

    // The same alert again replaces its notification; another alert gets its own.
    await push({ type: 'alert', alertId: 'alert-one' });
    await push({ type: 'alert', alertId: 'alert-two' });
    await eventually(async () => (await notifications(page)).length === 2, 'a second notification');
    const shown = await notifications(page);
    expect(shown.map((n) => n.tag).sort()).to.deep.equal(['bridge-alert-alert-one', 'bridge-alert-alert-two']);
    for (const n of shown) expect({ title: n.title, body: n.body }).to.deep.equal(neutral);

    // What a click does in an open tab (a synthetic click cannot focus or open windows): the worker
    // tells the tab, which opens the alert; this facilitator has none, so it is not available.
    const worker = context.serviceWorkers().find((w) => w.url() === `${suite.srv.url}/sw.js`)!;
    await worker.evaluate(async () => {
      const sw = self as unknown as { clients: { matchAll(o: object): Promise<{ postMessage(m: unknown): void }[]> } };
      for (const c of await sw.clients.matchAll({ type: 'window', includeUncontrolled: true }))
        c.postMessage({ type: 'open-alert', alertId: 'alert-one' });
    });
    await page.locator('#inbox').getByText('This alert is not available to you.').waitFor();
    expect(tab.errors).to.deep.equal([]);
  });

  it('offers "Notify this device" to staff only, and says calmly when the browser refuses', async () => {
    const fac = suite.srv.user('facilitator');
    const member = suite.srv.user('participant');
    const m = await open(member);
    const f = await open(fac, { width: 320, height: 640 });
    const button = f.page.getByRole('button', { name: NOTIFY });
    await button.waitFor();
    expect(await audit(f.page)).to.deep.equal([]);
    // The participant's page is fully up (the staff one, opened after it, already shows the control).
    await m.page.getByRole('heading', { name: 'My groups' }).waitFor();
    expect(await m.page.getByRole('button', { name: NOTIFY }).count()).to.equal(0);

    // Nobody allowed notifications: headless Chromium answers the permission request with "denied".
    await button.click();
    await f.page.getByRole('status').filter({ hasText: 'Notifications are blocked for Bridge in this browser' }).waitFor();
    expect(await button.isEnabled()).to.be.true;
    expect(await suite.srv.store.push.pushSubscriptionsOf(fac.id)).to.deep.equal([]);
    expect(await audit(f.page)).to.deep.equal([]);
    expect(await f.page.evaluate(() => document.documentElement.scrollWidth)).to.be.at.most(320);
    await screenshot(f.page, 'push-refused-320');

    // Allowed, but the browser finds no push service (a Playwright context is incognito, which has none).
    await f.context.grantPermissions(['notifications'], { origin: suite.srv.url });
    await button.click();
    await f.page.getByRole('status').filter({ hasText: 'This browser could not set up notifications just now' }).waitFor();
    expect(await suite.srv.store.push.pushSubscriptionsOf(fac.id)).to.deep.equal([]);
    await f.page.getByRole('button', { name: NOTIFY }).waitFor();
  });

  it('a subscription made with the button reaches the server, which pushes to it; "Stop" removes it', async () => {
    const fac = suite.srv.user('facilitator');
    const member = suite.srv.user('participant');
    const groupId = await makeGroup(suite.srv, fac, [member]);
    const sub = receiver.subscription();
    const tab = await suite.open(undefined, { bypassCSP: true });
    await stubPushManager(tab.page, sub);
    await tab.context.grantPermissions(['notifications'], { origin: suite.srv.url });
    // A new document (not a hash change on the one open), so the stub is in before the app starts.
    await tab.page.goto('about:blank');
    await tab.page.goto(`${suite.srv.url}/#token=${fac.token}`);
    await tab.page.getByRole('button', { name: NOTIFY }).click();
    await tab.page.getByRole('status').filter({ hasText: 'This device will be notified of new alerts' }).waitFor();
    expect(await suite.srv.store.push.pushSubscriptionsOf(fac.id)).to.deep.equal([sub]);
    await tab.page.getByRole('button', { name: STOP }).waitFor();

    const before = receiver.deliveries.length;
    const alert = await raiseCrisis(member, groupId, fac);
    await waitFor(() => receiver.deliveries.length > before, 'the push');
    const delivery = receiver.deliveries.at(-1)!;
    expect(delivery.path).to.equal(new URL(sub.endpoint).pathname);
    expect(JSON.parse(receiver.plaintext(delivery))).to.deep.equal({ type: 'alert', alertId: alert.id });

    await tab.page.getByRole('button', { name: STOP }).click();
    await tab.page.getByRole('status').filter({ hasText: 'This device will no longer be notified' }).waitFor();
    expect(await suite.srv.store.push.pushSubscriptionsOf(fac.id)).to.deep.equal([]);
    await tab.page.getByRole('button', { name: NOTIFY }).waitFor();
  });

  it("#alert=<id> opens the alert in its facilitator's inbox; anyone else reads that it is not available to them", async () => {
    const fac = suite.srv.user('facilitator', 'Fay');
    const other = suite.srv.user('facilitator', 'Otto');
    const member = suite.srv.user('participant', 'Quillon');
    const groupId = await makeGroup(suite.srv, fac, [member]);
    await makeGroup(suite.srv, other, []);
    const alert = await raiseCrisis(member, groupId, fac);

    // Opened by the link (as the webhook's and a notification's): focused and highlighted, the link gone from the address.
    const f = await open(fac, {}, `&alert=${alert.id}`);
    const item = f.page.locator(`#inbox li.highlighted[data-alert-id="${alert.id}"]`);
    await item.waitFor();
    await eventually(
      async () => f.page.evaluate((id) => (document.activeElement as HTMLElement | null)?.dataset.alertId === id, alert.id),
      'focus',
    );
    expect(await f.page.evaluate(() => location.hash)).to.equal('');
    expect(await audit(f.page)).to.deep.equal([]);
    await screenshot(f.page, 'alert-link-open');

    // Another facilitator, the link arriving while the page is open (hashchange).
    const o = await open(other);
    await o.page.evaluate((id) => (location.hash = `alert=${id}`), alert.id);
    const notice = o.page.locator('#inbox').getByText('This alert is not available to you.');
    await notice.waitFor();
    expect(await o.page.locator('#inbox li').count()).to.equal(0);
    expect(await audit(o.page)).to.deep.equal([]);
    await o.page.locator('#inbox').getByRole('button', { name: 'Dismiss' }).click();
    await o.page.locator('#inbox').waitFor({ state: 'hidden' });

    // A participant, the link given before signing in (a new tab from a notification has no session yet).
    const p = await open(undefined);
    await p.page.goto(`${suite.srv.url}/#alert=${alert.id}`);
    await p.page.getByRole('heading', { name: 'Sign in with a code from your program' }).waitFor();
    await p.page.getByLabel('Sign-in code').fill(member.token);
    await p.page.getByRole('button', { name: 'Sign in' }).click();
    await p.page.locator('#inbox').getByText('This alert is not available to you.').waitFor();
    for (const t of [f, o, p]) expect(t.errors).to.deep.equal([]);
  });

  it('shows an on-call participant an escalated alert: its id, kind and group, never who or what', async () => {
    const fac = suite.srv.user('facilitator', 'Fay');
    const member = suite.srv.user('participant', 'Quillon');
    const onCall: TestUser = { id: onCallId, name: 'Olu On-call', role: 'participant', token: '' };
    onCall.token = suite.srv.token(onCall);
    // The facilitator stays offline, so the crisis alert escalates at once (§7.1).
    const groupId = await makeGroup(suite.srv, fac, [member, onCall]);
    const t = await open(onCall);
    const alert = await raiseCrisis(member, groupId, fac);
    const notice = t.page.getByRole('region', { name: 'Escalated alerts' });
    const item = notice.locator(`li[data-alert-id="${alert.id}"]`);
    await item.waitFor();
    const text = (await item.textContent()) ?? '';
    expect(text).to.include('Crisis alert, escalated').and.include(`alert ${alert.id}`).and.include(`group ${groupId}`);
    for (const secret of ['kill', 'Quillon', 'Fay', member.id]) expect(await notice.textContent()).not.to.include(secret);
    expect(await audit(t.page)).to.deep.equal([]);
    await screenshot(t.page, 'escalated-on-call');
    await item.getByRole('button', { name: 'Open group' }).click();
    await t.page.locator('.composer textarea').waitFor();
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await notice.waitFor({ state: 'hidden' });
    expect(t.errors).to.deep.equal([]);
  });
});

/**
 * Headless Chromium cannot register with a real push service, so this page's PushManager hands out
 * `sub` (an endpoint on the test's local push service, with keys it can decrypt with) instead.
 */
async function stubPushManager(page: Page, sub: PushSubscriptionInfo): Promise<void> {
  // A string, not a function: tsx would wrap a function's inner functions in helpers the page lacks.
  await page.addInitScript(`{
    const s = ${JSON.stringify(sub)};
    let current = null;
    const made = {
      endpoint: s.endpoint,
      toJSON: () => ({ endpoint: s.endpoint, expirationTime: null, keys: s.keys }),
      unsubscribe: async () => ((current = null), true),
    };
    PushManager.prototype.subscribe = async () => (current = made);
    PushManager.prototype.getSubscription = async () => current;
  }`);
}
