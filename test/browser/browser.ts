import { expect } from 'chai';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Route } from '../../client/src/context.js';
import { ROOT } from '../support/process.js';
import { makeGroup, startServer, type StartOptions, type TestServer, type TestUser } from '../support/server.js';

/** Debian's Chromium (`apt-get install chromium`); never a downloaded browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(ROOT, 'test-artifacts');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: run \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where a tab opens: the client's own routes (saved in session storage, as the page saves them). */
export type { Route };

/** One person's browser tab: its own context (storage, cookies), and what went wrong in it. */
export type Tab = {
  context: BrowserContext;
  page: Page;
  /** uncaught exceptions in the page */
  errors: string[];
  /** alert/confirm/prompt dialogs the page opened (it never should) */
  dialogs: string[];
};

export type OpenOptions = {
  route?: Route;
  width?: number;
  height?: number;
  bypassCSP?: boolean;
  colorScheme?: 'light' | 'dark';
  /** the browser's language (navigator.language); Chromium's default otherwise */
  locale?: string;
  /** the browser's IANA time zone; the machine's otherwise */
  timeZone?: string;
};

/** A fresh context for `url`, signed in with `token` the way a portal hands it over (`#token=…`). */
export async function openTab(browser: Browser, url: string, token: string | undefined, opts: OpenOptions = {}): Promise<Tab> {
  const context = await browser.newContext({
    viewport: { width: opts.width ?? 1000, height: opts.height ?? 760 },
    reducedMotion: 'reduce',
    bypassCSP: opts.bypassCSP ?? false,
    colorScheme: opts.colorScheme ?? 'light',
    locale: opts.locale ?? 'en-US',
    ...(opts.timeZone ? { timezoneId: opts.timeZone } : {}),
  });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  const tab: Tab = { context, page, errors: [], dialogs: [] };
  page.on('pageerror', (e) => tab.errors.push(e.message));
  page.on('dialog', (d) => {
    tab.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  if (opts.route) {
    const route = JSON.stringify(opts.route);
    await page.addInitScript((r) => {
      if (!sessionStorage.getItem('bridge.route')) sessionStorage.setItem('bridge.route', r);
    }, route);
  }
  await page.goto(token ? `${url}/#token=${token}` : `${url}/`);
  if (token) await page.locator('.conn.online').waitFor();
  return tab;
}

export async function closeTabs(tabs: Tab[]): Promise<void> {
  for (const t of tabs.splice(0)) await t.context.close();
}

export type SuiteOptions = {
  /** the suite's timeout (mocha's, for each test and hook); 60 s unless told */
  timeout?: number;
  /** startServer's options (a function when they need something made first), or false for a file that starts its own servers */
  server?: StartOptions | (() => Promise<StartOptions>) | false;
  /** keep the tabs open from test to test (a room lived through in order) and close them after the last */
  keepTabs?: boolean;
};

export type BrowserSuite = {
  /** the Chromium of the suite, once its `before` ran */
  readonly browser: Browser;
  /** the server of the suite, once its `before` ran (unless started with `server: false`) */
  readonly srv: TestServer;
  /** every tab opened through `open`, checked and closed after each test (or after the last one, with keepTabs) */
  readonly tabs: Tab[];
  /** openTab on the suite's server (or on `server`), the tab recorded in `tabs` */
  open(token: string | undefined, opts?: OpenOptions & { server?: TestServer }): Promise<Tab>;
};

/**
 * The hooks every browser test file needs, registered on the describe() it is called in: one Chromium
 * and one server for the file, and after each test no uncaught error and no dialog in any tab
 * recorded (a page that throws or calls alert() fails the test that made it), then its tabs closed.
 * Hooks the file adds after this call run after these ones.
 * @example
 * describe('browser: the room', function () {
 *   const suite = browserSuite(this, { server: { env: { RATE_LIMITS: 'send=1000/10' } } });
 *   it('says hello', async () => {
 *     const { page } = await suite.open(suite.srv.user('participant', 'Ana').token, { route: { to: 'groups' } });
 *   });
 * });
 */
export function browserSuite(mochaSuite: Mocha.Suite, opts: SuiteOptions = {}): BrowserSuite {
  mochaSuite.timeout(opts.timeout ?? 60_000);
  let browser: Browser | undefined;
  let srv: TestServer | undefined;
  const tabs: Tab[] = [];
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`no ${what}: browserSuite's before has not run${what === 'server' ? ' (or server: false)' : ''}`);
    return value;
  };

  before(async () => {
    browser = await launchBrowser();
    const server = opts.server ?? {};
    if (server !== false) srv = await startServer(typeof server === 'function' ? await server() : server);
  });

  afterEach(async () => {
    try {
      for (const t of tabs) {
        expect(t.errors, 'uncaught errors in a page').to.deep.equal([]);
        expect(t.dialogs, 'dialogs opened by a page').to.deep.equal([]);
      }
    } finally {
      if (!opts.keepTabs) await closeTabs(tabs);
    }
  });

  after(async () => {
    await closeTabs(tabs);
    await browser?.close();
    await srv?.close();
  });

  return {
    get browser() {
      return ready(browser, 'browser');
    },
    get srv() {
      return ready(srv, 'server');
    },
    tabs,
    async open(token, { server, ...tabOpts } = {}) {
      const tab = await openTab(ready(browser, 'browser'), (server ?? ready(srv, 'server')).url, token, tabOpts);
      tabs.push(tab);
      return tab;
    },
  };
}

/** Fran, the facilitator, and Ana and Ben, participants, in one group of a browserSuite's server. */
export type GroupOfThree = { fac: TestUser; ana: TestUser; ben: TestUser; groupId: string };

/**
 * The group most browser tests start from, made in a before hook of the describe() it is called in
 * (after browserSuite's, before the file's own): its fields are set once that hook ran.
 * @example
 * const suite = browserSuite(this);
 * const g = groupOfThree(suite);
 * it('…', async () => {
 *   await suite.open(g.ana.token, { route: { to: 'group', groupId: g.groupId } });
 * });
 */
export function groupOfThree(suite: BrowserSuite, benName = 'Ben'): GroupOfThree {
  const group = {} as GroupOfThree;
  before(async () => {
    group.fac = suite.srv.user('facilitator', 'Fran');
    group.ana = suite.srv.user('participant', 'Ana');
    group.ben = suite.srv.user('participant', benName);
    group.groupId = await makeGroup(suite.srv, group.fac, [group.ana, group.ben]);
  });
  return group;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Sends a message from the composer of the view on screen, and waits until it is acked (no longer pending). */
export async function send(page: Page, text: string): Promise<void> {
  const box = page.locator('.composer textarea');
  await box.fill(text);
  await box.press('Enter');
  await page.locator('.msg.mine:not(.pending) .text', { hasText: text }).last().waitFor();
}

/** The confirmed message items whose text is exactly `text`. */
export function messageItems(page: Page, text: string) {
  return page.locator('.messages .msg:not(.pending)').filter({ has: page.locator('.text', { hasText: text }) });
}
