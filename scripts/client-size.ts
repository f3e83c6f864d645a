// `npm run client:size`: what a browser downloads for the page (index.html, app.js, app.css),
// raw and gzip (level 9, as the server sends it), built exactly as the server builds it.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildClientBundle } from '../server/http/client.js';

const bundle = await buildClientBundle();
if (!bundle.ok) {
  console.error(`the client does not build: ${bundle.error}`);
  process.exit(1);
}
const html = readFileSync(fileURLToPath(new URL('../client/public/index.html', import.meta.url)));
const files: [string, number, number][] = [['index.html', html.length, gzipSync(html, { level: 9 }).length]];
for (const [path, asset] of bundle.assets) files.push([path.slice(1), asset.body.length, asset.gzip.length]);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
let raw = 0;
let gz = 0;
console.log(`${'file'.padEnd(12)}${'raw'.padStart(9)}${'gzip'.padStart(9)}`);
for (const [name, r, g] of files) {
  raw += r;
  gz += g;
  console.log(`${name.padEnd(12)}${kb(r)}${kb(g)}`);
}
console.log(`${'total'.padEnd(12)}${kb(raw)}${kb(gz)}`);
