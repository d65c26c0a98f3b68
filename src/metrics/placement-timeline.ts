// Where everything sat over a run, compactly: a key frame (every cell's instances) and then, per
// frame, only what changed on the cells that changed (instances that left or came, status, use).
// Built from successive placement snapshots; the report's client rebuilds any frame from it
// (frameAt in src/report/client/report-client.js) to scrub through the run.
import type { CellStatus, PlacementApp, PlacementSnapshot } from './placement-snapshot.js';

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

/** A run's placements over time, as a `TimelineRecorder` records them. */
export interface PlacementTimeline {
  /** Each frame's time (ms of simulated time), ascending; frame 0 is the key frame. */
  times: number[];
  /** Every app that had an instance in some frame, sorted by guid. */
  apps: PlacementApp[];
  /** The cells, with what does not change. */
  cells: { id: string; zone: string; memoryMB: number; diskMB: number; containers: number }[];
  /** Per frame, the cells that changed since the frame before (every cell in frame 0). */
  frames: CellChange[][];
}

// One cell as last recorded: its instances (apps numbered in the recorder's table), states and use.
interface Seen {
  status: CellStatus;
  lrps: number[];
  indices: number[];
  states: string;
  use: number[];
}

// A cell's instances as `app:index` keys with their state.
function keyed(lrps: readonly number[], indices: readonly number[], states: string): Map<string, string> {
  const m = new Map<string, string>();
  lrps.forEach((a, k) => m.set(`${a}:${indices[k]!}`, states[k] ?? 'r'));
  return m;
}

const same = (x: readonly number[], y: readonly number[]) => x.length === y.length && x.every((v, i) => v === y[i]);

/**
 * Records placement snapshots as a timeline: `add` each in time order; `timeline()` gives the
 * frames. Snapshots must list the same cells in the same order (a run's cells never change).
 */
export class TimelineRecorder {
  private readonly times: number[] = [];
  private readonly frames: CellChange[][] = [];
  // Apps by guid in the order first seen (sorted, and the frames renumbered, at the end).
  private readonly appIds = new Map<string, number>();
  private readonly apps: PlacementApp[] = [];
  private cells: PlacementTimeline['cells'] = [];
  private seen: Seen[] = [];

  /** Records the snapshot taken at `atMs`; a second one at the same time replaces nothing: it is a frame of its own. */
  add(atMs: number, p: PlacementSnapshot): void {
    if (this.times.length === 0) this.cells = p.cells.map((c) => ({ id: c.id, zone: c.zone, memoryMB: c.memoryMB, diskMB: c.diskMB, containers: c.containers }));
    else if (p.cells.length !== this.cells.length) throw new Error(`timeline: a snapshot of ${p.cells.length} cells after ${this.cells.length}`);
    const global = p.apps.map((a) => {
      let id = this.appIds.get(a.guid);
      if (id === undefined) {
        id = this.apps.length;
        this.appIds.set(a.guid, id);
        this.apps.push({ guid: a.guid, memoryMB: a.memoryMB });
      }
      return id;
    });
    const changes: CellChange[] = [];
    p.cells.forEach((cell, c) => {
      const before = this.seen[c];
      const lrps = cell.lrps.map((a) => global[a] as number);
      const states = cell.states ?? '';
      const use = [cell.usedMemoryMB, cell.usedDiskMB, cell.usedContainers, cell.starting, cell.tasks, cell.taskMemoryMB];
      const change: CellChange = { c };
      if (!before || before.status !== cell.status) change.status = cell.status;
      if (!before || before.states !== states || !same(before.lrps, lrps) || !same(before.indices, cell.indices)) {
        // Only a cell whose instances changed is compared instance by instance.
        const now = keyed(lrps, cell.indices, states);
        const was = before ? keyed(before.lrps, before.indices, before.states) : new Map<string, string>();
        const remove: number[] = [];
        const add: number[] = [];
        let addStates = '';
        for (const key of was.keys()) if (!now.has(key)) remove.push(...key.split(':').map(Number));
        for (const [key, state] of now) {
          if (was.get(key) === state) continue;
          // Came, or changed state (it is added again with its new one).
          add.push(...key.split(':').map(Number));
          addStates += state;
        }
        if (remove.length > 0) change.remove = remove;
        if (add.length > 0) {
          change.add = add;
          change.addStates = addStates;
        }
      }
      if (!before || !same(before.use, use)) change.use = use;
      if (Object.keys(change).length > 1) changes.push(change);
      this.seen[c] = { status: cell.status, lrps, indices: [...cell.indices], states, use };
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
      apps: order.map((i) => this.apps[i]!),
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
