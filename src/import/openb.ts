// The Alibaba OpenB GPU-cluster trace (Weng et al., "Beware of Fragmentation", USENIX ATC 2023;
// alibaba/clusterdata cluster-trace-gpu-v2023): its machine list and pod list as a trace.
import { streamFor } from '../core/random.js';
import { cellRef, type ColumnSpec, type CsvRow, type ImportProblems, readCsvTable, shown } from './csv-table.js';
import type { Trace, TraceCell, TraceWork } from './trace.js';

/** The machine list's columns (`openb_node_list_*.csv`). */
export const OPENB_NODE_COLUMNS: readonly ColumnSpec[] = [
  { name: 'sn', kind: 'string', required: true },
  { name: 'cpu_milli', kind: 'int', required: true, min: 1 },
  { name: 'memory_mib', kind: 'int', required: true, min: 1 },
  { name: 'gpu', kind: 'int', required: true, min: 0, max: 1024 },
  { name: 'model', kind: 'string', required: true, emptyOk: true },
];

/** The pod list's columns (`openb_pod_list_*.csv`). */
export const OPENB_POD_COLUMNS: readonly ColumnSpec[] = [
  { name: 'name', kind: 'string', required: true },
  { name: 'cpu_milli', kind: 'int', required: true, min: 0 },
  { name: 'memory_mib', kind: 'int', required: true, min: 0 },
  { name: 'num_gpu', kind: 'int', required: true, min: 0, max: 1024 },
  { name: 'gpu_milli', kind: 'int', required: true, min: 0, max: 1000 },
  { name: 'gpu_spec', kind: 'string', required: true, emptyOk: true },
  { name: 'qos', kind: 'string', required: true },
  { name: 'pod_phase', kind: 'string', required: true, emptyOk: true },
  { name: 'creation_time', kind: 'int', required: true, min: 0 },
  { name: 'deletion_time', kind: 'int', required: true, emptyOk: true, min: 0 },
  { name: 'scheduled_time', kind: 'int', required: true, emptyOk: true, min: 0 },
];

/**
 * Which QoS class becomes what: latency-sensitive and guaranteed pods are services (an LRP of one
 * instance, monitored and restarted); best-effort pods are batch work (a task, run at most once).
 */
export const OPENB_QOS: Readonly<Record<string, 'lrp' | 'task'>> = Object.freeze({ LS: 'lrp', Guaranteed: 'lrp', Burstable: 'lrp', BE: 'task' });

/** Containers a machine may hold: kubelet's default `maxPods` (assumed; the trace gives none). */
export const OPENB_CONTAINERS = 110;
/** Disk of a machine (MB); pods ask none, so it never decides anything (assumed). */
export const OPENB_DISK_MB = 1024 * 1024;

/** How an OpenB import is cut and shaped. */
export interface OpenbOptions {
  /** First second of the trace imported (pods created earlier are left out). */
  fromS?: number;
  /** End of the window (seconds; pods created at or after it are left out; the run ends there). */
  toS?: number;
  /** Fraction of pods kept, at random (seeded). */
  sample?: number;
  /** Simulated ms per trace ms (0.001: a trace day is 86.4 simulated seconds). */
  timeScale?: number;
  /** Machines kept, at random (seeded); pods are sampled in the same proportion. */
  cells?: number;
  /** Zones the machines are dealt into, round-robin in the file's order. */
  zones?: number;
  /** Whether pods leave at their deletion time (default) or stay to the end (the FGD paper's fill-up). */
  departures?: boolean;
  /** Seed of the sampling. */
  seed?: number;
}

/** What an import read, made and left out. */
export interface ImportReport {
  /** Machines read (rows without problems). */
  machinesRead: number;
  /** Pods read. */
  podsRead: number;
  /** Cells in the scenario. */
  cells: number;
  /** LRPs in the scenario. */
  lrps: number;
  /** Tasks in the scenario. */
  tasks: number;
  /** Pods left out, by reason. */
  leftOut: Record<string, number>;
  /** Sums over the pods read: CPU (millicores), memory (MiB), GPU devices, GPU thousandths. */
  readTotals: ResourceTotals;
  /** The same sums over the work imported. */
  importedTotals: ResourceTotals;
}

/** Sums of requested resources. */
export interface ResourceTotals {
  /** CPU (millicores). */
  cpuMilli: number;
  /** Memory (MiB, the scenario's MB). */
  memoryMiB: number;
  /** GPU devices asked (a share counts as one). */
  gpus: number;
  /** GPU thousandths asked (devices x share). */
  gpuMilli: number;
}

