// The scenarios of bench/run.ts, run against one freshly started server (one repetition of one server):
//   evening <n>   n clients × 1 msg/s (open loop), rooms of 12
//   saturation    closed loop, each client keeps one message in flight
//   join storm    N clients connect and join at once, into groups with history (Bridge: 50 messages each)
//   memory        RSS per idle connected, joined client (the storm's clients, plus more in batches in full mode)
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
  drainMs: number;
}

export type Metrics = Record<string, number>;
export interface Sample { scenario: string; server: string; rep: number; metrics: Metrics }

const round = (x: number, digits = 2): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : NaN);

function loadMetrics(r: RunResult, roomSize: number, withLatency: boolean): Metrics {
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
  m['refused sends'] = ph.refused;
  m.disconnects = ph.disconnects;
  return m;
}

/** Every scenario against one server; `log` gets one line per scenario. */
export async function benchOne(proto: Protocol, cfg: Config, rep: number, log: (s: string) => void): Promise<Sample[]> {
  const samples: Sample[] = [];
  const add = (scenario: string, metrics: Metrics): void => {
    samples.push({ scenario, server: proto.label, rep, metrics });
    log(`    ${scenario}: ${JSON.stringify(metrics)}`);
  };
  const users = Math.max(cfg.memoryClients, cfg.stormClients, cfg.saturationClients, ...cfg.eveningClients);
  const tp = performance.now();
  await proto.prepare(users, cfg.roomSize, cfg.history, Math.ceil(cfg.stormClients / cfg.roomSize));
  log(`    prepared ${users} users in ${((performance.now() - tp) / 1000).toFixed(1)} s`);

  // join storm, then memory, first on the fresh process; both memory readings follow a full GC in the server
  // (bench/gc-hook.mjs), so garbage left by prepare() or the storm does not count
  const mem0 = await memoryAfterGc(proto.pid);
  const idle = new Load(proto, cfg.roomSize);
  const cpu0 = cpuMicros(proto.pid);
  const t0 = performance.now();
  const times = await idle.add(0, cfg.stormClients);
  const allJoinedMs = performance.now() - t0;
  const cpuUs = cpuMicros(proto.pid) - cpu0;
  add(`join storm ${cfg.stormClients}`, {
    'all joined ms': round(allJoinedMs, 0),
    'connect+join p50 ms': round(percentile(times, 50), 0),
    'connect+join p99 ms': round(percentile(times, 99), 0),
    'server CPU µs/join': round(cpuUs / cfg.stormClients, 0),
  });
  for (let from = cfg.stormClients; from < cfg.memoryClients; from += 250) await idle.add(from, Math.min(from + 250, cfg.memoryClients), 100);
  await sleep(500);
  const mem1 = await memoryAfterGc(proto.pid);
  add(`memory ${cfg.memoryClients}`, {
    'RSS KB/client': round((mem1.rssKb - mem0.rssKb) / cfg.memoryClients, 1),
    'heap KB/client': round((mem1.heapKb - mem0.heapKb) / cfg.memoryClients, 1),
    'RSS MB before': round(mem0.rssKb / 1024, 0),
    'RSS MB after': round(mem1.rssKb / 1024, 0),
    'still connected': idle.active.filter((c) => c.socket.connected).length,
  });
  idle.close();

  for (const n of cfg.eveningClients) {
    const load = new Load(proto, cfg.roomSize);
    await load.add(0, n, 200);
    await load.warmUp();
    add(`evening ${n}`, loadMetrics(await load.run({ closedLoop: false, rate: 1, durationMs: cfg.eveningMs, drainMs: cfg.drainMs }), cfg.roomSize, true));
    if (n === cfg.saturationClients) {
      add(`saturation ${n}`, loadMetrics(await load.run({ closedLoop: true, durationMs: cfg.saturationMs, drainMs: cfg.drainMs }), cfg.roomSize, true));
    }
    load.close();
  }
  return samples;
}
