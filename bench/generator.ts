// The load generator of bench/run.ts: socket.io-client connections (websocket only, one connection per client),
// open-loop and closed-loop message runs, and the /proc readers for server CPU and RSS.
// It knows nothing of either server: a Protocol (bench/protocols.ts) says how to connect, join, send and receive.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Socket } from 'socket.io-client';

/** What every benchmark message carries: phase, sender client, sender's sequence, send time (performance.now()). */
export interface Wire {
  p: number;
  f: number;
  s: number;
  t: number;
}

/** What a join answered: the highest `seq` it returned (Bridge), how many messages came with it, how often it was retried. */
export interface Joined {
  lastSeq?: number | undefined;
  messages: number;
  retries?: number;
}

export interface Protocol {
  readonly label: string;
  /** Whether a rejoin with `since` returns what was missed (Bridge); the bare relay keeps nothing. */
  readonly keepsHistory: boolean;
  /** The server processes, one per node (for /proc CPU; memory is read from the first). */
  readonly pids: number[];
  /** Groups, enrolments and tokens for clients 0..n-1 (client i is in room ⌊i / roomSize⌋); `history` messages in each of the first `historyRooms` rooms. */
  prepare(n: number, roomSize: number, history: number, historyRooms: number): Promise<void>;
  /** Resolves once connected; rejects on connect_error. */
  connect(i: number): Promise<Socket>;
  /** `since`: rejoin after a reconnect, asking for what was missed (Bridge; the relay has no history). */
  join(socket: Socket, i: number, since?: number): Promise<Joined>;
  /** While clients from..to-1 are disconnected, `perClient` messages for each of them go into their rooms (no-op without history). */
  sendWhileAway(from: number, to: number, perClient: number): Promise<void>;
  /** `onAck` is called with the error code for a refused send (Bridge only; the relay never acks). */
  send(socket: Socket, i: number, w: Wire, onRefused: (code: string) => void): void;
  onMessage(socket: Socket, cb: (w: Wire) => void): void;
  /** Server-side CPU of a store process the server relies on (redis-server), if any. */
  readonly storePid?: number | undefined;
  stop(): Promise<void>;
}

export interface Client {
  i: number;
  socket: Socket;
  seq: number;
  joined: Joined;
}

/** The counters of one measured run; receipts of other runs' messages are ignored. */
export class Phase {
  static nextId = 1;
  readonly id = Phase.nextId++;
  sending = true;
  windowEnd = Infinity;
  sent = 0;
  recv = 0;
  recvInWindow = 0;
  refused = 0;
  refusedCodes = new Set<string>();
  disconnects = 0;
  readonly lat: number[] = [];
  constructor(readonly closedLoop: boolean) {}
}

const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of processes, in µs (/proc/<pid>/stat), summed. */
export function cpuMicros(pids: number | number[]): number {
  return (typeof pids === 'number' ? [pids] : pids).reduce((sum, pid) => sum + cpuOf(pid), 0);
}

function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is field 3 (state)
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLK_TCK;
}

/** Busy CPU time of the whole machine (all cores), in µs: to tell how much other processes took during a run. */
export function machineBusyMicros(): number {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return ((user! + nice! + system! + irq! + softirq! + steal!) * 1e6) / CLK_TCK;
}

/** VmRSS of a process, in KB (/proc/<pid>/status). */
export function rssKb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
}

/** Preload for server processes (`--import`): a full GC and process.memoryUsage() on SIGUSR2, its pauses on SIGURG. */
export const GC_HOOK = fileURLToPath(new URL('./gc-hook.mjs', import.meta.url));

/** Signals a process running bench/gc-hook.mjs and reads the file it answers with; undefined if none came. */
async function askHook<T>(pid: number, signal: NodeJS.Signals, name: string): Promise<T | undefined> {
  const file = join(tmpdir(), `${name}-${pid}.json`);
  rmSync(file, { force: true });
  process.kill(pid, signal);
  await waitUntil(() => existsSync(file), 10_000);
  if (!existsSync(file)) return undefined;
  const value = JSON.parse(readFileSync(file, 'utf8')) as T;
  rmSync(file, { force: true });
  return value;
}

/** Full GC in the server process (bench/gc-hook.mjs), then its RSS and V8 heap in KB; /proc's RSS alone without the hook. */
export async function memoryAfterGc(pid: number): Promise<{ rssKb: number; heapKb: number }> {
  const m = await askHook<{ rss: number; heapUsed: number }>(pid, 'SIGUSR2', 'bench-mem');
  return m ? { rssKb: m.rss / 1024, heapKb: m.heapUsed / 1024 } : { rssKb: rssKb(pid), heapKb: NaN };
}

/** A server's garbage collections and event-loop delay since the previous reading (bench/gc-hook.mjs). */
export interface Pauses {
  gcCount: number;
  gcMs: number;
  gcMaxMs: number;
  loopP99Ms: number;
  loopMaxMs: number;
}

/** Pauses of every node since the previous call (the first call only resets): GC time summed, the rest the worst node's. */
export async function serverPauses(pids: number[]): Promise<Pauses | undefined> {
  const all = await Promise.all(pids.map((pid) => askHook<Pauses>(pid, 'SIGURG', 'bench-pauses')));
  if (!all.length || all.some((p) => !p)) return undefined;
  return (all as Pauses[]).reduce((a, b) => ({
    gcCount: a.gcCount + b.gcCount,
    gcMs: a.gcMs + b.gcMs,
    gcMaxMs: Math.max(a.gcMaxMs, b.gcMaxMs),
    loopP99Ms: Math.max(a.loopP99Ms, b.loopP99Ms),
    loopMaxMs: Math.max(a.loopMaxMs, b.loopMaxMs),
  }));
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!done() && performance.now() < end) await sleep(20);
}

