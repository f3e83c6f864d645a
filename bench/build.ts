// The production build every Bridge node of the bench runs (`node <dir>/server/index.js`, no tsx), as an operator
// runs it: `npm run build -- --out-dir <dir>` of the checkout (this one, or --baseline's), into a temporary folder
// with a `node_modules` link to the checkout's, built once per process and checkout and removed when the process exits.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from '../test/support/process.js';

const builds = new Map<string, Promise<string>>();

/** The folder of `root`'s production build (its server is `<folder>/server/index.js`); the first call builds it. */
export function serverBuild(root = ROOT): Promise<string> {
  const key = resolve(root);
  let build = builds.get(key);
  if (!build) {
    build = buildInto(key);
    builds.set(key, build);
  }
  return build;
}

async function buildInto(root: string): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), 'bench-build-'));
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  try {
    await promisify(execFile)('npm', ['run', '-s', 'build', '--', '--out-dir', out], { cwd: root, maxBuffer: 16 << 20 });
  } catch (err) {
    throw new Error(`npm run build in ${root} failed: ${(err as { stderr?: string }).stderr || String(err)}`, { cause: err });
  }
  symlinkSync(join(root, 'node_modules'), join(out, 'node_modules'));
  return out;
}
