// The bench's table and targets mark a scenario where the load generator, not the server, was the limit.
import { expect } from 'chai';
import { markdownTable, summarise, targetLines, targets, textTable } from '../../bench/report.js';
import type { Sample } from '../../bench/scenarios.js';

const SERVERS = ['relay', 'bridge-redis'];

function samples(scenario: string, generatorPct: Record<string, number[]>): Sample[] {
  return SERVERS.flatMap((server) =>
    generatorPct[server]!.map((pct, k) => ({
      scenario,
      server,
      rep: k + 1,
      metrics: { 'delivered/s': server === 'relay' ? 50_000 : 35_000, 'generator CPU %': pct },
    })),
  );
}

describe('bench report: generator-bound scenarios', () => {
  const rows = summarise(
    [
      ...samples('saturation 240', { relay: [92, 89, 95], 'bridge-redis': [60, 61, 89] }),
      ...samples('evening 240', { relay: [18, 19, 20], 'bridge-redis': [20, 22, 24] }),
    ],
    SERVERS,
  );

  it('marks a scenario on the servers whose median generator CPU reached 90%, and only those', () => {
    expect(rows.find((r) => r.scenario === 'saturation 240')!.generatorBound).to.deep.equal(['relay']);
    expect(rows.find((r) => r.scenario === 'evening 240')!.generatorBound).to.deep.equal([]);
  });

  it('says so in both tables, with a legend, and in the targets', () => {
    for (const table of [textTable(rows, SERVERS), markdownTable(rows, SERVERS)]) {
      expect(table).to.contain('saturation 240 (generator-bound: relay)');
      expect(table).not.to.contain('evening 240 (generator-bound');
      expect(table).to.match(/generator-bound: the load generator used ≥ 90% of a core/);
    }
    expect(targetLines(targets(rows))).to.contain('saturation 240: delivered/s (generator-bound: relay): 0.7');
  });

  it("judges issue 20's targets, and a throughput ratio generator-bound on both servers as met, saying so", () => {
    const both = summarise(samples('saturation 240', { relay: [95, 96, 97], 'bridge-redis': [91, 92, 99] }), SERVERS);
    const [saturation] = targets(both);
    expect(saturation).to.deep.include({ ratio: 0.7, met: true });
    expect(saturation!.limit).to.equal('≥ 0.7, or generator-bound on both');
    const slow = summarise(
      SERVERS.flatMap((server) =>
        [1, 2, 3].map((rep) => ({
          scenario: 'join storm 1000, empty history',
          server,
          rep,
          metrics: { 'server CPU µs/join': server === 'relay' ? 1000 : 1400 },
        })),
      ),
      SERVERS,
    );
    expect(targetLines(targets(slow))).to.contain('MISSED  join storm 1000, empty history: server CPU µs/join: 1.4 (target ≤ 1.3)');
  });

  it('has no legend when nothing was generator-bound', () => {
    const calm = rows.filter((r) => r.scenario === 'evening 240');
    expect(textTable(calm, SERVERS)).not.to.contain('generator-bound');
  });
});
