// Where everything sat over a run, compactly: a key frame (every cell's instances) and then, per
// frame, only what changed on the cells that changed (instances that left or came, status, use).
// Built from successive placement snapshots; the report's client rebuilds any frame from it
// (frameAt in src/report/client/report-client.js) to scrub through the run.
import type { CellStatus, PlacementApp, PlacementSnapshot, SnapshotInput } from './placement-snapshot.js';
import { RUNNING_STATE } from '../core/rep/memory-rep.js';

/** What changed on one cell in one frame (in the key frame: all of it). */
export interface CellChange {
  /** The cell's index in {@link PlacementTimeline.cells}. */
  c: number;
  /** Its status, when it changed. */
  status?: CellStatus;
  /** Instances that left: `[app, index, app, index, ...]` (apps index {@link PlacementTimeline.apps}). */
  remove?: number[];
  /** Instances that came, or changed state: `[app, index, ...]`, with one state letter each in `addStates`. */
  add?: number[];
  /** `r` running or `s` starting for each pair of `add`. */
  addStates?: string;
  /** Memory, disk and containers in use, containers starting, tasks and their memory: `[usedMemoryMB, usedDiskMB, usedContainers, starting, tasks, taskMemoryMB]`, when any changed. */
  use?: number[];
}

/**
 * An app table, sorted by guid, written compactly: each guid as the length of the start it shares
 * with the one before and the rest of it (`crashy-10` after `crashy-1`: 8 and `0`), and the apps'
 * memory as runs (`[memoryMB, how many apps, ...]`, in the same order). 200,000 apps of Diego's
 * stress mix take 1.8 MB so, 7.4 MB as objects.
 */
export interface CompactApps {
  /** Per app: characters shared with the guid before it. */
  shared: number[];
  /** Per app: the rest of its guid. */
  rest: string[];
  /** `[memoryMB, count, memoryMB, count, ...]` over the apps in order. */
  memoryRuns: number[];
}

/** Writes an app table (sorted by guid) as {@link CompactApps}. */
export function compactApps(apps: readonly PlacementApp[]): CompactApps {
  const shared: number[] = [];
  const rest: string[] = [];
  const memoryRuns: number[] = [];
  let before = '';
  for (const a of apps) {
    let n = 0;
    const most = Math.min(before.length, a.guid.length);
    while (n < most && before.charCodeAt(n) === a.guid.charCodeAt(n)) n++;
    shared.push(n);
    rest.push(a.guid.slice(n));
    before = a.guid;
    const last = memoryRuns.length - 2;
    if (last >= 0 && memoryRuns[last] === a.memoryMB) memoryRuns[last + 1]! += 1;
    else memoryRuns.push(a.memoryMB, 1);
  }
  return { shared, rest, memoryRuns };
}

/** A run's placements over time, as a `TimelineRecorder` records them. */
export interface PlacementTimeline {
  /** Each frame's time (ms of simulated time), ascending; frame 0 is the key frame. */
  times: number[];
  /** Every app that had an instance in some frame, sorted by guid (read it with the report client's `timelineApps`). */
  apps: CompactApps;
  /** The cells, with what does not change. */
  cells: { id: string; zone: string; memoryMB: number; diskMB: number; containers: number }[];
  /** Per frame, the cells that changed since the frame before (every cell in frame 0). */
  frames: CellChange[][];
}

// One cell as last recorded: its instances as keys (app x 2^20 + index, apps numbered in the
// recorder's table, ascending) with their states, and its use.
interface Seen {
  status: CellStatus;
  keys: number[];
  states: string;
  use: number[];
}

/** Instance keys: app x 2^32 + index (an index is below 2^32; apps below 2^21 keep keys exact). */
const KEY = 4_294_967_296;

const same = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);

/**
 * Records placements as a timeline: `add` a snapshot (or `addCells` the cells' states, as the
 * simulator does, without building one) in time order; `timeline()` gives the frames. Every call
 * must list the same cells in the same order (a run's cells never change).
 */
export class TimelineRecorder {
  private readonly times: number[] = [];
  private readonly frames: CellChange[][] = [];
  // Apps by guid in the order first seen (sorted, and the frames renumbered, at the end).
  private readonly appIds = new Map<string, number>();
  private readonly apps: PlacementApp[] = [];
  private cells: PlacementTimeline['cells'] = [];
  private seen: Seen[] = [];

  private appId(guid: string, memoryMB: number): number {
    let id = this.appIds.get(guid);
    if (id === undefined) {
      id = this.apps.length;
      this.appIds.set(guid, id);
      this.apps.push({ guid, memoryMB });
    }
    return id;
  }

  /** Records the snapshot taken at `atMs` (a frame of its own, even at the time of the last). */
  add(atMs: number, p: PlacementSnapshot): void {
    const global = p.apps.map((a) => this.appId(a.guid, a.memoryMB));
    this.record(
      atMs,
      p.cells.map((cell) => ({
        fixed: { id: cell.id, zone: cell.zone, memoryMB: cell.memoryMB, diskMB: cell.diskMB, containers: cell.containers },
        status: cell.status,
        instances: cell.lrps.map((a, k) => ({ key: (global[a] as number) * KEY + (cell.indices[k] as number), state: cell.states[k] ?? 'r' })),
        use: [cell.usedMemoryMB, cell.usedDiskMB, cell.usedContainers, cell.starting, cell.tasks, cell.taskMemoryMB],
      })),
    );
  }

