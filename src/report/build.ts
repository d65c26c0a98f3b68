// Turns saved results (of `auctionlab run` or `auctionlab compare`) into a report: header facts,
// placement maps, charts grouped in sections, and for a comparison its table.
import type { CompareResults } from '../compare/results.js';
import type { DiffResult } from '../compare/diff.js';
import type { RunDetail } from '../compare/run-compare.js';
import { formatMetric, metricTitle, shownMetrics } from '../results/run-metrics.js';
import { comparedMetrics } from '../compare/compared-metrics.js';
import { plural } from '../results/plural.js';
import type { PlacementSnapshot } from '../metrics/placement-snapshot.js';
import type { PlacementTimeline } from '../metrics/placement-timeline.js';
import type { PlacementReasons, RunResult, SummaryAt } from '../results/run-result.js';
import { barChart, colour, orSay, timeChart, type ChartSpec } from './charts.js';
import { faultMarks, memoryByCell, seriesOf, strandedByCell, zoneSkewHistogram, type SeriesPoints } from './model.js';

/** What `auctionlab run --out` saves (a `RunResult` of `auctionlab/sim` with who ran it and how fast). */
export type RunResultsFile = RunResult & { kind?: 'auctionlab-run'; version?: string; wallMs?: number };

/** A placement map in a report. */
export interface MapSpec {
  /** Element id and PNG file name. */
  id: string;
  /** Heading. */
  title: string;
  /** What to draw. */
  placement: PlacementSnapshot;
  /** Why each instance is where it is (clicking an instance shows it); null: not in these results. */
  reasons: PlacementReasons | null;
  /** What the map's panel says when an instance has no explanation: why these results have none, or how to get one. */
  reasonsNote: string;
  /** Where everything sat over the run (the slider scrubs through it); null: these results have none. */
  timeline: PlacementTimeline | null;
  /** The scenario's events, marked on the timeline. */
  events: { atMs: number; label: string }[];
}

/** A failure reason with how many auctions failed with it and, when one was explained, an example. */
export interface FailureExample {
  /** Diego's error text. */
  reason: string;
  /** Auctions that failed with it. */
  count: number;
  /** The first auction that failed with it, explained; null when none was. */
  example: SummaryAt | null;
  /** Why there is no example (empty when there is one). */
  noExample: string;
}

/** A group of charts under one heading. */
export interface Section {
  /** Heading. */
  title: string;
  /** Charts, in order. */
  charts: ChartSpec[];
}

/** The comparison table: a row per grid point, mean and CI per metric, best marked. */
export interface CompareTable {
  /** Metric columns. */
  columns: { key: string; label: string; name: string; unit: string; better: 'lower' | 'higher' }[];
  /** Rows. */
  rows: { label: string; cells: { mean: number; lo: number; hi: number; best: boolean }[] }[];
  /** The baseline point the differences are taken from. */
  baseline: string;
  /**
   * A row per other point: per metric its paired difference from the baseline over the common
   * seeds (null when it has none) and the verdict (`better`/`worse` when the interval is clear of
   * zero, `same`, or `undecided` under three seeds).
   */
  diffs: { label: string; cells: ({ mean: number; lo: number; hi: number; verdict: 'better' | 'worse' | 'same' | 'undecided' } | null)[] }[];
}

/** Everything a report shows. */
export interface ReportModel {
  /** A single run, a comparison, or the diff of two results. */
  kind: 'run' | 'compare' | 'diff';
  /** Page title. */
  title: string;
  /** Facts to reproduce it: scenario, strategy, seeds, duration, version, digest(s). */
  facts: { label: string; value: string }[];
  /** The command that reproduces it. */
  reproduce: string;
  /** Expectations declared by the scenario, checked (runs only). */
  expectations: { name: string; ok: boolean; detail: string }[];
  /** The comparison table (comparisons only). */
  table: CompareTable | null;
  /** The figures of a diff, b against a per pair of points (diffs only). */
  diff?: DiffResult | null;
  /** Placement maps: one for a run, one per grid point (its first seed) for a comparison. */
  maps: MapSpec[];
  /** Charts. */
  sections: Section[];
  /** Every run's digest, to check a rerun against. */
  digests: { label: string; seed: number; digest: string }[];
  /** Failure reasons of a run with an explained example each (runs only; empty otherwise). */
  failureExamples: FailureExample[];
  /** The rule the examples' strategy ranks cells by. */
  rule: string;
}

