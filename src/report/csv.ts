// The report's tables as CSV: per cell, per app, per time sample and per strategy. Columns are
// documented in the README ("CSV tables"); numbers are written as they are, never rounded.
import type { CompareResults } from '../compare/results.js';
import { csvFigure } from './format.js';
import { RUN_METRICS } from '../results/run-metrics.js';
import type { PlacementSnapshot } from '../metrics/placement-snapshot.js';
import type { Sample } from '../results/run-result.js';
import type { RunResultsFile } from './build.js';
import { cellOrder, strandedByCell, zoneSkewHistogram, type SampleField } from './model.js';
import { DIEGO_METRICS } from '../results/run-result.js';

/** A table: header row then data rows. */
export type Table = (string | number)[][];

/** The four tables of a report. */
export interface ReportTables {
  /** One row per cell (per point for a comparison). */
  cells: Table;
  /** One row per app. */
  apps: Table;
  /** One row per time sample. */
  series: Table;
  /** One row per strategy (grid point). */
  strategies: Table;
}

/** A run whose placement and series the tables show, labelled by its point. */
interface Shown {
  point: string;
  seed: number;
  placement: PlacementSnapshot;
  series: Sample[];
}

const SERIES_COLUMNS: [string, SampleField][] = [
  ['t_ms', 't'], ['desired', 'desired'], ['running', 'running'], ['missing', 'missing'], ['extra', 'extra'], ['crashed', 'crashed'],
  ['pending_tasks', 'pendingTasks'], ['running_tasks', 'runningTasks'], ['utilisation', 'utilisation'], ['messages', 'messages'],
  ['wait_p50_ms', 'waitP50Ms'], ['wait_p99_ms', 'waitP99Ms'], ['routable', 'routable'],
];

// Series columns only a cluster with CPU or GPUs has: present when some shown run has them.
const RESOURCE_SERIES_COLUMNS: [string, SampleField][] = [['cpu_allocation', 'cpuAllocation'], ['gpu_allocation', 'gpuAllocation']];

function tablesOf(shown: readonly Shown[], strategies: Table): ReportTables {
  const cells: Table = [['point', 'seed', 'cell', 'zone', 'status', 'memory_mb', 'memory_used_mb', 'disk_mb', 'disk_used_mb', 'containers', 'containers_used', 'starting', 'instances', 'tasks', 'task_memory_mb', 'stranded_mb']];
  const zones = [...new Set(shown.flatMap((s) => s.placement.cells.map((c) => c.zone)))].sort();
  const apps: Table = [['point', 'seed', 'app', 'memory_mb', 'instances', ...zones.map((z) => `zone_${z}`), 'zone_skew']];
  const columns = [...SERIES_COLUMNS, ...RESOURCE_SERIES_COLUMNS.filter(([, k]) => shown.some((s) => s.series.some((x) => x[k] !== undefined)))];
  const series: Table = [['point', 'seed', ...columns.map(([h]) => h), ...DIEGO_METRICS]];
  for (const s of shown) {
    const p = s.placement;
    const stranded = new Map(strandedByCell(p).cells.map((c) => [c.id, c.strandedMB]));
    for (const i of cellOrder(p)) {
      const c = p.cells[i]!;
      cells.push([s.point, s.seed, c.id, c.zone, c.status, c.memoryMB, c.usedMemoryMB, c.diskMB, c.usedDiskMB, c.containers, c.usedContainers, c.starting, c.lrps.length, c.tasks, c.taskMemoryMB, stranded.get(c.id) ?? 0]);
    }
    const skew = zoneSkewHistogram(p).byApp;
    const perApp = p.apps.map(() => new Map<string, number>());
    for (const c of p.cells) if (c.status !== 'dead') for (const a of c.lrps) perApp[a]!.set(c.zone, (perApp[a]!.get(c.zone) ?? 0) + 1);
    p.apps.forEach((a, i) => {
      const byZone = perApp[i]!;
      const n = [...byZone.values()].reduce((x, y) => x + y, 0);
      if (n > 0) apps.push([s.point, s.seed, a.guid, a.memoryMB, n, ...zones.map((z) => byZone.get(z) ?? 0), skew[a.guid] ?? 0]);
    });
    for (const x of s.series) series.push([s.point, s.seed, ...columns.map(([, k]) => x[k] ?? ''), ...DIEGO_METRICS.map((m) => x.diego?.[m] ?? '')]);
  }
  return { cells, apps, series, strategies };
}

function strategyHeader(): string[] {
  return ['point', 'strategy', 'runs', ...RUN_METRICS.flatMap((m) => [`${m.key}_mean`, `${m.key}_lo`, `${m.key}_hi`, `${m.key}_best`])];
}

/** The tables of one run (its strategy row carries the run's figures, with a zero interval). */
export function runTables(r: RunResultsFile): ReportTables {
  // A figure that does not apply to the run (CPU or GPUs on a cluster without them) is left empty, not 0.
  const value = (m: (typeof RUN_METRICS)[number]) => (m.applies !== undefined && !m.applies(r) ? '' : m.get(r));
  const strategies: Table = [strategyHeader(), [r.strategy, r.strategy, 1, ...RUN_METRICS.flatMap((m) => [value(m), value(m), value(m), m.applies !== undefined && !m.applies(r) ? 0 : 1])]];
  return tablesOf([{ point: r.strategy, seed: r.seed, placement: r.placement, series: r.series }], strategies);
}

/** The tables of a comparison: per-cell, per-app and per-sample rows of each point's first seed. */
export function compareTables(c: CompareResults): ReportTables {
  const strategies: Table = [strategyHeader()];
  c.summary.forEach((p, i) => {
    const runs = c.runs.filter((r) => r.point === i).length;
    const v = csvFigure;
    strategies.push([p.label, c.points[i]?.strategy ?? '', runs, ...RUN_METRICS.flatMap((m) => [v(p.metrics[m.key]!.mean), v(p.metrics[m.key]!.lo), v(p.metrics[m.key]!.hi), p.metrics[m.key]!.best ? 1 : 0])]);
  });
  const shown: Shown[] = c.runs.flatMap((r) => (r.detail ? [{ point: c.points[r.point]?.label ?? '', seed: r.seed, placement: r.detail.placement, series: r.detail.series }] : []));
  return tablesOf(shown, strategies);
}
