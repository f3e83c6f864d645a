// Medians per scenario, metric and server, ratios Bridge / relay, and the table (plain text and Markdown).
import type { Sample } from './scenarios.js';

export const SERVERS = ['relay', 'bridge-memory', 'bridge-redis'] as const;
/** Bridge on Redis from another checkout (bench/run.ts --baseline). */
export const BASELINE = 'bridge-redis-baseline';
/** Bridge on Redis with free text encrypted at rest (bench/run.ts --encrypted, DATA_KEYS). */
export const ENCRYPTED = 'bridge-redis-encrypted';
/** Bridge on a Redis of its own with appendfsync always, in STORE_DURABILITY=fsync (bench/run.ts --durable-row). */
export const DURABLE_ROW = 'bridge-redis-durable';

/**
 * A scenario whose runs on a server kept the load generator at or above this share of one core (median of the runs)
 * is marked generator-bound for that server. The generator's JavaScript is one thread, so it cannot go much past 100%,
 * and its figure counts the run's drain too, where it idles: at 90% it had no slack left, and the server's delivered/s
 * and latency are then the generator's limit, not the server's.
 */
export const GENERATOR_BOUND_PCT = 90;
const GENERATOR_CPU = 'generator CPU %';

export interface Row {
  scenario: string;
  /** The servers this scenario was generator-bound on (GENERATOR_BOUND_PCT). */
  generatorBound: string[];
  metric: string;
  median: Record<string, number>;
  ratio: Record<string, number>;
  runs: Record<string, number[]>;
}

