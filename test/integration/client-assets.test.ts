import { Writable } from 'node:stream';
import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { buildClientBundle, clientRoutes, staticImports } from '../../server/http/client.js';
import { createLogger } from '../../server/logger.js';
import { startServer, type TestServer } from '../support/server.js';

describe('the browser client assets', () => {
  let srv: TestServer | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });

  it('bundles the client from client/ and shared/ only, without zod or any server code', async () => {
    const bundle = await buildClientBundle();
    if (!bundle.ok) throw new Error(bundle.error);
    const paths = [...bundle.assets.keys()];
    expect(paths.filter((p) => !p.startsWith('/chunks/')).sort()).to.deep.equal(['/app.css', '/app.js', '/es.js']);
    // The Spanish catalogue is its own file, not in the first load.
    const app = bundle.assets.get('/app.js')!.body.toString();
    expect(app).to.not.contain('Iniciar sesión');
    expect(bundle.assets.get('/es.js')!.body.toString()).to.contain('Iniciar sesión');
    // The staff screens are chunks app.js imports only when one is opened: not with it, not in it.
    const firstLoad = staticImports(app, '/app.js');
    for (const screen of ['console', 'attendance']) {
      const chunk = paths.find((p) => p.startsWith(`/chunks/${screen}-`));
      expect(chunk, screen).to.be.a('string');
      expect(app, `app.js imports ${screen} when opened`).to.contain(`import(".${chunk}")`);
      expect(firstLoad, `${screen} is not fetched with app.js`).to.not.include(chunk);
    }
    expect(app, "the console's own words").to.not.contain('Console sections');
    expect(
      firstLoad.every((p) => bundle.assets.has(p)),
      'every chunk app.js imports is in the bundle',
    ).to.equal(true);
    const ours = bundle.inputs.filter((f) => !f.startsWith('node_modules/'));
    expect(
      ours.every((f) => f.startsWith('client/src/') || f.startsWith('shared/')),
      ours.join(', '),
    ).to.equal(true);
    expect(bundle.inputs.filter((f) => /node_modules\/zod\//.test(f))).to.deep.equal([]);
    expect(bundle.inputs.some((f) => f.startsWith('node_modules/socket.io-client/'))).to.equal(true);
  });

  it('serves /app.js and /app.css with their types, gzip, an ETag and 304 when unchanged, under the strict CSP', async () => {
    srv = await startServer();
    for (const [path, type] of [
      ['/app.js', 'text/javascript'],
      ['/app.css', 'text/css'],
      ['/es.js', 'text/javascript'],
    ] as const) {
      const res = await fetch(srv.url + path, { headers: { 'accept-encoding': 'gzip' } });
      expect(res.status, path).to.equal(200);
      expect(res.headers.get('content-type')).to.contain(type);
      expect(res.headers.get('content-encoding')).to.equal('gzip');
      expect((await res.text()).length).to.be.greaterThan(100);
      const etag = res.headers.get('etag')!;
      expect(etag).to.match(/^"[\w-]+"$/);
      // fetch() adds `cache-control: no-cache` to conditional requests unless told otherwise; a browser revalidating does not.
      const again = await fetch(srv.url + path, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
      expect(again.status, `${path} revalidated`).to.equal(304);
    }
    // The chunks app.js imports are served as it is; a chunk this bundle does not have is a plain 404.
    const app = await (await fetch(`${srv.url}/app.js`)).text();
    const chunks = staticImports(app, '/app.js');
    expect(chunks).to.not.deep.equal([]);
    for (const chunk of chunks) {
      const res = await fetch(srv.url + chunk, { headers: { 'accept-encoding': 'gzip' } });
      expect([res.status, res.headers.get('content-type'), res.headers.get('content-encoding')], chunk).to.deep.equal([
        200,
        'text/javascript; charset=utf-8',
        'gzip',
      ]);
    }
    expect((await fetch(`${srv.url}/chunks/console-NOSUCHCHUNK.js`)).status).to.equal(404);
    const page = await fetch(`${srv.url}/`);
    const html = await page.text();
    expect(page.headers.get('content-security-policy')).to.contain("script-src 'self'");
    expect(html).to.contain('<script type="module" src="/app.js"></script>');
    expect(html).to.not.match(/<script>|<style|\sstyle=|\son\w+=/);
  });

  it('answers 503 for the client, and nothing else fails, when the bundle cannot be built', async () => {
    const lines: string[] = [];
    const log = createLogger('info', new Writable({ write: (c, _e, done) => (lines.push(String(c)), done()) }));
    const bundle = buildClientBundle('/nonexistent/main.ts');
    expect((await bundle).ok).to.equal(false);
    const app = express();
    app.use(clientRoutes(log, bundle));
    app.get('/healthz', (_req, res) => void res.json({ ok: true }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const js = await fetch(`${base}/app.js`);
      expect(js.status).to.equal(503);
      expect(await js.text()).to.contain('could not be built');
      expect((await fetch(`${base}/healthz`)).status).to.equal(200);
      expect(lines.join('')).to.contain('the browser client could not be built');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
