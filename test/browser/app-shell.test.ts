// The installable app shell (docs/protocol.md §8.1, "The app shell"), in real Chromium under the
// page's own CSP: the manifest the page links and its icons load; the one service worker registers
// for everyone and controls the page after a reload; offline, a reload still opens the page (the
// sign-in screen, or the app with its offline badge, never Chromium's error page); the cache holds
// the shell only, never an API answer; a new worker deletes the caches of older ones.
import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { eventually } from '../support/client.js';
import { browserSuite } from './browser.js';

/** Every URL path in every cache of the page's origin, by cache name. */
const cached = (page: Page) =>
  page.evaluate(async () => {
    const all: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      all[name] = (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname).sort();
    }
    return all;
  });

/** Waits until the worker is active and controls the page: once it is, it has kept what opening needs. */
async function controlled(page: Page): Promise<string> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  if (!(await page.evaluate(() => navigator.serviceWorker.controller))) await page.reload();
  return page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? 'none');
}

/**
 * A real HTTP proxy in front of the node that can turn into a connection that hangs: while
 * `hanging`, it takes requests and answers none of them (until closed), as a failing mobile
 * connection often does instead of failing outright.
 */
async function hangingProxy(target: string) {
  const { hostname, port } = new URL(target);
  const held: ServerResponse[] = [];
  const heard: string[] = [];
  const state = { hanging: false };
  const server: Server = createServer((req, res) => {
    if (state.hanging) {
      heard.push(req.url ?? '');
      held.push(res);
      return;
    }
    const upstream = request({ host: hostname, port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    state,
    heard,
    close: async () => {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

describe('browser: the app shell (installable, opens offline)', function () {
  const suite = browserSuite(this);

  const open = (token?: string) => suite.open(token);

  it('links a manifest that loads, with what installing needs, and its icons load', async () => {
    const { page, errors } = await open();
    const manifest = await page.evaluate(async () => {
      const href = document.querySelector<HTMLLinkElement>('link[rel="manifest"]')!.href;
      const res = await fetch(href);
      return { type: res.headers.get('content-type'), json: (await res.json()) as Record<string, any> };
    });
    expect(manifest.type).to.match(/^application\/manifest\+json/);
    expect(manifest.json).to.deep.include({ name: 'Bridge', short_name: 'Bridge', start_url: '/', display: 'standalone' });
    expect(manifest.json.theme_color).to.match(/^#[0-9a-f]{6}$/);
    expect(manifest.json.background_color).to.match(/^#[0-9a-f]{6}$/);
    const icons = manifest.json.icons as { src: string; sizes: string }[];
    expect(icons.map((i) => i.sizes)).to.include.members(['192x192', '512x512']);
    // Drawn as images under the page's CSP (img-src 'self'), each at the size the manifest says.
    const drawn = await page.evaluate(
      (srcs) =>
        Promise.all(
          srcs.map(async (src) => {
            const img = new Image();
            img.src = src;
            await img.decode();
            return `${img.naturalWidth}x${img.naturalHeight}`;
          }),
        ),
      icons.map((i) => i.src),
    );
    expect(drawn).to.have.length(icons.length);
    icons.forEach((icon, i) => {
      if (icon.sizes !== 'any') expect(drawn[i], icon.src).to.equal(icon.sizes);
    });
    const themeMeta = await page.locator('meta[name="theme-color"]').getAttribute('content');
    expect(themeMeta).to.equal(manifest.json.theme_color);
    expect(errors).to.deep.equal([]);
  });

  it('registers the service worker for a participant on load, which controls the page after a reload', async () => {
    const { page, errors } = await open(suite.srv.user('participant').token);
    expect(await controlled(page)).to.equal(`${suite.srv.url}/sw.js`);
    expect(errors).to.deep.equal([]);
  });

  it('offline, a reload still opens the sign-in screen', async () => {
    const { page, context } = await open();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await controlled(page);
    await context.setOffline(true);
    // The worker's own network is offline too, or this test would prove nothing.
    const worker = context.serviceWorkers().find((w) => w.url() === `${suite.srv.url}/sw.js`)!;
    expect(await worker.evaluate(() => fetch('/healthz').then(String, () => 'failed'))).to.equal('failed');
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByLabel('Sign-in code').waitFor();
  });

  it('offline, a reload of a signed-in page opens the app with its offline badge', async () => {
    const { page, context, errors } = await open(suite.srv.user('participant').token);
    await controlled(page);
    await page.locator('.conn.online').waitFor();
    await context.setOffline(true);
    await page.reload();
    await page.locator('.conn.offline', { hasText: "You're offline" }).waitFor();
    await page.locator('#nav button').first().waitFor();
    await context.setOffline(false);
    await page.locator('.conn.online').waitFor({ timeout: 15_000 });
    expect(errors).to.deep.equal([]);
  });

  it("on a connection that hangs, a reload opens the kept page after a short wait, not the browser's minutes", async () => {
    const proxy = await hangingProxy(suite.srv.url);
    const context = await suite.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${proxy.url}/`);
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
      await controlled(page);
      proxy.state.hanging = true;
      const started = Date.now();
      await page.reload({ timeout: 20_000 });
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
      const waited = Date.now() - started;
      // The worker did ask the network first: the page, then its script and style sheet.
      expect(proxy.heard).to.include.members(['/', '/app.js', '/app.css']);
      expect(waited).to.be.below(15_000);
    } finally {
      await context.close();
      await proxy.close();
    }
  });

  it('without the worker, the same offline reload is the browser error page (what the worker saves)', async () => {
    const context = await suite.browser.newContext({ serviceWorkers: 'block' });
    try {
      const page = await context.newPage();
      await page.goto(`${suite.srv.url}/`);
      await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
      await context.setOffline(true);
      const failed = await page.reload().then(
        () => 'loaded',
        (e: Error) => e.message,
      );
      expect(failed).to.contain('ERR_INTERNET_DISCONNECTED');
    } finally {
      await context.close();
    }
  });

  it('keeps the shell and never an API answer, and an install icon once fetched', async () => {
    const user = suite.srv.user('participant');
    const { page } = await open(user.token);
    await controlled(page);
    // The app has called the API by now (groups, client config); one more, by hand, while online.
    const status = await page.evaluate(
      (token) => fetch('/api/groups', { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status),
      user.token,
    );
    expect(status).to.equal(200);
    await page.evaluate(() => fetch('/icons/icon-192.png').then((r) => r.blob()));
    await page.evaluate(() => fetch('/auth/demo').then((r) => r.json()));
    // Kept once its answer has reached the page, not before.
    const all = await eventually(
      async () => Object.values(await cached(page)).some((paths) => paths.includes('/icons/icon-192.png')) && cached(page),
      'the install icon in the cache',
    );
    expect(Object.keys(all)).to.have.length(1);
    const [paths] = Object.values(all);
    expect(paths).to.include.members(['/', '/app.js', '/app.css', '/manifest.webmanifest', '/icons/icon.svg', '/icons/icon-192.png']);
    expect(paths!.filter((p) => /^\/(api|auth|socket\.io)\//.test(p) || p === '/sw.js')).to.deep.equal([]);
  });

  it("a new worker deletes an older worker's cache when it activates", async () => {
    const context = await suite.browser.newContext();
    try {
      const page = await context.newPage();
      // A page of the origin that registers no worker, to leave an older version's cache behind.
      await page.goto(`${suite.srv.url}/healthz`);
      await page.evaluate(async () => (await caches.open('bridge-shell-v0')).put('/', new Response('an old release')));
      expect(Object.keys(await cached(page))).to.deep.equal(['bridge-shell-v0']);
      await page.goto(`${suite.srv.url}/`);
      await controlled(page);
      const names = Object.keys(await cached(page));
      expect(names).to.have.length(1);
      expect(names[0])
        .to.match(/^bridge-shell-v\d+$/)
        .and.not.equal('bridge-shell-v0');
    } finally {
      await context.close();
    }
  });
});
