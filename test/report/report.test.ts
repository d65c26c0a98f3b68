import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { buildGrid, runSpecs } from '../../src/compare/grid.js';
import { assemble, type CompareResults } from '../../src/compare/results.js';
import { runOne } from '../../src/compare/run-compare.js';
import { findStrategy } from '../../src/index.js';
import { loadScenarioFile, simulate } from '../../src/sim.js';
import type { Strategy } from '../../src/core/strategy.js';
import { compareReport, runReport } from '../../src/report/build.js';
import { compareTables, runTables } from '../../src/report/csv.js';
import { renderHtml } from '../../src/report/html.js';
import { writePngs } from '../../src/report/png.js';
import { writeReport } from '../../src/report/write.js';

const scenario = loadScenarioFile('scenarios/default.yaml');
const run = simulate(scenario, { durationMs: 300_000 });

function comparison(): CompareResults {
  const points = buildGrid(['diego', 'first-fit'], []);
  const seeds = [1, 2];
  const runs = runSpecs(points.length, seeds).map((spec) => runOne(scenario, points[spec.point]!, findStrategy(points[spec.point]!.strategy) as Strategy, spec, 300_000));
  return assemble(scenario, 300_000, seeds, points, runs, null);
}
const cmp = comparison();

describe('run report model', () => {
  const m = runReport(run);
  it('has the placement map, every chart, and the facts to reproduce the run', () => {
    expect(m.maps).toHaveLength(1);
    expect(m.maps[0]!.placement.cells).toHaveLength(30);
    expect(m.sections.flatMap((s) => s.charts.map((c) => c.id))).toEqual(['memory-per-cell', 'zone-skew', 'stranded', 'utilisation', 'instances', 'tasks', 'routes', 'wait', 'failures', 'recovery']);
    expect(m.facts.find((f) => f.label === 'digest')?.value).toBe(run.digest);
    expect(m.reproduce).toContain(`auctionlab run default --seed 1 --strategy diego --duration 300s`);
  });

  it('marks each fault on every time chart, at its minute', () => {
    expect(run.summary.faults).toHaveLength(1);
    const at = run.summary.faults[0]!.at / 60_000;
    for (const c of m.sections[1]!.charts) {
      const plugins = c.config.options.plugins as { faultMarkers: { marks: { x: number }[] } };
      expect(plugins.faultMarkers.marks.map((x) => x.x)).toEqual([at]);
    }
  });

  it('time charts carry one point per sample; memory per cell sums to the memory in use', () => {
    const inst = m.sections[1]!.charts.find((c) => c.id === 'instances')!;
    expect(inst.config.data.datasets).toHaveLength(5);
    expect((inst.config.data.datasets[0]!.data as unknown[]).length).toBe(run.series.length);
    const mem = m.sections[0]!.charts[0]!.config.data.datasets[0]!.data as number[];
    const used = run.placement.cells.filter((c) => c.status !== 'dead').reduce((n, c) => n + c.usedMemoryMB, 0);
    expect(mem.reduce((a, b) => a + b, 0)).toBe(used);
  });
});

describe('run report: explanations', () => {
  const explained = simulate(loadScenarioFile('scenarios/isolation-segments.yaml'), { explain: { placements: true } });

  it('the map carries why each instance is there, and each failure reason its example', () => {
    const m = runReport(explained);
    expect(m.maps[0]!.reasons).toBe(explained.placementReasons);
    expect(m.failureExamples.length).toBe(Object.keys(explained.summary.failuresByReason).length);
    for (const f of m.failureExamples) {
      expect(f.example?.why.reason ?? f.example?.why.rejected).toBe(f.reason);
      expect(f.noExample).toBe('');
    }
  });

  it('results without explanations say why, on the map and for each failure', () => {
    const { placementReasons: _, ...plain } = explained;
    const m = runReport(plain);
    expect(m.maps[0]!.reasons).toBeNull();
    expect(m.maps[0]!.reasonsNote).toMatch(/^These results carry no explanations/);
    for (const f of m.failureExamples) expect([f.example, f.noExample]).toEqual([null, 'These results carry no explanations (saved with --no-placement-reasons, or by an older version).']);
  });

  it('a failure reason named __proto__ (a strategy may fail with any text) has no example, not Object.prototype', () => {
    const reasons = JSON.parse('{"__proto__": 3, "constructor": 1}') as Record<string, number>;
    const m = runReport({ ...explained, summary: { ...explained.summary, failuresByReason: reasons } });
    expect(m.failureExamples.map((f) => [f.reason, f.example])).toEqual([['__proto__', null], ['constructor', null]]);
    expect(renderHtml(m)).toContain('__proto__');
  });
});

