import { PROBLEM_CONTAINERS, PROBLEM_CPU, PROBLEM_DISK, PROBLEM_GPU, PROBLEM_MEMORY } from '../errors.js';
import { type ExtraRequest, filterError, filterStage, FilterStage } from '../filters.js';
import { type GpuAsk, gpuAsk, gpusFit, pickGpus, takeGpus } from '../model/gpus.js';
import { hash32 } from '../hash.js';
import type { CellState, LRP, Task } from '../model/cell-state.js';
import type { PlacementConstraint, Resources } from '../model/resources.js';
import { appNumberOf } from '../rep/app-numbers.js';
import type { AppCells, PlacementIndex } from '../rep/placement-index.js';
import { emptyKeepingStore, giveBack, sortIntegers, takeArray } from './scratch.js';

/** Where one app's instances are in a snapshot: parallel lists of cell positions and counts. */
export interface ProcessPlacement {
  /** Cell positions in the snapshot holding at least one instance. */
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

/**
 * Diego's resource fraction of one work size on every cell, cached: `base[c]` is
 * `((1 - remMem/totMem) + (1 - remDisk/totDisk) + (1 - remContainers/totContainers)) / 3`
 * (the starting-container term is added by the scorer), or `Infinity` with the resource problems in `problems[c]` when the work does
 * not fit. An entry is recomputed only when its cell changed (`stamp[c] !== version[c]`), so after a
 * placement only the winning cell is scored anew.
 */
export interface SizeClass {
  /** Memory asked, before the cell's proxy allocation. */
  readonly memoryMB: number;
  /** Disk asked. */
  readonly diskMB: number;
  /** Whether the cell's proxy memory is added (LRPs yes, tasks no). */
  readonly proxied: boolean;
  /** CPU asked (millicores; 0: none), checked on cells that account CPU. */
  readonly cpuMilli: number;
  /** GPUs asked, or `null`. */
  readonly gpus: GpuAsk | null;
  /**
   * Whether the cells' CPU in use joins the mean of the base score (the `diego` strategy's `scoreCpu`
   * setting; cells that account CPU only): `(memory + disk + containers + cpu) / 4`.
   */
  readonly cpuScored: boolean;
  /** Cached base scores. */
  readonly base: Float64Array;
  /** Cached problem masks (0 when the work fits). */
  readonly problems: Uint8Array;
  /** The cell version each entry was computed at. */
  readonly stamp: Uint32Array;
}

/** Something a scheduler keeps with a snapshot between batches (see {@link ClusterSnapshot.attach}). */
export interface SnapshotAttachment {
  /** Hands its arrays back: the snapshot is done with. */
  release(): void;
}

/** Options for {@link ClusterSnapshot}. */
export interface SnapshotOptions {
  /** Seed of the tie-break ranks. */
  seed: number;
  /** Renumber cell indices 0..n-1 within each zone (Diego does so when binPackFirstFitWeight > 0). */
  normaliseIndices: boolean;
  /**
   * An index of instances matching the states' LRP lists (in-process reps share one). With it the
   * snapshot reads instance counts from the index instead of scanning every LRP of every cell.
   */
  index?: PlacementIndex;
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
  /** The seed of its tie-break orders. */
  readonly seed: number;
  /** The states this snapshot was built (or last refreshed) from; read them, do not change them. */
  get states(): readonly CellState[] {
    return this.cellStates;
  }
  /** Zone names, sorted. */
  readonly zoneNames: readonly string[];
  /** Zone number of each cell. */
  readonly zoneOf: Int32Array;
  /** Cells of each zone, in rank order. */
  readonly zoneCells: readonly Int32Array[];
  /** Each cell's position in its zone's list. */
  readonly zonePos: Int32Array;
  /** All cells in rank order (`byRank[rank[c]] === c`). */
  readonly byRank: Int32Array;
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
  /** Free CPU (millicores); meaningful where {@link totCpu} is above 0. */
  readonly availCpu: Float64Array;
  /** Total CPU (millicores); 0 on a cell that does not account CPU. */
  readonly totCpu: Float64Array;
  /** Free thousandths of each GPU device, per cell (a copy, changed by reservations); `undefined`: no GPUs. */
  readonly gpuFree: (number[] | undefined)[];
  /** Bumped whenever a cell's resources change; invalidates its cached scores. */
  readonly version: Uint32Array;
  /** LRPs reserved on each cell in this batch, in order (empty lists are shared and never written). */
  readonly workLRPs: LRP[][];
  /** Tasks reserved on each cell in this batch, in order (empty lists are shared and never written). */
  readonly workTasks: Task[][];
  /**
   * Cells whose figures changed (a reservation, or a refresh that found the cell's state moved on),
   * in order, since the change log's {@link ClusterSnapshot.epoch} began: score trees kept from an
   * earlier auction or batch bring just these leaves up to date. Read it, do not change it.
   */
  readonly changed: number[] = [];
  /** Bumped when {@link ClusterSnapshot.changed} is cleared: a tree synced in another epoch is rebuilt. */
  epoch = 0;
  private cellStates: readonly CellState[];
  private readonly layout: Layout;
  private attached: SnapshotAttachment | null = null;
  // The kept snapshot (see forBatch) is lent to one batch at a time.
  private lent = false;
  private readonly index: PlacementIndex | undefined;
  // Snapshot position of each index cell number (-1: not in this snapshot), when there is an index.
  private readonly posByNo: Int32Array | undefined;
  // Cells this batch reserved work on, each once (in cell order once cellsWithWork sorted them).
  private readonly reserved: number[] = [];
  // Cells a released batch reserved on: their figures here are not their states' (work turned
  // down, a reply lost), so the next refresh reads them again whatever their reps noted.
  private readonly stale: number[] = [];
  // This batch's placement records: by the index's number for the app when it has one (an array
  // read, where a map by guid was looked up and grown again batch after batch), else by guid.
  private readonly procsByNo: (ProcessPlacement | undefined)[] = [];
  // The numbers with a record in procsByNo, for release.
  private readonly procNos: number[] = [];
  private readonly procs = new Map<string, ProcessPlacement>();
  // Emptied records of released batches, for the next batch's apps (a kept snapshot's).
  private readonly spareRecords: ProcessPlacement[] = [];
  // Filter results depend only on the cells' fixed properties, so they are kept with the layout.
  private readonly constraints: Map<string, ConstraintClass>;
  // Size classes by memory, then disk; [unproxied, proxied]. Nested numeric maps: no key strings.
  private readonly sizes: [Map<number, Map<number, SizeClass>>, Map<number, Map<number, SizeClass>>] = [new Map(), new Map()];
  // Size classes of work asking for CPU or GPUs, or scored with CPU, by a key of every field (rare: keys may be strings).
  private readonly extraSizes = new Map<string, SizeClass>();

