// A Diego foundation as cfdot dumps it (`cfdot cells`, `cfdot desired-lrps`, `cfdot actual-lrps`,
// `cfdot tasks`: JSON lines of the BBS models) turned into a trace whose work already runs: cells with
// their capacity, rootfs providers, placement tags; each DesiredLRP an app desired at 0 with the cell
// of each index (`runningOn`); each running task on its cell. Field names are the BBS's JSON names:
// bbs models/cells.proto (CellPresence: cell_id, zone, capacity{memory_mb, disk_mb, containers},
// rootfs_provider_list, placement_tags, optional_placement_tags), models/desired_lrp.proto,
// models/actual_lrp.proto (ActualLRPKey and ActualLRPInstanceKey embedded: process_guid, index,
// instance_guid, cell_id; state; presence), models/task.proto (TaskDefinition embedded: rootfs,
// memory_mb, disk_mb, placement_tags; task_guid, state, cell_id).
import type { ImportProblems } from './csv-table.js';
import { FieldReader, type JsonRecord, own, readJsonLines } from './json-lines.js';
import type { Trace, TraceCell, TraceWork } from './trace.js';

/** One input file: its text and its name (for messages). */
export interface CfdotInput {
  /** The file's text. */
  text: string;
  /** The file's name. */
  file: string;
}

/** The dumps of one foundation. */
export interface CfdotFiles {
  /** `cfdot cells`. */
  cells: CfdotInput;
  /** `cfdot desired-lrps`. */
  desired: CfdotInput;
  /** `cfdot actual-lrps`. */
  actual: CfdotInput;
  /** `cfdot tasks` (optional). */
  tasks?: CfdotInput;
}

/** How to import. */
export interface CfdotOptions {
  /** How long each task runs from the start of the run (ms): cfdot does not say how long a task has left. */
  taskDurationMs: number;
}

/** What an import read, made, left out and read in a way worth saying. */
export interface CfdotReport {
  /** Records read from each file. */
  read: { cells: number; desired: number; actual: number; tasks: number };
  /** Cells written. */
  cells: number;
  /** Apps (DesiredLRPs) written. */
  apps: number;
  /** Their instances desired. */
  instances: number;
  /** Of those, running on their cells when the run starts. */
  running: number;
  /** Tasks written. */
  tasks: number;
  /** Of those, running on their cells when the run starts. */
  runningTasks: number;
  /** Records left out, by why. */
  leftOut: Record<string, number>;
  /** Records read in a way worth saying (a CLAIMED instance taken as running), by how. */
  readAs: Record<string, number>;
}

const LRP_STATES = ['UNCLAIMED', 'CLAIMED', 'RUNNING', 'CRASHED'] as const;
const PRESENCES = ['ORDINARY', 'EVACUATING', 'SUSPECT'] as const;
// Task.State's numbers: Invalid (0, no task carries it), Pending, Running, Completed, Resolving.
const TASK_STATES = ['', 'Pending', 'Running', 'Completed', 'Resolving'] as const;
// The rep's rootfs schemes (rep: models.PreloadedRootFSScheme, PreloadedOCIRootFSScheme; docker).
const PRELOADED = 'preloaded';
const PRELOADED_LAYER = 'preloaded+layer';
const DOCKER = 'docker';
/** The most instances an app may have (the scenario's own bound). */
const MAX_INSTANCES = 100_000;
const MAX_MB = 2_147_483_647;
/** The most containers a scenario's cell may hold. */
const MAX_CELL_CONTAINERS = 100_000;

type Presence = (typeof PRESENCES)[number];
type LRPState = (typeof LRP_STATES)[number];

interface ActualRecord {
  where: string;
  guid: string;
  index: number;
  cell: string;
  state: LRPState;
  presence: Presence;
}

function count(map: Record<string, number>, why: string, n = 1): void {
  map[why] = (map[why] ?? 0) + n;
}

// Whether `key` was seen before (said as a problem: `what`, and where it first was); else remembered.
function repeated(seen: Map<string, string>, key: string, rec: JsonRecord, what: string, problems: ImportProblems): boolean {
  const first = seen.get(key);
  if (first !== undefined) {
    problems.add(`${rec.where}: ${what} (first at ${first})`);
    return true;
  }
  seen.set(key, rec.where);
  return false;
}

/**
 * Reads a foundation's dumps into a trace whose work runs where the dumps say. Returns null when any
 * record had a problem (each said in `problems`), so nothing half-read is written.
 */
