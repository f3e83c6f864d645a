// Bridge side by side with a bare Socket.IO relay (issue 7). `npm run bench` (quick, < 3 min) or `npm run bench -- --full`.
// Options: --reps <n>, --only <relay,bridge-memory,bridge-redis>, --evening <clients,…> and --evening-ms <ms> (evening loads), --baseline <dir>: also Bridge on Redis from another checkout
// (with its node_modules, e.g. `git worktree add /tmp/base <commit>` and a symlink), as `bridge-redis-baseline` in every
// repetition's rotation, so a change is measured against the code before it in the same run.
//
// Per repetition, the servers run one after the other (relay, Bridge on the memory store, Bridge on the Redis store at
// REDIS_URL under a private key prefix, deleted afterwards): A B C A B C …, each a fresh process, all plain JavaScript
// run by plain `node` with the same options and preloads (bench/protocols.ts serverProcess): the relay is
// bench/relay-node.mjs, Bridge its production build (bench/build.ts: `npm run build` of each checkout once, at the
// start, into a temporary folder); then two nodes of
// the relay and of Bridge on Redis (Socket.IO Redis adapter), and in full mode Bridge's growth runs (bench/growth.ts)
// on fresh deployments. The load generator
// (this process, socket.io-client, websocket only, one connection per client) drives every server through the same
// code; bench/protocols.ts holds the small adapter per server. Bridge runs with RATE_LIMITS budgets so high they never
// refuse (a throughput benchmark, not a flood-control one). Medians of the repetitions, ratios Bridge / relay.
// Prints a table (a scenario where the load generator itself was saturated is marked generator-bound: bench/report.ts);
// writes bench/results/bench-<timestamp>.json (and .md with the Markdown table).
// --encrypted: also Bridge on Redis with DATA_KEYS (free text encrypted at rest) as `bridge-redis-encrypted`.
// --durable-row: also Bridge in STORE_DURABILITY=fsync on a Redis of its own with appendfsync always, as
// `bridge-redis-durable` (the append-only file under the OS temp dir; `--durable` is the deeper study of that cost).
// --durable: instead of all that, the cost of STORE_DURABILITY=fsync (bench/durable.ts): Bridge on three Redis
// persistence settings of its own, send scenarios only, 5 repetitions by default.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { Protocol } from './generator.js';
import { benchGrowth } from './growth.js';
import { serverBuild } from './build.js';
import { Bridge, deleteKeys, newBridgeState, Relay, serverProcess, type BridgeState } from './protocols.js';
import { PrivateRedis } from '../test/support/process.js';
import { aofFilesystem, benchDurable, DURABLE_REFERENCE, DURABLE_SERVERS } from './durable.js';
import { BASELINE, DURABLE_ROW, ENCRYPTED, markdownTable, SERVERS, summarise, targetLines, targets, textTable } from './report.js';
import { benchOne, benchTwoNodes, type Config, type Sample } from './scenarios.js';

const FULL = process.argv.includes('--full');
const arg = (name: string): string | undefined => {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : undefined;
};
const CFG: Config = FULL
  ? {
      reps: 3,
      roomSize: 12,
      eveningClients: [240, 1200, 3000],
      eveningMs: 10_000,
      saturationClients: 240,
      saturationMs: 8_000,
      stormClients: 1000,
      history: 50,
      memoryClients: 5000,
      reconnectPerClient: 20,
      twoNodeClients: 240,
      drainMs: 10_000,
      growth: { clients: 120, groups: [10, 1000], history: [50, 5000, 50_000], joins: 120 },
    }
  : // quick (< 3 min): one node, 240 clients; 1,200 and 3,000, two nodes and growth are in --full only
    {
      reps: 3,
      roomSize: 12,
      eveningClients: [240],
      eveningMs: 3_000,
      saturationClients: 240,
      saturationMs: 2_000,
      stormClients: 240,
      history: 50,
      memoryClients: 1000,
      reconnectPerClient: 20,
      twoNodeClients: 0,
      drainMs: 5_000,
    };
const DURABLE = process.argv.includes('--durable');
// longer runs and more repetitions than quick: the differences sought are smaller than the machine's noise
if (DURABLE) Object.assign(CFG, { reps: 5, eveningMs: 5_000, saturationMs: 5_000 });
if (arg('--reps')) CFG.reps = Number(arg('--reps'));
// A change's A/B on one load: e.g. `--evening 1200 --evening-ms 10000` (saturation runs only when its size is listed).
if (arg('--evening')) CFG.eveningClients = arg('--evening')!.split(',').map(Number);
if (arg('--evening-ms')) CFG.eveningMs = Number(arg('--evening-ms'));
// 999999 is the largest budget server/config.ts accepts (six digits)
const RATE_LIMITS = 'send=999999/1,react=999999/1,hand=999999/1,invalid=999999/1';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

