// Side-by-side benchmark of @socket.io/redis-adapter (pub/sub) and @socket.io/redis-streams-adapter.
// Run: npx tsx bench/adapters.ts [--quick]
//
// Per repetition and adapter (interleaved A B A B ...): a dedicated redis-server on a free loopback port,
// two bare relay nodes (bench/relay-node.mjs) in child processes, and 240 socket.io-client connections in
// this process, rooms of 12 with members alternating between the two nodes. Scenarios:
//   steady     every client sends 1 msg/s (open loop): delivered/s, delivery %, latency, CPU per delivery
//   saturation every client keeps one message in flight, released when its peer on the other node gets it
//   pause      low rate (0.2 msg/s per client) while Redis is `CLIENT PAUSE <ms> WRITE`d
//   restart    low rate while Redis is shut down and started again <ms> later (a real outage)
// Nothing here uses Bridge's server code. Results: a table on stdout, JSON in bench/results/.
// The machine may be shared: each repetition first waits (bounded) for other processes to go quiet, every load
// run reports the share of the machine other processes took, and in full mode a noisy load run is retried.
// MAX_RETRIES_PER_REQUEST=<n> in the environment sets the relay nodes' ioredis maxRetriesPerRequest (default 20).
import { execFile, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { io as connect, type Socket } from 'socket.io-client';
import { machineBusyMicros } from './generator.js';
import { startRelayNode } from './protocols.js';

type Kind = 'pubsub' | 'streams';
const KINDS: readonly Kind[] = ['pubsub', 'streams'];
const QUICK = process.argv.includes('--quick');
const CFG = QUICK
  ? { reps: 3, steadyMs: 4_000, saturationMs: 4_000, blipRunMs: 6_000, quietWaitMs: 1_000, noisyRetries: 0 }
  : { reps: 5, steadyMs: 10_000, saturationMs: 10_000, blipRunMs: 10_000, quietWaitMs: 30_000, noisyRetries: 2 };
const NOISY_PCT = 15; // a load run during which other processes took more than this % of the machine is retried
const CLIENTS = 240;
const ROOM_SIZE = 12; // even, so that a room's members alternate between node 0 and node 1
const BLIP_AT_MS = 2_000; // when the Redis blip starts, from the start of the blip run
const BLIP_MS = 2_000;
const BLIP_RATE = 0.2; // msg/s per client during the blip runs (48 msg/s in all)
const DELAYED_MS = 100; // a cross-node delivery slower than this counts as delayed
const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const exec = promisify(execFile);
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
const TEXT = 'x'.repeat(120); // a chat-sized message body

// ---------- processes: redis-server and relay nodes ----------

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function redisCli(port: number, ...args: string[]): Promise<string> {
  return (await exec('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8' })).stdout.trim();
}

async function startRedis(port: number): Promise<void> {
  await exec('redis-server', [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'yes',
    '--logfile',
    '',
  ]);
  for (let i = 0; i < 100; i++) {
    try {
      if ((await redisCli(port, 'ping')) === 'PONG') return;
    } catch {
      /* not up yet */
    }
    await sleep(50);
  }
  throw new Error(`redis-server on port ${port} did not start`);
}

async function stopRedis(port: number): Promise<void> {
  try {
    await redisCli(port, 'shutdown', 'nosave');
  } catch {
    /* already gone: the connection closes on shutdown */
  }
}

async function redisInfo(port: number, field: string): Promise<string | undefined> {
  return new RegExp(`${field}:(\\S+)`).exec(await redisCli(port, 'info', 'server'))?.[1];
}

interface RelayNode {
  proc: ChildProcess;
  pid: number;
  url: string;
}

/** A relay node without the bench's preloads, in the harness's environment (MAX_RETRIES_PER_REQUEST). */
async function startNode(kind: Kind, redisUrl: string, prefix: string): Promise<RelayNode> {
  const { proc, url } = await startRelayNode([kind, redisUrl, prefix], { nodeArgs: [], env: process.env });
  return { proc, pid: proc.pid!, url };
}

