// Chart.js configurations as plain JSON, so the same chart is drawn in the browser (the HTML
// report) and in Node (PNG files). Options that would need functions are left out; the report's
// plugins (fault markers, error bars) read their settings from `options.plugins`.
import type { FaultMark, SeriesPoints } from './model.js';

/** A Chart.js configuration that survives JSON: type, data and options. */
export interface ChartConfig {
  /** Chart type (`line`, `bar`). */
  type: 'line' | 'bar';
  /** Labels (an array: a label drawn on several lines) and datasets. */
  data: { labels?: (string | string[])[]; datasets: Record<string, unknown>[] };
  /** Options, including the report plugins' settings. */
  options: Record<string, unknown>;
}

/** A chart in a report. */
export interface ChartSpec {
  /** Element id and PNG file name. */
  id: string;
  /** Heading. */
  title: string;
  /** One sentence under the chart saying how to read it. */
  caption: string;
  /** What Chart.js draws. */
  config: ChartConfig;
  /** Set when there is nothing to draw: the one line shown instead of an empty chart. */
  empty?: string;
}

/** Whether a chart has anything to draw: a value other than a gap (and, unless `zeros`, other than 0). */
export function hasData(config: ChartConfig, zeros = false): boolean {
  return config.data.datasets.some((d) =>
    (d['data'] as unknown[]).some((v) => {
      const y = typeof v === 'object' && v !== null ? (v as { y: unknown }).y : v;
      return typeof y === 'number' && Number.isFinite(y) && (zeros || y !== 0);
    }),
  );
}

/**
 * The chart, or when it has nothing to draw, the chart marked with `text` to say so instead.
 * Nothing is only gaps and zeros, or with `zeros` (a figure for which 0 is a value, such as a
 * wait) only gaps.
 */
export function orSay(spec: ChartSpec, text: string, zeros = false): ChartSpec {
  return hasData(spec.config, zeros) ? spec : { ...spec, empty: text };
}

/**
 * A category label split into lines of at most `width` characters at spaces (Chart.js draws an
 * array as lines): long labels such as Diego's error texts stay whole instead of being cut.
 */
export function wrapLabel(label: string, width = 28): string | string[] {
  if (label.length <= width) return label;
  const lines: string[] = [];
  let line = '';
  for (const word of label.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

// Point radii for a series: 0 where the line shows the value, 3 where a value has no neighbour
// to draw a line to (a single sample, or one between gaps), which would otherwise not show.
function pointRadii(points: readonly { y: number | null }[]): number[] {
  const has = (i: number) => i >= 0 && i < points.length && points[i]!.y !== null;
  return points.map((_, i) => (has(i) && !has(i - 1) && !has(i + 1) ? 3 : 0));
}

/** Series colours: distinct, readable on white, kind to common colour blindness (Okabe-Ito first). */
export const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#f0e442', '#000000', '#7f7f7f', '#8c564b', '#17becf', '#bcbd22'];

/** The palette colour for series `i`. */
export function colour(i: number): string {
  return PALETTE[i % PALETTE.length] as string;
}

function axis(title: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { title: { display: true, text: title }, ...extra };
}

function baseOptions(extra: Record<string, unknown>, plugins: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { position: 'bottom' }, ...plugins },
    ...extra,
  };
}

/** A line chart of series over simulated minutes, with the faults marked on the time axis. */
export function timeChart(series: readonly SeriesPoints[], yTitle: string, faults: readonly FaultMark[], names: readonly string[] = series.map((s) => s.label)): ChartConfig {
  return {
    type: 'line',
    data: {
      datasets: series.map((s, i) => ({
        label: names[i] ?? s.label,
        data: s.points,
        borderColor: colour(i),
        backgroundColor: colour(i),
        borderWidth: 1.5,
        pointRadius: pointRadii(s.points),
        spanGaps: false,
      })),
    },
    options: baseOptions(
      { scales: { x: axis('simulated time (min)', { type: 'linear' }), y: axis(yTitle, { beginAtZero: true }) }, interaction: { mode: 'nearest', axis: 'x', intersect: false } },
      { faultMarkers: { marks: faults.map((f) => ({ x: f.atMin, label: f.label })) } },
    ),
  };
}

/** Options for {@link barChart}. */
export interface BarOptions {
  /** Stack the datasets. */
  stacked?: boolean;
  /** Bars run left to right (long labels read better). */
  horizontal?: boolean;
  /** 95% intervals of the first dataset (their ends), drawn as whiskers. */
  interval?: { lo: number[]; hi: number[] };
  /** Hide the legend (one dataset). */
  noLegend?: boolean;
}

/** A bar chart: one dataset per entry of `datasets`, over `labels`. */
export function barChart(labels: readonly string[], datasets: readonly { label: string; data: number[]; colours?: string[] }[], xTitle: string, yTitle: string, o: BarOptions = {}): ChartConfig {
  // Whiskers are drawn by a plugin the scale does not know of: the axis is made to reach the
  // highest interval end, so none is cut off at the top.
  const top = o.interval ? Math.max(...o.interval.hi.filter((x) => Number.isFinite(x))) : -Infinity;
  const valueAxis = axis(yTitle, { beginAtZero: true, stacked: o.stacked ?? false, ...(Number.isFinite(top) && top > 0 ? { suggestedMax: top * 1.05 } : {}) });
  const labelAxis = axis(xTitle, { stacked: o.stacked ?? false, ticks: { autoSkip: true, maxRotation: 60 } });
  const plugins: Record<string, unknown> = {};
  if (o.interval) plugins.errorBars = { lo: o.interval.lo, hi: o.interval.hi };
  if (o.noLegend) plugins.legend = { display: false };
  return {
    type: 'bar',
    data: {
      labels: labels.map((l) => wrapLabel(l)),
      datasets: datasets.map((d, i) => ({
        label: d.label,
        data: d.data,
        backgroundColor: d.colours ?? colour(i),
        borderWidth: 0,
        barPercentage: 0.95,
        categoryPercentage: 0.9,
      })),
    },
    options: baseOptions({ indexAxis: o.horizontal ? 'y' : 'x', scales: o.horizontal ? { x: valueAxis, y: labelAxis } : { x: labelAxis, y: valueAxis } }, plugins),
  };
}
