import { filterError, filterStage, FilterStage } from '../filters.js';
import { hash32 } from '../hash.js';
import type { CellState, LRP, Task } from '../model/cell-state.js';
import type { PlacementConstraint } from '../model/resources.js';

/** Where one app's instances are in a snapshot: parallel lists of cell numbers and counts. */
export interface ProcessPlacement {
  /** Cell numbers (positions in the snapshot) holding at least one instance. */
  readonly cells: number[];
  /** Instances on each of those cells. */
  readonly counts: number[];
}

/** The cells that pass the hard filters for one placement constraint, cached per constraint. */
export interface ConstraintClass {
  /** 1 for each cell that passes rootfs, volume drivers and placement tags. */
  readonly ok: Uint8Array;
  /** 1 for each zone with at least one such cell. */
  readonly zoneOk: Uint8Array;
  /** Diego's error when no cell passes anywhere, else `null`. */
  readonly error: string | null;
}

/** Options for {@link ClusterSnapshot}. */
export interface SnapshotOptions {
  /** Seed of the tie-break ranks. */
  seed: number;
  /** Renumber cell indices 0..n-1 within each zone (Diego does so when binPackFirstFitWeight > 0). */
  normaliseIndices: boolean;
}

/**
 * The auctioneer's in-memory copy of the cells' states for one batch, laid out as typed arrays so
 * the score loop touches no objects. Reservations update it, so each placement is scored against
 * the ones before it. Instance counts per (cell, app) are kept incrementally; nothing rescans a
 * cell's instance list.
 *
 * Ties between equal scores go to the cell with the lowest rank; a cell's rank orders cells by
 * `hash32("<seed>:<cell_id>")`, then by cell id. It stands in for the arbitrary order in which
 * Diego's auctioneer happens to hear back from cells, and is the same for the same seed and cells.
 */
export class ClusterSnapshot {
  /** Number of cells. */
  readonly n: number;
  /** The states this snapshot was built from (read-only). */
  readonly states: readonly CellState[];
  /** Zone names, sorted. */
  readonly zoneNames: readonly string[];
  /** Zone number of each cell. */
  readonly zoneOf: Int32Array;
  /** Cells of each zone, in rank order. */
  readonly zoneCells: readonly Int32Array[];
  /** Tie-break rank of each cell (0 wins ties). */
  readonly rank: Int32Array;
  /** The cell index the bin-pack weight multiplies. */
  readonly cellIndex: Float64Array;
  /** Free memory (MB). */
  readonly availMem: Float64Array;
  /** Free disk (MB). */
  readonly availDisk: Float64Array;
  /** Free containers. */
  readonly availCont: Float64Array;
  /** Total memory (MB). */
  readonly totMem: Float64Array;
  /** Total disk (MB). */
  readonly totDisk: Float64Array;
  /** Total containers. */
  readonly totCont: Float64Array;
  /** Proxy memory each LRP costs on the cell (MB). */
  readonly proxyMem: Float64Array;
  /** Containers starting on the cell. */
  readonly starting: Float64Array;
  /** Tasks on the cell. */
  readonly taskCount: Float64Array;
  /** Instances of the app being scored on each cell; zero outside a scoring pass. */
  readonly sameApp: Float64Array;
  /** LRPs reserved on each cell in this batch, in order. */
  readonly workLRPs: LRP[][];
  /** Tasks reserved on each cell in this batch, in order. */
  readonly workTasks: Task[][];
  private readonly procs = new Map<string, ProcessPlacement>();
  private readonly constraints = new Map<string, ConstraintClass>();

  constructor(states: readonly CellState[], opts: SnapshotOptions) {
    const n = states.length;
    this.n = n;
    this.states = states;
    this.zoneNames = [...new Set(states.map((s) => s.Zone))].sort();
    const zoneNo = new Map(this.zoneNames.map((z, i) => [z, i] as const));
    this.zoneOf = new Int32Array(n);
    this.rank = new Int32Array(n);
    this.cellIndex = new Float64Array(n);
    this.availMem = new Float64Array(n);
    this.availDisk = new Float64Array(n);
    this.availCont = new Float64Array(n);
    this.totMem = new Float64Array(n);
    this.totDisk = new Float64Array(n);
    this.totCont = new Float64Array(n);
    this.proxyMem = new Float64Array(n);
    this.starting = new Float64Array(n);
    this.taskCount = new Float64Array(n);
    this.sameApp = new Float64Array(n);
    this.workLRPs = [];
    this.workTasks = [];

    const byRank = cellsByRank(states, opts.seed);
    byRank.forEach((cell, r) => (this.rank[cell] = r));

    for (let c = 0; c < n; c++) {
      const s = states[c] as CellState;
      this.zoneOf[c] = zoneNo.get(s.Zone) as number;
      this.cellIndex[c] = s.cell_index;
      this.availMem[c] = s.AvailableResources.MemoryMB;
      this.availDisk[c] = s.AvailableResources.DiskMB;
      this.availCont[c] = s.AvailableResources.Containers;
      this.totMem[c] = s.TotalResources.MemoryMB;
      this.totDisk[c] = s.TotalResources.DiskMB;
      this.totCont[c] = s.TotalResources.Containers;
      this.proxyMem[c] = s.ProxyMemoryAllocationMB;
      this.starting[c] = s.StartingContainerCount;
      this.taskCount[c] = s.Tasks.length;
      this.workLRPs.push([]);
      this.workTasks.push([]);
      for (const l of s.LRPs) this.addInstance(l.process_guid, c);
    }

    const zoneLists: number[][] = this.zoneNames.map(() => []);
    for (const c of byRank) zoneLists[this.zoneOf[c] as number]!.push(c);
    this.zoneCells = zoneLists.map((l) => Int32Array.from(l));

    if (opts.normaliseIndices) this.cellIndex.set(normalisedCellIndices(states));
  }