async function stopNode(node: RelayNode): Promise<void> {
  if (node.proc.exitCode !== null) return;
  const exited = new Promise((resolve) => node.proc.once('exit', resolve));
  node.proc.kill('SIGTERM');
  if (await Promise.race([exited.then(() => true), sleep(3_000, false)])) return;
  node.proc.kill('SIGKILL');
  await exited;
}

/** utime + stime of a process, in µs. */
function cpuMicros(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

/** The machine is shared: before each repetition, wait (a bounded time) until other processes use < 10% of it. */
async function waitForQuiet(maxMs: number): Promise<number> {
  const end = performance.now() + maxMs;
  for (;;) {
    const busy0 = machineBusyMicros();
    await sleep(1_000);
    const pct = (100 * (machineBusyMicros() - busy0)) / (1e6 * cpus().length);
    if (pct < 10 || performance.now() >= end) return pct;
  }
}

// ---------- load generator ----------

interface Msg {
  p: number;
  f: number;
  s: number;
  t: number;
  x: string;
} // phase, from, seq, send time, text
interface Client {
  i: number;
  room: string;
  node: number;
  socket: Socket;
  seq: number;
}

/** The counters of one measured run; receipts of other runs' messages are ignored. */
class Phase {
  static nextId = 1;
  readonly id = Phase.nextId++;
  sending = true;
  windowEnd = Infinity;
  sent = 0;
  recv = 0;
  recvInWindow = 0;
  crossRecv = 0;
  disconnects = 0;
  readonly lat: number[] = [];
  readonly crossLat: number[] = [];
  constructor(readonly closedLoop: boolean) {}
}

let clients: Client[] = [];
let phase: Phase | undefined;

/** The member after c in its room: always on the other node. */
const peerOf = (i: number): number => i - (i % ROOM_SIZE) + ((i + 1) % ROOM_SIZE);

function send(c: Client, ph: Phase): void {
  const msg: Msg = { p: ph.id, f: c.i, s: c.seq++, t: performance.now(), x: TEXT };
  ph.sent++;
  c.socket.emit('msg', c.room, msg);
}

function onMsg(c: Client, m: Msg): void {
  const now = performance.now();
  const ph = phase;
  if (!ph || m.p !== ph.id) return;
  ph.recv++;
  if (now <= ph.windowEnd) ph.recvInWindow++;
  ph.lat.push(now - m.t);
  if (clients[m.f]!.node !== c.node) {
    ph.crossRecv++;
    ph.crossLat.push(now - m.t);
  }
  if (ph.closedLoop && ph.sending && peerOf(m.f) === c.i) send(clients[m.f]!, ph);
}

async function connectClients(nodes: RelayNode[]): Promise<void> {
  clients = await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i): Promise<Client> => {
      const node = (i % ROOM_SIZE) % 2;
      const socket = connect(nodes[node]!.url, { transports: ['websocket'], forceNew: true, reconnection: false });
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('connect_error', reject);
      });
      const c: Client = { i, room: `room-${Math.floor(i / ROOM_SIZE)}`, node, socket, seq: 0 };
      socket.on('msg', (m: Msg) => onMsg(c, m));
      socket.on('disconnect', () => {
        if (phase) phase.disconnects++;
      });
      await socket.timeout(5_000).emitWithAck('join', c.room);
      return c;
    }),
  );
}

function closeClients(): void {
  for (const c of clients) c.socket.disconnect();
  clients = [];
}

async function waitFor(done: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!done() && performance.now() < end) await sleep(20);
}

/** One round of one message per client, repeated until every delivery arrives (the adapters subscribe lazily). */
async function warmUp(): Promise<void> {
  for (let round = 0; round < 10; round++) {
    const ph = (phase = new Phase(false));
    for (const c of clients) send(c, ph);
    await waitFor(() => ph.recv >= ph.sent * ROOM_SIZE, 2_000);
    if (ph.recv === ph.sent * ROOM_SIZE) return;
  }
  throw new Error('warm-up never delivered every message');
}

