// The scenarios of bench/run.ts, run against freshly started servers (one repetition of one server):
//   join storm    N clients connect and join at once, into groups with history (Bridge: 50 messages each)
//   memory        RSS and heap per idle connected, joined client (the storm's clients, plus more in batches)
//   reconnect     the storm's clients disconnect, `reconnectPerClient` messages each go into their rooms, and they
//                 all reconnect and rejoin with `since` at once: time until every one has caught up
//   evening <n>   n clients × 1 msg/s (open loop), rooms of 12
//   saturation    closed loop, each client keeps one message in flight
//   2 nodes …     evening and saturation with every room's members split across two nodes (benchTwoNodes)
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuMicros, Load, memoryAfterGc, percentile, type Protocol, type RunResult } from './generator.js';

export interface Config {
  reps: number;
  roomSize: number;
  eveningClients: number[];
  eveningMs: number;
  saturationClients: number;
  saturationMs: number;
  stormClients: number;
  history: number;
  memoryClients: number;
  reconnectPerClient: number;
  twoNodeClients: number;
  /** Bridge only (bench/growth.ts); none in quick mode. */
  growth?: { clients: number; groups: number[]; history: number[]; joins: number } | undefined;
  drainMs: number;
}

export type Metrics = Record<string, number>;
/** `refusedCodes`: the error codes of refused sends, if any (an overloaded Redis answers a retryable INTERNAL). */
export interface Sample {
  scenario: string;
  server: string;
  rep: number;
  metrics: Metrics;
  refusedCodes?: string[];
}

const round = (x: number, digits = 2): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : NaN);

export function loadMetrics(r: RunResult, roomSize: number, withLatency: boolean): Metrics {
  const { ph } = r;
  const m: Metrics = {
    'delivered/s': round(ph.recvInWindow / (r.durationMs / 1000), 0),
    'delivery %': round((100 * ph.recv) / (ph.sent * roomSize), 3),
  };
  if (withLatency) {
    m['p50 ms'] = round(percentile(ph.lat, 50));
    m['p95 ms'] = round(percentile(ph.lat, 95));
    m['p99 ms'] = round(percentile(ph.lat, 99));
  }
  m['server CPU µs/delivery'] = round(r.serverCpuUs / ph.recv);
  m['redis CPU µs/delivery'] = round(r.storeCpuUs / ph.recv);
  m['generator CPU %'] = round((100 * r.genCpuUs) / (r.totalMs * 1000), 0);
  // the server's own stalls, beside the latency tail they may explain
  m['server GC ms/s'] = round((r.pauses?.gcMs ?? NaN) / (r.totalMs / 1000), 1);
  m['server GC max ms'] = round(r.pauses?.gcMaxMs ?? NaN, 1);
  m['server loop delay p99 ms'] = round(r.pauses?.loopP99Ms ?? NaN, 1);
  m['server loop delay max ms'] = round(r.pauses?.loopMaxMs ?? NaN, 1);
  m['generator loop delay p99 ms'] = round(r.genLoopP99Ms, 1);
  m['refused sends'] = ph.refused;
  m.disconnects = ph.disconnects;
  return m;
}

/** Joins Bridge answered with a retryable error (a Redis command past its timeout) before they succeeded. */
const retried = (load: Load): number => load.active.reduce((sum, c) => sum + (c.joined.retries ?? 0), 0);

export type Add = (scenario: string, metrics: Metrics, refusedCodes?: Set<string>) => void;

export function sampler(samples: Sample[], server: string, rep: number, log: (s: string) => void): Add {
  return (scenario, metrics, refused) => {
    const codes = refused?.size ? { refusedCodes: [...refused] } : {};
    samples.push({ scenario, server, rep, metrics, ...codes });
    log(`    ${scenario}: ${JSON.stringify({ ...metrics, ...codes })}`);
  };
}

/** Every client × 1 msg/s, open loop. */
export const evening = (load: Load, cfg: Config): Promise<RunResult> =>
  load.run({ closedLoop: false, rate: 1, durationMs: cfg.eveningMs, drainMs: cfg.drainMs });
/** Every client keeps one message in flight. */
export const saturation = (load: Load, cfg: Config): Promise<RunResult> =>
  load.run({ closedLoop: true, durationMs: cfg.saturationMs, drainMs: cfg.drainMs });

function addRun(add: Add, scenario: string, r: RunResult, cfg: Config): void {
  add(scenario, loadMetrics(r, cfg.roomSize, true), r.ph.refusedCodes);
}

