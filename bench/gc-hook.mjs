// Preloaded into the server processes by bench/run.ts (node --import): on SIGUSR2, a full garbage collection, then
// process.memoryUsage() written to <tmpdir>/bench-mem-<pid>.json, so the memory scenario compares heaps and RSS
// without the garbage earlier work left behind. Changes nothing else in the process.
import { writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
process.on('SIGUSR2', () => {
  gc();
  const file = join(tmpdir(), `bench-mem-${process.pid}.json`);
  writeFileSync(`${file}.tmp`, JSON.stringify(process.memoryUsage()));
  renameSync(`${file}.tmp`, file);
});