export function importCfdot(files: CfdotFiles, opts: CfdotOptions, problems: ImportProblems): { trace: Trace; report: CfdotReport } | null {
  const report: CfdotReport = { read: { cells: 0, desired: 0, actual: 0, tasks: 0 }, cells: 0, apps: 0, instances: 0, running: 0, tasks: 0, runningTasks: 0, leftOut: {}, readAs: {} };
  const cellRecs = readJsonLines(files.cells.text, files.cells.file, problems);
  const desiredRecs = readJsonLines(files.desired.text, files.desired.file, problems);
  const actualRecs = readJsonLines(files.actual.text, files.actual.file, problems);
  const taskRecs = files.tasks ? readJsonLines(files.tasks.text, files.tasks.file, problems) : [];
  report.read = { cells: cellRecs.length, desired: desiredRecs.length, actual: actualRecs.length, tasks: taskRecs.length };
  const desired = readDesired(desiredRecs, report.readAs, problems);
  // Volume drivers are not in a cell's presence: every cell is taken to run the drivers the apps
  // mount (assumed: cf-deployment's volume-service ops files put the drivers on every diego-cell).
  const drivers = [...new Set(desired.flatMap((d) => d.volumeDrivers ?? []))].sort();
  const cells = readCells(cellRecs, drivers, problems);
  const actual = readActual(actualRecs, problems);
  const tasks = readTasks(taskRecs, report.readAs, problems);
  if (problems.any) return null;
  const cellIds = new Set(cells.map((c) => c.id));
  placeInstances(desired, actual, cellIds, report);
  const work: TraceWork[] = [...desired];
  for (const t of tasks) {
    if (t.state === 'Completed' || t.state === 'Resolving') {
      count(report.leftOut, `${t.state.toLowerCase()} tasks (done: nothing to place)`);
      continue;
    }
    const w: TraceWork = { ...t.work, departureMs: opts.taskDurationMs };
    if (t.state === 'Running') {
      // Diego's converger fails a running task whose cell is gone (bbs db/sqldb/task_convergence.go
      // ConvergeTasks: "cell disappeared before completion"); it never runs again.
      if (!cellIds.has(t.cell)) {
        count(report.leftOut, 'running tasks on a cell not in the cells dump (the converger fails them: cell disappeared before completion)');
        continue;
      }
      w.runningOn = [t.cell];
      report.runningTasks++;
    }
    work.push(w);
    report.tasks++;
  }
  report.cells = cells.length;
  report.apps = desired.length;
  report.instances = desired.reduce((n, d) => n + d.instances, 0);
  return { trace: { name: 'foundation', header: [], cells, work }, report };
}

// Cells: the presence of each, its capacity, providers and tags.
function readCells(recs: readonly JsonRecord[], drivers: readonly string[], problems: ImportProblems): TraceCell[] {
  const out: TraceCell[] = [];
  const seen = new Map<string, string>();
  for (const rec of recs) {
    const f = new FieldReader(rec, problems);
    const o = rec.value;
    const id = f.name(o, 'cell_id', 'cell_id');
    const zone = f.name(o, 'zone', 'zone');
    const cap = f.object(o, 'capacity', 'capacity', true);
    // A rep reports its whole capacity: none of the three is 0 on a cell that can run anything (Go
    // omits a zero, so an absent one is a zero), and a scenario's cell has at least one of each.
    const memoryMB = cap ? f.int(cap, 'memory_mb', 'capacity.memory_mb', 1, MAX_MB) : 0;
    const diskMB = cap ? f.int(cap, 'disk_mb', 'capacity.disk_mb', 1, MAX_MB) : 0;
    const containers = cap ? f.int(cap, 'containers', 'capacity.containers', 1, MAX_CELL_CONTAINERS) : 0;
    const stacks = new Set<string>();
    let docker = false;
    f.objects(o, 'rootfs_provider_list', 'rootfs_provider_list').forEach((p, k) => {
      const name = f.name(p, 'name', `rootfs_provider_list[${k}].name`);
      const props = f.names(p, 'properties', `rootfs_provider_list[${k}].properties`);
      // A preloaded+layer image is layered on the same stacks (read as preloaded: see rootfsOf).
      if (name === PRELOADED || name === PRELOADED_LAYER) for (const s of props) stacks.add(s);
      else if (name === DOCKER) docker = true;
    });
    const placementTags = f.names(o, 'placement_tags', 'placement_tags');
    const optionalPlacementTags = f.names(o, 'optional_placement_tags', 'optional_placement_tags');
    if (!f.ok || repeated(seen, id, rec, `cell_id: duplicate cell ${JSON.stringify(id)}`, problems)) continue;
    out.push({ id, zone, memoryMB, diskMB, containers, stacks: [...stacks].sort(), docker, placementTags, optionalPlacementTags, volumeDrivers: [...drivers] });
  }
  return out;
}

