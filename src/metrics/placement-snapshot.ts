import type { CellState } from '../core/model/cell-state.js';
import { RUNNING_STATE } from '../core/rep/memory-rep.js';
import { appNumberOf, type AppNumbers } from '../core/rep/app-numbers.js';
import { stringOrder } from './sorted-strings.js';

/** How a cell stood when the snapshot was taken. */
export type CellStatus = 'live' | 'evacuating' | 'partitioned' | 'dead';

/** One cell in a {@link PlacementSnapshot}. */
export interface PlacementCell {
  /** Cell id. */
  id: string;
  /** Availability zone. */
  zone: string;
  /** Live, evacuating, cut off by a partition, or dead (a dead cell holds nothing). */
  status: CellStatus;
  /** Total memory (MB). */
  memoryMB: number;
  /** Total disk (MB). */
  diskMB: number;
  /** Total containers. */
  containers: number;
  /** Memory in use (MB). */
  usedMemoryMB: number;
  /** Disk in use (MB). */
  usedDiskMB: number;
  /** Containers in use. */
  usedContainers: number;
  /** Containers still starting. */
  starting: number;
  /** One entry per LRP instance on the cell: the index of its app in {@link PlacementSnapshot.apps}, ascending. */
  lrps: number[];
  /** The instance index of each entry of {@link PlacementCell.lrps} (ascending within an app), so `apps[lrps[k]].guid` and `indices[k]` name it. */
  indices: number[];
  /** One letter per entry of {@link PlacementCell.lrps}: `r` running, `s` starting (reserved, its container not yet running). */
  states: string;
  /** Tasks on the cell. */
  tasks: number;
  /** Memory the tasks use (MB). */
  taskMemoryMB: number;
}

/** An app in a {@link PlacementSnapshot}. */
export interface PlacementApp {
  /** Process guid. */
  guid: string;
  /** Memory per instance (MB). */
  memoryMB: number;
}

/**
 * Where everything sits at one moment: every cell with its capacity and use, and its LRP instances
 * as indices into an app table (compact enough to embed 250,000 instances in a report).
 */
export interface PlacementSnapshot {
  /** Apps, sorted by guid. */
  apps: PlacementApp[];
  /** Cells, in the order given. */
  cells: PlacementCell[];
}

/** A cell to snapshot: its reported state and how it stands. */
export interface SnapshotInput {
  /** The cell's state (what `/state` answers). */
  state: CellState;
  /** How the cell stands. */
  status: CellStatus;
}

/** Takes a placement snapshot of cells. Dead cells are listed with their capacity and nothing on them. */
export function snapshotPlacement(cells: readonly SnapshotInput[]): PlacementSnapshot {
  return snapshotWith(cells, appTable(cells));
}

/**
 * {@link snapshotPlacement} of cells whose reps number their apps in `numbers` (the simulator's
 * shared placement index): the same snapshot, with the apps put in order by their numbers. Sorting
 * every instance's guid read 2.4 million strings scattered over diego-x10's heap of gigabytes
 * (7.3-8.3 s at its run's end, each try after a full collection, against 0.1 s at 250k); here each
 * app's guid is read once, in the order the apps were numbered (5.2-5.4 s; bench/RESULTS.md).
 */
export function snapshotNumbered(cells: readonly SnapshotInput[], numbers: AppNumbers): PlacementSnapshot {
  return snapshotWith(cells, numberedAppTable(cells, numbers) ?? appTable(cells));
}

function snapshotWith(cells: readonly SnapshotInput[], table: AppTable): PlacementSnapshot {
  const { apps, appOf } = table;
  // One buffer for every cell's sort keys, as long as the largest cell's list: a buffer per cell
  // added up to 20 MiB of external memory at diego-x10's run's end (see AppTable).
  let most = 0;
  for (const { state } of cells) most = Math.max(most, state.LRPs.length);
  const keyBuffer = new Float64Array(most);
  let at = 0;
  const out: PlacementCell[] = cells.map(({ state: s, status }) => {
    const t = s.TotalResources;
    const a = s.AvailableResources;
    const dead = status === 'dead';
    const { lrps, indices, states } = dead ? { lrps: [], indices: [], states: '' } : cellEntries(s, appOf, at, keyBuffer);
    if (!dead) at += s.LRPs.length;
    let taskMemoryMB = 0;
    if (!dead) for (const task of s.Tasks) taskMemoryMB += task.MemoryMB;
    return {
      id: s.cell_id,
      zone: s.Zone,
      status,
      memoryMB: t.MemoryMB,
      diskMB: t.DiskMB,
      containers: t.Containers,
      usedMemoryMB: dead ? 0 : t.MemoryMB - a.MemoryMB,
      usedDiskMB: dead ? 0 : t.DiskMB - a.DiskMB,
      usedContainers: dead ? 0 : t.Containers - a.Containers,
      starting: dead ? 0 : s.StartingContainerCount,
      lrps,
      indices,
      states,
      tasks: dead ? 0 : s.Tasks.length,
      taskMemoryMB,
    };
  });
  return { apps, cells: out };
}

/**
 * The apps of the live cells' instances sorted by guid (each with the memory of its first instance
 * in cell order), and the app of each instance, numbered through the live cells in order. The guids
 * are put in order by one stable sort of every instance's guid (equal guids adjacent, in cell order)
 * rather than looked up in a map by guid: at diego-x10's million apps and 2.5 million instances,
 * the map's lookups were most of the run's-end snapshot.
 */