describe('comparison report: paired differences', () => {
  it('a row per point but the baseline, each figure its difference and verdict as compare computed them', () => {
    const t = compareReport(cmp).table!;
    expect(t.baseline).toBe(cmp.summary[cmp.baseline]!.label);
    expect(t.diffs.map((r) => r.label)).toEqual(cmp.summary.filter((_, i) => i !== cmp.baseline).map((p) => p.label));
    t.diffs.forEach((row) => {
      const p = cmp.summary.find((x) => x.label === row.label)!;
      row.cells.forEach((c, k) => {
        const f = p.metrics[t.columns[k]!.key]!;
        if (f.diff === null) expect(c).toBeNull();
        else expect(c).toEqual({ mean: f.diff.mean, lo: f.diff.lo, hi: f.diff.hi, verdict: f.verdict });
      });
    });
  });
});

describe('comparison report model', () => {
  const m = compareReport(cmp);
  it('a table row per point with every metric, best marked as in the summary', () => {
    expect(m.table!.rows.map((r) => r.label)).toEqual(['diego', 'first-fit']);
    const dist = m.table!.columns.findIndex((c) => c.key === 'distributionScore');
    const { mean, lo, hi, best } = cmp.summary[0]!.metrics['distributionScore']!;
    expect(m.table!.rows[0]!.cells[dist]).toEqual({ mean, lo, hi, best });
  });

  it('small multiples: one placement map per point, from its first seed', () => {
    expect(m.maps.map((x) => x.title)).toEqual(['diego', 'first-fit']);
    expect(cmp.runs.filter((r) => r.detail).map((r) => r.seed)).toEqual([1, 1]);
  });

  it('a chart per metric with the bootstrap intervals as whiskers, and series per point over time', () => {
    const fig = m.sections[0]!.charts;
    expect(fig).toHaveLength(11);
    const bars = (fig[0]!.config.options.plugins as { errorBars: { lo: number[]; hi: number[] } }).errorBars;
    expect(bars.lo).toEqual(cmp.summary.map((p) => p.metrics['distributionScore']!.lo));
    expect(bars.hi).toEqual(cmp.summary.map((p) => p.metrics['distributionScore']!.hi));
    const missing = m.sections[1]!.charts.find((c) => c.id === 'compare-missing')!;
    expect(missing.config.data.datasets.map((d) => d['label'])).toEqual(['diego', 'first-fit']);
    expect(m.reproduce).toBe('auctionlab compare default --strategies diego,first-fit --seeds 2 --duration 300s');
  });
});

describe('HTML', () => {
  const html = renderHtml(runReport(run));
  it('is one self-contained file: Chart.js inlined, no external resource, a policy forbidding the network', () => {
    expect(html).toContain("default-src 'none'");
    expect(html).toMatch(/Chart\.js v4/);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toContain('sourceMappingURL');
  });

  it('embeds the model as JSON that parses back, escaped so no id can close the script', () => {
    const evil = structuredClone(run);
    evil.placement.cells[0]!.id = '</script><script>alert(1)</script>';
    const page = renderHtml(runReport(evil));
    const json = /<script id="report-data" type="application\/json">(.*?)<\/script>/s.exec(page)![1]!;
    const data = JSON.parse(json) as { maps: { placement: { cells: { id: string }[] } }[] };
    expect(data.maps[0]!.placement.cells[0]!.id).toBe(evil.placement.cells[0]!.id);
    expect(page.split('</script>').length).toBe(html.split('</script>').length);
  });
});