interface Pod {
  line: number;
  name: string;
  cpuMilli: number;
  memoryMiB: number;
  gpus: number;
  gpuMilli: number;
  models: string[];
  kind: 'lrp' | 'task';
  creation: number;
  deletion: number | null;
}

/**
 * Reads the OpenB machine and pod lists (their text, and their file names for messages) into a
 * trace. Bad rows are problems (one line each, with file, line and column); the caller throws
 * them. Pods the scenario cannot hold are counted in the report's `leftOut`, never dropped silently.
 */
export function importOpenb(nodes: { text: string; file: string }, pods: { text: string; file: string }, opts: OpenbOptions, problems: ImportProblems): { trace: Trace; report: ImportReport } | null {
  const machineRows = readCsvTable(nodes.text, nodes.file, OPENB_NODE_COLUMNS, problems);
  const podRows = readCsvTable(pods.text, pods.file, OPENB_POD_COLUMNS, problems);
  const zones = opts.zones ?? 3;
  const machines = readMachines(machineRows, nodes.file, zones, problems);
  const models = new Set(machines.flatMap((m) => (m.gpuModel !== undefined ? [m.gpuModel] : [])));
  const podList = readPods(podRows, pods.file, models, problems);
  if (problems.any) return null;
  const seed = opts.seed ?? 0;
  const leftOut: Record<string, number> = {};
  const leave = (why: string) => (leftOut[why] = (leftOut[why] ?? 0) + 1);
  // Machines: a seeded subset when --cells asks for fewer.
  let cells = machines;
  let podShare = 1;
  if (opts.cells !== undefined && opts.cells < machines.length) {
    const rng = streamFor(seed, 'import:cells');
    const keep = new Set(sampleIndices(machines.length, opts.cells, () => rng.next()));
    cells = machines.filter((_, i) => keep.has(i));
    podShare = opts.cells / machines.length;
  }
  const rng = streamFor(seed, 'import:pods');
  const fromS = opts.fromS ?? 0;
  const scale = opts.timeScale ?? 1;
  const ms = (s: number) => Math.round((s - fromS) * 1000 * scale);
  const work: TraceWork[] = [];
  for (const p of podList) {
    // One draw per pod whatever is kept, so a window does not change which pods a sample keeps.
    const draw = rng.next();
    if (p.creation < fromS || (opts.toS !== undefined && p.creation >= opts.toS)) {
      leave('created outside --from/--to');
      continue;
    }
    if (draw >= (opts.sample ?? 1) * podShare) {
      leave(opts.cells !== undefined && opts.cells < machines.length ? 'not in the sample (--sample, --cells)' : 'not in the sample (--sample)');
      continue;
    }
    if (p.deletion !== null && p.deletion === p.creation && opts.departures !== false) {
      leave('deleted when created (lives 0 s)');
      continue;
    }
    const w: TraceWork = { name: p.name, kind: p.kind, instances: 1, arrivalMs: ms(p.creation), departureMs: opts.departures === false || p.deletion === null ? null : ms(p.deletion), memoryMB: p.memoryMiB, diskMB: 0, cpuMilli: p.cpuMilli };
    if (p.gpus > 0) {
      w.gpus = p.gpus;
      w.gpuMilli = p.gpuMilli;
    }
    if (p.models.length > 0) w.gpuModels = p.models;
    work.push(w);
  }
  // Arrival order, ties in file order (a stable sort of the file's order: a total order).
  work.sort((a, b) => a.arrivalMs - b.arrivalMs);
  const trace: Trace = {
    name: 'alibaba-openb',
    header: [],
    cells,
    work,
    ...(opts.toS !== undefined ? { durationMs: ms(opts.toS) } : {}),
  };
  const report: ImportReport = {
    machinesRead: machines.length,
    podsRead: podList.length,
    cells: cells.length,
    lrps: work.filter((w) => w.kind === 'lrp').length,
    tasks: work.filter((w) => w.kind === 'task').length,
    leftOut,
    readTotals: totals(podList.map((p) => ({ cpuMilli: p.cpuMilli, memoryMB: p.memoryMiB, gpus: p.gpus, gpuMilli: p.gpuMilli }))),
    importedTotals: totals(work.map((w) => ({ cpuMilli: w.cpuMilli ?? 0, memoryMB: w.memoryMB, gpus: w.gpus ?? 0, gpuMilli: w.gpuMilli ?? 1000 }))),
  };
  return { trace, report };
}