  /** Lays `states` out for scheduling; the states themselves are only read. */
  constructor(states: readonly CellState[], opts: SnapshotOptions) {
    const n = states.length;
    this.n = n;
    this.seed = opts.seed;
    this.cellStates = states;
    this.index = opts.index;
    const layout = layoutOf(states, opts);
    this.layout = layout;
    this.zoneNames = layout.zoneNames;
    this.zoneOf = layout.zoneOf;
    this.rank = layout.rank;
    this.byRank = layout.byRank;
    this.zoneCells = layout.zoneCells;
    this.zonePos = layout.zonePos;
    this.cellIndex = layout.cellIndex;
    this.posByNo = layout.posByNo;
    this.constraints = layout.constraints;
    this.availMem = takeArray('f64', n, 0);
    this.availDisk = takeArray('f64', n, 0);
    this.availCont = takeArray('f64', n, 0);
    this.totMem = takeArray('f64', n, 0);
    this.totDisk = takeArray('f64', n, 0);
    this.totCont = takeArray('f64', n, 0);
    this.proxyMem = takeArray('f64', n, 0);
    this.starting = takeArray('f64', n, 0);
    this.taskCount = takeArray('f64', n, 0);
    this.availCpu = takeArray('f64', n, 0);
    this.totCpu = takeArray('f64', n, 0);
    this.gpuFree = new Array<number[] | undefined>(n);
    this.version = takeArray('u32', n, 1);
    this.workLRPs = takeWorkLists(SPARE_LRP_LISTS, n, NO_LRPS);
    this.workTasks = takeWorkLists(SPARE_TASK_LISTS, n, NO_TASKS);
    const index = this.index;
    for (let c = 0; c < n; c++) {
      const s = states[c] as CellState;
      this.load(c, s);
      if (!index) for (const l of s.LRPs) this.addInstance(this.placementOf(l.process_guid), c);
    }
  }

