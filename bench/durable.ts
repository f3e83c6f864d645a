// `npm run bench -- --durable [--reps <n>]`: what STORE_DURABILITY=fsync costs (issue 13), send scenarios only.
//
// Per repetition, three Bridge nodes run one after the other (A B C A B C …), each a fresh process on a redis-server
// of its own (PrivateRedis of test/support/process.ts: a free loopback port, its own directory under the OS temp dir),
// started once for the whole run, so all three see the same machine load in turns:
//   redis-no-aof    appendonly no: nothing on disk (what the rest of the bench runs against)
//   redis-everysec  appendonly yes, appendfsync everysec: Redis's AOF default, the compose file before durable mode
//   redis-fsync     appendonly yes, appendfsync always, the node in STORE_DURABILITY=fsync (the compose file now)
// Scenarios: evening 240 (1 msg/s per client, open loop: latency at a fixed rate) and saturation 240 (closed loop: the
// most messages a second); then, on the same Redis without Bridge, `redis-benchmark` SET with 1 client (each write
// waits for its own fsync: the disk's price per acked write) and with 50 (Redis fsyncs once per event-loop turn, for
// every write of that turn, so concurrent writes share one fsync). Ratios are to redis-everysec. Each load run also
// reports `others CPU %`: the share of the machine's cores busy with processes other than the node, its Redis and the
// generator, to read the noise by.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { cpus, tmpdir } from 'node:os';
import { PrivateRedis } from '../test/support/process.js';
import { machineBusyMicros, Load, type RunResult } from './generator.js';
import { Bridge, newBridgeState, type BridgeState } from './protocols.js';
import { evening, loadMetrics, sampler, saturation, type Config, type Sample } from './scenarios.js';

export const DURABLE_REFERENCE = 'redis-everysec';

type Variant = { label: string; settings: string[]; env: Record<string, string> };
const VARIANTS: Variant[] = [
  { label: 'redis-no-aof', settings: ['--appendonly', 'no'], env: {} },
  { label: DURABLE_REFERENCE, settings: ['--appendonly', 'yes', '--appendfsync', 'everysec'], env: {} },
  { label: 'redis-fsync', settings: ['--appendonly', 'yes', '--appendfsync', 'always'], env: { STORE_DURABILITY: 'fsync' } },
];
export const DURABLE_SERVERS = VARIANTS.map((v) => v.label);

/** Where the append-only files are written (an fsync on tmpfs would cost nothing and mean nothing). */
export function aofFilesystem(): string {
  return `${tmpdir()} on ${execFileSync('df', ['--output=fstype', tmpdir()], { encoding: 'utf8' }).split('\n')[1]?.trim() ?? 'unknown'}`;
}

/** A load run, and the share of the machine other processes took meanwhile. */
async function measured(load: Load, run: (l: Load) => Promise<RunResult>): Promise<{ r: RunResult; othersPct: number }> {
  const busy0 = machineBusyMicros();
  const t0 = performance.now();
  const r = await run(load);
  const wallUs = (performance.now() - t0) * 1000;
  const othersUs = machineBusyMicros() - busy0 - r.serverCpuUs - r.storeCpuUs - r.genCpuUs;
  return { r, othersPct: Math.max(0, (100 * othersUs) / (wallUs * cpus().length)) };
}

/** `redis-benchmark` SET against one of the private servers: ops/s and latency percentiles (ms). */
async function redisSets(port: number, clients: number): Promise<Record<string, number>> {
  const { stdout } = await promisify(execFile)('redis-benchmark', [
    '-p',
    String(port),
    '-c',
    String(clients),
    '-n',
    String(2000 * Math.min(clients, 5)),
    '-t',
    'set',
    '--csv',
  ]);
  // "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
  const [, rps, , , p50, , p99] = stdout.trim().split('\n').at(-1)!.replaceAll('"', '').split(',').map(Number);
  return { 'ops/s': rps!, 'p50 ms': p50!, 'p99 ms': p99! };
}

/** Every repetition runs each variant's evening and saturation on a fresh node; `log` gets a line per scenario. */
export async function benchDurable(cfg: Config, rateLimits: string, log: (s: string) => void): Promise<Sample[]> {
  const redis = new Map<string, PrivateRedis>();
  const states = new Map<string, BridgeState>(VARIANTS.map((v) => [v.label, newBridgeState()]));
  const samples: Sample[] = [];
  const n = cfg.saturationClients;
  try {
    for (const v of VARIANTS) redis.set(v.label, await PrivateRedis.start(v.settings));
    for (let rep = 1; rep <= cfg.reps; rep++) {
      for (const v of VARIANTS) {
        const t = performance.now();
        const add = sampler(samples, v.label, rep, log);
        const bridge = await Bridge.start('redis', redis.get(v.label)!.url, rateLimits, states.get(v.label), 1, {
          label: v.label,
          env: v.env,
        });
        try {
          await bridge.prepare(n, cfg.roomSize, 0, 0);
          const load = new Load(bridge, cfg.roomSize);
          await load.add(0, n, 200);
          await load.warmUp();
          for (const [scenario, run] of [
            [`evening ${n}`, evening],
            [`saturation ${n}`, saturation],
          ] as const) {
            const { r, othersPct } = await measured(load, (l) => run(l, cfg));
            add(scenario, { ...loadMetrics(r, cfg.roomSize, true), 'others CPU %': Math.round(othersPct) }, r.ph.refusedCodes);
          }
          load.close();
        } finally {
          await bridge.stop();
        }
        for (const clients of [1, 50])
          add(`redis SET, ${clients} client${clients > 1 ? 's' : ''}`, await redisSets(redis.get(v.label)!.port, clients));
        log(`  rep ${rep} ${v.label}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
    }
  } finally {
    for (const r of redis.values()) await r.stop();
  }
  return samples;
}
