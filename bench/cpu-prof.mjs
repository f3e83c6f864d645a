// Preloaded into the Bridge and relay nodes by bench/protocols.ts when BENCH_CPU_PROF=<dir> is set (node refuses --cpu-prof in
// NODE_OPTIONS): the V8 CPU profiler from the start, written to <dir>/node-<pid>.cpuprofile when the process exits
// (open it in Chrome DevTools or speedscope). The in-process inspector session answers synchronously, so 'exit' can stop it.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_CPU_PROF;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 200 });
  session.post('Profiler.start');
  process.on('exit', () => {
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(join(dir, `node-${process.pid}.cpuprofile`), JSON.stringify(res.profile));
    });
  });
}
