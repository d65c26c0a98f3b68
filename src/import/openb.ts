// The Alibaba OpenB GPU-cluster trace (Weng et al., "Beware of Fragmentation", USENIX ATC 2023;
// alibaba/clusterdata cluster-trace-gpu-v2023): its machine list and pod list as a trace.
import { cellRef, checkModels, type ColumnSpec, type CsvRow, type ImportProblems, modelList, readCsvTable, shown, uniqueRows } from './csv-table.js';
import { type ImportReport, type RawWork, shapeTrace, type ShapeOptions } from './shape-trace.js';
import type { Trace, TraceCell } from './trace.js';

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

/** How an OpenB import is cut and shaped: every importer's options, and the zones machines are dealt into. */
export interface OpenbOptions extends ShapeOptions {
  /** Zones the machines are dealt into, round-robin in the file's order. */
  zones?: number;
}

/**
 * Reads the OpenB machine and pod lists (their text, and their file names for messages) into a
 * trace. Bad rows are problems (one line each, with file, line and column); the caller throws
 * them. Pods the scenario cannot hold are counted in the report's `leftOut`, never dropped silently.
 */
export function importOpenb(nodes: { text: string; file: string }, pods: { text: string; file: string }, opts: OpenbOptions, problems: ImportProblems): { trace: Trace; report: ImportReport } | null {
  const machineRows = readCsvTable(nodes.text, nodes.file, OPENB_NODE_COLUMNS, problems);
  const podRows = readCsvTable(pods.text, pods.file, OPENB_POD_COLUMNS, problems);
  const machines = readMachines(machineRows, nodes.file, opts.zones ?? 3, problems);
  const models = new Set(machines.flatMap((m) => (m.gpuModel !== undefined ? [m.gpuModel] : [])));
  const work = readPods(podRows, pods.file, models, problems);
  if (problems.any) return null;
  return shapeTrace('alibaba-openb', machines, work, opts);
}

function readMachines(rows: readonly CsvRow[], file: string, zones: number, problems: ImportProblems): TraceCell[] {
  const out: TraceCell[] = [];
  for (const row of uniqueRows(rows, file, 'sn', 'machine', problems)) {
    const v = row.values;
    const id = v.get('sn') as string;
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

function readPods(rows: readonly CsvRow[], file: string, models: ReadonlySet<string>, problems: ImportProblems): RawWork[] {
  const out: RawWork[] = [];
  for (const row of uniqueRows(rows, file, 'name', 'pod', problems)) {
    const v = row.values;
    const at = (col: string) => cellRef(file, row, col);
    const name = v.get('name') as string;
    const qos = v.get('qos') as string;
    const kind = Object.hasOwn(OPENB_QOS, qos) ? OPENB_QOS[qos] : undefined;
    const gpus = v.get('num_gpu') as number;
    const gpuMilli = v.get('gpu_milli') as number;
    const wanted = modelList(v.get('gpu_spec') as string | undefined);
    const creation = v.get('creation_time') as number;
    const deletion = v.get('deletion_time') as number | undefined;
    const before = problems.lines.length;
    if (kind === undefined) problems.add(`${at('qos')}: expected one of ${Object.keys(OPENB_QOS).join(', ')}, got ${shown(qos)}`);
    if (gpus === 0 && gpuMilli !== 0) problems.add(`${at('gpu_milli')}: expected 0 when num_gpu is 0, got ${gpuMilli}`);
    if (gpus > 0 && gpuMilli === 0) problems.add(`${at('gpu_milli')}: expected a whole number from 1 to 1000 when num_gpu is ${gpus}, got 0`);
    checkModels(wanted, models, at('gpu_spec'), 'machines', problems);
    if (deletion !== undefined && deletion < creation) problems.add(`${at('deletion_time')}: expected a time at or after creation_time (${creation}), got ${deletion} (departure before arrival)`);
    if (problems.lines.length > before) continue;
    const w: RawWork = { name, kind: kind as 'lrp' | 'task', instances: 1, arrivalS: creation, departureS: deletion ?? null, memoryMB: v.get('memory_mib') as number, diskMB: 0, cpuMilli: v.get('cpu_milli') as number };
    if (gpus > 0) {
      w.gpus = gpus;
      w.gpuMilli = gpuMilli;
    }
    if (wanted.length > 0) w.gpuModels = wanted;
    out.push(w);
  }
  return out;
}
