import { describe, expect, it } from 'vitest';
import { buildGrid, runSpecs } from '../../src/compare/grid.js';
import { assemble } from '../../src/compare/results.js';
import { runOne } from '../../src/compare/run-compare.js';
import type { Strategy } from '../../src/core/strategy.js';
import { findStrategy } from '../../src/index.js';
import { loadScenarioFile, simulate } from '../../src/sim.js';
import { formatCompare } from '../../src/cli/commands/compare.js';
import { formatRun } from '../../src/cli/commands/run.js';
import { compareReport, runReport } from '../../src/report/build.js';
import { compareTables, runTables } from '../../src/report/csv.js';
import { formatMetric, metricsOf, metricTitle, RUN_METRICS } from '../../src/results/run-metrics.js';

const scenario = loadScenarioFile('scenarios/zone-outage.yaml');
const run = simulate(scenario, { durationMs: 240_000 });

describe('the metric registry', () => {
  it('names every figure once, in words, with a unit, a direction and where it comes from', () => {
    const keys = RUN_METRICS.map((m) => m.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const m of RUN_METRICS) {
      expect(m.key).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(m.name.length).toBeGreaterThan(5);
      expect(m.from.length).toBeGreaterThan(20);
      expect(['lower', 'higher']).toContain(m.better);
    }
  });

  it("is what a run's results carry, by key", () => {
    // A figure that does not apply to the run (CPU or GPUs of a Diego cluster) is absent, not 0.
    expect(Object.keys(run.metrics)).toEqual(RUN_METRICS.filter((m) => m.applies === undefined).map((m) => m.key));
    expect(run.metrics).toEqual(metricsOf(run));
    expect(run.metrics['distributionScore']).toBe(run.summary.distributionScore);
    expect(run.metrics['waitP99Ms']).toBe(run.summary.waitMs.p99);
  });

  it("is what run's text, compare's table, the CSV and both reports show", () => {
    // A Diego cluster carries no CPU or GPUs, and this scenario has no cron entries or rebalancer: those figures apply to none of its runs and are left out.
    const applying = RUN_METRICS.filter((m) => m.applies === undefined);
    const notApplying = RUN_METRICS.filter((m) => m.applies !== undefined);
    expect(notApplying.map((m) => m.key)).toEqual(['cpuAllocation', 'gpuAllocation', 'strandedGpus', 'cronMissed', 'cronLatenessP99Ms', 'loadSpreadMean', 'rebalanceMoves']);
    // compare tells the runs a figure applied to by their samples: each such figure counts them.
    expect(notApplying.filter((m) => m.samples === undefined).map((m) => m.key)).toEqual([]);
    const text = formatRun({ kind: 'auctionlab-run', version: 'test', ...run, wallMs: 1, speedup: 1 });
    for (const m of applying) expect(text).toContain(`${m.name}`);
    for (const m of applying) expect(text).toContain(formatMetric(m, run.metrics[m.key]!));
    for (const m of notApplying) expect(text).not.toContain(m.name);

    const points = buildGrid(['diego', 'first-fit'], []);
    const runs = runSpecs(points.length, [1, 2]).map((spec) => runOne(scenario, points[spec.point]!, findStrategy(points[spec.point]!.strategy) as Strategy, spec, 120_000));
    const cmp = assemble(scenario, 120_000, [1, 2], points, runs, null);
    const ctext = formatCompare(cmp);
    for (const m of applying) expect(ctext).toContain(`${m.label}: ${metricTitle(m)}, ${m.better} is better`);
    for (const m of notApplying) expect(ctext).not.toContain(`${m.label}: `);

    const header = compareTables(cmp).strategies[0] as string[];
    for (const m of RUN_METRICS) expect(header).toContain(`${m.key}_mean`);
    expect(runTables(run).strategies[0]).toEqual(header);

    const model = compareReport(cmp);
    expect(model.table?.columns.map((c) => c.key)).toEqual(applying.map((m) => m.key));
    const figures = model.sections.find((s) => s.title === 'Figures')!;
    expect(figures.charts.map((c) => c.title)).toEqual(applying.map((m) => m.name));
    const facts = runReport(run).facts.map((f) => f.label);
    for (const m of applying) expect(facts).toContain(m.name);
    for (const m of notApplying) expect(facts).not.toContain(m.name);
  });

  it('shows milliseconds and megabytes with their unit, counts and scores bare', () => {
    const by = (key: string) => RUN_METRICS.find((m) => m.key === key)!;
    expect(formatMetric(by('waitP99Ms'), 12.345)).toBe('12.3 ms');
    expect(formatMetric(by('strandedMemoryMB'), 512)).toBe('512 MB');
    expect(formatMetric(by('failed'), 3)).toBe('3');
    expect(formatMetric(by('distributionScore'), 0.123456)).toBe('0.1235');
    expect(metricTitle(by('strandedMemoryMB'))).toBe('Stranded memory (MB)');
  });
});