async function redisAnswers(): Promise<string | undefined> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return /redis_version:(\S+)/.exec(await r.info('server'))?.[1] ?? 'unknown';
  } catch {
    return undefined;
  } finally {
    r.disconnect();
  }
}

const versionOf = (pkg: string): string =>
  (JSON.parse(readFileSync(`${ROOT}/node_modules/${pkg}/package.json`, 'utf8')) as { version: string }).version;

async function main(): Promise<void> {
  const redisVersion = await redisAnswers();
  let servers: string[] = arg('--only')?.split(',') ?? [...SERVERS];
  const baselineRoot = arg('--baseline');
  if (baselineRoot) servers.push(BASELINE);
  if (process.argv.includes('--encrypted')) servers.push(ENCRYPTED);
  if (process.argv.includes('--durable-row')) servers.push(DURABLE_ROW);
  if (!redisVersion && servers.some((s) => s.startsWith('bridge-redis'))) {
    console.warn(`Redis does not answer at ${REDIS_URL}: bridge-redis is skipped`);
    servers = servers.filter((s) => !s.startsWith('bridge-redis'));
  }
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    memGB: Math.round(totalmem() / 2 ** 30),
    loadavgAtStart: loadavg().map((x) => Number(x.toFixed(2))),
    node: process.version,
    redis: redisVersion,
    'socket.io': versionOf('socket.io'),
    'socket.io-client': versionOf('socket.io-client'),
    note: 'load generator, server and redis-server share the same cores; other processes may be running',
    ...(servers.includes(DURABLE_ROW) && { aof: aofFilesystem() }),
  };
  mkdirSync(`${ROOT}/bench/results`, { recursive: true });
  const base = `${ROOT}/bench/results/bench-${DURABLE ? 'durable-' : ''}${new Date().toISOString().replace(/[:.]/g, '-')}`;
  if (DURABLE || servers.some((s) => s !== 'relay')) {
    const t = performance.now();
    for (const root of [ROOT, ...(baselineRoot ? [baselineRoot] : [])])
      console.log(`production build of ${root}: ${await serverBuild(root)}`);
    console.log(`built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  if (DURABLE) return durable(machine, base);
  console.log(
    `bench (${FULL ? 'full' : 'quick'}): ${CFG.reps} reps, servers interleaved ${servers.join(' ')}; Bridge RATE_LIMITS=${RATE_LIMITS}`,
  );
  console.log(`every server: node ${serverProcess().nodeArgs.join(' ')} <relay-node.mjs | build/server/index.js>`);
  console.log(`config ${JSON.stringify(CFG)}`);
  console.log(`machine ${JSON.stringify(machine)}`);
  const started = performance.now();
  const samples: Sample[] = [];
  const failures: string[] = [];
  let running: Protocol | undefined;
  const redisState = newBridgeState(); // bridge-redis keeps its groups, enrolments and history in Redis between reps
  const baselineState = newBridgeState();
  const encryptedState = newBridgeState();
  const durableState = newBridgeState();
  // The durable row's Redis: its own, appending every write and fsyncing it before it answers (the compose file's).
  const durableRedis = servers.includes(DURABLE_ROW)
    ? await PrivateRedis.start(['--appendonly', 'yes', '--appendfsync', 'always'])
    : undefined;
  const encryptedKey = `bench:${randomBytes(32).toString('base64')}`; // one key for every repetition: they share the data
  const prefixes = [
    redisState.prefix,
    ...(baselineRoot ? [baselineState.prefix] : []),
    ...(servers.includes(ENCRYPTED) ? [encryptedState.prefix] : []),
  ];
  const cleanup = async (): Promise<void> => {
    await running?.stop();
    if (!servers.some((s) => s.startsWith('bridge-redis'))) return;
    for (const prefix of prefixes) console.log(`deleted ${await deleteKeys(REDIS_URL, prefix)} Redis keys under ${prefix}`);
    await durableRedis?.stop();
  };
  const phase = async (label: string, start: () => Promise<Protocol>, bench: (p: Protocol) => Promise<Sample[]>): Promise<void> => {
    const t = performance.now();
    console.log(`  ${label} (load average ${loadavg()[0]!.toFixed(2)})`);
    try {
      running = await start();
      samples.push(...(await bench(running)));
    } catch (err) {
      // one overloaded scenario must not cost the whole run: say so, and go on with the next server
      failures.push(`${label}: ${err instanceof Error ? err.message : String(err)}`);
      console.log(`  ${label} FAILED: ${failures.at(-1)}`);
    } finally {
      await running?.stop();
      running = undefined;
    }
    writeFileSync(`${base}.partial.json`, JSON.stringify({ machine, config: CFG, failures, samples }));
    console.log(`  ${label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  };
  const bridge = (store: 'memory' | 'redis', state?: BridgeState, nodes = 1): Promise<Bridge> =>
    Bridge.start(store, REDIS_URL, RATE_LIMITS, state, nodes);
  const start = (server: string, nodes = 1): Promise<Protocol> => {
    if (server === 'relay') return Relay.start(nodes, REDIS_URL);
    if (server === BASELINE)
      return Bridge.start('redis', REDIS_URL, RATE_LIMITS, baselineState, nodes, { root: baselineRoot!, label: BASELINE });
    if (server === DURABLE_ROW)
      return Bridge.start('redis', durableRedis!.url, RATE_LIMITS, durableState, nodes, {
        label: DURABLE_ROW,
        env: { STORE_DURABILITY: 'fsync' },
      });
    if (server === ENCRYPTED)
      return Bridge.start('redis', REDIS_URL, RATE_LIMITS, encryptedState, nodes, {
        label: ENCRYPTED,
        env: { DATA_KEYS: encryptedKey },
      });
    return server === 'bridge-redis' ? bridge('redis', redisState, nodes) : bridge('memory');
  };
  process.once('SIGINT', () => {
    void cleanup().finally(() => process.exit(130));
  });
  try {
    for (let rep = 1; rep <= CFG.reps; rep++) {
      const log = (s: string): void => console.log(s);
      for (const server of servers) {
        await phase(
          `rep ${rep} ${server}`,
          () => start(server),
          (p) => benchOne(p, CFG, rep, log),
        );
      }
      // one process holds the memory store: no second node
      for (const server of CFG.twoNodeClients ? servers.filter((s) => s !== 'bridge-memory') : []) {
        await phase(
          `rep ${rep} ${server} × 2 nodes`,
          () => start(server, 2),
          (p) => benchTwoNodes(p, CFG, rep, log),
        );
      }
      if (!CFG.growth) continue;
      for (const server of servers.filter((s) => s !== 'relay' && s !== BASELINE && s !== ENCRYPTED && s !== DURABLE_ROW)) {
        const state = newBridgeState(); // a fresh deployment: nothing but what the growth run stores
        if (server === 'bridge-redis') prefixes.push(state.prefix);
        await phase(
          `rep ${rep} ${server} growth`,
          () => bridge(server === 'bridge-redis' ? 'redis' : 'memory', state),
          (p) => benchGrowth(p as Bridge, CFG, rep, log),
        );
      }
    }
  } finally {
    await cleanup();
  }
  const totalSec = Number(((performance.now() - started) / 1000).toFixed(1));
  const rows = summarise(samples, servers);
  console.log(
    `\nmedians of ${CFG.reps} reps; ${totalSec} s in all; load average at start ${machine.loadavgAtStart.join(' ')}, at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}\n`,
  );
  console.log(textTable(rows, servers));
  const goals = targets(rows);
  console.log(`\ntargets (issue 20):\n${targetLines(goals)}`);
  if (failures.length) console.log(`\nfailed phases (their samples are missing):\n${failures.join('\n')}`);
  const result = {
    date: new Date().toISOString(),
    command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    mode: FULL ? 'full' : 'quick',
    machine,
    loadavgAtEnd: loadavg(),
    config: { ...CFG, rateLimits: RATE_LIMITS, servers, serverNodeOptions: serverProcess().nodeArgs },
    totalSec,
    summary: rows,
    targets: goals,
    failures,
    samples,
  };
  writeFileSync(`${base}.json`, JSON.stringify(result, null, 2));
  rmSync(`${base}.partial.json`, { force: true });
  writeFileSync(`${base}.md`, `${markdownTable(rows, servers)}\n\n${targetLines(goals)}\n`);
  console.log(`\n${base}.json`);
}

async function durable(machine: Record<string, unknown>, base: string): Promise<void> {
  console.log(`bench --durable: ${CFG.reps} reps, servers interleaved ${DURABLE_SERVERS.join(' ')}; Bridge RATE_LIMITS=${RATE_LIMITS}`);
  machine.aof = aofFilesystem();
  console.log(`machine ${JSON.stringify(machine)}`);
  const started = performance.now();
  const samples = await benchDurable(CFG, RATE_LIMITS, (s) => console.log(s));
  const totalSec = Number(((performance.now() - started) / 1000).toFixed(1));
  const rows = summarise(samples, DURABLE_SERVERS, DURABLE_REFERENCE);
  console.log(
    `\nmedians of ${CFG.reps} reps; ${totalSec} s in all; load average at end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}\n`,
  );
  console.log(textTable(rows, DURABLE_SERVERS, DURABLE_REFERENCE));
  const result = {
    date: new Date().toISOString(),
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
    mode: 'durable',
    machine,
    loadavgAtEnd: loadavg(),
    config: { ...CFG, rateLimits: RATE_LIMITS, servers: DURABLE_SERVERS },
    totalSec,
    summary: rows,
    samples,
  };
  writeFileSync(`${base}.json`, JSON.stringify(result, null, 2));
  writeFileSync(`${base}.md`, `${markdownTable(rows, DURABLE_SERVERS, DURABLE_REFERENCE)}\n`);
  console.log(`\n${base}.json`);
}

await main();
process.exit(0);
