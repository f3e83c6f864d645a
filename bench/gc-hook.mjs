// Preloaded into the server processes by bench/run.ts (node --import). Changes nothing else in the process.
// - SIGUSR2: a full garbage collection, then process.memoryUsage() written to <tmpdir>/bench-mem-<pid>.json, so the
//   memory scenario compares heaps and RSS without the garbage earlier work left behind.
// - SIGURG: the process's pauses since the previous SIGURG written to <tmpdir>/bench-pauses-<pid>.json: garbage
//   collections (count, total and longest, from V8's gc entries) and event-loop delay (p99 and max, sampled every
//   10 ms), then both counters reset. A latency tail that follows these is the server's own stalls, not the network.
import { writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

function writeAtomically(name, value) {
  const file = join(tmpdir(), `${name}-${process.pid}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(value));
  renameSync(`${file}.tmp`, file);
}

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
process.on('SIGUSR2', () => {
  gc();
  writeAtomically('bench-mem', process.memoryUsage());
});

// The histogram holds the whole interval between its timer's runs; the delay is what exceeds the resolution.
const RESOLUTION_MS = 10;
const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
const delayMs = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
loop.enable();
let gcs = { count: 0, ms: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcs.count++;
    gcs.ms += e.duration;
    gcs.maxMs = Math.max(gcs.maxMs, e.duration);
  }
}).observe({ entryTypes: ['gc'] });
process.on('SIGURG', () => {
  writeAtomically('bench-pauses', {
    gcCount: gcs.count,
    gcMs: gcs.ms,
    gcMaxMs: gcs.maxMs,
    loopP99Ms: delayMs(loop.percentile(99)),
    loopMaxMs: delayMs(loop.max),
  });
  gcs = { count: 0, ms: 0, maxMs: 0 };
  loop.reset();
});
