// `npx tsx scripts/start-cost.ts [--runs N] [--cwd DIR] -- COMMAND [ARG…]`: what starting a node
// costs. Runs COMMAND (a node on PORT, in demo mode) N times, one after another, and prints the
// median time from spawn until GET /healthz answers 200, and the resident memory (RSS, from
// /proc) of the process and all its descendants (an esbuild service counts) once it has served
// /app.js and had a second to settle.
//   npx tsx scripts/start-cost.ts -- node --import tsx server/index.ts        # from the sources
//   npm run build && npx tsx scripts/start-cost.ts -- node dist/server/index.js # compiled
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    cwd: { type: 'string', default: process.cwd() },
    port: { type: 'string', default: '39517' },
  },
  allowPositionals: true,
});
const [command, ...args] = positionals;
if (!command) {
  console.error('usage: start-cost.ts [--runs N] [--cwd DIR] -- COMMAND [ARG…]');
  process.exit(2);
}
const url = `http://127.0.0.1:${values.port}`;

/** pid → parent pid for every process now running. */
function parents(): Map<number, number> {
  const map = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      map.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // exited meanwhile
    }
  }
  return map;
}

/** Resident kB of a process and every descendant, and how many processes that is. */
function treeRss(root: number): { kb: number; processes: number } {
  const ppid = parents();
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, parent] of ppid) if (parent === tree[i]) tree.push(pid);
  let kb = 0;
  for (const pid of tree) {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    kb += Number(m?.[1] ?? 0);
  }
  return { kb, processes: tree.length };
}

async function once(): Promise<{ ms: number; kb: number; processes: number }> {
  const started = performance.now();
  const child = spawn(command!, args, {
    cwd: values.cwd,
    stdio: 'ignore',
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: values.port },
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    for (;;) {
      const ok = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const ms = performance.now() - started;
    await (await fetch(`${url}/app.js`)).arrayBuffer();
    await new Promise((r) => setTimeout(r, 1000));
    return { ms, ...treeRss(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const runs: { ms: number; kb: number; processes: number }[] = [];
for (let i = 0; i < Number(values.runs); i++) runs.push(await once());
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = runs.map((r) => r.ms);
const mb = runs.map((r) => r.kb / 1024);
console.log(`${[command, ...args].join(' ')}: ${runs.length} runs`);
console.log(
  `  until /healthz answers: median ${median(ms).toFixed(0)} ms (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)})`,
);
console.log(
  `  RSS, process and children (${runs[0]!.processes} processes): median ${median(mb).toFixed(1)} MB (min ${Math.min(...mb).toFixed(1)}, max ${Math.max(...mb).toFixed(1)})`,
);