  /**
   * The snapshot for one batch of an auctioneer: the one kept from its last batch, brought up to
   * date, when the states are the same cells in the same order (so the same layout), the reps share
   * a {@link PlacementIndex}, and no other batch holds it; else a new one. An auctioneer snapshots
   * the same cells batch after batch and few of them changed in between: bringing those few up to
   * date keeps every score cached and every score tree built, where a new snapshot scored every
   * cell again for every work size of the batch. It decides exactly as a new snapshot would (a
   * property test holds it to that). Release it (see {@link ClusterSnapshot.release}) as soon as
   * the batch's work is on its way to the cells.
   */
  static forBatch(states: readonly CellState[], opts: SnapshotOptions): ClusterSnapshot {
    const kept = KEPT.snap;
    if (opts.index !== undefined && kept !== null && !kept.lent && kept.seed === opts.seed && kept.index === opts.index && layoutOf(states, opts) === kept.layout) {
      kept.refresh(states);
      kept.lent = true;
      return kept;
    }
    if (opts.index === undefined) return new ClusterSnapshot(states, opts);
    const snap = new ClusterSnapshot(states, opts);
    // The new snapshot read every cell: the changes noted so far are in what it read (taken once it
    // exists, so a snapshot that failed to build leaves them for the one kept).
    opts.index.takeChanged();
    // The new one is kept from now on; the one it replaces, if free, hands its arrays back.
    if (kept !== null && !kept.lent) kept.dispose();
    KEPT.snap = snap;
    snap.lent = true;
    return snap;
  }

  // The states' figures now: each cell whose figures moved on since the last batch is reloaded, its
  // version bumped (its cached scores go stale) and logged for the score trees.
  private refresh(states: readonly CellState[]): void {
    this.cellStates = states;
    if (this.changed.length > this.n) {
      // A long log costs more to replay than rebuilding the trees that are behind it. (Emptied in
      // place: at ten thousand cells a fresh log's growth was a fifth of a batch's allocations.)
      emptyKeepingStore(this.changed);
      this.epoch++;
    }
    // Only cells whose reps noted a change, or that a batch reserved on, can differ from their
    // states: the rest are not read, nor even looked at (at ten thousand cells, reading every
    // state was the larger part of a small batch).
    const { index, posByNo, stale } = this;
    if (!index || !posByNo) throw new Error('a kept snapshot has an index');
    const cells = stale;
    for (const no of index.takeChanged()) {
      const c = no < posByNo.length ? (posByNo[no] as number) : -1;
      if (c >= 0) cells.push(c);
    }
    // In cell order, each once: the change log (and so the score trees' replay) is what a scan of
    // every cell found.
    sortIntegers(cells);
    let last = -1;
    for (const c of cells) {
      if (c === last) continue;
      last = c;
      if (!this.load(c, states[c] as CellState)) continue;
      this.version[c] = (this.version[c] as number) + 1;
      this.changed.push(c);
    }
    emptyKeepingStore(cells);
  }

  // Copies one cell's figures from its state; whether any differed from what the snapshot held.
  private load(c: number, s: CellState): boolean {
    const a = s.AvailableResources;
    const t = s.TotalResources;
    const totCpu = t.CpuMilli ?? 0;
    const availCpu = t.CpuMilli === undefined ? 0 : (a.CpuMilli ?? 0);
    const tasks = s.Tasks.length;
    const gpus = a.GpuMilli;
    const same =
      this.availMem[c] === a.MemoryMB &&
      this.availDisk[c] === a.DiskMB &&
      this.availCont[c] === a.Containers &&
      this.totMem[c] === t.MemoryMB &&
      this.totDisk[c] === t.DiskMB &&
      this.totCont[c] === t.Containers &&
      this.proxyMem[c] === s.ProxyMemoryAllocationMB &&
      this.starting[c] === s.StartingContainerCount &&
      this.taskCount[c] === tasks &&
      this.totCpu[c] === totCpu &&
      this.availCpu[c] === availCpu &&
      sameDevices(this.gpuFree[c], gpus);
    if (same) return false;
    this.availMem[c] = a.MemoryMB;
    this.availDisk[c] = a.DiskMB;
    this.availCont[c] = a.Containers;
    this.totMem[c] = t.MemoryMB;
    this.totDisk[c] = t.DiskMB;
    this.totCont[c] = t.Containers;
    this.proxyMem[c] = s.ProxyMemoryAllocationMB;
    this.starting[c] = s.StartingContainerCount;
    this.taskCount[c] = tasks;
    this.totCpu[c] = totCpu;
    this.availCpu[c] = availCpu;
    this.gpuFree[c] = gpus === undefined ? undefined : [...gpus];
    return true;
  }

  /**
   * What a scheduler keeps with the snapshot (Diego's scheduler: its score trees), so a kept
   * snapshot's next batch finds it; `null` until something is attached.
   */
  get attachment(): SnapshotAttachment | null {
    return this.attached;
  }

  /** Keeps `a` with the snapshot (releasing what was attached before); it is released with the snapshot. */
  attach(a: SnapshotAttachment): void {
    if (this.attached !== null && this.attached !== a) this.attached.release();
    this.attached = a;
  }