export function median(values: number[]): number {
  const s = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const round = (x: number, digits: number): number => (Number.isFinite(x) ? Number(x.toFixed(digits)) : x);

/** `reference`: the server every ratio divides by (the relay, or the durable-mode run's baseline Redis). */
export function summarise(samples: Sample[], servers: readonly string[], reference = 'relay'): Row[] {
  const rows: Row[] = [];
  for (const scenario of [...new Set(samples.map((s) => s.scenario))]) {
    const of = (server: string): Sample[] => samples.filter((s) => s.scenario === scenario && s.server === server);
    const metrics = [...new Set(samples.filter((s) => s.scenario === scenario).flatMap((s) => Object.keys(s.metrics)))];
    const generatorBound = servers.filter((sv) => median(of(sv).map((s) => s.metrics[GENERATOR_CPU] ?? NaN)) >= GENERATOR_BOUND_PCT);
    for (const metric of metrics) {
      const runs = Object.fromEntries(servers.map((sv) => [sv, of(sv).map((s) => s.metrics[metric] ?? NaN)]));
      const med = Object.fromEntries(servers.map((sv) => [sv, round(median(runs[sv]!), 3)]));
      const ratio = Object.fromEntries(servers.filter((sv) => sv !== reference).map((sv) => [sv, round(med[sv]! / med[reference]!, 2)]));
      if (servers.every((sv) => Number.isNaN(med[sv]))) continue; // e.g. redis CPU where no server uses Redis
      rows.push({ scenario, generatorBound, metric, median: med, ratio, runs });
    }
  }
  return rows;
}

const boundLabel = (servers: string[]): string => (servers.length ? ` (generator-bound: ${servers.join(', ')})` : '');

/** The legend under a table with a generator-bound scenario. */
function boundNote(rows: Row[]): string {
  return rows.some((r) => r.generatorBound.length)
    ? `\n\ngenerator-bound: the load generator used ≥ ${GENERATOR_BOUND_PCT}% of a core (median) on that server's runs of the scenario, so its delivered/s and latency are the generator's limit, not the server's (nor are its ratios).`
    : '';
}

const fmt = (x: number | undefined): string => (x === undefined || Number.isNaN(x) ? '-' : Number.isFinite(x) ? String(x) : '∞');

function cells(rows: Row[], servers: readonly string[], reference: string): { head: string[]; body: string[][] } {
  const others = servers.filter((s) => s !== reference);
  const head = ['scenario', 'metric', ...servers, ...others.map((s) => `${s}/${reference}`), 'runs (in server order)'];
  const body = rows.map((r) => [
    r.scenario + boundLabel(r.generatorBound),
    r.metric,
    ...servers.map((s) => fmt(r.median[s])),
    ...others.map((s) => fmt(r.ratio[s])),
    servers.map((s) => r.runs[s]!.map(fmt).join(' ')).join(' | '),
  ]);
  return { head, body };
}

export function textTable(rows: Row[], servers: readonly string[], reference = 'relay'): string {
  const { head, body } = cells(rows, servers, reference);
  const widths = head.map((h, k) => Math.max(h.length, ...body.map((c) => c[k]!.length)));
  const last = head.length - 1;
  const line = (c: string[]): string =>
    c
      .map((x, k) => (k >= 2 && k < last ? x.padStart(widths[k]!) : x.padEnd(widths[k]!)))
      .join('  ')
      .trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  ')];
  let prev = '';
  for (const c of body) {
    out.push(line(c[0] === prev ? ['', ...c.slice(1)] : c));
    prev = c[0]!;
  }
  return out.join('\n') + boundNote(rows);
}

export function markdownTable(rows: Row[], servers: readonly string[], reference = 'relay'): string {
  const { head, body } = cells(rows, servers, reference);
  const out = [`| ${head.join(' | ')} |`, `| ${head.map((_, k) => (k >= 2 && k < head.length - 1 ? '---:' : '---')).join(' | ')} |`];
  for (const c of body) out.push(`| ${c.map((x) => x.replaceAll('|', '\\|')).join(' | ')} |`);
  return out.join('\n') + boundNote(rows);
}

/** One of the targets: a ratio on the Redis store, read from the table, and whether it holds. */
export interface Target {
  /** Its scenario and metric, and which of the two servers compared the scenario was generator-bound on, if any. */
  target: string;
  ratio: number;
  limit: string;
  met: boolean;
}

/**
 * Issue 20's targets, from whichever of their scenarios this run had (bridge-redis / relay unless said otherwise). A
 * throughput ratio where both servers were generator-bound says nothing about the server: the target counts as met,
 * and says so.
 */
export function targets(rows: Row[]): Target[] {
  const row = (scenario: string, metric: string): Row | undefined => rows.find((r) => r.scenario === scenario && r.metric === metric);
  const out: Target[] = [];
  const ratio = (target: string, scenario: string, metric: string, op: '≥' | '≤', limit: number): void => {
    const found = row(scenario, metric);
    const r = found?.ratio['bridge-redis'];
    if (r === undefined || Number.isNaN(r)) return;
    const bound = found!.generatorBound.filter((sv) => sv === 'relay' || sv === 'bridge-redis');
    const bothBound = op === '≥' && bound.length === 2;
    out.push({
      target: target + boundLabel(bound),
      ratio: r,
      limit: `${op} ${limit}${bothBound ? ', or generator-bound on both' : ''}`,
      met: bothBound || (op === '≥' ? r >= limit : r <= limit),
    });
  };
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  const named = (prefix: string): string[] => scenarios.filter((s) => s.startsWith(prefix));
  for (const s of named('evening 1200')) ratio(`${s}: server CPU µs/delivery`, s, 'server CPU µs/delivery', '≤', 1.6);
  for (const s of named('saturation')) ratio(`${s}: delivered/s`, s, 'delivered/s', '≥', 0.7);
  for (const s of ['evening 240', 'evening 1200']) ratio(`${s}: p99`, s, 'p99 ms', '≤', 2);
  for (const s of named('join storm').filter((s) => s.endsWith('empty history')))
    ratio(`${s}: server CPU µs/join`, s, 'server CPU µs/join', '≤', 1.3);
  for (const s of named('memory')) ratio(`${s}: heap per client`, s, 'heap KB/client', '≤', 1.2);
  const whole = rows.filter((r) => r.metric === 'delivery %' || r.metric === 'disconnects' || r.metric === 'caught up %');
  const broken = whole.filter((r) => (r.runs['bridge-redis'] ?? []).some((v) => (r.metric === 'disconnects' ? v !== 0 : v !== 100)));
  out.push({
    target: `100% delivery and catch-up, no disconnects (bridge-redis, every run, up to 3,000 clients)`,
    ratio: broken.length,
    limit: '0 scenarios broken',
    met: broken.length === 0,
  });
  return out;
}

export function targetLines(list: Target[]): string {
  return list.map((t) => `${t.met ? 'met   ' : 'MISSED'}  ${t.target}: ${t.ratio} (target ${t.limit})`).join('\n');
}