  /** Where the app's instances are, or `undefined` if it has none. */
  instancesOf(processGuid: string): ProcessPlacement | undefined {
    return this.procs.get(processGuid);
  }

  /** Sum of StartingContainerCount over all cells (the in-flight cap's starting point). */
  totalStarting(): number {
    let t = 0;
    for (let c = 0; c < this.n; c++) t += this.starting[c] as number;
    return t;
  }

  /** The cells passing the hard filters for this constraint (computed once per distinct constraint). */
  constraint(pc: PlacementConstraint): ConstraintClass {
    const key = `${pc.RootFs}\u0000${pc.VolumeDrivers.join('\u0001')}\u0000${pc.PlacementTags.join('\u0001')}`;
    let cls = this.constraints.get(key);
    if (!cls) {
      const ok = new Uint8Array(this.n);
      const zoneOk = new Uint8Array(this.zoneNames.length);
      let furthest: FilterStage = FilterStage.RootFS;
      for (let c = 0; c < this.n; c++) {
        const stage = filterStage(this.states[c] as CellState, pc);
        if (stage > furthest) furthest = stage;
        if (stage === FilterStage.Passed) {
          ok[c] = 1;
          zoneOk[this.zoneOf[c] as number] = 1;
        }
      }
      cls = { ok, zoneOk, error: filterError(furthest, pc) };
      this.constraints.set(key, cls);
    }
    return cls;
  }

  /**
   * Reserves an LRP on a cell as Diego's auctioneer does: free resources minus the instance's own
   * memory and disk (Diego adds the proxy memory only when scoring), one container, one more starting.
   */
  reserveLRP(c: number, lrp: LRP): void {
    this.availMem[c] = (this.availMem[c] as number) - lrp.MemoryMB;
    this.availDisk[c] = (this.availDisk[c] as number) - lrp.DiskMB;
    this.availCont[c] = (this.availCont[c] as number) - 1;
    this.starting[c] = (this.starting[c] as number) + 1;
    this.addInstance(lrp.process_guid, c);
    this.workLRPs[c]!.push(lrp);
  }

  /** Reserves a task on a cell. */
  reserveTask(c: number, task: Task): void {
    this.availMem[c] = (this.availMem[c] as number) - task.MemoryMB;
    this.availDisk[c] = (this.availDisk[c] as number) - task.DiskMB;
    this.availCont[c] = (this.availCont[c] as number) - 1;
    this.starting[c] = (this.starting[c] as number) + 1;
    this.taskCount[c] = (this.taskCount[c] as number) + 1;
    this.workTasks[c]!.push(task);
  }

  private addInstance(processGuid: string, c: number): void {
    let p = this.procs.get(processGuid);
    if (!p) {
      p = { cells: [], counts: [] };
      this.procs.set(processGuid, p);
    }
    // States are read cell by cell, so a repeat is usually the last entry; otherwise search.
    const last = p.cells.length - 1;
    if (last >= 0 && p.cells[last] === c) {
      p.counts[last] = (p.counts[last] as number) + 1;
      return;
    }
    const at = p.cells.indexOf(c);
    if (at >= 0) p.counts[at] = (p.counts[at] as number) + 1;
    else {
      p.cells.push(c);
      p.counts.push(1);
    }
  }
}

/**
 * Cell positions in tie-break order: by `hash32("<seed>:<cell_id>")`, then by cell id. The first
 * wins ties. Shared by every scheduler so they agree on ties.
 */
export function cellsByRank(states: readonly CellState[], seed: number): number[] {
  const hashes = states.map((s) => hash32(`${seed}:${s.cell_id}`));
  const order = states.map((_, i) => i);
  return order.sort((a, b) => (hashes[a] as number) - (hashes[b] as number) || cmp(states[a]!.cell_id, states[b]!.cell_id));
}

/**
 * Diego's per-zone renumbering for bin-pack first fit: within each zone, cells get 0..n-1 in the
 * order of their own `cell_index` (equal indices by cell id).
 */
export function normalisedCellIndices(states: readonly CellState[]): number[] {
  const out = new Array<number>(states.length).fill(0);
  const zones = new Map<string, number[]>();
  states.forEach((s, i) => zones.set(s.Zone, [...(zones.get(s.Zone) ?? []), i]));
  for (const list of zones.values()) {
    list.sort((a, b) => states[a]!.cell_index - states[b]!.cell_index || cmp(states[a]!.cell_id, states[b]!.cell_id));
    list.forEach((c, i) => (out[c] = i));
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