/** Every single-node scenario against one server; `log` gets one line per scenario. */
export async function benchOne(proto: Protocol, cfg: Config, rep: number, log: (s: string) => void): Promise<Sample[]> {
  const samples: Sample[] = [];
  const add = sampler(samples, proto.label, rep, log);
  const users = Math.max(cfg.memoryClients, cfg.stormClients, cfg.saturationClients, ...cfg.eveningClients);
  const tp = performance.now();
  await proto.prepare(users, cfg.roomSize, cfg.history, Math.ceil(cfg.stormClients / cfg.roomSize));
  log(`    prepared ${users} users in ${((performance.now() - tp) / 1000).toFixed(1)} s`);

  // join storm, then memory, first on the fresh process; both memory readings follow a full GC in the server
  // (bench/gc-hook.mjs), so garbage left by prepare() or the storm does not count
  const [pid] = proto.pids as [number];
  const mem0 = await memoryAfterGc(pid);
  const idle = new Load(proto, cfg.roomSize);
  const storm = async (from: number, scenario: string): Promise<number> => {
    const retriedBefore = retried(idle);
    const cpu0 = cpuMicros(pid);
    const t0 = performance.now();
    const times = await idle.add(from, from + cfg.stormClients);
    const allJoinedMs = performance.now() - t0;
    const cpuUs = cpuMicros(pid) - cpu0;
    add(scenario, {
      'all joined ms': round(allJoinedMs, 0),
      'connect+join p50 ms': round(percentile(times, 50), 0),
      'connect+join p99 ms': round(percentile(times, 99), 0),
      'server CPU µs/join': round(cpuUs / cfg.stormClients, 0),
      'retried joins': retried(idle) - retriedBefore,
    });
    return allJoinedMs;
  };
  const allJoinedMs = await storm(0, `join storm ${cfg.stormClients}`);
  // The same storm into groups without history, the memory scenario's last clients (in rooms past the ones with
  // history): the relay sends no history, so this is the like-for-like join.
  const emptyFrom = cfg.memoryClients - cfg.stormClients;
  const emptyStorm = emptyFrom >= Math.ceil(cfg.stormClients / cfg.roomSize) * cfg.roomSize;
  if (emptyStorm) await storm(emptyFrom, `join storm ${cfg.stormClients}, empty history`);
  for (let from = cfg.stormClients, to = emptyStorm ? emptyFrom : cfg.memoryClients; from < to; from += 250)
    await idle.add(from, Math.min(from + 250, to), 100);
  await sleep(500);
  const mem1 = await memoryAfterGc(pid);
  add(`memory ${cfg.memoryClients}`, {
    'RSS KB/client': round((mem1.rssKb - mem0.rssKb) / cfg.memoryClients, 1),
    'heap KB/client': round((mem1.heapKb - mem0.heapKb) / cfg.memoryClients, 1),
    'RSS MB before': round(mem0.rssKb / 1024, 0),
    'RSS MB after': round(mem1.rssKb / 1024, 0),
    'still connected': idle.active.filter((c) => c.socket.connected).length,
  });
  idle.close(cfg.stormClients);
  await reconnectStorm(proto, idle, cfg, allJoinedMs, add);
  idle.close();

  for (const n of cfg.eveningClients) {
    const load = new Load(proto, cfg.roomSize);
    try {
      await load.add(0, n, 200);
      await load.warmUp();
    } catch (err) {
      // a server still overloaded by the previous run: the row shows it, the larger runs after it are skipped
      log(`    evening ${n}: not run (${err instanceof Error ? err.message : String(err)})`);
      add(`evening ${n}`, { 'delivery %': NaN, 'not run (warm-up failed)': 1 });
      load.close();
      break;
    }
    addRun(add, `evening ${n}`, await evening(load, cfg), cfg);
    if (n === cfg.saturationClients) {
      addRun(add, `saturation ${n}`, await saturation(load, cfg), cfg);
    }
    load.close();
  }
  return samples;
}

/**
 * The storm's clients (still joined in `idle`) go away, `reconnectPerClient` messages each are sent into their rooms,
 * and all rejoin at once with `since` = the last seq their first join returned. Caught up = the rejoin returned
 * every message sent meanwhile. The ratio to the same server's join storm is the target (≤ 2).
 */
async function reconnectStorm(proto: Protocol, idle: Load, cfg: Config, stormMs: number, add: Add): Promise<void> {
  const n = cfg.stormClients;
  const since = idle.clients.slice(0, n).map((c) => c?.joined.lastSeq);
  idle.close();
  await proto.sendWhileAway(0, n, cfg.reconnectPerClient);
  const missed = (i: number): number => cfg.reconnectPerClient * Math.min(cfg.roomSize, n - Math.floor(i / cfg.roomSize) * cfg.roomSize);
  const [pid] = proto.pids as [number];
  const cpu0 = cpuMicros(pid);
  const t0 = performance.now();
  const times = await idle.add(0, n, Infinity, (i) => since[i]);
  const allMs = performance.now() - t0;
  const cpuUs = cpuMicros(pid) - cpu0;
  const caughtUp = idle.active.filter((c) => c.joined.messages >= missed(c.i)).length;
  add(`reconnect storm ${n} (${cfg.reconnectPerClient} msgs each missed)`, {
    'all caught up ms': round(allMs, 0),
    'connect+rejoin p99 ms': round(percentile(times, 99), 0),
    'server CPU µs/rejoin': round(cpuUs / n, 0),
    'caught up %': proto.keepsHistory ? round((100 * caughtUp) / n, 1) : NaN,
    'messages per rejoin': round(idle.active.reduce((sum, c) => sum + c.joined.messages, 0) / n, 1),
    'caught up / join storm': round(allMs / stormMs),
    'retried joins': retried(idle),
  });
}

/** Evening and saturation with two nodes (client i on node i % 2), so every room spans both nodes. */
export async function benchTwoNodes(proto: Protocol, cfg: Config, rep: number, log: (s: string) => void): Promise<Sample[]> {
  const samples: Sample[] = [];
  const add = sampler(samples, proto.label, rep, log);
  const n = cfg.twoNodeClients;
  await proto.prepare(n, cfg.roomSize, 0, 0);
  const load = new Load(proto, cfg.roomSize);
  await load.add(0, n, 200);
  await load.warmUp();
  addRun(add, `2 nodes evening ${n}`, await evening(load, cfg), cfg);
  addRun(add, `2 nodes saturation ${n}`, await saturation(load, cfg), cfg);
  load.close();
  return samples;
}