  /**
   * Records the cells as they stand at `atMs`, from their reported states (what a snapshot is made
   * of, without the snapshot's sorted app table: cheaper, frame after frame, at 250,000 instances).
   */
  addCells(atMs: number, inputs: readonly SnapshotInput[]): void {
    this.record(
      atMs,
      inputs.map(({ state: s, status }) => {
        const dead = status === 'dead';
        const t = s.TotalResources;
        const a = s.AvailableResources;
        let taskMemoryMB = 0;
        if (!dead) for (const task of s.Tasks) taskMemoryMB += task.MemoryMB;
        return {
          fixed: { id: s.cell_id, zone: s.Zone, memoryMB: t.MemoryMB, diskMB: t.DiskMB, containers: t.Containers },
          status,
          instances: dead ? [] : s.LRPs.map((l) => ({ key: this.appId(l.process_guid, l.MemoryMB) * KEY + l.index, state: l.state === RUNNING_STATE ? 'r' : 's' })),
          use: dead ? [0, 0, 0, 0, 0, 0] : [t.MemoryMB - a.MemoryMB, t.DiskMB - a.DiskMB, t.Containers - a.Containers, s.StartingContainerCount, s.Tasks.length, taskMemoryMB],
        };
      }),
    );
  }

  private record(atMs: number, cells: readonly { fixed: PlacementTimeline['cells'][number]; status: CellStatus; instances: { key: number; state: string }[]; use: number[] }[]): void {
    if (this.times.length === 0) this.cells = cells.map((c) => c.fixed);
    else if (cells.length !== this.cells.length) throw new Error(`timeline: a snapshot of ${cells.length} cells after ${this.cells.length}`);
    const changes: CellChange[] = [];
    cells.forEach((cell, c) => {
      const before = this.seen[c];
      // Ascending keys (app, then index), states alike. Two copies of one instance on one cell count as one (the rep refuses a second copy).
      const order = cell.instances.map((_, i) => i).sort((x, y) => cell.instances[x]!.key - cell.instances[y]!.key || (cell.instances[x]!.state < cell.instances[y]!.state ? -1 : 1));
      const keys = order.map((i) => cell.instances[i]!.key);
      const states = order.map((i) => cell.instances[i]!.state).join('');
      const change: CellChange = { c };
      if (!before || before.status !== cell.status) change.status = cell.status;
      if (!before || before.states !== states || !same(before.keys, keys)) {
        // Only a cell whose instances changed is compared instance by instance.
        const was = new Map<number, string>();
        if (before) before.keys.forEach((k, i) => was.set(k, before.states[i] as string));
        const now = new Map<number, string>();
        keys.forEach((k, i) => now.set(k, states[i] as string));
        const remove: number[] = [];
        const add: number[] = [];
        let addStates = '';
        for (const k of was.keys()) if (!now.has(k)) remove.push(Math.floor(k / KEY), k % KEY);
        for (const [k, state] of now) {
          if (was.get(k) === state) continue;
          // Came, or changed state (it is added again with its new one).
          add.push(Math.floor(k / KEY), k % KEY);
          addStates += state;
        }
        if (remove.length > 0) change.remove = remove;
        if (add.length > 0) {
          change.add = add;
          change.addStates = addStates;
        }
      }
      if (!before || !same(before.use, cell.use)) change.use = cell.use;
      if (Object.keys(change).length > 1) changes.push(change);
      this.seen[c] = { status: cell.status, keys, states, use: cell.use };
    });
    this.times.push(atMs);
    this.frames.push(changes);
  }

  /** The time of the last frame recorded, or null before the first. */
  lastAt(): number | null {
    return this.times.length === 0 ? null : (this.times[this.times.length - 1] as number);
  }

  /** The timeline so far, its apps sorted by guid (the frames renumbered to match). */
  timeline(): PlacementTimeline {
    const order = this.apps.map((_, i) => i).sort((x, y) => (this.apps[x]!.guid < this.apps[y]!.guid ? -1 : this.apps[x]!.guid > this.apps[y]!.guid ? 1 : 0));
    const renumber = new Array<number>(order.length);
    order.forEach((old, i) => (renumber[old] = i));
    const pairs = (list: number[] | undefined) => list?.map((v, i) => (i % 2 === 0 ? (renumber[v] as number) : v));
    return {
      times: [...this.times],
      apps: compactApps(order.map((i) => this.apps[i]!)),
      cells: this.cells,
      frames: this.frames.map((f) =>
        f.map((ch) => {
          const out: CellChange = { ...ch };
          if (ch.remove) out.remove = pairs(ch.remove) as number[];
          if (ch.add) out.add = pairs(ch.add) as number[];
          return out;
        }),
      ),
    };
  }
}