  /**
   * Done with the snapshot for this batch, once its work is on its way to the cells. A kept
   * snapshot (see {@link ClusterSnapshot.forBatch}) clears what belonged to the batch and waits for
   * the next one; any other hands its arrays back for the next snapshot to reuse and must not be
   * used afterwards. Optional for a snapshot made with `new`: one never released is simply collected.
   */
  release(): void {
    if (KEPT.snap === this) {
      if (!this.lent) return;
      this.lent = false;
      // The batch's work was sent (the commit holds the lists, not this array); the cells it
      // reserved on hold figures their states may never get (work turned down, a reply lost):
      // the next refresh reads those cells again whatever their reps noted.
      for (const c of this.reserved) {
        this.workLRPs[c] = NO_LRPS;
        this.workTasks[c] = NO_TASKS;
        this.stale.push(c);
      }
      emptyKeepingStore(this.reserved);
      // The batch's records go back to the pool for the next batch's (a batch reserves for tens to
      // thousands of apps: a record and two arrays each, made and dropped batch after batch, were
      // the largest part of what a batch allocated).
      const pool = this.spareRecords;
      const spare = (p: ProcessPlacement) => {
        if (pool.length >= SPARE_RECORDS) return;
        emptyKeepingStore(p.cells);
        emptyKeepingStore(p.counts);
        pool.push(p);
      };
      const byNo = this.procsByNo;
      for (let k = 0; k < this.procNos.length; k++) {
        const no = this.procNos[k] as number;
        spare(byNo[no] as ProcessPlacement);
        byNo[no] = undefined;
      }
      emptyKeepingStore(this.procNos);
      this.procs.forEach(spare);
      this.procs.clear();
      return;
    }
    this.dispose();
  }

  // Hands every array back for later snapshots (twice would hand the same arrays to two of them).
  private dispose(): void {
    if (this.released) return;
    this.released = true;
    if (KEPT.snap === this) KEPT.snap = null;
    this.attached?.release();
    this.attached = null;
    giveBack('f64', this.availMem, this.availDisk, this.availCont, this.totMem, this.totDisk, this.totCont, this.proxyMem, this.starting, this.taskCount, this.availCpu, this.totCpu);
    giveBack('u32', this.version);
    giveBackWorkLists(SPARE_LRP_LISTS, this.workLRPs, NO_LRPS);
    giveBackWorkLists(SPARE_TASK_LISTS, this.workTasks, NO_TASKS);
    for (const byDisk of this.sizes) {
      for (const m of byDisk.values()) {
        for (const sc of m.values()) {
          giveBack('f64', sc.base);
          giveBack('u8', sc.problems);
          giveBack('u32', sc.stamp);
        }
      }
      byDisk.clear();
    }
    for (const sc of this.extraSizes.values()) {
      giveBack('f64', sc.base);
      giveBack('u8', sc.problems);
      giveBack('u32', sc.stamp);
    }
    this.extraSizes.clear();
  }

  /**
   * Where the app's instances are (including this batch's reservations), or `undefined` if nowhere.
   * The record is valid until the next call or reservation: read it, do not keep it. `appNo`, the
   * number an instance of the app carries (`appNumberOf`), saves the index a lookup by guid.
   */
  instancesOf(processGuid: string, appNo = -1): ProcessPlacement | undefined {
    const no = this.numberOf(processGuid, appNo);
    const p = this.recordOf(processGuid, no);
    if (p !== undefined) return p.cells.length > 0 ? p : undefined;
    // Not reserved in this batch: read from the index into a scratch record rather than keep one
    // (a batch may ask about tens of thousands of apps and reserve for few).
    const app = this.index?.cellsOf(processGuid, no);
    if (app === undefined) return undefined;
    const scratch = this.scratch;
    emptyKeepingStore(scratch.cells);
    emptyKeepingStore(scratch.counts);
    this.readIndex(app, scratch);
    return scratch.cells.length > 0 ? scratch : undefined;
  }
  private readonly scratch = { cells: [] as number[], counts: [] as number[] };
  private released = false;

  // Appends the app's cells that are in this snapshot, as positions, with their counts.
  private readIndex(app: AppCells, into: { cells: number[]; counts: number[] }): void {
    const pos = this.posByNo;
    if (!pos) return;
    for (let k = 0; k < app.cells.length; k++) {
      const no = app.cells[k] as number;
      const c = no < pos.length ? (pos[no] as number) : -1;
      if (c < 0) continue; // a cell that did not answer, or is evacuating
      into.cells.push(c);
      into.counts.push(app.counts[k] as number);
    }
  }