interface RunOptions {
  closedLoop: boolean;
  rate?: number;
  durationMs: number;
  drainMs: number;
  during?: () => Promise<void>;
}
interface RunResult {
  ph: Phase;
  durationMs: number;
  nodeCpuUs: number;
  redisCpuUs: number;
  genCpuUs: number;
  otherCpuUs: number;
}

async function run(o: RunOptions, nodePids: number[], redisPidNow: number | null): Promise<RunResult> {
  await sleep(300); // let the previous run's stragglers settle
  const ph = (phase = new Phase(o.closedLoop));
  const cpu0 = nodePids.map(cpuMicros);
  const redis0 = redisPidNow ? cpuMicros(redisPidNow) : 0;
  const gen0 = process.cpuUsage();
  const busy0 = machineBusyMicros();
  const t0 = performance.now();
  ph.windowEnd = t0 + o.durationMs;
  const during = o.during?.();
  if (o.closedLoop) {
    for (const c of clients) send(c, ph);
    await sleep(o.durationMs);
  } else {
    const period = 1000 / o.rate!;
    const next = clients.map(() => t0 + Math.random() * period); // random phase per client
    while (performance.now() < ph.windowEnd) {
      const now = performance.now();
      for (const c of clients) {
        while (next[c.i]! <= now && next[c.i]! < ph.windowEnd) {
          send(c, ph);
          next[c.i]! += period;
        }
      }
      await sleep(5);
    }
  }
  ph.sending = false;
  const durationMs = performance.now() - t0;
  const nodeCpuUs = nodePids.reduce((sum, pid, k) => sum + cpuMicros(pid) - cpu0[k]!, 0);
  const redisCpuUs = redisPidNow ? cpuMicros(redisPidNow) - redis0 : NaN;
  const gen = process.cpuUsage(gen0);
  const genCpuUs = gen.user + gen.system;
  const otherCpuUs = machineBusyMicros() - busy0 - nodeCpuUs - genCpuUs - (redisPidNow ? redisCpuUs : 0);
  await during;
  await waitFor(() => ph.recv >= ph.sent * ROOM_SIZE, o.drainMs);
  return { ph, durationMs, nodeCpuUs, redisCpuUs, genCpuUs, otherCpuUs };
}

// ---------- metrics ----------

type Metrics = Record<string, number>;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (x: number, digits = 2): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : NaN);

const otherPct = (r: RunResult): number => (100 * r.otherCpuUs) / (r.durationMs * 1000 * cpus().length);

function loadMetrics(r: RunResult, attempts: number): Metrics {
  const { ph } = r;
  const delivered = ph.recvInWindow;
  return {
    'delivered/s': round(delivered / (r.durationMs / 1000), 0),
    'delivery %': round((100 * ph.recv) / (ph.sent * ROOM_SIZE), 3),
    'p50 ms': round(percentile(ph.lat, 50)),
    'p95 ms': round(percentile(ph.lat, 95)),
    'p99 ms': round(percentile(ph.lat, 99)),
    'cross-node p99 ms': round(percentile(ph.crossLat, 99)),
    'node CPU µs/delivery': round(r.nodeCpuUs / delivered),
    'redis CPU µs/delivery': round(r.redisCpuUs / delivered),
    'generator CPU µs/delivery': round(r.genCpuUs / delivered),
    'other processes, % of machine': round(otherPct(r), 1),
    attempts,
    disconnects: ph.disconnects,
  };
}

function blipMetrics(r: RunResult): Metrics {
  const { ph } = r;
  const crossExpected = (ph.sent * ROOM_SIZE) / 2;
  return {
    'cross-node expected': crossExpected,
    'cross-node lost': crossExpected - ph.crossRecv,
    'cross-node delayed': ph.crossLat.filter((ms) => ms > DELAYED_MS).length,
    'cross-node max ms': round(Math.max(...ph.crossLat), 0),
    'same-node lost': ph.sent * (ROOM_SIZE / 2) - (ph.recv - ph.crossRecv),
    disconnects: ph.disconnects,
  };
}