/** What a run's map says of instances without an explanation. */
function reasonsNote(r: RunResultsFile, reproduce: string): string {
  const p = r.placementReasons;
  if (!p) {
    return `These results carry no explanations of where instances sit: auctionlab run --out or --report saves them (unless --no-placement-reasons). One instance: ${reproduce} --explain <process_guid.index>.`;
  }
  const why = [
    p.skippedAuctions > 0 ? `${p.skippedAuctions.toLocaleString('en-US')} auctions in batches too big for the report's budget of explaining (${p.budget.toLocaleString('en-US')} units) were not explained` : '',
    p.overCap > 0 ? `the report keeps at most ${Object.keys(p.instances).length.toLocaleString('en-US')} explanations (${p.overCap.toLocaleString('en-US')} more were left out)` : '',
  ].filter((x) => x !== '');
  // Work the scenario had running from the start went through no auction: there is nothing to explain.
  const initial = r.summary.initial && r.summary.initial.instances > 0 ? ` ${r.summary.initial.instances.toLocaleString('en-US')} instances were running from the start (the scenario's runningOn: an imported foundation), put on their cells by no auction; an instance among them has no auction to explain until it is placed again.` : '';
  return `Not explained in this report${why.length > 0 ? `: ${why.join('; ')}` : ''}. Explain it by rerunning: ${reproduce} --explain <id>.${initial}`;
}

// Work the scenario had running from the start (runningOn), and what could not be there.
function initialText(i: NonNullable<RunResultsFile['summary']['initial']>): string {
  const refused = i.refused > 0 ? `; ${i.refused.toLocaleString('en-US')} could not be there and went to auction` : '';
  const n = (k: number, what: string) => `${k.toLocaleString('en-US')} ${what}${k === 1 ? '' : 's'}`;
  return `${n(i.instances, 'instance')}, ${n(i.tasks, 'task')} on their cells (runningOn)${refused}`;
}

