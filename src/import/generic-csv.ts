// auctionlab's own trace format, for traces from anywhere: a cells CSV and a work CSV
// (docs/traces.md, "import csv"), read with the same checks and words as every importer.
import { cellRef, checkModels, type ColumnSpec, type CsvRow, type ImportProblems, modelList, readCsvTable, shown, uniqueRows } from './csv-table.js';
import { type ImportReport, type RawWork, shapeTrace, type ShapeOptions } from './shape-trace.js';
import type { Trace, TraceCell } from './trace.js';

const INT32 = 2_147_483_647;

/** The cells file's columns. */
export const CELL_COLUMNS: readonly ColumnSpec[] = [
  { name: 'id', kind: 'string', required: true },
  { name: 'zone', kind: 'string', required: false, emptyOk: true },
  { name: 'memory_mb', kind: 'int', required: true, min: 1, max: INT32 },
  { name: 'disk_mb', kind: 'int', required: false, emptyOk: true, min: 1, max: INT32 },
  { name: 'containers', kind: 'int', required: false, emptyOk: true, min: 1, max: 100_000 },
  { name: 'cpu_milli', kind: 'int', required: false, emptyOk: true, min: 1, max: INT32 },
  { name: 'gpus', kind: 'int', required: false, emptyOk: true, min: 0, max: 1024 },
  { name: 'gpu_model', kind: 'string', required: false, emptyOk: true },
];

/** The work file's columns. */
export const WORK_COLUMNS: readonly ColumnSpec[] = [
  { name: 'name', kind: 'string', required: true },
  { name: 'kind', kind: 'string', required: true },
  { name: 'arrival', kind: 'int', required: true, min: 0 },
  { name: 'departure', kind: 'int', required: false, emptyOk: true, min: 0 },
  { name: 'memory_mb', kind: 'int', required: true, min: 0, max: INT32 },
  { name: 'disk_mb', kind: 'int', required: false, emptyOk: true, min: 0, max: INT32 },
  { name: 'instances', kind: 'int', required: false, emptyOk: true, min: 1, max: 100_000 },
  { name: 'cpu_milli', kind: 'int', required: false, emptyOk: true, min: 0, max: INT32 },
  { name: 'gpus', kind: 'int', required: false, emptyOk: true, min: 0, max: 1024 },
  { name: 'gpu_milli', kind: 'int', required: false, emptyOk: true, min: 1, max: 1000 },
  { name: 'gpu_models', kind: 'string', required: false, emptyOk: true },
];

/** A cell's defaults where the file leaves them out: Diego's target cell (64 GiB disk, 250 containers) in zone z1. */
export const CELL_DEFAULTS = Object.freeze({ zone: 'z1', diskMB: 64 * 1024, containers: 250 });

/**
 * Reads a cells file and a work file (their text and names, for messages) into a trace. Bad rows
 * are problems, one line each with file, line and column; the caller throws them.
 */
export function importGenericCsv(cells: { text: string; file: string }, work: { text: string; file: string }, opts: ShapeOptions, problems: ImportProblems): { trace: Trace; report: ImportReport } | null {
  const machines = readCells(readCsvTable(cells.text, cells.file, CELL_COLUMNS, problems), cells.file, problems);
  const models = new Set(machines.flatMap((m) => (m.gpuModel !== undefined ? [m.gpuModel] : [])));
  const items = readWork(readCsvTable(work.text, work.file, WORK_COLUMNS, problems), work.file, models, problems);
  if (problems.any) return null;
  return shapeTrace('trace', machines, items, opts);
}

function readCells(rows: readonly CsvRow[], file: string, problems: ImportProblems): TraceCell[] {
  const out: TraceCell[] = [];
  for (const row of uniqueRows(rows, file, 'id', 'cell', problems)) {
    const v = row.values;
    const id = v.get('id') as string;
    const c: TraceCell = {
      id,
      zone: (v.get('zone') as string | undefined) ?? CELL_DEFAULTS.zone,
      memoryMB: v.get('memory_mb') as number,
      diskMB: (v.get('disk_mb') as number | undefined) ?? CELL_DEFAULTS.diskMB,
      containers: (v.get('containers') as number | undefined) ?? CELL_DEFAULTS.containers,
    };
    const cpu = v.get('cpu_milli') as number | undefined;
    const gpus = (v.get('gpus') as number | undefined) ?? 0;
    const model = v.get('gpu_model') as string | undefined;
    if (cpu !== undefined) c.cpuMilli = cpu;
    if (gpus > 0) c.gpus = gpus;
    if (model !== undefined) {
      if (gpus === 0) {
        problems.add(`${cellRef(file, row, 'gpu_model')}: expected gpus above 0 with a GPU model, got gpus ${gpus}`);
        continue;
      }
      c.gpuModel = model;
    }
    out.push(c);
  }
  return out;
}

function readWork(rows: readonly CsvRow[], file: string, models: ReadonlySet<string>, problems: ImportProblems): RawWork[] {
  const out: RawWork[] = [];
  for (const row of uniqueRows(rows, file, 'name', 'work', problems)) {
    const v = row.values;
    const at = (col: string) => cellRef(file, row, col);
    const name = v.get('name') as string;
    const kind = v.get('kind') as string;
    const arrival = v.get('arrival') as number;
    const departure = v.get('departure') as number | undefined;
    const instances = v.get('instances') as number | undefined;
    const gpus = (v.get('gpus') as number | undefined) ?? 0;
    const gpuMilli = v.get('gpu_milli') as number | undefined;
    const wanted = modelList(v.get('gpu_models') as string | undefined);
    const before = problems.lines.length;
    if (kind !== 'lrp' && kind !== 'task') problems.add(`${at('kind')}: expected lrp or task, got ${shown(kind)}`);
    if (kind === 'task' && instances !== undefined && instances !== 1) problems.add(`${at('instances')}: expected 1 or nothing for a task, got ${instances}`);
    if (departure !== undefined && departure < arrival) problems.add(`${at('departure')}: expected a time at or after arrival (${arrival}), got ${departure} (departure before arrival)`);
    if (gpuMilli !== undefined && gpus === 0) problems.add(`${at('gpu_milli')}: expected gpus above 0 with a share, got gpus ${gpus}`);
    checkModels(wanted, models, at('gpu_models'), 'cells', problems);
    if (problems.lines.length > before) continue;
    const w: RawWork = { name, kind: kind as 'lrp' | 'task', instances: instances ?? 1, arrivalS: arrival, departureS: departure ?? null, memoryMB: v.get('memory_mb') as number, diskMB: (v.get('disk_mb') as number | undefined) ?? 0 };
    const cpu = v.get('cpu_milli') as number | undefined;
    if (cpu !== undefined) w.cpuMilli = cpu;
    if (gpus > 0) {
      w.gpus = gpus;
      if (gpuMilli !== undefined) w.gpuMilli = gpuMilli;
    }
    if (wanted.length > 0) w.gpuModels = wanted;
    out.push(w);
  }
  return out;
}