// ---------- main ----------

interface Sample {
  scenario: string;
  kind: Kind;
  rep: number;
  metrics: Metrics;
}

async function benchOne(kind: Kind, rep: number, redisPort: number): Promise<Sample[]> {
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const prefix = `bench-adapters-${process.pid}-${rep}-${kind}`;
  const nodes: RelayNode[] = [];
  const samples: Sample[] = [];
  const add = (scenario: string, metrics: Metrics): void => {
    samples.push({ scenario, kind, rep, metrics });
  };
  try {
    for (let k = 0; k < 2; k++) nodes.push(await startNode(kind, redisUrl, prefix));
    const pids = nodes.map((n) => n.pid);
    await connectClients(nodes);
    await warmUp();
    const rPid = Number(await redisInfo(redisPort, 'process_id'));
    const loadRun = async (o: RunOptions): Promise<Metrics> => {
      for (let attempt = 1; ; attempt++) {
        const r = await run(o, pids, rPid);
        if (otherPct(r) <= NOISY_PCT || attempt > CFG.noisyRetries) return loadMetrics(r, attempt);
      }
    };
    add('steady 240 × 1 msg/s', await loadRun({ closedLoop: false, rate: 1, durationMs: CFG.steadyMs, drainMs: 3_000 }));
    add('saturation (closed loop)', await loadRun({ closedLoop: true, durationMs: CFG.saturationMs, drainMs: 3_000 }));
    const pause = async (): Promise<void> => {
      await sleep(BLIP_AT_MS);
      await redisCli(redisPort, 'client', 'pause', String(BLIP_MS), 'write');
    };
    add(
      `blip: CLIENT PAUSE ${BLIP_MS} WRITE`,
      blipMetrics(await run({ closedLoop: false, rate: BLIP_RATE, durationMs: CFG.blipRunMs, drainMs: 3_000, during: pause }, pids, null)),
    );
    const restart = async (): Promise<void> => {
      await sleep(BLIP_AT_MS);
      await stopRedis(redisPort);
      await sleep(BLIP_MS);
      await startRedis(redisPort);
    };
    add(
      `blip: Redis down ${BLIP_MS} ms (restart)`,
      blipMetrics(
        await run({ closedLoop: false, rate: BLIP_RATE, durationMs: CFG.blipRunMs, drainMs: 3_000, during: restart }, pids, null),
      ),
    );
  } finally {
    phase = undefined;
    closeClients();
    await Promise.all(nodes.map(stopNode));
  }
  return samples;
}

