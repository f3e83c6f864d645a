// The first load's weight (issue 19): what a browser fetches to open Bridge the first time, as a
// node serves it (the client bundled exactly as `npm run build` bundles it), stays under 60 KB
// gzip. Counted as `npm run client:size` counts: each file's gzip size at level 9, as the server
// sends the bundle; here also the files the page links besides its script and style sheet.
import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { staticImports } from '../../server/http/client.js';
import { startServer, type TestServer } from '../support/server.js';

const BUDGET = 60 * 1024;
/** Registered by every page once loaded (client/src/worker.ts). */
const WORKER = '/sw.js';
/** What the page links that a browser fetches on opening it; an apple-touch-icon is fetched only when added to a home screen. */
const FETCHED_RELS = ['stylesheet', 'icon', 'manifest'];

/** The same-origin URLs index.html makes a browser fetch: its scripts and the links above. */
function linkedFrom(html: string): string[] {
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!);
  const links = [...html.matchAll(/<link\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => FETCHED_RELS.includes(/\brel="([^"]+)"/.exec(tag)?.[1] ?? ''))
    .map((tag) => /\bhref="([^"]+)"/.exec(tag)![1]!);
  return [...links, ...scripts];
}

describe('the first load', function () {
  this.timeout(60_000);
  let srv: TestServer;
  before(async () => {
    srv = await startServer();
  });
  after(() => srv.close());

  it(`weighs under ${BUDGET / 1024} KB gzip: the page, everything it links, the chunks its script imports and the service worker`, async () => {
    const sizes = new Map<string, number>();
    /** Fetches a path once, counting it, and then what it imports statically (a browser fetches those before the script runs). */
    const count = async (path: string): Promise<void> => {
      if (sizes.has(path)) return;
      const res = await fetch(srv.url + path);
      expect(res.status, path).to.equal(200);
      const body = Buffer.from(await res.arrayBuffer());
      sizes.set(path, gzipSync(body, { level: 9 }).length);
      if (path.endsWith('.js') && path !== WORKER) for (const imported of staticImports(body.toString(), path)) await count(imported);
    };
    const html = await (await fetch(`${srv.url}/`)).text();
    const paths = ['/', ...linkedFrom(html), WORKER];
    expect(paths, 'what the page links').to.include.members(['/app.js', '/app.css']);
    for (const path of paths) await count(path);
    expect(
      [...sizes.keys()].some((p) => p.startsWith('/chunks/')),
      'the script imports chunks',
    ).to.equal(true);
    const total = [...sizes.values()].reduce((a, b) => a + b, 0);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    console.log(`      first load, gzip: ${[...sizes].map(([p, n]) => `${p} ${kb(n)}`).join(', ')}; total ${kb(total)} of ${kb(BUDGET)}`);
    expect(total).to.be.below(BUDGET);
  });
});
