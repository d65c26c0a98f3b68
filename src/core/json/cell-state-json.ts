import type { CellState, LRP, Task } from '../model/cell-state.js';
import type { PlacementConstraint, ResourceRequest, Resources } from '../model/resources.js';
import type { RootFSProvider, RootFSProviders } from '../model/rootfs.js';
import { copyResources } from '../model/copy-resources.js';
import { WHOLE_GPU } from '../model/gpus.js';
import { workFields } from '../model/work-fields.js';
import { childPath, type JSONObject, Reader } from './reader.js';

/** Diego keeps memory and disk in int32. */
export const INT32_MAX = 2_147_483_647;

/**
 * Reads `{MemoryMB, DiskMB, Containers}` and auctionlab's optional `CpuMilli` and `GpuMilli` (the
 * thousandths free of each GPU device); `min` is 1 for totals (they divide the score).
 */
export function readResources(r: Reader, value: unknown, path: string, min: number): Resources {
  const o = r.object(value, path, 'an object {MemoryMB, DiskMB, Containers}');
  if (!o) return { MemoryMB: min, DiskMB: min, Containers: min };
  const out: Resources = {
    MemoryMB: r.integer(o, 'MemoryMB', path, { min, max: INT32_MAX }),
    DiskMB: r.integer(o, 'DiskMB', path, { min, max: INT32_MAX }),
    Containers: r.integer(o, 'Containers', path, { min, max: INT32_MAX }),
  };
  if (present(o, 'CpuMilli')) out.CpuMilli = r.integer(o, 'CpuMilli', path, { min, max: INT32_MAX });
  if (present(o, 'GpuMilli')) out.GpuMilli = r.list(o, 'GpuMilli', path, (v, p) => r.integerValue(v, p, { min: 0, max: WHOLE_GPU }));
  return out;
}

// Whether an optional field is there (Go leaves absent fields out, or null).
function present(o: JSONObject, key: string): boolean {
  return o[key] !== undefined && o[key] !== null;
}

/** Reads the resource part of a piece of work; MaxPids defaults to 0 (no limit); CPU and GPUs are optional. */
export function readResourceRequest(r: Reader, o: JSONObject, path: string): ResourceRequest {
  const out: ResourceRequest = {
    MemoryMB: r.integer(o, 'MemoryMB', path, { min: 0, max: INT32_MAX }),
    DiskMB: r.integer(o, 'DiskMB', path, { min: 0, max: INT32_MAX }),
    MaxPids: r.integer(o, 'MaxPids', path, { min: 0, max: INT32_MAX, default: 0 }),
  };
  if (present(o, 'CpuMilli')) out.CpuMilli = r.integer(o, 'CpuMilli', path, { min: 0, max: INT32_MAX });
  if (present(o, 'GpuCount')) out.GpuCount = r.integer(o, 'GpuCount', path, { min: 0, max: MAX_GPUS });
  if (present(o, 'GpuMilli')) out.GpuMilli = r.integer(o, 'GpuMilli', path, { min: 1, max: WHOLE_GPU });
  return out;
}

/** The most GPU devices one cell or one piece of work may name (a bound on hostile input; real machines have 8 or 16). */
export const MAX_GPUS = 1024;

/** Reads the placement part of a piece of work. `rootfsRequired` is true for requests, false for reported work. */
export function readPlacementConstraint(
  r: Reader,
  o: JSONObject,
  path: string,
  rootfsRequired: boolean,
): PlacementConstraint {
  const out: PlacementConstraint = {
    PlacementTags: r.strings(o, 'PlacementTags', path),
    VolumeDrivers: r.strings(o, 'VolumeDrivers', path),
    RootFs: rootfsRequired
      ? r.string(o, 'RootFs', path, { nonEmpty: true })
      : r.string(o, 'RootFs', path, { default: '' }),
  };
  if (present(o, 'GpuModels')) out.GpuModels = r.strings(o, 'GpuModels', path);
  return out;
}

// The GPU devices a cell says a piece of work holds (optional).
function readDevices(r: Reader, o: JSONObject, path: string, into: { GpuDevices?: number[] }): void {
  if (present(o, 'GpuDevices')) into.GpuDevices = r.list(o, 'GpuDevices', path, (v, p) => r.integerValue(v, p, { min: 0, max: MAX_GPUS - 1 }));
}

/** Reads an LRP instance as a cell reports it. */
export function readLRP(r: Reader, value: unknown, path: string): LRP | undefined {
  const o = r.object(value, path);
  if (!o) return undefined;
  const lrp: LRP = {
    instance_guid: r.string(o, 'instance_guid', path, { default: '' }),
    process_guid: r.string(o, 'process_guid', path, { nonEmpty: true }),
    index: r.integer(o, 'index', path, { min: 0, max: INT32_MAX }),
    domain: r.string(o, 'domain', path, { default: '' }),
    ...readPlacementConstraint(r, o, path, false),
    ...readResourceRequest(r, o, path),
    state: r.string(o, 'state', path, { default: '' }),
  };
  readDevices(r, o, path, lrp);
  return lrp;
}