describe('CSV', () => {
  it('parses back to the same numbers: cells, apps, samples, strategy figures', () => {
    const t = runTables(run);
    const back = (rows: (string | number)[][]) => parse(stringify(rows), { columns: true, cast: true }) as Record<string, string | number>[];
    const cells = back(t.cells);
    expect(cells).toHaveLength(30);
    const c7 = run.placement.cells.find((c) => c.id === 'cell-07')!;
    expect(cells.find((r) => r['cell'] === 'cell-07')).toMatchObject({ memory_mb: c7.memoryMB, memory_used_mb: c7.usedMemoryMB, instances: c7.lrps.length, containers_used: c7.usedContainers });
    const series = back(t.series);
    expect(series.map((r) => r['missing'])).toEqual(run.series.map((s) => s.missing));
    expect(series.map((r) => r['utilisation'])).toEqual(run.series.map((s) => s.utilisation));
    expect(series.map((r) => (r['wait_p99_ms'] === '' ? null : r['wait_p99_ms']))).toEqual(run.series.map((s) => s.waitP99Ms));
    expect(series.map((r) => [r['LRPsRunning'], r['AuctioneerLRPAuctionsStarted'], r['ConvergenceLRPRuns']])).toEqual(run.series.map((s) => [s.diego.LRPsRunning, s.diego.AuctioneerLRPAuctionsStarted, s.diego.ConvergenceLRPRuns]));
    const apps = back(t.apps);
    expect(apps.reduce((n, r) => n + (r['instances'] as number), 0)).toBe(run.placement.cells.reduce((n, c) => n + c.lrps.length, 0));
    const strategies = back(t.strategies);
    expect(strategies[0]).toMatchObject({ point: 'diego', distributionScore_mean: run.summary.distributionScore, failed_mean: run.summary.failed });
  });

  it('a comparison has a strategy row per point and per-cell rows for each point', () => {
    const t = compareTables(cmp);
    const strategies = parse(stringify(t.strategies), { columns: true, cast: true }) as Record<string, number | string>[];
    expect(strategies.map((r) => [r['point'], r['runs'], r['jainIndex_mean']])).toEqual(cmp.summary.map((p) => [p.label, 2, p.metrics['jainIndex']!.mean]));
    expect(t.cells.length - 1).toBe(60);
  });
});

describe('PNG', () => {
  it('writes each chart and map as a PNG that decodes and is not blank', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'auctionlab-png-'));
    const m = runReport(run);
    const files = await writePngs(m, dir);
    expect(files.map((f) => f.slice(dir.length + 1))).toContain('placement.png');
    // One per chart with something to draw (the others are a line of text in the page), one per map.
    const drawn = m.sections.flatMap((s) => s.charts).filter((c) => c.empty === undefined);
    expect(drawn.length).toBeGreaterThan(5);
    expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([...drawn.map((c) => `${c.id}.png`), 'placement.png'].sort());
    const { loadImage, createCanvas } = await import('@napi-rs/canvas');
    for (const f of files) {
      const img = await loadImage(readFileSync(f));
      const c = createCanvas(img.width, img.height);
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, img.width, img.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < px.length && colours.size < 3; i += 4 * 7) colours.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
      expect(colours.size, f).toBeGreaterThanOrEqual(3);
    }
  });

  it('writeReport puts report.html, png/ and the CSV tables in one directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'auctionlab-report-'));
    const w = await writeReport(cmp, dir, { csv: true, png: true });
    expect(existsSync(join(dir, 'report.html'))).toBe(true);
    expect(w.csv.map((f) => f.slice(dir.length + 1))).toEqual(['cells.csv', 'apps.csv', 'series.csv', 'strategies.csv']);
    const m = compareReport(cmp);
    expect(w.png.length).toBe(m.sections.flatMap((s) => s.charts).filter((c) => c.empty === undefined).length + m.maps.length);
  });
});