function minutes(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${(ms / 1000).toFixed(1)} s`;
}

/** Routable instances over time per scenario app (the route emitter's table), busiest apps first, at most eight. */
function routeSeries(r: RunResultsFile): SeriesPoints[] {
  const apps = new Map<string, number>();
  for (const smp of r.series) for (const [app, n] of Object.entries(smp.routes ?? {})) apps.set(app, Math.max(apps.get(app) ?? 0, n));
  const top = [...apps].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 8).map(([app]) => app);
  return top.map((app) => ({ label: app, points: r.series.map((smp) => ({ x: smp.t / 60_000, y: smp.routes?.[app] ?? 0 })) }));
}

function routesCaption(r: RunResultsFile): string {
  const lows = Object.entries(r.summary.routes ?? {});
  if (lows.length === 0) return 'Instances running with their health check passed, per app; no app was whole yet.';
  const [app, l] = lows.reduce((m, x) => (x[1].minFraction < m[1].minFraction ? x : m));
  return `Instances running with their health check passed, per app (dashed lines: scenario events). Lowest once whole: ${app} ${l.minRoutable}/${l.target} (${(100 * l.minFraction).toFixed(0)}%) at ${(l.atMs / 60_000).toFixed(1)} min.`;
}

/** Builds the report of one run. */
export function runReport(r: RunResultsFile): ReportModel {
  const faults = faultMarks(r.summary.faults);
  const mem = memoryByCell(r.placement);
  const skew = zoneSkewHistogram(r.placement);
  const stranded = strandedByCell(r.placement);
  const failures = Object.entries(r.summary.failuresByReason);
  const hit = r.summary.faults.filter((f) => f.displaced > 0);
  const untilBack = hit.map((f) => (f.recoveredAfterMs ?? r.durationMs - f.at) / 1000);
  const settings = Object.entries(r.settings).map(([k, v]) => `${k}=${v}`).join(', ');
  const reproduce = `auctionlab run ${r.scenario} --seed ${r.seed} --strategy ${r.strategy} --duration ${r.durationMs / 1000}s${Object.entries(r.settings).map(([k, v]) => ` --set ${k}=${v}`).join('')}`;
  const sections: Section[] = [
    {
      title: 'Distributions at the end',
      charts: [
        {
          id: 'memory-per-cell',
          title: 'Memory per cell',
          caption: 'Memory used and free on each cell that is not dead, grouped by zone.',
          config: barChart(mem.map((c) => c.id), [{ label: 'used MB', data: mem.map((c) => c.usedMB) }, { label: 'free MB', data: mem.map((c) => c.freeMB), colours: mem.map(() => '#d9d9d9') }], 'cell', 'memory (MB)', { stacked: true }),
        },
        orSay(
          {
            id: 'zone-skew',
            title: 'Zone skew per app',
            caption: `Apps by skew: instances in the app's fullest zone minus its emptiest, over ${skew.zones.length} zones; lower is better, and Diego aims at 1 or less.`,
            config: barChart(skew.counts.map((_, k) => String(k)), [{ label: 'apps', data: skew.counts }], 'skew (instances)', 'apps', { noLegend: true }),
          },
          'No app had an instance on a live cell at the end.',
        ),
        orSay(
          {
            id: 'stranded',
            title: 'Stranded capacity',
            caption: `Free memory on cells that cannot take one more ${stranded.sizeMB} MB instance (the most common size): ${stranded.totalMB} MB in all; lower is better.`,
            config: barChart(stranded.cells.map((c) => c.id), [{ label: 'stranded MB', data: stranded.cells.map((c) => c.strandedMB), colours: stranded.cells.map(() => colour(3)) }], 'cell', 'stranded memory (MB)', { noLegend: true }),
          },
          `No memory was stranded at the end: every cell with free memory could take one more ${stranded.sizeMB} MB instance.`,
        ),
      ],
    },
    {
      title: 'Over time',
      charts: [
        orSay({ id: 'utilisation', title: 'Utilisation', caption: 'Memory in use over the memory of live cells; dashed lines mark faults.', config: timeChart(seriesOf(r.series, ['utilisation'], 100), 'memory used (%)', faults, ['memory used %']) }, 'No memory was in use at any sample.'),
        { id: 'instances', title: 'Instances', caption: 'Desired instances, those running and missing (fewer is better), crashed, and extra copies nothing desires.', config: timeChart(seriesOf(r.series, ['desired', 'running', 'missing', 'crashed', 'extra']), 'instances', faults) },
        orSay({ id: 'tasks', title: 'Tasks', caption: 'Tasks waiting for placement and running.', config: timeChart(seriesOf(r.series, ['pendingTasks', 'runningTasks']), 'tasks', faults, ['pending', 'running']) }, 'No task was pending or running at any sample.'),
        {
          id: 'routes',
          title: 'Routable instances per app',
          caption: routesCaption(r),
          // Every scenario event (deploys, scales, faults) is marked here: it is what moves routes.
          config: timeChart(routeSeries(r), 'routable instances', (r.summary.routesDuringEvents ?? []).map((e) => ({ atMin: e.atMs / 60_000, label: e.event, recoveredAfterS: null }))),
        },
        orSay(
          { id: 'wait', title: 'Wait for placement', caption: 'Percentiles of the wait from request to placement, over the placements of each sample interval (gaps: none placed; a dot: a sample with no neighbour); lower is better.', config: timeChart(seriesOf(r.series, ['waitP50Ms', 'waitP99Ms'], 1 / 1000), 'wait (s)', faults, ['p50', 'p99']) },
          'Nothing was placed during the run.',
          true,
        ),
      ],
    },
    {
      title: 'Failures and convergence',
      charts: [
        orSay(
          {
            id: 'failures',
            title: 'Failed auctions by reason',
            caption: `${r.summary.failed} auctions failed; Diego's error texts; fewer is better.`,
            config: barChart(failures.map(([k]) => k), [{ label: 'auctions', data: failures.map(([, n]) => n), colours: failures.map(() => colour(3)) }], 'reason', 'failed auctions', { horizontal: true, noLegend: true }),
          },
          'No auction failed.',
        ),
        orSay(
          {
            id: 'recovery',
            title: "Time until each fault's instances ran again",
            caption: 'Seconds from each fault until the last instance it displaced was running again (shorter is better); red bars: some never came back, and the bar runs to the end of the run.',
            config: barChart(hit.map((f) => `${minutes(f.at)}: ${f.kind}`), [{ label: 'seconds', data: untilBack, colours: hit.map((f) => (f.recoveredAfterMs === null ? '#c0392b' : colour(2))) }], 'fault', 'seconds until all back', { noLegend: true }),
          },
          hit.length === 0 ? 'No fault in this run displaced an instance.' : 'Every fault\'s instances ran again at once.',
        ),
      ],
    },
  ];
  // Rebalancing: the spread of load over time, and what the rebalancer moved (scenarios with `rebalance:`).
  const rb = r.summary.rebalance;
  if (rb) {
    const moved = rb.policy === 'none' ? 'No rebalancer ran (policy none, as in Diego).' : `The ${rb.policy} rebalancer started ${rb.started} moves and finished ${rb.completed}.`;
    sections.push({
      title: 'Rebalancing',
      charts: [
        {
          id: 'load-spread',
          title: 'Spread of load over time',
          caption: `Standard deviation of live cells' share of memory in use, in points (lower is more even), and live cells running no instance; dashed lines mark faults. ${moved}`,
          config: timeChart(seriesOf(r.series, ['loadSpread'], 100).concat(seriesOf(r.series, ['emptyCells'])), 'spread (points) / empty cells', faults, ['spread of memory share (points)', 'empty cells']),
        },
      ],
    });
  }
  // Recurring tasks: how each cron entry's ticks went (only scenarios with cron entries).
  const cron = r.summary.cron ?? [];
  if (cron.length > 0) {
    const secsOf = (ms: number) => (ms < 1000 ? `${ms.toFixed(1)} ms` : `${(ms / 1000).toFixed(1)} s`);
    sections.push({
      title: 'Recurring tasks',
      charts: [
        {
          id: 'cron',
          title: 'Cron ticks',
          caption: `Each cron entry's ticks: started on time or late, missed (no auctioneer held the lock, or the starting deadline passed), skipped by the forbid policy, desired but not started (pending, or failed before it ran), or with no task yet at the end. Lateness p99: ${cron.map((c) => `${c.name} ${c.latenessMs.count > 0 ? secsOf(c.latenessMs.p99) : 'none started'}`).join(', ')}.`,
          config: barChart(
            cron.map((c) => c.name),
            [
              { label: 'on time', data: cron.map((c) => c.onTime), colours: cron.map(() => colour(2)) },
              { label: 'late', data: cron.map((c) => c.late), colours: cron.map(() => colour(1)) },
              { label: 'missed', data: cron.map((c) => c.missed), colours: cron.map(() => '#c0392b') },
              { label: 'skipped', data: cron.map((c) => c.skipped), colours: cron.map(() => '#d9d9d9') },
              // Desired and not started (pending, or failed before it ran), and with no task yet at the end.
              { label: 'not started', data: cron.map((c) => Math.max(0, c.ticks - c.onTime - c.late - c.missed - c.skipped - (c.waiting ?? 0))), colours: cron.map(() => colour(4)) },
              { label: 'waiting at the end', data: cron.map((c) => c.waiting ?? 0), colours: cron.map(() => '#f2f2f2') },
            ],
            'cron entry',
            'ticks',
            { stacked: true, horizontal: true },
          ),
        },
      ],
    });
  }
  return {
    kind: 'run',
    title: `auctionlab run ${r.scenario}: ${r.strategy}, seed ${r.seed}`,
    facts: [
      { label: 'scenario', value: r.scenario },
      { label: 'strategy', value: settings ? `${r.strategy} (${settings})` : r.strategy },
      { label: 'seed', value: String(r.seed) },
      { label: 'simulated', value: minutes(r.durationMs) },
      { label: 'cells', value: `${r.placement.cells.length} (${r.summary.packing.liveCells} live at the end)` },
      { label: 'instances', value: `${r.summary.desiredAtEnd - r.summary.missingAtEnd}/${r.summary.desiredAtEnd} desired running at the end` },
      ...(r.summary.initial ? [{ label: 'running from the start', value: initialText(r.summary.initial) }] : []),
      // The compared figures, from the metric registry (the same names as compare's table).
      ...shownMetrics((m) => m.applies!(r)).map((m) => ({ label: m.name, value: formatMetric(m, m.get(r)) })),
      { label: 'version', value: r.version ?? 'unknown' },
      { label: 'digest', value: r.digest },
    ],
    reproduce,
    expectations: r.expectations,
    table: null,
    maps: [
      {
        id: 'placement',
        title: r.timeline ? `Placement (${r.strategy})` : `Placement at the end (${r.strategy})`,
        placement: r.placement,
        reasons: r.placementReasons ?? null,
        reasonsNote: reasonsNote(r, reproduce),
        timeline: r.timeline ?? null,
        events: (r.summary.routesDuringEvents ?? []).map((e) => ({ atMs: e.atMs, label: e.event })),
      },
    ],
    sections,
    digests: [{ label: r.strategy, seed: r.seed, digest: r.digest }],
    failureExamples: failures.map(([reason, count]) => {
      const p = r.placementReasons;
      // Own keys only: a reason is a strategy's text, and may be `__proto__`.
      const example = p && Object.hasOwn(p.failures, reason) ? (p.failures[reason] as SummaryAt) : null;
      const noExample = example
        ? ''
        : p
          ? "No auction that failed with it was explained: they were all in batches too big for what was left of the report's budget of explaining."
          : 'These results carry no explanations (saved with --no-placement-reasons, or by an older version).';
      return { reason, count, example, noExample };
    }),
    rule: r.placementReasons?.rule ?? '',
  };
}