function median(xs: number[]): number {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

interface Row {
  scenario: string;
  metric: string;
  pubsub: number;
  streams: number;
  ratio: number;
  runs: Record<Kind, number[]>;
}

function summarise(samples: Sample[]): Row[] {
  const rows: Row[] = [];
  for (const scenario of [...new Set(samples.map((s) => s.scenario))]) {
    const of = (kind: Kind): Sample[] => samples.filter((s) => s.scenario === scenario && s.kind === kind);
    for (const metric of Object.keys(of('pubsub')[0]?.metrics ?? {})) {
      const runs = { pubsub: of('pubsub').map((s) => s.metrics[metric]!), streams: of('streams').map((s) => s.metrics[metric]!) };
      const pubsub = round(median(runs.pubsub), 3);
      const streams = round(median(runs.streams), 3);
      rows.push({ scenario, metric, pubsub, streams, ratio: round(streams / pubsub, 2), runs });
    }
  }
  return rows;
}

function printTable(rows: Row[]): void {
  const fmt = (x: number): string => (Number.isNaN(x) ? '-' : Number.isFinite(x) ? String(x) : '∞');
  const cells = rows.map((r) => [
    r.scenario,
    r.metric,
    fmt(r.pubsub),
    fmt(r.streams),
    fmt(r.ratio),
    `${r.runs.pubsub.map(fmt).join(' ')} | ${r.runs.streams.map(fmt).join(' ')}`,
  ]);
  const head = ['scenario', 'metric', 'pubsub', 'streams', 'streams/pubsub', 'runs (pubsub | streams)'];
  const widths = head.map((h, k) => Math.max(h.length, ...cells.map((c) => c[k]!.length)));
  const line = (c: string[]): string => c.map((x, k) => (k >= 2 && k <= 4 ? x.padStart(widths[k]!) : x.padEnd(widths[k]!))).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  let last = '';
  for (const c of cells) {
    console.log(line(c[0] === last ? ['', ...c.slice(1)] : c));
    last = c[0]!;
  }
}

function versionOf(pkg: string): string {
  return (JSON.parse(readFileSync(`${ROOT}/node_modules/${pkg}/package.json`, 'utf8')) as { version: string }).version;
}

async function main(): Promise<void> {
  const redisPort = await freePort();
  await startRedis(redisPort);
  const cleanup = (): void => {
    try {
      execFileSync('redis-cli', ['-p', String(redisPort), 'shutdown', 'nosave'], { stdio: 'ignore' });
    } catch {
      /* gone */
    }
  };
  process.once('SIGINT', () => {
    cleanup();
    process.exit(130);
  });
  const machine = {
    cores: cpus().length,
    cpu: cpus()[0]?.model,
    loadavgAtStart: loadavg(),
    node: process.version,
    redis: await redisInfo(redisPort, 'redis_version'),
    '@socket.io/redis-adapter': versionOf('@socket.io/redis-adapter'),
    '@socket.io/redis-streams-adapter': versionOf('@socket.io/redis-streams-adapter'),
    'socket.io': versionOf('socket.io'),
    ioredis: versionOf('ioredis'),
    note: 'load generator, both relay nodes and redis-server share the same cores',
  };
  console.log(
    `adapters bench (${QUICK ? 'quick' : 'full'}): ${CFG.reps} reps, A B A B; ${CLIENTS} clients, rooms of ${ROOM_SIZE}, 2 nodes; ioredis maxRetriesPerRequest ${process.env.MAX_RETRIES_PER_REQUEST ?? 20}; ${JSON.stringify(machine)}`,
  );
  const samples: Sample[] = [];
  const started = performance.now();
  try {
    for (let rep = 1; rep <= CFG.reps; rep++) {
      for (const kind of KINDS) {
        const t = performance.now();
        const busyPct = await waitForQuiet(CFG.quietWaitMs);
        const waited = (performance.now() - t) / 1000;
        samples.push(...(await benchOne(kind, rep, redisPort)));
        console.log(
          `  rep ${rep} ${kind}: ${((performance.now() - t) / 1000).toFixed(1)} s (waited ${waited.toFixed(0)} s for other load < 10%: ${busyPct.toFixed(0)}%)`,
        );
      }
    }
  } finally {
    cleanup();
  }
  const rows = summarise(samples);
  console.log();
  printTable(rows);
  mkdirSync(`${ROOT}/bench/results`, { recursive: true });
  const file = `${ROOT}/bench/results/adapters-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  const config = {
    ...CFG,
    quick: QUICK,
    clients: CLIENTS,
    roomSize: ROOM_SIZE,
    blipAtMs: BLIP_AT_MS,
    blipMs: BLIP_MS,
    blipRatePerClient: BLIP_RATE,
    delayedMs: DELAYED_MS,
    maxRetriesPerRequest: Number(process.env.MAX_RETRIES_PER_REQUEST ?? 20),
  };
  writeFileSync(
    file,
    JSON.stringify(
      { date: new Date().toISOString(), machine, config, totalSec: round((performance.now() - started) / 1000, 1), summary: rows, samples },
      null,
      2,
    ),
  );
  console.log(`\n${file}`);
}

await main();
process.exit(0);
