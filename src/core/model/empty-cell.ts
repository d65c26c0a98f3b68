import type { CellState } from './cell-state.js';
import { copyResources } from './copy-resources.js';
import { WHOLE_GPU } from './gpus.js';

/** What an empty cell is made of; everything but id, zone and capacity has a plain default. */
export interface EmptyCellSpec {
  /** The cell's id. */
  cell_id: string;
  /** Its zone. */
  zone: string;
  /** Memory (MB). */
  memoryMB: number;
  /** Disk (MB). */
  diskMB: number;
  /** Containers. */
  containers: number;
  /** Its index (default 0). */
  cell_index?: number;
  /** Stacks of the `preloaded` fixed-set provider (default `['cflinuxfs4']`; empty for none). */
  stacks?: readonly string[];
  /** Whether it takes any docker image (default true). */
  docker?: boolean;
  /** Required placement tags (default none). */
  placementTags?: readonly string[];
  /** Optional placement tags (default none). */
  optionalPlacementTags?: readonly string[];
  /** Volume drivers (default none). */
  volumeDrivers?: readonly string[];
  /** Proxy memory per LRP (MB, default 0). */
  proxyMemoryMB?: number;
  /** CPU in millicores (default: the cell does not account CPU, as Diego's cells do not). */
  cpuMilli?: number;
  /** GPU devices (default none). */
  gpus?: number;
  /** Their model (default none). */
  gpuModel?: string;
}

/** The `/state` of an empty cell: all capacity free, nothing running, not draining. */
export function emptyCellState(spec: EmptyCellSpec): CellState {
  const total: CellState['TotalResources'] = { MemoryMB: spec.memoryMB, DiskMB: spec.diskMB, Containers: spec.containers };
  if (spec.cpuMilli !== undefined) total.CpuMilli = spec.cpuMilli;
  if (spec.gpus !== undefined && spec.gpus > 0) total.GpuMilli = new Array<number>(spec.gpus).fill(WHOLE_GPU);
  const stacks = spec.stacks ?? ['cflinuxfs4'];
  const providers: CellState['RootFSProviders'] = {};
  if (stacks.length > 0) providers['preloaded'] = { type: 'fixed_set', set: Object.fromEntries(stacks.map((s) => [s, {}])) };
  if (spec.docker ?? true) providers['docker'] = { type: 'arbitrary' };
  const state: CellState = {
    rep_url: '',
    cell_id: spec.cell_id,
    cell_index: spec.cell_index ?? 0,
    RootFSProviders: providers,
    AvailableResources: copyResources(total),
    TotalResources: total,
    LRPs: [],
    Tasks: [],
    StartingContainerCount: 0,
    Zone: spec.zone,
    Evacuating: false,
    VolumeDrivers: [...(spec.volumeDrivers ?? [])],
    PlacementTags: [...(spec.placementTags ?? [])],
    OptionalPlacementTags: [...(spec.optionalPlacementTags ?? [])],
    ProxyMemoryAllocationMB: spec.proxyMemoryMB ?? 0,
  };
  if (spec.gpuModel !== undefined) state.GpuModel = spec.gpuModel;
  return state;
}
