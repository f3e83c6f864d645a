// The installable app shell (docs/protocol.md §8.1, "The app shell"): the web app manifest the
// page links, its fields and colours (the light theme's, from client/src/styles.css), and the icons
// it names, served as real files of the sizes it says.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ROOT } from '../support/process.js';
import { startServer, type TestServer } from '../support/server.js';

/** A colour of the light theme (the first `:root` block of styles.css). */
function lightColour(name: string): string {
  const css = readFileSync(`${ROOT}client/src/styles.css`, 'utf8');
  const root = css.slice(css.indexOf(':root {'), css.indexOf('}'));
  const value = new RegExp(`--${name}:\\s*(#[0-9a-f]{3,8});`, 'i').exec(root)?.[1];
  if (!value) throw new Error(`no --${name} in the light theme`);
  return value;
}

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(png: Buffer): string {
  expect(png.subarray(1, 4).toString('latin1'), 'a PNG signature').to.equal('PNG');
  return `${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`;
}

describe('the app shell: web app manifest and icons', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startServer();
  });
  after(() => srv.close());

  it('serves /manifest.webmanifest as application/manifest+json, uncached, under the CSP, with what installing needs', async () => {
    const res = await fetch(`${srv.url}/manifest.webmanifest`);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.match(/^application\/manifest\+json\b/);
    expect(res.headers.get('cache-control')).to.equal('no-cache');
    expect(res.headers.get('content-security-policy')).to.contain("default-src 'self'");
    const manifest = (await res.json()) as Record<string, any>;
    expect(manifest).to.deep.include({
      name: 'Bridge',
      short_name: 'Bridge',
      start_url: '/',
      scope: '/',
      display: 'standalone',
      theme_color: lightColour('accent'),
      background_color: lightColour('bg'),
    });
    // Discreet on a shared phone: an installed app's details say Bridge and nothing about recovery.
    expect(JSON.stringify(manifest)).to.not.match(/recover|addict|therap|program/i);
    expect(manifest.icons.map((i: any) => [i.src, i.sizes, i.type])).to.deep.equal([
      ['/icons/icon.svg', 'any', 'image/svg+xml'],
      ['/icons/icon-192.png', '192x192', 'image/png'],
      ['/icons/icon-512.png', '512x512', 'image/png'],
    ]);
  });

  it('serves every icon the manifest names, of the type and size it says', async () => {
    const manifest = (await (await fetch(`${srv.url}/manifest.webmanifest`)).json()) as {
      icons: { src: string; sizes: string; type: string }[];
    };
    for (const icon of manifest.icons) {
      const res = await fetch(srv.url + icon.src);
      expect(res.status, icon.src).to.equal(200);
      expect(res.headers.get('content-type'), icon.src).to.contain(icon.type);
      const body = Buffer.from(await res.arrayBuffer());
      if (icon.type === 'image/png') expect(pngSize(body), icon.src).to.equal(icon.sizes);
      else expect(body.toString('utf8'), icon.src).to.match(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });

  it('the page links the manifest, its theme colour and the icons, and says nothing inline', async () => {
    const html = await (await fetch(`${srv.url}/`)).text();
    expect(html).to.contain('<link rel="manifest" href="/manifest.webmanifest" />');
    expect(html).to.contain(`<meta name="theme-color" content="${lightColour('accent')}" />`);
    expect(html).to.contain('<link rel="icon" href="/icons/icon.svg" type="image/svg+xml" />');
    expect(html).to.contain('<link rel="apple-touch-icon" href="/icons/icon-192.png" />');
    expect(html).to.not.contain('data:image');
  });
});
