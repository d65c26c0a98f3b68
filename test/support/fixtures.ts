// Small builders for Diego-shaped test inputs. Every field has a plain default so a test states
// only what its rule is about.
import type { AuctionBatch, CellState, LRPStartRequest, TaskStartRequest } from '../../src/index.js';
import { buildBatch } from '../../src/index.js';

/** A linux cell with docker and cflinuxfs4, empty, in zone z1, unless told otherwise. */
export function cell(id: string, over: Partial<CellState> & { memory?: number; disk?: number; containers?: number } = {}): CellState {
  const { memory = 1024, disk = 1024, containers = 10, ...rest } = over;
  const total = { MemoryMB: memory, DiskMB: disk, Containers: containers };
  return {
    rep_url: `http://${id}:1800`,
    cell_id: id,
    cell_index: 0,
    RootFSProviders: { docker: { type: 'arbitrary' }, preloaded: { type: 'fixed_set', set: { cflinuxfs4: {} } } },
    AvailableResources: { ...total },
    TotalResources: { ...total },
    LRPs: [],
    Tasks: [],
    StartingContainerCount: 0,
    Zone: 'z1',
    Evacuating: false,
    VolumeDrivers: [],
    PlacementTags: [],
    OptionalPlacementTags: [],
    ProxyMemoryAllocationMB: 0,
    ...rest,
  };
}

/** An LRP start request for `n` instances (indices 0..n-1). */
export function lrps(guid: string, n: number, memory = 10, over: Partial<LRPStartRequest> = {}): LRPStartRequest {
  return {
    process_guid: guid,
    domain: 'cf-apps',
    indices: Array.from({ length: n }, (_, i) => i),
    PlacementTags: [],
    VolumeDrivers: [],
    RootFs: 'preloaded:cflinuxfs4',
    MemoryMB: memory,
    DiskMB: 10,
    MaxPids: 0,
    ...over,
  };
}

/** A task start request. */
export function task(guid: string, memory = 10, over: Partial<TaskStartRequest> = {}): TaskStartRequest {
  return {
    TaskGuid: guid,
    Domain: 'cf-tasks',
    PlacementTags: [],
    VolumeDrivers: [],
    RootFs: 'preloaded:cflinuxfs4',
    MemoryMB: memory,
    DiskMB: 10,
    MaxPids: 0,
    ...over,
  };
}

/** A batch from requests. */
export function batchOf(l: LRPStartRequest[], t: TaskStartRequest[] = []): AuctionBatch {
  return buildBatch(l, t).batch;
}

/** An LRP as a cell reports it, for pre-existing instances. */
export function running(guid: string, index: number, memory = 10): CellState['LRPs'][number] {
  return {
    instance_guid: `${guid}-${index}`,
    process_guid: guid,
    index,
    domain: 'cf-apps',
    PlacementTags: [],
    VolumeDrivers: [],
    RootFs: 'preloaded:cflinuxfs4',
    MemoryMB: memory,
    DiskMB: 10,
    MaxPids: 0,
    state: 'RUNNING',
  };
}

/** A cell that already holds `lrpsOn` (resources taken accordingly). */
export function cellWith(id: string, lrpsOn: CellState['LRPs'], over: Parameters<typeof cell>[1] = {}): CellState {
  const c = cell(id, over);
  for (const l of lrpsOn) {
    c.LRPs.push(l);
    c.AvailableResources.MemoryMB -= l.MemoryMB;
    c.AvailableResources.DiskMB -= l.DiskMB;
    c.AvailableResources.Containers -= 1;
  }
  return c;
}