// A rootfs as the cells' providers take it: `preloaded+layer:<stack>?layer=...` runs on the stack's
// preloaded image with a layer on top, so it needs what `preloaded:<stack>` needs.
function rootfsOf(rootfs: string, readAs: Record<string, number>): string {
  const m = /^preloaded\+layer:([^?#]*)/i.exec(rootfs);
  if (m === null) return rootfs;
  count(readAs, 'preloaded+layer rootfs read as preloaded (the same stacks)');
  return `${PRELOADED}:${m[1]}`;
}

// DesiredLRPs: one app each, desired at 0.
function readDesired(recs: readonly JsonRecord[], readAs: Record<string, number>, problems: ImportProblems): TraceWork[] {
  const out: TraceWork[] = [];
  const seen = new Map<string, string>();
  for (const rec of recs) {
    const f = new FieldReader(rec, problems);
    const o = rec.value;
    const name = f.name(o, 'process_guid', 'process_guid');
    const instances = f.int(o, 'instances', 'instances', 0, MAX_INSTANCES);
    const memoryMB = f.int(o, 'memory_mb', 'memory_mb', 0, MAX_MB);
    const diskMB = f.int(o, 'disk_mb', 'disk_mb', 0, MAX_MB);
    const rootfs = f.name(o, 'rootfs', 'rootfs');
    const placementTags = f.names(o, 'placement_tags', 'placement_tags');
    const volumeDrivers = f.objects(o, 'volume_mounts', 'volume_mounts').map((m, k) => f.name(m, 'driver', `volume_mounts[${k}].driver`));
    if (!f.ok || repeated(seen, name, rec, `process_guid: duplicate desired LRP ${JSON.stringify(name)}`, problems)) continue;
    out.push({ name, kind: 'lrp', instances, arrivalMs: 0, departureMs: null, memoryMB, diskMB, rootfs: rootfsOf(rootfs, readAs), placementTags, volumeDrivers: [...new Set(volumeDrivers)].sort() });
  }
  return out;
}

/** An embedded message's fields and the path prefix its problems carry. */
interface Embedded {
  o: Readonly<Record<string, unknown>>;
  at: string;
}

// An embedded message's fields: flat in the record (as gogoproto's encoding/json writes an embedded
// message), or nested under one of `names` (as newer protobuf JSON writes it; the problems then name
// it: `actual_lrp_key.index`). Undefined, said, when the nested one is not an object.
function embedded(f: FieldReader, o: Readonly<Record<string, unknown>>, names: readonly string[]): Embedded | undefined {
  for (const n of names) {
    if (own(o, n) === undefined) continue;
    const v = f.object(o, n, n, true);
    return v === undefined ? undefined : { o: v, at: `${n}.` };
  }
  return { o, at: '' };
}

function readActual(recs: readonly JsonRecord[], problems: ImportProblems): ActualRecord[] {
  const out: ActualRecord[] = [];
  const seen = new Map<string, string>();
  for (const rec of recs) {
    const f = new FieldReader(rec, problems);
    const o = rec.value;
    const key = embedded(f, o, ['actual_lrp_key', 'actualLrpKey']);
    const instanceKey = embedded(f, o, ['actual_lrp_instance_key', 'actualLrpInstanceKey']);
    if (key === undefined || instanceKey === undefined) continue;
    const guid = f.name(key.o, 'process_guid', `${key.at}process_guid`);
    const index = f.int(key.o, 'index', `${key.at}index`, 0, MAX_INSTANCES - 1, 0);
    const state = f.oneOf(o, 'state', 'state', LRP_STATES);
    const presence = f.oneOf(o, 'presence', 'presence', PRESENCES, 'ORDINARY');
    // An UNCLAIMED instance has no cell (the field is empty or absent).
    const cell = f.name(instanceKey.o, 'cell_id', `${instanceKey.at}cell_id`, state === 'CLAIMED' || state === 'RUNNING');
    if (!f.ok || state === undefined || presence === undefined) continue;
    if (repeated(seen, `${guid}/${index}/${presence}`, rec, `duplicate ${presence} actual LRP ${JSON.stringify(guid)} index ${index}`, problems)) continue;
    out.push({ where: rec.where, guid, index, cell, state, presence });
  }
  return out;
}

interface TaskRead {
  work: TraceWork;
  state: (typeof TASK_STATES)[number];
  cell: string;
}

function readTasks(recs: readonly JsonRecord[], readAs: Record<string, number>, problems: ImportProblems): TaskRead[] {
  const out: TaskRead[] = [];
  const seen = new Map<string, string>();
  for (const rec of recs) {
    const f = new FieldReader(rec, problems);
    const o = rec.value;
    // TaskDefinition is embedded (flat) in gogoproto's JSON; nested in newer protobuf JSON.
    const def = embedded(f, o, ['task_definition', 'taskDefinition']);
    if (def === undefined) continue;
    const name = f.name(o, 'task_guid', 'task_guid');
    const state = f.oneOf(o, 'state', 'state', TASK_STATES);
    const memoryMB = f.int(def.o, 'memory_mb', `${def.at}memory_mb`, 0, MAX_MB);
    const diskMB = f.int(def.o, 'disk_mb', `${def.at}disk_mb`, 0, MAX_MB);
    const rootfs = f.name(def.o, 'rootfs', `${def.at}rootfs`);
    const placementTags = f.names(def.o, 'placement_tags', `${def.at}placement_tags`);
    const cell = f.name(o, 'cell_id', 'cell_id', state === 'Running');
    if (!f.ok || state === undefined || repeated(seen, name, rec, `task_guid: duplicate task ${JSON.stringify(name)}`, problems)) continue;
    out.push({ work: { name, kind: 'task', instances: 1, arrivalMs: 0, departureMs: null, memoryMB, diskMB, rootfs: rootfsOf(rootfs, readAs), placementTags }, state, cell });
  }
  return out;
}

/**
 * Each desired index's cell, by Diego's records: the ordinary record when it is CLAIMED or RUNNING
 * (a claimed instance is starting there: taken as running); else a RUNNING evacuating or suspect copy
 * (the instance runs there while its replacement is found); else none, and the run auctions it
 * (counted by what its records were). A copy beside the instance chosen is left out, counted: Diego
 * stops it once the instance runs (bbs StartActualLRP removes the evacuating and suspect records).
 */
function placeInstances(desired: TraceWork[], actual: readonly ActualRecord[], cellIds: ReadonlySet<string>, report: CfdotReport): void {
  const byGuid = new Map<string, TraceWork>(desired.map((d) => [d.name, d]));
  const records = new Map<string, ActualRecord[]>();
  for (const a of actual) {
    const d = byGuid.get(a.guid);
    if (d === undefined) count(report.leftOut, 'actual LRPs with no desired LRP (extras the converger would stop)');
    else if (a.index >= d.instances) count(report.leftOut, 'actual LRPs at an index the desired LRP no longer has (extras)');
    else {
      const key = `${a.guid}/${a.index}`;
      const list = records.get(key);
      if (list) list.push(a);
      else records.set(key, [a]);
    }
  }
  const known = (a: ActualRecord) => cellIds.has(a.cell);
  const runs = (a: ActualRecord) => known(a) && (a.presence === 'ORDINARY' ? a.state === 'RUNNING' || a.state === 'CLAIMED' : a.state === 'RUNNING');
  for (const d of desired) {
    const on: (string | null)[] = [];
    for (let i = 0; i < d.instances; i++) {
      const recs = records.get(`${d.name}/${i}`) ?? [];
      // The ordinary record first, then the copies in the dump's order (a total order: one record per presence).
      const chosen = recs.find((a) => a.presence === 'ORDINARY' && runs(a)) ?? recs.find(runs);
      on.push(chosen?.cell ?? null);
      for (const a of recs) {
        if (a === chosen || a.presence === 'ORDINARY') continue;
        count(report.leftOut, `${a.presence.toLowerCase()} copies beside ${chosen ? 'the instance taken' : 'an instance not running'} (Diego stops them once it runs)`);
      }
      if (chosen === undefined) {
        count(report.readAs, `instances auctioned at the start (${notRunning(recs, known)})`);
        continue;
      }
      report.running++;
      if (chosen.presence !== 'ORDINARY') count(report.readAs, `${chosen.presence.toLowerCase()} copies taken as the instance (running on their cell while it has no other)`);
      else if (chosen.state === 'CLAIMED') count(report.readAs, 'CLAIMED instances taken as running on their cell (starting there)');
    }
    // Trailing nulls say nothing: an index past the list is not running either.
    while (on.length > 0 && on[on.length - 1] === null) on.pop();
    if (on.length > 0) d.runningOn = on;
  }
}

// Why an index runs nowhere, by its ordinary record (or its lack of one).
function notRunning(recs: readonly ActualRecord[], known: (a: ActualRecord) => boolean): string {
  const ordinary = recs.find((a) => a.presence === 'ORDINARY');
  if (ordinary === undefined) return recs.length === 0 ? 'no actual LRP' : 'no ordinary record, and no copy running on a cell in the dump';
  if (ordinary.cell !== '' && !known(ordinary)) return 'on a cell not in the cells dump (its presence lapsed)';
  return ordinary.state;
}