/** Reads a task as a cell reports it. */
export function readTask(r: Reader, value: unknown, path: string): Task | undefined {
  const o = r.object(value, path);
  if (!o) return undefined;
  const task: Task = {
    TaskGuid: r.string(o, 'TaskGuid', path, { nonEmpty: true }),
    Domain: r.string(o, 'Domain', path, { default: '' }),
    ...readPlacementConstraint(r, o, path, false),
    ...readResourceRequest(r, o, path),
    state: readTaskStateField(r, o, path),
    failed: r.boolean(o, 'failed', path, { default: false }),
  };
  readDevices(r, o, path, task);
  return task;
}

// Go marshals the task state as a number (protobuf enum) in some versions and a string in others.
function readTaskStateField(r: Reader, o: JSONObject, path: string): string {
  const v = o['state'];
  if (v === undefined || v === null) return '';
  if (typeof v === 'number' && Number.isInteger(v)) return String(v);
  return r.string(o, 'state', path);
}

/** Reads a cell's rootfs providers. */
export function readRootFSProviders(r: Reader, value: unknown, path: string): RootFSProviders {
  const o = r.object(value, path, 'an object of rootfs providers by scheme');
  const out: RootFSProviders = {};
  if (!o) return out;
  for (const [scheme, raw] of Object.entries(o)) {
    const p = childPath(path, scheme);
    const po = r.object(raw, p, 'a provider {"type":"arbitrary"} or {"type":"fixed_set","set":{...}}');
    if (!po) continue;
    const provider = readProvider(r, po, p);
    if (provider) out[scheme.toLowerCase()] = provider;
  }
  return out;
}

function readProvider(r: Reader, po: JSONObject, p: string): RootFSProvider | undefined {
  const type = po['type'];
  if (type === 'arbitrary') return { type: 'arbitrary' };
  if (type === 'fixed_set') {
    const setPath = childPath(p, 'set');
    const raw = po['set'];
    if (raw === null || raw === undefined) return { type: 'fixed_set', set: {} };
    const set: Record<string, Record<string, never>> = {};
    // Diego marshals the set as an object of empty objects; a list of names is accepted too.
    if (Array.isArray(raw)) {
      raw.forEach((s, i) => {
        if (typeof s === 'string') set[s] = {};
        else r.fail(childPath(setPath, i), 'a stack name', s);
      });
      return { type: 'fixed_set', set };
    }
    const so = r.object(raw, setPath, 'an object of stack names, e.g. {"cflinuxfs4":{}}');
    if (!so) return undefined;
    for (const name of Object.keys(so)) set[name] = {};
    return { type: 'fixed_set', set };
  }
  r.fail(childPath(p, 'type'), '"arbitrary" or "fixed_set"', type);
  return undefined;
}

/**
 * Reads one rep `/state` document. Lists Go leaves `null` count as empty; fields newer or older reps
 * add are ignored, so a dump of real reps parses as it is.
 */
export function readCellState(r: Reader, value: unknown, path: string): CellState | undefined {
  const o = r.object(value, path, 'a cell state object (a rep /state document)');
  if (!o) return undefined;
  const before = r.problems.length;
  const state: CellState = {
    rep_url: r.string(o, 'rep_url', path, { default: '' }),
    cell_id: r.string(o, 'cell_id', path, { nonEmpty: true }),
    cell_index: r.integer(o, 'cell_index', path, { min: 0, max: INT32_MAX, default: 0 }),
    RootFSProviders: readRootFSProviders(r, o['RootFSProviders'], childPath(path, 'RootFSProviders')),
    AvailableResources: readResources(r, o['AvailableResources'], childPath(path, 'AvailableResources'), 0),
    TotalResources: readResources(r, o['TotalResources'], childPath(path, 'TotalResources'), 1),
    LRPs: r.list(o, 'LRPs', path, (v, p) => readLRP(r, v, p), { default: [] }),
    Tasks: r.list(o, 'Tasks', path, (v, p) => readTask(r, v, p), { default: [] }),
    StartingContainerCount: r.integer(o, 'StartingContainerCount', path, { min: 0, max: INT32_MAX, default: 0 }),
    Zone: r.string(o, 'Zone', path, { default: '' }),
    Evacuating: r.boolean(o, 'Evacuating', path, { default: false }),
    VolumeDrivers: r.strings(o, 'VolumeDrivers', path),
    PlacementTags: r.strings(o, 'PlacementTags', path),
    OptionalPlacementTags: r.strings(o, 'OptionalPlacementTags', path),
    ProxyMemoryAllocationMB: r.integer(o, 'ProxyMemoryAllocationMB', path, { min: 0, max: INT32_MAX, default: 0 }),
  };
  if (present(o, 'GpuModel')) state.GpuModel = r.string(o, 'GpuModel', path);
  if (r.problems.length === before) {
    for (const key of ['MemoryMB', 'DiskMB', 'Containers'] as const) {
      if (state.AvailableResources[key] > state.TotalResources[key]) {
        r.report(
          childPath(childPath(path, 'AvailableResources'), key),
          `expected at most TotalResources.${key} (${state.TotalResources[key]}), got ${state.AvailableResources[key]}`,
        );
      }
    }
    checkExtraDimensions(r, state, path);
  }
  return state;
}