/** Runs `fn` over 0..n-1 with at most `limit` in flight. */
export async function pool(n: number, limit: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, limit) }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

const LOOP_RESOLUTION_MS = 10;

/** A set of connected, joined clients of one server, all routing receipts to the current phase. */
export class Load {
  /** By client index; a closed client leaves a hole (`active` skips the holes). */
  clients: (Client | undefined)[] = [];
  phase: Phase | undefined;

  constructor(
    readonly proto: Protocol,
    readonly roomSize: number,
  ) {}

  /**
   * Connects and joins clients from..to-1, `limit` at a time; returns each client's connect+join time (ms).
   * `since(i)`: the seq client i rejoins after (a reconnect), undefined for a first join.
   */
  async add(from: number, to: number, limit = Infinity, since: (i: number) => number | undefined = () => undefined): Promise<number[]> {
    const times: number[] = [];
    await pool(to - from, limit, async (k) => {
      const i = from + k;
      const t0 = performance.now();
      const socket = await this.proto.connect(i);
      const c: Client = { i, socket, seq: 0, joined: { messages: 0 } };
      this.proto.onMessage(socket, (w) => this.receive(c, w));
      socket.on('disconnect', () => {
        if (this.phase) this.phase.disconnects++;
      });
      c.joined = await this.proto.join(socket, i, since(i));
      times.push(performance.now() - t0);
      this.clients[i] = c;
    });
    return times;
  }

  /** Disconnects clients from..to-1 (all by default). */
  close(from = 0, to = this.clients.length): void {
    for (let i = from; i < to; i++) {
      this.clients[i]?.socket.disconnect();
      this.clients[i] = undefined;
    }
  }

  get active(): Client[] {
    return this.clients.filter((c) => c !== undefined);
  }

  send(c: Client, ph: Phase): void {
    const w: Wire = { p: ph.id, f: c.i, s: c.seq++, t: performance.now() };
    ph.sent++;
    this.proto.send(c.socket, c.i, w, (code) => {
      ph.refused++;
      ph.refusedCodes.add(code);
    });
  }

  private receive(c: Client, w: Wire): void {
    const now = performance.now();
    const ph = this.phase;
    if (!ph || w.p !== ph.id) return;
    ph.recv++;
    if (now <= ph.windowEnd) ph.recvInWindow++;
    ph.lat.push(now - w.t);
    // closed loop: a client's next message leaves when its previous one came back to it (one in flight per client)
    if (ph.closedLoop && ph.sending && w.f === c.i) this.send(c, ph);
  }

  /** One message per client, repeated until every delivery arrives. */
  async warmUp(): Promise<void> {
    for (let round = 0; round < 5; round++) {
      const ph = (this.phase = new Phase(false));
      for (const c of this.active) this.send(c, ph);
      await waitUntil(() => ph.recv >= ph.sent * this.roomSize, 3_000);
      if (ph.recv === ph.sent * this.roomSize) return;
    }
    throw new Error(`${this.proto.label}: warm-up never delivered every message`);
  }

  /**
   * Open loop (`rate` msg/s per client, random phase per client) or closed loop for `durationMs`, then up to
   * `drainMs` for the remaining deliveries. CPU is read from the start to the end of the drain.
   */
  async run(o: { closedLoop: boolean; rate?: number; durationMs: number; drainMs: number }): Promise<RunResult> {
    await sleep(300); // let the previous run's stragglers settle
    const ph = (this.phase = new Phase(o.closedLoop));
    const pid = this.proto.pids;
    const storePid = this.proto.storePid;
    await serverPauses(pid); // from here on
    const genLoop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    genLoop.enable();
    const cpu0 = cpuMicros(pid);
    const store0 = storePid ? cpuMicros(storePid) : 0;
    const gen0 = process.cpuUsage();
    const t0 = performance.now();
    ph.windowEnd = t0 + o.durationMs;
    const clients = this.active;
    if (o.closedLoop) {
      for (const c of clients) this.send(c, ph);
      await sleep(o.durationMs);
    } else {
      const period = 1000 / o.rate!;
      const next = clients.map(() => t0 + Math.random() * period);
      while (performance.now() < ph.windowEnd) {
        const now = performance.now();
        clients.forEach((c, k) => {
          while (next[k]! <= now && next[k]! < ph.windowEnd) {
            this.send(c, ph);
            next[k]! += period;
          }
        });
        await sleep(5);
      }
    }
    ph.sending = false;
    const durationMs = performance.now() - t0;
    await waitUntil(() => ph.recv >= ph.sent * this.roomSize, o.drainMs);
    const gen = process.cpuUsage(gen0);
    const totalMs = performance.now() - t0;
    const serverCpuUs = cpuMicros(pid) - cpu0;
    const storeCpuUs = storePid ? cpuMicros(storePid) - store0 : NaN;
    genLoop.disable();
    return {
      ph,
      durationMs,
      totalMs,
      serverCpuUs,
      storeCpuUs,
      genCpuUs: gen.user + gen.system,
      pauses: await serverPauses(pid),
      // the histogram holds whole timer intervals: the delay is what exceeds the resolution
      genLoopP99Ms: Math.max(0, genLoop.percentile(99) / 1e6 - LOOP_RESOLUTION_MS),
    };
  }
}

export interface RunResult {
  ph: Phase;
  durationMs: number;
  totalMs: number;
  serverCpuUs: number;
  storeCpuUs: number;
  genCpuUs: number;
  /** The servers' GC and event-loop delay over the run (undefined for a server without bench/gc-hook.mjs). */
  pauses: Pauses | undefined;
  /** The load generator's own event-loop delay p99: latency it adds to every server alike. */
  genLoopP99Ms: number;
}