function appTable(cells: readonly SnapshotInput[]): AppTable {
  const total = liveInstances(cells);
  const guids = new Array<string>(total);
  const memory = new Array<number>(total);
  let k = 0;
  for (const { state, status } of cells) {
    if (status === 'dead') continue;
    for (const l of state.LRPs) {
      guids[k] = l.process_guid;
      memory[k++] = l.MemoryMB;
    }
  }
  const order = stringOrder(guids);
  const appOf = new Array<number>(total);
  const apps: PlacementApp[] = [];
  let last: string | undefined;
  for (let r = 0; r < total; r++) {
    const i = order[r] as number;
    const guid = guids[i] as string;
    // The first of a run of equal guids is the app's first instance in cell order (a stable sort).
    if (r === 0 || guid !== last) apps.push({ guid, memoryMB: memory[i] as number });
    last = guid;
    appOf[i] = apps.length - 1;
  }
  return { apps, appOf };
}

// LRP instances on the cells not dead.
function liveInstances(cells: readonly SnapshotInput[]): number {
  let total = 0;
  for (const { state, status } of cells) if (status !== 'dead') total += state.LRPs.length;
  return total;
}

// The apps sorted by guid, and the position in that list of each live instance's app (numbered
// through the live cells in order). Here and below the snapshot's working arrays are plain arrays of
// small integers, not typed arrays: V8 counts a typed array's buffer as external memory, and past 64
// MiB of it since the last full collection marks the whole heap at once; at diego-x10's run's end
// (a heap of 3 GiB) the collection that set off cost seconds (bench/RESULTS.md).
interface AppTable {
  apps: PlacementApp[];
  appOf: number[];
}

/**
 * What {@link appTable} answers, from the apps' numbers in `numbers`: each instance's number (the one
 * it carries, checked, else looked up by guid), each app's first instance in cell order, then one
 * sort of the apps present by guid. The same table, since a number stands for exactly one guid;
 * null if an instance's app has no number there (the caller sorts the guids instead).
 */
function numberedAppTable(cells: readonly SnapshotInput[], numbers: AppNumbers): AppTable | null {
  const total = liveInstances(cells);
  const limit = numbers.limit;
  const appOf = new Array<number>(total);
  // By app number: the memory of its first instance in cell order, and (-1: none) that it has one.
  const memory = new Array<number>(limit);
  const rank = new Array<number>(limit).fill(-1);
  let k = 0;
  let present = 0;
  for (const { state, status } of cells) {
    if (status === 'dead') continue;
    for (const l of state.LRPs) {
      const no = numbers.find(l.process_guid, appNumberOf(l));
      if (no === undefined) return null;
      if (rank[no] === -1) {
        rank[no] = 0;
        memory[no] = l.MemoryMB;
        present++;
      }
      appOf[k++] = no;
    }
  }
  // The apps present, in number order (the order their guids were made in, so read in sequence).
  const nos = new Array<number>(present);
  const guids = new Array<string>(present);
  let p = 0;
  for (let no = 0; no < limit; no++) {
    if (rank[no] === -1) continue;
    nos[p] = no;
    guids[p++] = numbers.guid(no) as string;
  }
  const order = stringOrder(guids);
  const apps = new Array<PlacementApp>(present);
  for (let r = 0; r < present; r++) {
    const i = order[r] as number;
    const no = nos[i] as number;
    apps[r] = { guid: guids[i] as string, memoryMB: memory[no] as number };
    rank[no] = r;
  }
  for (let i = 0; i < total; i++) appOf[i] = rank[appOf[i] as number] as number;
  return { apps, appOf };
}

// Packed sort keys `(app x 2^25 + index) x 2 + (starting ? 1 : 0)` stay exact integers (below 2^53)
// while apps stay below 2^27 and indices below 2^25 (a scenario allows 100,000 per app).
const INDEX_SPAN = 2 ** 25;
const APP_SPAN = 2 ** 27;

/**
 * A cell's LRP entries sorted by (app, instance index, state): a total order, so the snapshot is the
 * same whatever order the cell listed them in. One packed number per entry sorted as a typed array:
 * at 2.5 million instances a tuple per entry and a comparator sort cost seconds at the run's end.
 */
function cellEntries(s: CellState, appOf: readonly number[], first: number, keyBuffer: Float64Array): { lrps: number[]; indices: number[]; states: string } {
  const n = s.LRPs.length;
  // Only this cell's entries are sorted: a view of the buffer's first n (no keys are kept once read).
  const keys = keyBuffer.subarray(0, n);
  for (let i = 0; i < n; i++) {
    const l = s.LRPs[i] as CellState['LRPs'][number];
    const app = appOf[first + i] as number;
    if (app >= APP_SPAN || l.index >= INDEX_SPAN || l.index < 0 || !Number.isInteger(l.index)) return tupleEntries(s, appOf, first);
    keys[i] = (app * INDEX_SPAN + l.index) * 2 + (l.state === RUNNING_STATE ? 0 : 1);
  }
  keys.sort();
  const lrps = new Array<number>(n);
  const indices = new Array<number>(n);
  let states = '';
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    const pair = Math.floor(k / 2);
    lrps[i] = Math.floor(pair / INDEX_SPAN);
    indices[i] = pair % INDEX_SPAN;
    states += k % 2 === 0 ? 'r' : 's';
  }
  return { lrps, indices, states };
}

// The general path, for indices a packed key cannot hold.
function tupleEntries(s: CellState, appOf: readonly number[], first: number): { lrps: number[]; indices: number[]; states: string } {
  const pairs = s.LRPs.map((l, i) => [appOf[first + i] as number, l.index, l.state === RUNNING_STATE ? 'r' : 's'] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0));
  return { lrps: pairs.map((p) => p[0]), indices: pairs.map((p) => p[1]), states: pairs.map((p) => p[2]).join('') };
}