// CPU and GPUs: free no more than total, on both or on neither, and one free figure per device.
function checkExtraDimensions(r: Reader, state: CellState, path: string): void {
  const avail = state.AvailableResources;
  const total = state.TotalResources;
  const at = (key: string) => childPath(childPath(path, 'AvailableResources'), key);
  if ((avail.CpuMilli === undefined) !== (total.CpuMilli === undefined)) {
    r.report(at('CpuMilli'), 'expected CpuMilli in both AvailableResources and TotalResources or in neither');
  } else if (avail.CpuMilli !== undefined && total.CpuMilli !== undefined && avail.CpuMilli > total.CpuMilli) {
    r.report(at('CpuMilli'), `expected at most TotalResources.CpuMilli (${total.CpuMilli}), got ${avail.CpuMilli}`);
  }
  const free = avail.GpuMilli;
  const all = total.GpuMilli;
  if ((free === undefined) !== (all === undefined)) {
    r.report(at('GpuMilli'), 'expected GpuMilli in both AvailableResources and TotalResources or in neither');
  } else if (free !== undefined && all !== undefined) {
    if (all.length > MAX_GPUS) r.report(childPath(childPath(path, 'TotalResources'), 'GpuMilli'), `expected at most ${MAX_GPUS} devices, got ${all.length}`);
    else if (free.length !== all.length) r.report(at('GpuMilli'), `expected one entry per device (${all.length}), got ${free.length}`);
    else {
      const over = free.findIndex((f, d) => f > (all[d] as number));
      if (over >= 0) r.report(childPath(at('GpuMilli'), over), `expected at most TotalResources.GpuMilli[${over}] (${all[over]}), got ${free[over]}`);
    }
  }
}

/** Parses one cell state, throwing an {@link InputError} that lists every problem. */
export function parseCellState(value: unknown): CellState {
  const r = new Reader();
  const state = readCellState(r, value, '');
  r.throwIfProblems();
  return state as CellState;
}

/** Prints an LRP in Diego's JSON shape and field order. */
export function lrpToJSON(l: LRP): JSONObject {
  return {
    instance_guid: l.instance_guid,
    process_guid: l.process_guid,
    index: l.index,
    domain: l.domain,
    ...workFields(l),
    state: l.state,
    ...(l.GpuDevices !== undefined ? { GpuDevices: [...l.GpuDevices] } : {}),
  };
}

/** Prints a task in Diego's JSON shape and field order. */
export function taskToJSON(t: Task): JSONObject {
  return {
    TaskGuid: t.TaskGuid,
    Domain: t.Domain,
    ...workFields(t),
    state: t.state,
    failed: t.failed,
    ...(t.GpuDevices !== undefined ? { GpuDevices: [...t.GpuDevices] } : {}),
  };
}

/** Prints a cell state in Diego's JSON shape and field order (what a rep's `/state` returns). */
export function cellStateToJSON(s: CellState): JSONObject {
  return {
    rep_url: s.rep_url,
    cell_id: s.cell_id,
    cell_index: s.cell_index,
    RootFSProviders: structuredClone(s.RootFSProviders),
    AvailableResources: resourcesToJSON(s.AvailableResources),
    TotalResources: resourcesToJSON(s.TotalResources),
    LRPs: s.LRPs.map(lrpToJSON),
    Tasks: s.Tasks.map(taskToJSON),
    StartingContainerCount: s.StartingContainerCount,
    Zone: s.Zone,
    Evacuating: s.Evacuating,
    VolumeDrivers: [...s.VolumeDrivers],
    PlacementTags: [...s.PlacementTags],
    OptionalPlacementTags: [...s.OptionalPlacementTags],
    ProxyMemoryAllocationMB: s.ProxyMemoryAllocationMB,
    ...(s.GpuModel !== undefined ? { GpuModel: s.GpuModel } : {}),
  };
}

// Resources as JSON: Diego's three, then CPU and GPUs where the cell has them.
function resourcesToJSON(r: Resources): JSONObject {
  return copyResources(r) as unknown as JSONObject;
}