/** Builds the report of a comparison; placement maps and time series come from each point's first seed. */
export function compareReport(c: CompareResults): ReportModel {
  const labels = c.summary.map((p) => p.label);
  const details = c.points.map((_, i) => c.runs.find((r) => r.point === i && r.detail)?.detail);
  const firstDetail = details.find((d): d is RunDetail => d !== undefined);
  const faults = firstDetail ? faultMarks(firstDetail.faults) : [];
  const metrics = comparedMetrics(c);
  const metricCharts: ChartSpec[] = metrics.map((m) => {
    const cells = c.summary.map((p) => p.metrics[m.key]!);
    const spec: ChartSpec = {
      id: `metric-${m.key}`,
      title: m.name,
      caption: `${m.name}: ${m.from}. Mean over ${c.seeds.length} seeds with its 95% bootstrap interval; ${m.better} is better; in green the point that beats every other on it by a paired difference clear of zero, if one does.`,
      config: barChart(labels, [{ label: m.name, data: cells.map((x) => x.mean), colours: cells.map((x) => (x.best ? colour(2) : colour(0))) }], 'strategy', metricTitle(m), { interval: { lo: cells.map((x) => x.lo), hi: cells.map((x) => x.hi) }, noLegend: true }),
    };
    const none = cells.every((x) => x.mean === null || !Number.isFinite(x.mean));
    return orSay(spec, none ? `${m.name}: no run had this figure (${m.from}).` : `${m.name}: 0 for every point on every seed (${m.from}).`);
  });
  const withDetail = details.flatMap((d, i) => (d ? [{ d, label: labels[i] as string, i }] : []));
  const overTime = (field: 'missing' | 'utilisation' | 'waitP99Ms' | 'cpuAllocation' | 'gpuAllocation', scale: number) =>
    withDetail.map(({ d, label }) => ({ label, points: seriesOf(d.series, [field], scale)[0]!.points }));
  const reasons = [...new Set(withDetail.flatMap(({ d }) => Object.keys(d.failuresByReason)))].sort();
  const timeCharts: ChartSpec[] = withDetail.length === 0 ? [] : [
    orSay({ id: 'compare-missing', title: 'Instances missing', caption: `Desired instances not running, seed ${c.seeds[0]}; fewer is better; dashed lines mark faults.`, config: timeChart(overTime('missing', 1), 'instances missing', faults) }, `No desired instance was missing at any sample, on any point (seed ${c.seeds[0]}).`),
    orSay({ id: 'compare-utilisation', title: 'Utilisation', caption: `Memory in use over memory of live cells, seed ${c.seeds[0]}.`, config: timeChart(overTime('utilisation', 100), 'memory used (%)', faults) }, `No memory was in use at any sample (seed ${c.seeds[0]}).`),
    // Allocation of CPU and GPUs over time, on a cluster that carries them (an imported trace).
    ...(['gpuAllocation', 'cpuAllocation'] as const)
      .filter((f) => withDetail.some(({ d }) => d.series.some((s) => s[f] !== undefined)))
      .map((f) => {
        const what = f === 'gpuAllocation' ? 'GPU' : 'CPU';
        return orSay({ id: `compare-${f}`, title: `${what} allocated`, caption: `${what} allocated over the ${what} of live cells, seed ${c.seeds[0]}; as the trace arrives, more is better.`, config: timeChart(overTime(f, 100), `${what} allocated (%)`, faults) }, `No ${what} was allocated at any sample (seed ${c.seeds[0]}).`);
      }),
    orSay({ id: 'compare-wait', title: 'Wait for placement (p99)', caption: `99th percentile wait per sample interval, seed ${c.seeds[0]} (gaps: none placed); lower is better.`, config: timeChart(overTime('waitP99Ms', 1 / 1000), 'wait p99 (s)', faults) }, `Nothing was placed on any point (seed ${c.seeds[0]}).`, true),
    orSay(
      {
        id: 'compare-failures',
        title: 'Failed auctions by reason',
        caption: `Failed auctions on seed ${c.seeds[0]}, stacked by Diego's error text; fewer is better.`,
        config: barChart(withDetail.map((w) => w.label), reasons.map((reason) => ({ label: reason, data: withDetail.map(({ d }) => d.failuresByReason[reason] ?? 0) })), 'strategy', 'failed auctions', { stacked: true }),
      },
      `No auction failed on any point (seed ${c.seeds[0]}).`,
    ),
    {
      id: 'compare-zone-skew',
      title: 'Zone skew per app',
      caption: `Apps by zone skew at the end, seed ${c.seeds[0]}.`,
      config: (() => {
        const hists = withDetail.map(({ d }) => zoneSkewHistogram(d.placement).counts);
        const width = Math.max(1, ...hists.map((h) => h.length));
        return barChart(Array.from({ length: width }, (_, k) => String(k)), withDetail.map(({ label }, j) => ({ label, data: Array.from({ length: width }, (_, k) => hists[j]![k] ?? 0) })), 'skew (instances)', 'apps');
      })(),
    },
  ];
  // The --set grid that produced the points, for the reproduce command.
  const grid = new Map<string, number[]>();
  for (const p of c.points) {
    for (const [k, v] of Object.entries(p.settings)) {
      const values = grid.get(`${p.strategy}.${k}`) ?? [];
      if (!values.includes(v)) values.push(v);
      grid.set(`${p.strategy}.${k}`, values);
    }
  }
  const setArgs = [...grid].map(([k, vs]) => ` --set ${k}=${vs.join(',')}`).join('');
  return {
    kind: 'compare',
    title: `auctionlab compare ${c.scenario}: ${plural(c.points.length, 'point')} x ${plural(c.seeds.length, 'seed')}`,
    facts: [
      { label: 'scenario', value: c.scenario },
      { label: 'points', value: labels.join(', ') },
      { label: 'seeds', value: c.seeds.length === 1 ? String(c.seeds[0]) : `${c.seeds[0]}..${c.seeds[c.seeds.length - 1]} (${c.seeds.length})` },
      { label: 'simulated', value: minutes(c.durationMs) },
      { label: 'version', value: c.version ?? 'unknown' },
    ],
    reproduce: `auctionlab compare ${c.scenario} --strategies ${[...new Set(c.points.map((p) => p.strategy))].join(',')} --seeds ${c.seeds.length} --duration ${c.durationMs / 1000}s${setArgs}`,
    expectations: [],
    table: {
      columns: metrics.map((m) => ({ key: m.key, label: m.label, name: m.name, unit: m.unit, better: m.better })),
      rows: c.summary.map((p) => ({ label: p.label, cells: metrics.map((m) => ({ mean: p.metrics[m.key]!.mean, lo: p.metrics[m.key]!.lo, hi: p.metrics[m.key]!.hi, best: p.metrics[m.key]!.best })) })),
      baseline: labels[c.baseline] ?? '',
      diffs: c.summary
        .filter((_, i) => i !== c.baseline)
        .map((p) => ({
          label: p.label,
          cells: metrics.map((m) => {
            const x = p.metrics[m.key]!;
            return x.diff === null ? null : { mean: x.diff.mean, lo: x.diff.lo, hi: x.diff.hi, verdict: x.verdict ?? 'same' };
          }),
        })),
    },
    maps: withDetail.map(({ d, label, i }) => ({
      id: `placement-${i}`,
      title: label,
      placement: d.placement,
      reasons: null,
      timeline: d.timeline ?? null,
      events: d.events ?? [],
      reasonsNote: `A comparison does not explain placements; a run's report does: auctionlab run ${c.scenario} --seed ${c.seeds[0]} --strategy ${c.points[i]?.strategy ?? ''}${Object.entries(c.points[i]?.settings ?? {}).map(([k, v]) => ` --set ${k}=${v}`).join('')} --report, then click the instance.`,
    })),
    sections: [
      { title: 'Figures', charts: metricCharts },
      ...(timeCharts.length > 0 ? [{ title: `Over time and at the end (seed ${c.seeds[0]})`, charts: timeCharts }] : []),
    ],
    digests: c.runs.map((r) => ({ label: labels[r.point] ?? '', seed: r.seed, digest: r.digest })),
    failureExamples: [],
    rule: '',
  };
}
