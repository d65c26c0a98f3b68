// A workload trace in auctionlab's terms, whatever it was imported from: cells with their capacity,
// and work (LRPs and tasks) that arrives and may leave; written as a scenario file.
import { stringify } from 'yaml';
import { durationText } from '../sim/field-writers.js';

/** One machine of a trace, as a cell. */
export interface TraceCell {
  /** The machine's own name (the cell id). */
  id: string;
  /** Its zone. */
  zone: string;
  /** Memory (MB). */
  memoryMB: number;
  /** Disk (MB). */
  diskMB: number;
  /** Containers it may hold. */
  containers: number;
  /** CPU (millicores), if the trace has it. */
  cpuMilli?: number;
  /** GPU devices. */
  gpus?: number;
  /** Their model. */
  gpuModel?: string;
  /** Stacks of its `preloaded` rootfs provider (absent: the scenario's default). */
  stacks?: string[];
  /** Whether it takes any docker image (absent: the scenario's default). */
  docker?: boolean;
  /** Required placement tags (an isolation segment). */
  placementTags?: string[];
  /** Optional placement tags. */
  optionalPlacementTags?: string[];
  /** Volume drivers present. */
  volumeDrivers?: string[];
}

/** One piece of work of a trace. */
export interface TraceWork {
  /** Its own name (the process guid or task guid). */
  name: string;
  /** An LRP (one monitored instance, or `instances`) or a one-off task. */
  kind: 'lrp' | 'task';
  /** Instances (LRPs). */
  instances: number;
  /** When it arrives (simulated ms). */
  arrivalMs: number;
  /** When it leaves (simulated ms), or null: it stays to the end. */
  departureMs: number | null;
  /** Memory (MB). */
  memoryMB: number;
  /** Disk (MB). */
  diskMB: number;
  /** CPU (millicores). */
  cpuMilli?: number;
  /** GPU devices. */
  gpus?: number;
  /** Thousandths of each (absent: whole devices). */
  gpuMilli?: number;
  /** GPU models it may run on. */
  gpuModels?: string[];
  /** Root file system URL (absent: the scenario's default). */
  rootfs?: string;
  /** Placement tags. */
  placementTags?: string[];
  /** Volume drivers (LRPs). */
  volumeDrivers?: string[];
  /**
   * Where it already runs when it arrives (an imported foundation): an LRP's cell per index (null:
   * not running), a task's one cell.
   */
  runningOn?: (string | null)[];
}

/** A trace ready to be written as a scenario. */
export interface Trace {
  /** The scenario's name. */
  name: string;
  /** Comment lines for the top of the file: where it came from and by which rules. */
  header: string[];
  /** The scenario's description: what the trace is, in a sentence. */
  description?: string;
  /** Cells, in the trace's order. */
  cells: TraceCell[];
  /** Work, in arrival order. */
  work: TraceWork[];
  /** The run's length (ms): by default the last arrival or departure, and a minute to settle. */
  durationMs?: number;
  /** Events added to the trace's own (`import cfdot --event`): when (ms), and the event as a scenario file writes it. */
  extraEvents?: { atMs: number; body: Record<string, unknown> }[];
}

/** Time after the last arrival or departure a scenario runs on by default, for the cluster to settle (assumed). */
export const SETTLE_MS = 60_000;

/** The scenario's length: the trace's own, or its last arrival or departure and {@link SETTLE_MS}. */
export function traceDurationMs(trace: Trace): number {
  if (trace.durationMs !== undefined) return trace.durationMs;
  let last = 0;
  for (const w of trace.work) last = Math.max(last, w.arrivalMs, w.departureMs ?? 0);
  return last + SETTLE_MS;
}

// Runs of cells alike in everything but their id and zone, in the trace's order (which is the
// cells' index order, so first-fit and ties see the trace's order), as groups naming their cells.
// A group's zones are its cells' zones cut to their shortest period: a trace dealt into zones
// round-robin writes `zones: [z1, z2, z3]` once per run.
function cellGroups(cells: readonly TraceCell[]): Record<string, unknown>[] {
  const groups: { key: string; g: Record<string, unknown>; ids: string[]; zones: string[] }[] = [];
  for (const c of cells) {
    const key = JSON.stringify([c.memoryMB, c.diskMB, c.containers, c.cpuMilli ?? null, c.gpus ?? null, c.gpuModel ?? null, c.stacks ?? null, c.docker ?? null, c.placementTags ?? null, c.optionalPlacementTags ?? null, c.volumeDrivers ?? null]);
    let last = groups[groups.length - 1];
    if (last === undefined || last.key !== key) {
      const g: Record<string, unknown> = { count: 0, zones: [], memoryMB: c.memoryMB, diskMB: c.diskMB, containers: c.containers };
      if (c.cpuMilli !== undefined) g['cpuMilli'] = c.cpuMilli;
      if (c.gpus !== undefined && c.gpus > 0) g['gpus'] = c.gpus;
      if (c.gpuModel !== undefined) g['gpuModel'] = c.gpuModel;
      if (c.stacks !== undefined) g['stacks'] = [...c.stacks];
      if (c.docker !== undefined) g['docker'] = c.docker;
      if (c.placementTags !== undefined) g['placementTags'] = [...c.placementTags];
      if (c.optionalPlacementTags !== undefined) g['optionalPlacementTags'] = [...c.optionalPlacementTags];
      if (c.volumeDrivers !== undefined) g['volumeDrivers'] = [...c.volumeDrivers];
      last = { key, g, ids: [], zones: [] };
      groups.push(last);
    }
    last.ids.push(c.id);
    last.zones.push(c.zone);
  }
  return groups.map(({ g, ids, zones }) => ({ ...g, count: ids.length, zones: zones.slice(0, period(zones)), ids }));
}

