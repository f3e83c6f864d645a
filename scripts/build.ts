// `npm run build [-- --out-dir DIR]` (default dist/): the production build. The server and shared/
// compiled by tsc (which type-checks them first), the browser client bundled by esbuild exactly as
// a node bundles it in memory, and the files the server reads beside its code, so `node
// DIR/server/index.js` runs with neither tsx nor esbuild installed.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { buildClientBundle, CHUNKS_DIR, PREBUILT_DIR } from '../server/http/client.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: join(ROOT, 'dist') } } });
const out = resolve(values['out-dir']);

rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', out], { stdio: 'inherit' });
// The compiled files are ES modules; this says so wherever the folder is copied to.
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'module', private: true }, null, 2)}\n`);

const bundle = await buildClientBundle();
if (!bundle.ok) {
  console.error(`the browser client does not build: ${bundle.error}`);
  process.exit(1);
}
const bundleDir = join(out, PREBUILT_DIR);
// A fresh folder: chunks are named by their content, so an older build's would stay beside these.
rmSync(bundleDir, { recursive: true, force: true });
mkdirSync(join(bundleDir, CHUNKS_DIR), { recursive: true });
for (const [path, asset] of bundle.assets) writeFileSync(join(bundleDir, path), asset.body);
cpSync(join(ROOT, 'client/public'), join(out, 'client/public'), { recursive: true });
cpSync(join(ROOT, 'server/safety/crisis-phrases.txt'), join(out, 'server/safety/crisis-phrases.txt'));
console.log(`built ${out}: node ${join(out, 'server/index.js')}`);