  /** Sum of StartingContainerCount over all cells (the in-flight cap's starting point). */
  totalStarting(): number {
    let t = 0;
    for (let c = 0; c < this.n; c++) t += this.starting[c] as number;
    return t;
  }

  /** The cells passing the hard filters for this constraint (computed once per distinct constraint). */
  constraint(pc: PlacementConstraint): ConstraintClass {
    // Most work has no drivers, tags or GPU models: then the rootfs string itself is the key (no allocation).
    const models = pc.GpuModels ?? NO_MODELS;
    const key =
      pc.VolumeDrivers.length === 0 && pc.PlacementTags.length === 0 && models.length === 0
        ? pc.RootFs
        : `${pc.RootFs}\u0000${pc.VolumeDrivers.join('\u0001')}\u0000${pc.PlacementTags.join('\u0001')}\u0000${models.join('\u0001')}`;
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
   * The score cache for one work size (created on first use, empty until cells are scored). `extra`
   * is the work's CPU and GPU ask, if any; `cpuScored` adds the cells' CPU to the score's mean.
   */
  sizeClass(memoryMB: number, diskMB: number, proxied: boolean, extra?: ExtraRequest, cpuScored = false): SizeClass {
    const cpuMilli = extra?.CpuMilli ?? 0;
    const gpus = extra === undefined ? null : gpuAsk(extra);
    if (cpuMilli !== 0 || gpus !== null || cpuScored) {
      const key = `${proxied ? 1 : 0}/${memoryMB}/${diskMB}/${cpuMilli}/${gpus === null ? '' : `${gpus.count}x${gpus.milli}`}/${cpuScored ? 1 : 0}`;
      let sc = this.extraSizes.get(key);
      if (!sc) {
        sc = { memoryMB, diskMB, proxied, cpuMilli, gpus, cpuScored, base: takeArray('f64', this.n, 0), problems: takeArray('u8', this.n, 0), stamp: takeArray('u32', this.n, 0) };
        this.extraSizes.set(key, sc);
      }
      return sc;
    }
    const byMemory = this.sizes[proxied ? 1 : 0];
    let byDisk = byMemory.get(memoryMB);
    if (!byDisk) {
      byDisk = new Map();
      byMemory.set(memoryMB, byDisk);
    }
    let sc = byDisk.get(diskMB);
    if (!sc) {
      sc = { memoryMB, diskMB, proxied, cpuMilli: 0, gpus: null, cpuScored: false, base: takeArray('f64', this.n, 0), problems: takeArray('u8', this.n, 0), stamp: takeArray('u32', this.n, 0) };
      byDisk.set(diskMB, sc);
    }
    return sc;
  }

  /**
   * Recomputes one cell's entry of a size class with Diego's arithmetic, operation for operation
   * (see `resourceScore` in scoring.ts), so cached and uncached scores are the same floats.
   */
  rescore(sc: SizeClass, c: number): void {
    const am = this.availMem[c] as number;
    const ad = this.availDisk[c] as number;
    const ac = this.availCont[c] as number;
    const need = sc.proxied ? sc.memoryMB + (this.proxyMem[c] as number) : sc.memoryMB;
    const disk = sc.diskMB;
    let p = 0;
    if (ad < disk) p |= PROBLEM_DISK;
    if (am < need) p |= PROBLEM_MEMORY;
    if (ac < 1) p |= PROBLEM_CONTAINERS;
    const tc = this.totCpu[c] as number;
    if (tc > 0 && (this.availCpu[c] as number) < sc.cpuMilli) p |= PROBLEM_CPU;
    if (sc.gpus !== null && !gpusFit(this.gpuFree[c], sc.gpus)) p |= PROBLEM_GPU;
    sc.problems[c] = p;
    if (p !== 0) sc.base[c] = Infinity;
    else if (sc.cpuScored && tc > 0) {
      // The `scoreCpu` setting: CPU in use as a fourth term of the mean (auctionlab's; Diego has none).
      sc.base[c] =
        (1.0 - (am - need) / (this.totMem[c] as number) + (1.0 - (ad - disk) / (this.totDisk[c] as number)) + (1.0 - (ac - 1) / (this.totCont[c] as number)) + (1.0 - ((this.availCpu[c] as number) - sc.cpuMilli) / tc)) / 4.0;
    } else {
      sc.base[c] = (1.0 - (am - need) / (this.totMem[c] as number) + (1.0 - (ad - disk) / (this.totDisk[c] as number)) + (1.0 - (ac - 1) / (this.totCont[c] as number))) / 3.0;
    }
    sc.stamp[c] = this.version[c] as number;
  }

  /** The CPU and GPU problems of work on cell `c` as it stands in the snapshot (0: fits on both, or asks for neither). */
  extraProblems(c: number, work: ExtraRequest): number {
    let p = 0;
    if ((this.totCpu[c] as number) > 0 && work.CpuMilli !== undefined && (this.availCpu[c] as number) < work.CpuMilli) p |= PROBLEM_CPU;
    const ask = gpuAsk(work);
    if (ask !== null && !gpusFit(this.gpuFree[c], ask)) p |= PROBLEM_GPU;
    return p;
  }

  /** What cell `c` has free in the snapshot, as a cell reports it (a fresh object). */
  available(c: number): Resources {
    const out: Resources = { MemoryMB: this.availMem[c] as number, DiskMB: this.availDisk[c] as number, Containers: this.availCont[c] as number };
    if ((this.totCpu[c] as number) > 0) out.CpuMilli = this.availCpu[c] as number;
    const gpus = this.gpuFree[c];
    if (gpus !== undefined) out.GpuMilli = [...gpus];
    return out;
  }

  /**
   * Reserves an LRP on a cell as Diego's auctioneer does: free resources minus the instance's own
   * memory and disk (Diego adds the proxy memory only when scoring), one container, one more starting.
   */
  reserveLRP(c: number, lrp: LRP): void {
    this.take(c, lrp.MemoryMB, lrp.DiskMB, lrp);
    this.nameDevices(lrp);
    this.addInstance(this.placementOf(lrp.process_guid, appNumberOf(lrp)), c);
    // A cell's list starts as a literal of its first LRP: most cells get one from a batch of
    // restarts, and an empty array's first push reserves room for seventeen (the lists outlive the
    // young generation, carried by the Performs).
    if (this.workLRPs[c] === NO_LRPS) {
      this.firstWorkOn(c);
      this.workLRPs[c] = [lrp];
    } else this.workLRPs[c]!.push(lrp);
  }

  /**
   * The cells with work reserved in this batch (in {@link ClusterSnapshot.workLRPs} or
   * {@link ClusterSnapshot.workTasks}), in cell order: the cells to commit to, found without
   * looking at every cell. The snapshot's own list: read it before the next reservation or
   * {@link ClusterSnapshot.release}, which empties it.
   */
  cellsWithWork(): readonly number[] {
    sortIntegers(this.reserved);
    return this.reserved;
  }

  /** Reserves a task on a cell. */
  reserveTask(c: number, task: Task): void {
    this.take(c, task.MemoryMB, task.DiskMB, task);
    this.nameDevices(task);
    this.taskCount[c] = (this.taskCount[c] as number) + 1;
    if (this.workTasks[c] === NO_TASKS) {
      this.firstWorkOn(c);
      this.workTasks[c] = [task];
    } else this.workTasks[c]!.push(task);
  }

  // Lists a cell among those with work when its first LRP or task of the batch is reserved (called
  // before the work list is made, so a cell with both is listed once).
  private firstWorkOn(c: number): void {
    if (this.workLRPs[c] === NO_LRPS && this.workTasks[c] === NO_TASKS) this.reserved.push(c);
  }

  // CPU and GPUs are taken as the cell will take them (memory-rep.ts): CPU where the cell accounts
  // it, the GPU devices its own rule picks, so later auctions of the batch see what the cell will hold.
  private take(c: number, memoryMB: number, diskMB: number, extra: ExtraRequest): void {
    if ((this.totCpu[c] as number) > 0 && extra.CpuMilli !== undefined) this.availCpu[c] = (this.availCpu[c] as number) - extra.CpuMilli;
    const ask = gpuAsk(extra);
    const free = this.gpuFree[c];
    this.devices = null;
    if (ask !== null && free !== undefined) {
      this.devices = pickGpus(free, ask);
      if (this.devices !== null) takeGpus(free, this.devices, ask.milli);
    }
    this.availMem[c] = (this.availMem[c] as number) - memoryMB;
    this.availDisk[c] = (this.availDisk[c] as number) - diskMB;
    this.availCont[c] = (this.availCont[c] as number) - 1;
    this.starting[c] = (this.starting[c] as number) + 1;
    this.version[c] = (this.version[c] as number) + 1;
    this.changed.push(c);
  }

  // The GPU devices the last `take` counted on, or null.
  private devices: number[] | null = null;

  // The work sent to the cell names the devices the auctioneer counted on, and the cell takes those
  // while they are free (memory-rep.ts): the cell starts work in another order than the batch placed
  // it, and a share could otherwise land on a device a later share of the batch was counted on.
  private nameDevices(work: LRP | Task): void {
    if (this.devices !== null) work.GpuDevices = this.devices;
  }

  /** The app's placement record, read from the index the first time it is asked for (`appNo`: see instancesOf). */
  private placementOf(processGuid: string, appNo = -1): ProcessPlacement {
    const no = this.numberOf(processGuid, appNo);
    let p = this.recordOf(processGuid, no);
    if (!p) {
      const fresh = this.spareRecords.pop() ?? { cells: [], counts: [] };
      const app = this.index?.cellsOf(processGuid, no);
      if (app) this.readIndex(app, fresh);
      if (no >= 0) this.numbered(no, fresh);
      else this.procs.set(processGuid, fresh);
      p = fresh;
    }
    return p;
  }

  // The index's number for the app (`appNo` when it is that: see instancesOf), or -1: none, or no index.
  private numberOf(processGuid: string, appNo: number): number {
    return this.index?.apps.find(processGuid, appNo) ?? -1;
  }

  // This batch's record for the app numbered `no` (-1: kept by guid). A record made by guid before
  // the app was numbered (a rep numbers apps as it starts them, between a strategy's rounds) moves
  // under the number, so an app has one record in a batch however it is asked for.
  private recordOf(processGuid: string, no: number): ProcessPlacement | undefined {
    if (no < 0) return this.procs.get(processGuid);
    const p = this.procsByNo[no];
    if (p !== undefined || this.procs.size === 0) return p;
    const byGuid = this.procs.get(processGuid);
    if (byGuid !== undefined) {
      this.procs.delete(processGuid);
      this.numbered(no, byGuid);
    }
    return byGuid;
  }

  // Keeps a record under its app's number. The array is filled up to it first: a write far past its
  // end would turn it into a dictionary, and every read a hash lookup.
  private numbered(no: number, p: ProcessPlacement): void {
    const byNo = this.procsByNo;
    while (byNo.length <= no) byNo.push(undefined);
    byNo[no] = p;
    this.procNos.push(no);
  }

  private addInstance(p: ProcessPlacement, c: number): void {
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

/** What a snapshot takes from its cells' ids, zones and indices alone; shared read-only. */
interface Layout {
  readonly zoneNames: readonly string[];
  readonly zoneOf: Int32Array;
  readonly rank: Int32Array;
  readonly byRank: Int32Array;
  readonly zoneCells: readonly Int32Array[];
  readonly zonePos: Int32Array;
  readonly cellIndex: Float64Array;
  readonly posByNo: Int32Array | undefined;
  readonly constraints: Map<string, ConstraintClass>;
}

// The last layout made and what it was made from. An auctioneer snapshots the same cells batch
// after batch, and in-process reps answer with the same state objects, whose id, zone, index,
// rootfs providers, volume drivers and placement tags never change: then the layout (and which
// cells pass which filters) is the same and is reused rather than rebuilt.
let lastLayout: { states: readonly CellState[]; seed: number; normalise: boolean; index: PlacementIndex | undefined; cellCount: number; layout: Layout } | null = null;

function layoutOf(states: readonly CellState[], opts: SnapshotOptions): Layout {
  const normalise = opts.normaliseIndices;
  const last = lastLayout;
  if (
    last !== null &&
    last.seed === opts.seed &&
    last.normalise === normalise &&
    last.index === opts.index &&
    last.cellCount === (opts.index?.cellCount ?? 0) &&
    sameStates(states, last.states)
  ) {
    return last.layout;
  }
  const layout = buildLayout(states, opts);
  // A frozen list (a fetch's usable states, handed on batch after batch while they stay the same) is
  // kept as it is: the next batch's list is then usually this very one, found at once.
  lastLayout = { states: Object.isFrozen(states) ? states : [...states], seed: opts.seed, normalise, index: opts.index, cellCount: opts.index?.cellCount ?? 0, layout };
  return layout;
}

// Whether two lists hold the same state objects in the same order. A plain loop: it runs every
// batch over every cell, and `every` with its callback cost half a second of a ten-minute run at
// 12,500 cells (cpu profile).
function sameStates(a: readonly CellState[], b: readonly CellState[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function buildLayout(states: readonly CellState[], opts: SnapshotOptions): Layout {
  const n = states.length;
  const zoneNames = [...new Set(states.map((s) => s.Zone))].sort();
  const zoneNo = new Map(zoneNames.map((z, i) => [z, i] as const));
  const zoneOf = new Int32Array(n);
  const rank = new Int32Array(n);
  const cellIndex = new Float64Array(n);
  const order = cellsByRank(states, opts.seed);
  order.forEach((cell, r) => (rank[cell] = r));
  const byRank = Int32Array.from(order);
  const zonePos = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const s = states[c] as CellState;
    zoneOf[c] = zoneNo.get(s.Zone) as number;
    cellIndex[c] = s.cell_index;
  }
  // Every cell numbered first (a cell new to the index gets its number here), so each is found
  // from the number its rep notes changes under.
  const index = opts.index;
  const numbers = index ? states.map((s) => index.cellNo(s.cell_id)) : [];
  const posByNo = index ? new Int32Array(index.cellCount).fill(-1) : undefined;
  if (posByNo) numbers.forEach((no, c) => (posByNo[no] = c));
  const zoneLists: number[][] = zoneNames.map(() => []);
  for (const c of order) {
    const list = zoneLists[zoneOf[c] as number]!;
    zonePos[c] = list.length;
    list.push(c);
  }
  if (opts.normaliseIndices) cellIndex.set(normalisedCellIndices(states));
  return { zoneNames, zoneOf, rank, byRank, zoneCells: zoneLists.map((l) => Int32Array.from(l)), zonePos, cellIndex, posByNo, constraints: new Map() };
}

// At most this many emptied placement records are kept for later batches (a drill's batch may
// reserve for tens of thousands of apps; the usual one for tens).
const SPARE_RECORDS = 4096;

// The snapshot forBatch keeps between an auctioneer's batches (one: a run has one active
// auctioneer at a time, and another's batch simply gets a snapshot of its own).
const KEPT: { snap: ClusterSnapshot | null } = { snap: null };

// Whether a cell's device shares are the same as the snapshot's copy of them.
function sameDevices(held: readonly number[] | undefined, now: readonly number[] | undefined): boolean {
  if (held === undefined || now === undefined) return held === now;
  if (held.length !== now.length) return false;
  for (let i = 0; i < held.length; i++) if (held[i] !== now[i]) return false;
  return true;
}

const NO_LRPS: LRP[] = [];
const NO_MODELS: readonly string[] = [];
const NO_TASKS: Task[] = [];

// Released snapshots' per-cell work lists (every entry back to the shared empty list), by cell
// count, for the next snapshot: like scratch.ts's typed arrays, two arrays of a thousand slots per
// batch were garbage the collector kept paying for.
const SPARE_LRP_LISTS = new Map<number, LRP[][][]>();
const SPARE_TASK_LISTS = new Map<number, Task[][][]>();
const KEEP_WORK_LISTS = 8;

function takeWorkLists<T>(spares: Map<number, T[][][]>, n: number, empty: T[]): T[][] {
  return spares.get(n)?.pop() ?? new Array<T[]>(n).fill(empty);
}

function giveBackWorkLists<T>(spares: Map<number, T[][][]>, lists: T[][], empty: T[]): void {
  for (let c = 0; c < lists.length; c++) if (lists[c] !== empty) lists[c] = empty;
  let pool = spares.get(lists.length);
  if (!pool) {
    pool = [];
    spares.set(lists.length, pool);
  }
  if (pool.length < KEEP_WORK_LISTS) pool.push(lists);
}

/**
 * Cell positions in tie-break order: by `hash32("<seed>:<cell_id>")`, then by cell id. The first
 * wins ties. Shared by every scheduler so they agree on ties.
 */
export function cellsByRank(states: readonly CellState[], seed: number): number[] {
  // An auctioneer ranks the same cells batch after batch: remember the last few orders.
  const key = `${seed}|${states.map((s) => s.cell_id).join('\u0000')}`;
  const known = RANK_ORDERS.get(key);
  if (known) return [...known];
  const hashes = states.map((s) => rankHash(seed, s));
  const order = states.map((_, i) => i);
  order.sort((a, b) => (hashes[a] as number) - (hashes[b] as number) || cmp(states[a]!.cell_id, states[b]!.cell_id));
  if (RANK_ORDERS.size >= 8) RANK_ORDERS.delete(RANK_ORDERS.keys().next().value as string);
  RANK_ORDERS.set(key, order);
  return [...order];
}

// A pure memo of rank orders, keyed by seed and the cells' ids in order (a few most recent).
const RANK_ORDERS = new Map<string, readonly number[]>();

// A pure memo of rank hashes by state object: in-process reps answer every auction with the same
// state object, so a run ranks each cell once per seed.
const RANK_HASH = new WeakMap<CellState, { seed: number; id: string; hash: number }>();

function rankHash(seed: number, state: CellState): number {
  const known = RANK_HASH.get(state);
  if (known && known.seed === seed && known.id === state.cell_id) return known.hash;
  const hash = hash32(`${seed}:${state.cell_id}`);
  RANK_HASH.set(state, { seed, id: state.cell_id, hash });
  return hash;
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
