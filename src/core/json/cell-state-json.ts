import type { CellState, LRP, Task } from '../model/cell-state.js';
import type { PlacementConstraint, ResourceRequest, Resources } from '../model/resources.js';
import type { RootFSProvider, RootFSProviders } from '../model/rootfs.js';
import { workFields } from '../model/work-fields.js';
import { childPath, type JSONObject, Reader } from './reader.js';

/** Diego keeps memory and disk in int32. */
export const INT32_MAX = 2_147_483_647;

/** Reads `{MemoryMB, DiskMB, Containers}`; `min` is 1 for totals (they divide the score). */
export function readResources(r: Reader, value: unknown, path: string, min: number): Resources {
  const o = r.object(value, path, 'an object {MemoryMB, DiskMB, Containers}');
  if (!o) return { MemoryMB: min, DiskMB: min, Containers: min };
  return {
    MemoryMB: r.integer(o, 'MemoryMB', path, { min, max: INT32_MAX }),
    DiskMB: r.integer(o, 'DiskMB', path, { min, max: INT32_MAX }),
    Containers: r.integer(o, 'Containers', path, { min, max: INT32_MAX }),
  };
}

/** Reads the resource part of a piece of work; MaxPids defaults to 0 (no limit). */
export function readResourceRequest(r: Reader, o: JSONObject, path: string): ResourceRequest {
  return {
    MemoryMB: r.integer(o, 'MemoryMB', path, { min: 0, max: INT32_MAX }),
    DiskMB: r.integer(o, 'DiskMB', path, { min: 0, max: INT32_MAX }),
    MaxPids: r.integer(o, 'MaxPids', path, { min: 0, max: INT32_MAX, default: 0 }),
  };
}

/** Reads the placement part of a piece of work. `rootfsRequired` is true for requests, false for reported work. */
export function readPlacementConstraint(
  r: Reader,
  o: JSONObject,
  path: string,
  rootfsRequired: boolean,
): PlacementConstraint {
  return {
    PlacementTags: r.strings(o, 'PlacementTags', path),
    VolumeDrivers: r.strings(o, 'VolumeDrivers', path),
    RootFs: rootfsRequired
      ? r.string(o, 'RootFs', path, { nonEmpty: true })
      : r.string(o, 'RootFs', path, { default: '' }),
  };
}

/** Reads an LRP instance as a cell reports it. */
export function readLRP(r: Reader, value: unknown, path: string): LRP | undefined {
  const o = r.object(value, path);
  if (!o) return undefined;
  return {
    instance_guid: r.string(o, 'instance_guid', path, { default: '' }),
    process_guid: r.string(o, 'process_guid', path, { nonEmpty: true }),
    index: r.integer(o, 'index', path, { min: 0, max: INT32_MAX }),
    domain: r.string(o, 'domain', path, { default: '' }),
    ...readPlacementConstraint(r, o, path, false),
    ...readResourceRequest(r, o, path),
    state: r.string(o, 'state', path, { default: '' }),
  };
}

/** Reads a task as a cell reports it. */
export function readTask(r: Reader, value: unknown, path: string): Task | undefined {
  const o = r.object(value, path);
  if (!o) return undefined;
  return {
    TaskGuid: r.string(o, 'TaskGuid', path, { nonEmpty: true }),
    Domain: r.string(o, 'Domain', path, { default: '' }),
    ...readPlacementConstraint(r, o, path, false),
    ...readResourceRequest(r, o, path),
    state: readTaskStateField(r, o, path),
    failed: r.boolean(o, 'failed', path, { default: false }),
  };
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
  if (r.problems.length === before) {
    for (const key of ['MemoryMB', 'DiskMB', 'Containers'] as const) {
      if (state.AvailableResources[key] > state.TotalResources[key]) {
        r.report(
          childPath(childPath(path, 'AvailableResources'), key),
          `expected at most TotalResources.${key} (${state.TotalResources[key]}), got ${state.AvailableResources[key]}`,
        );
      }
    }
  }
  return state;
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
  };
}

/** Prints a cell state in Diego's JSON shape and field order (what a rep's `/state` returns). */
export function cellStateToJSON(s: CellState): JSONObject {
  return {
    rep_url: s.rep_url,
    cell_id: s.cell_id,
    cell_index: s.cell_index,
    RootFSProviders: structuredClone(s.RootFSProviders),
    AvailableResources: { ...s.AvailableResources },
    TotalResources: { ...s.TotalResources },
    LRPs: s.LRPs.map(lrpToJSON),
    Tasks: s.Tasks.map(taskToJSON),
    StartingContainerCount: s.StartingContainerCount,
    Zone: s.Zone,
    Evacuating: s.Evacuating,
    VolumeDrivers: [...s.VolumeDrivers],
    PlacementTags: [...s.PlacementTags],
    OptionalPlacementTags: [...s.OptionalPlacementTags],
    ProxyMemoryAllocationMB: s.ProxyMemoryAllocationMB,
  };
}