// The shortest p with xs[i] === xs[i % p] for every i.
function period(xs: readonly string[]): number {
  for (let p = 1; p < xs.length; p++) if (xs.every((x, i) => x === xs[i % p])) return p;
  return xs.length;
}

// What the work asks beyond memory and disk: its rootfs and constraints, CPU and GPUs.
function resources(w: TraceWork): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (w.rootfs !== undefined) out['rootfs'] = w.rootfs;
  if (w.placementTags !== undefined && w.placementTags.length > 0) out['placementTags'] = [...w.placementTags];
  if (w.kind === 'lrp' && w.volumeDrivers !== undefined && w.volumeDrivers.length > 0) out['volumeDrivers'] = [...w.volumeDrivers];
  if (w.cpuMilli !== undefined) out['cpuMilli'] = w.cpuMilli;
  if (w.gpus !== undefined && w.gpus > 0) {
    out['gpus'] = w.gpus;
    if (w.gpuMilli !== undefined && w.gpuMilli !== 1000) out['gpuMilli'] = w.gpuMilli;
  }
  if (w.gpuModels !== undefined && w.gpuModels.length > 0) out['gpuModels'] = [...w.gpuModels];
  return out;
}

/**
 * The scenario document of a trace: cell groups naming the machines; each LRP an app desired at its
 * arrival and deleted (a `delete` event) at its departure; each task a `task` event at its arrival
 * running until its departure (or past the end when it has none); work already running says where
 * (`runningOn`). `added` gives, for each written event, which of the trace's extra events it is (-1:
 * one of the trace's own).
 */
export function traceScenario(trace: Trace): { document: Record<string, unknown>; durationMs: number; added: number[] } {
  const durationMs = traceDurationMs(trace);
  const apps: Record<string, unknown>[] = [];
  const events: { at: number; order: number; body: Record<string, unknown> }[] = [];
  trace.work.forEach((w, order) => {
    if (w.kind === 'lrp') {
      apps.push({ name: w.name, instances: w.instances, memoryMB: w.memoryMB, diskMB: w.diskMB, ...resources(w), at: durationText(w.arrivalMs), ...(w.runningOn !== undefined ? { runningOn: [...w.runningOn] } : {}) });
      if (w.departureMs !== null && w.departureMs <= durationMs) events.push({ at: w.departureMs, order, body: { at: durationText(w.departureMs), delete: w.name } });
    } else {
      // A task that never leaves runs past the end of the run.
      const runs = w.departureMs === null ? durationMs - w.arrivalMs + 1 : w.departureMs - w.arrivalMs;
      const on = w.runningOn?.[0];
      events.push({ at: w.arrivalMs, order, body: { at: durationText(w.arrivalMs), task: { name: w.name, memoryMB: w.memoryMB, diskMB: w.diskMB, ...resources(w), duration: durationText(runs), ...(typeof on === 'string' ? { runningOn: on } : {}) } } });
    }
  });
  // Added events after the trace's own at the same time (a fault at 0 strikes the foundation as imported).
  (trace.extraEvents ?? []).forEach((e, k) => events.push({ at: e.atMs, order: trace.work.length + k, body: e.body }));
  // In time order, ties in the trace's order (a total order).
  events.sort((a, b) => a.at - b.at || a.order - b.order);
  const document: Record<string, unknown> = { name: trace.name, ...(trace.description !== undefined ? { description: trace.description } : {}), duration: durationText(durationMs), cells: cellGroups(trace.cells), apps, events: events.map((e) => e.body) };
  // Which written event is which added one (-1: the trace's own), for problems to name the flag.
  const added = events.map((e) => (e.order >= trace.work.length ? e.order - trace.work.length : -1));
  return { document, durationMs, added };
}

/**
 * The scenario as YAML: the header as comments, then one line per cell group, app and event (flow
 * style, so a trace of thousands of pods stays a file one can read and diff).
 */
export function traceScenarioYaml(trace: Trace): string {
  const { document } = traceScenario(trace);
  const line = (v: unknown) => stringify(v, { collectionStyle: 'flow', lineWidth: 0 }).trimEnd();
  const list = (key: string, items: unknown[]) => (items.length === 0 ? [`${key}: []`] : [`${key}:`, ...items.map((x) => `  - ${line(x)}`)]);
  return [
    ...trace.header.map((h) => `# ${h}`.trimEnd()),
    `name: ${line(document['name'])}`,
    ...(document['description'] !== undefined ? [`description: ${line(document['description'])}`] : []),
    `duration: ${line(document['duration'])}`,
    ...list('cells', document['cells'] as unknown[]),
    ...list('apps', document['apps'] as unknown[]),
    ...list('events', document['events'] as unknown[]),
    '',
  ].join('\n');
}
