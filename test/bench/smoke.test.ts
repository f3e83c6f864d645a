// The benchmark harness (bench/) runs here in miniature so it cannot rot: a tiny version of every single-node
// scenario against the bare relay and one Bridge node on the memory store (its production build, made once in `before`).
// Only sanity is asserted (every message delivered, nothing refused or dropped, every figure present, both servers
// plain `node` with the same options); timings are never asserted.
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { serverBuild } from '../../bench/build.js';
import { Bridge, Relay } from '../../bench/protocols.js';
import type { Protocol } from '../../bench/generator.js';
import { benchOne, type Config, type Sample } from '../../bench/scenarios.js';

const TINY: Config = {
  reps: 1,
  roomSize: 12,
  eveningClients: [24],
  eveningMs: 500,
  saturationClients: 24,
  saturationMs: 300,
  stormClients: 24,
  history: 5,
  memoryClients: 48, // room for the empty-history storm: its 24 clients after the 24 of the first
  reconnectPerClient: 2,
  twoNodeClients: 24,
  drainMs: 3_000,
};
const RATE_LIMITS = 'send=999999/1,react=999999/1,hand=999999/1,invalid=999999/1';

function expectSane(samples: Sample[], keepsHistory: boolean): void {
  const of = (prefix: string) => samples.find((s) => s.scenario.startsWith(prefix))?.metrics;
  for (const prefix of ['join storm', 'memory', 'reconnect storm', 'evening', 'saturation']) expect(of(prefix), prefix).to.be.an('object');
  for (const prefix of ['evening', 'saturation']) {
    const m = of(prefix)!;
    expect(m['delivery %'], prefix).to.equal(100);
    expect(m['refused sends'], prefix).to.equal(0);
    expect(m.disconnects, prefix).to.equal(0);
    for (const k of [
      'delivered/s',
      'p50 ms',
      'p99 ms',
      'server CPU µs/delivery',
      'server GC ms/s',
      'server GC max ms',
      'server loop delay p99 ms',
      'server loop delay max ms',
    ])
      expect(m[k], `${prefix} ${k}`).to.be.a('number').and.not.NaN;
  }
  for (const storm of ['join storm 24', 'join storm 24, empty history']) {
    const m = samples.find((s) => s.scenario === storm)?.metrics;
    expect(m?.['all joined ms'], storm).to.be.a('number').and.not.NaN;
    expect(m?.['server CPU µs/join'], storm).to.be.a('number').and.not.NaN;
  }
  expect(of('memory')!['still connected']).to.equal(TINY.memoryClients);
  if (keepsHistory) expect(of('reconnect storm')!['caught up %']).to.equal(100);
}

/** A server process's node options (its arguments before the script) and environment, from /proc. */
function launch(pid: number, script: RegExp): { options: string[]; env: string[] } {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(1, -1);
  const at = args.findIndex((a) => script.test(a));
  expect(at, args.join(' ')).to.be.greaterThan(0);
  return { options: args.slice(0, at), env: readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0') };
}

describe('bench harness smoke (no timings asserted)', function () {
  this.timeout(60_000);
  let running: Protocol | undefined;
  const options: string[][] = [];
  before(async function () {
    this.timeout(120_000); // `npm run build`: tsc and esbuild
    await serverBuild();
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  it('runs every single-node scenario against the bare relay', async () => {
    running = await Relay.start();
    options.push(launch(running.pids[0]!, /relay-node\.mjs$/).options);
    expectSane(await benchOne(running, TINY, 1, () => {}), false);
  });

  it('runs every single-node scenario against a Bridge node on the memory store, and every rejoin catches up', async () => {
    running = await Bridge.start('memory', '', RATE_LIMITS);
    const { options: own, env } = launch(running.pids[0]!, /^server\/index\.js$/);
    options.push(own);
    expect(env.filter((e) => e.startsWith('NODE_OPTIONS='))).to.deep.equal([]);
    expectSane(await benchOne(running, TINY, 1, () => {}), true);
  });

  it('ran both servers as plain JavaScript under plain node, with the same options (the bench hooks, no tsx)', () => {
    expect(options).to.have.length(2);
    expect(options[0]).to.deep.equal(options[1]);
    expect(options[0]!.join(' ')).to.contain('gc-hook.mjs').and.not.contain('tsx');
  });
});
