// Growth (issue 7, Bridge only; the bare relay has no groups or history): on a fresh deployment, the same small
// load with 10 groups in all and then with 1,000 (the extra ones idle), and joins and catch-ups in one group as its
// history grows (50 / 5,000 / 50,000 messages). Flat rows mean the cost follows the active load, not what is stored.
import { cpuMicros, Load, percentile } from './generator.js';
import type { Bridge } from './protocols.js';
import { evening, loadMetrics, sampler, type Config, type Sample } from './scenarios.js';

const round = (x: number, digits = 2): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : NaN);

export async function benchGrowth(proto: Bridge, cfg: Config, rep: number, log: (s: string) => void): Promise<Sample[]> {
  const g = cfg.growth!;
  const samples: Sample[] = [];
  const add = sampler(samples, proto.label, rep, log);
  await proto.prepare(g.clients, cfg.roomSize, 0, 0);
  const load = new Load(proto, cfg.roomSize);
  await load.add(0, g.clients, 200);
  await load.warmUp();
  for (const groups of g.groups) {
    await proto.ensureGroups(groups);
    const r = await evening(load, cfg);
    const m = loadMetrics(r, cfg.roomSize, true);
    add(
      `growth: ${g.clients} clients, ${groups} groups in all`,
      {
        'delivery %': m['delivery %']!,
        'p50 ms': m['p50 ms']!,
        'p99 ms': m['p99 ms']!,
        'server CPU µs/delivery': m['server CPU µs/delivery']!,
      },
      r.ph.refusedCodes,
    );
  }

  load.close();

  // group 0's members join, then catch up on the last 20 messages; they connect after each fill, so the filling
  // messages are not delivered to them (it would be the generator's work, not the join's)
  const groupId = proto.groups[0]!;
  let stored = 0;
  for (const size of g.history) {
    await proto.fill([[groupId, size - stored]]);
    stored = size;
    const members = await Promise.all(Array.from({ length: cfg.roomSize }, (_, i) => proto.connect(i)));
    const [pid] = proto.pids as [number];
    const joins: number[] = [];
    const catchUps: number[] = [];
    const cpu0 = cpuMicros(pid);
    for (let k = 0; k < g.joins; k++) {
      const socket = members[k % members.length]!;
      let t = performance.now();
      const { lastSeq } = await proto.joinGroup(socket, groupId);
      joins.push(performance.now() - t);
      t = performance.now();
      const back = await proto.joinGroup(socket, groupId, lastSeq! - 20);
      catchUps.push(performance.now() - t);
      if (back.messages !== 20) throw new Error(`catch-up returned ${back.messages} messages, not 20`);
    }
    add(`growth: join and catch-up, ${size} messages in the group`, {
      'join p50 ms': round(percentile(joins, 50)),
      'join p99 ms': round(percentile(joins, 99)),
      'catch-up (20) p50 ms': round(percentile(catchUps, 50)),
      'catch-up (20) p99 ms': round(percentile(catchUps, 99)),
      'server CPU µs per join+catch-up': round((cpuMicros(pid) - cpu0) / g.joins, 0),
    });
    for (const s of members) s.disconnect();
  }
  return samples;
}