function totals(items: readonly { cpuMilli: number; memoryMB: number; gpus: number; gpuMilli: number }[]): ResourceTotals {
  const t: ResourceTotals = { cpuMilli: 0, memoryMiB: 0, gpus: 0, gpuMilli: 0 };
  for (const x of items) {
    t.cpuMilli += x.cpuMilli;
    t.memoryMiB += x.memoryMB;
    t.gpus += x.gpus;
    t.gpuMilli += x.gpus * (x.gpus > 0 ? x.gpuMilli : 0);
  }
  return t;
}

// `k` of `0..n-1`, chosen by a partial Fisher-Yates shuffle with `next` (seeded).
function sampleIndices(n: number, k: number, next: () => number): number[] {
  const at = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(next() * (n - i));
    [at[i], at[j]] = [at[j] as number, at[i] as number];
  }
  return at.slice(0, k).sort((a, b) => a - b);
}

function readMachines(rows: readonly CsvRow[], file: string, zones: number, problems: ImportProblems): TraceCell[] {
  const seen = new Map<string, number>();
  const out: TraceCell[] = [];
  for (const row of rows) {
    const v = row.values;
    const id = v.get('sn') as string;
    const first = seen.get(id);
    if (first !== undefined) {
      problems.add(`${cellRef(file, row, 'sn')}: duplicate machine ${shown(id)} (first on line ${first})`);
      continue;
    }
    seen.set(id, row.line);
    const gpus = v.get('gpu') as number;
    const model = v.get('model') as string | undefined;
    // Zones: the machines in the file's order, dealt round-robin (the trace has no zones).
    const c: TraceCell = { id, zone: `z${(out.length % zones) + 1}`, memoryMB: v.get('memory_mib') as number, diskMB: OPENB_DISK_MB, containers: OPENB_CONTAINERS, cpuMilli: v.get('cpu_milli') as number };
    if (gpus > 0) {
      c.gpus = gpus;
      if (model !== undefined) c.gpuModel = model;
    }
    out.push(c);
  }
  return out;
}

function readPods(rows: readonly CsvRow[], file: string, models: ReadonlySet<string>, problems: ImportProblems): Pod[] {
  const seen = new Map<string, number>();
  const out: Pod[] = [];
  for (const row of rows) {
    const v = row.values;
    const at = (col: string) => cellRef(file, row, col);
    const name = v.get('name') as string;
    const first = seen.get(name);
    if (first !== undefined) {
      problems.add(`${at('name')}: duplicate pod ${shown(name)} (first on line ${first})`);
      continue;
    }
    seen.set(name, row.line);
    const qos = v.get('qos') as string;
    const kind = Object.hasOwn(OPENB_QOS, qos) ? OPENB_QOS[qos] : undefined;
    const gpus = v.get('num_gpu') as number;
    const gpuMilli = v.get('gpu_milli') as number;
    const spec = (v.get('gpu_spec') as string | undefined) ?? '';
    const wanted = spec === '' ? [] : spec.split('|').map((s) => s.trim());
    const creation = v.get('creation_time') as number;
    const deletion = v.get('deletion_time') as number | undefined;
    const before = problems.lines.length;
    if (kind === undefined) problems.add(`${at('qos')}: expected one of ${Object.keys(OPENB_QOS).join(', ')}, got ${shown(qos)}`);
    if (gpus === 0 && gpuMilli !== 0) problems.add(`${at('gpu_milli')}: expected 0 when num_gpu is 0, got ${gpuMilli}`);
    if (gpus > 0 && gpuMilli === 0) problems.add(`${at('gpu_milli')}: expected a whole number from 1 to 1000 when num_gpu is ${gpus}, got 0`);
    const unknown = wanted.filter((m) => !models.has(m));
    if (unknown.length > 0) problems.add(`${at('gpu_spec')}: unknown GPU model ${shown(unknown[0] as string)} (the machines have: ${[...models].sort().join(', ') || 'none'})`);
    if (deletion !== undefined && deletion < creation) problems.add(`${at('deletion_time')}: expected a time at or after creation_time (${creation}), got ${deletion} (departure before arrival)`);
    if (problems.lines.length > before) continue;
    out.push({ line: row.line, name, cpuMilli: v.get('cpu_milli') as number, memoryMiB: v.get('memory_mib') as number, gpus, gpuMilli, models: wanted, kind: kind as 'lrp' | 'task', creation, deletion: deletion ?? null });
  }
  return out;
}
