// `npm run client:size`: what a browser downloads for the page (index.html, app.js, app.css and
// the chunks app.js imports statically), raw and gzip (level 9, as the server sends it), built
// exactly as the server builds it; then the files fetched only when needed (es.js, the Spanish
// catalogue, and the chunks of screens loaded when opened), which are not in the first load.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { buildClientBundle, staticImports } from '../server/http/client.js';

const bundle = await buildClientBundle();
if (!bundle.ok) {
  console.error(`the client does not build: ${bundle.error}`);
  process.exit(1);
}
const FIRST_LOAD = new Set(['/app.css']);
const follow = (path: string) => {
  if (FIRST_LOAD.has(path)) return;
  FIRST_LOAD.add(path);
  staticImports(bundle.assets.get(path)!.body.toString(), path).forEach(follow);
};
follow('/app.js');
const html = readFileSync(fileURLToPath(new URL('../client/public/index.html', import.meta.url)));
const first: [string, number, number][] = [['index.html', html.length, gzipSync(html, { level: 9 }).length]];
const later: [string, number, number][] = [];
for (const [path, asset] of bundle.assets)
  (FIRST_LOAD.has(path) ? first : later).push([path.slice(1), asset.body.length, asset.gzip.length]);
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(9);
const line = ([name, r, g]: [string, number, number]) => console.log(`${name.padEnd(28)}${kb(r)}${kb(g)}`);
console.log(`${'file'.padEnd(28)}${'raw'.padStart(9)}${'gzip'.padStart(9)}`);
first.forEach(line);
line(first.reduce(([, r, g], [, r2, g2]) => ['total', r + r2, g + g2], ['total', 0, 0]));
if (later.length) console.log('\nfetched only when needed:');
later.forEach(line);
