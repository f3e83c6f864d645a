// `npm run build` into a temporary folder, then the compiled node run with plain `node`, beside a
// node_modules without the build tools (esbuild, tsx) or the pretty printer, as the Docker image has.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { waitFor } from '../support/client.js';
import { exitWithin, killAll, listening, ROOT, spawnServer, type NodeProcess } from '../support/process.js';
import { http } from '../support/server.js';

/** Packages only a developer's install has; the compiled node must start without any of them. */
const BUILD_ONLY = ['esbuild', '@esbuild', 'tsx', 'typescript', 'pino-pretty', 'mocha'];

/** The command lines of a process's children, from /proc (an esbuild service would be one). */
function childrenOf(pid: number): string[] {
  const children: string[] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) children.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim());
  }
  return children;
}

describe('the production build (npm run build, then plain node)', function () {
  this.timeout(180_000);
  let out: string;
  const nodes: NodeProcess[] = [];

  before(async () => {
    out = mkdtempSync(join(tmpdir(), 'bridge-build-'));
    await promisify(execFile)('npm', ['run', 'build', '--', '--out-dir', out], { cwd: ROOT, maxBuffer: 16 << 20 });
    // The runtime's node_modules: this checkout's packages, less the build-only ones.
    mkdirSync(join(out, 'node_modules'));
    for (const name of readdirSync(join(ROOT, 'node_modules')).filter((n) => !BUILD_ONLY.includes(n) && n !== '.bin')) {
      symlinkSync(join(ROOT, 'node_modules', name), join(out, 'node_modules', name));
    }
  });
  afterEach(() => killAll(nodes));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('serves health, the page and the prebuilt client bundle from compiled JavaScript, with no esbuild or other child process', async () => {
    const node = spawnServer(process.execPath, ['server/index.js'], {}, out);
    nodes.push(node);
    const url = await listening(node);
    expect((await http(url, 'GET', '/healthz')).status).to.equal(200);
    const page = await fetch(`${url}/`);
    expect(await page.text()).to.contain('<script type="module" src="/app.js"></script>');
    const chunks = readdirSync(join(out, 'client/bundle/chunks')).map((name) => [`/chunks/${name}`, 'text/javascript'] as const);
    expect(chunks.length, 'the build writes the chunks').to.be.above(0);
    for (const [path, type] of [
      ['/app.js', 'text/javascript'],
      ['/app.css', 'text/css'],
      ['/es.js', 'text/javascript'],
      ...chunks,
    ] as const) {
      const res = await fetch(url + path);
      expect(res.status, path).to.equal(200);
      expect(res.headers.get('content-type')).to.contain(type);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(out, 'client/bundle', path)))).to.equal(true);
    }
    // The service worker (§5.5) is copied with the page, not bundled.
    const sw = await fetch(`${url}/sw.js`);
    expect([sw.status, sw.headers.get('content-type')]).to.deep.equal([200, 'text/javascript; charset=utf-8']);
    expect(await sw.text()).to.equal(readFileSync(join(ROOT, 'client/public/sw.js'), 'utf8'));
    // So are the app shell's manifest and icons (§8.1, "The app shell").
    for (const path of ['/manifest.webmanifest', '/icons/icon.svg', '/icons/icon-192.png', '/icons/icon-512.png']) {
      const res = await fetch(url + path);
      expect(res.status, path).to.equal(200);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(ROOT, 'client/public', path))), path).to.equal(true);
    }
    expect(childrenOf(node.child.pid!)).to.deep.equal([]);
    node.child.kill('SIGTERM');
    expect((await exitWithin(node, 10_000)).code).to.equal(0);
  });

  it('logs JSON, quietly, on a terminal when the pretty printer is not installed', async () => {
    const node = spawnServer('script', ['-qec', `exec '${process.execPath}' server/index.js`, '/dev/null'], {}, out);
    nodes.push(node);
    const lines = () =>
      node
        .stdout()
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    await waitFor(() => lines().some((l) => l.includes('"bridge node listening"')), 'the start line');
    expect(lines().map((l) => (JSON.parse(l) as { level: number }).level)).to.not.include(50);
    node.child.kill('SIGTERM');
    await exitWithin(node, 10_000);
  });
});
