import { AppNumbers } from './app-numbers.js';
import { emptyKeepingStore } from '../scheduler/scratch.js';

/**
 * One app's cells in a {@link PlacementIndex}: parallel lists of cell numbers (see
 * {@link PlacementIndex.cellNo}) and instance counts, in the order cells got an instance.
 */
export interface AppCells {
  /** Cell numbers. */
  readonly cells: readonly number[];
  /** Instances of the app on each. */
  readonly counts: readonly number[];
}

interface MutableAppCells {
  cells: number[];
  counts: number[];
}

/**
 * Where every app's instances are across a set of cells, kept incrementally by the reps as they
 * start and stop work: app to (cell, instances) pairs.
 *
 * It is an accelerator, not a source of truth: a rep may attach it to its `state` reply, and a
 * scheduler that gets the same index from every cell uses it instead of rescanning every cell's
 * LRP list. It must say exactly what those lists say; reps keep it so. The reps also note every
 * change of their cells' figures here ({@link PlacementIndex.changedAt}), so an auctioneer's
 * snapshot kept between batches looks again only at the cells that changed.
 */
export class PlacementIndex {
  /** The apps' numbers: the reps sharing this index number their apps by it too. */
  readonly apps = new AppNumbers();
  // By app number: NONE, or (most apps sit on one cell) one small integer packing the cell number
  // and the count (see entry), no record and no arrays; an app on several cells has short parallel
  // lists. An array by number, not a map by guid: no hashing, and no table rebuilt as apps come and go.
  private readonly byApp: (number | MutableAppCells)[] = [];
  // Cells are numbered as they are first seen, so the lists hold small integers, not id strings.
  private readonly numbers = new Map<string, number>();
  private readonly ids: string[] = [];
  // The cells whose figures (free resources, starting containers, tasks) changed since the last
  // takeChanged, each once (marked by cell number): an auctioneer's kept snapshot reloads just
  // these. A list rather than a count per cell, so that finding them costs the changes, not a scan
  // of every cell each batch (at Diego's loads nearly every cell changes between batches, so this
  // saves little: bench/RESULTS.md, #24 seventh step).
  private changedList: number[] = [];
  private spareList: number[] = [];
  private marked = new Uint8Array(64);
  private evacuationCount = 0;
  // What cellsOf answers for an app on one cell (read at once by its callers, then reused).
  private readonly one: MutableAppCells = { cells: [0], counts: [0] };

  /** The number standing for a cell id in this index (assigned on first use, never changes). */
  cellNo(cellId: string): number {
    let no = this.numbers.get(cellId);
    if (no === undefined) {
      no = this.ids.length;
      this.numbers.set(cellId, no);
      this.ids.push(cellId);
      if (no >= this.marked.length) {
        const more = new Uint8Array(this.marked.length * 2);
        more.set(this.marked);
        this.marked = more;
      }
    }
    return no;
  }

  /** Notes that a cell's figures changed: its rep took or gave resources, or a container started running. */
  changedAt(cellNo: number): void {
    if (this.marked[cellNo] !== 0) return;
    this.marked[cellNo] = 1;
    this.changedList.push(cellNo);
  }

  /**
   * The cells whose figures changed since the last call, each once, in the order of their first
   * change; the next call starts afresh. One reader takes them (an auctioneer's kept snapshot), and
   * it must read again every cell it takes: a change taken is seen by nobody else. The array is
   * reused by the next call: read it before calling again.
   */
  takeChanged(): readonly number[] {
    const out = this.changedList;
    for (const no of out) this.marked[no] = 0;
    this.changedList = this.spareList;
    // Emptied in place, keeping its store: the list is refilled between every two batches.
    emptyKeepingStore(this.changedList);
    this.spareList = out;
    return out;
  }

  /**
   * How many times a rep sharing this index has started or stopped draining (MemoryRep.setEvacuating):
   * while it stays the same, no such rep's state changed its `Evacuating`, so a state fetch whose
   * replies are the very ones of the last fetch keeps the same states (protocol-steps usableStates).
   */
  get evacuationChanges(): number {
    return this.evacuationCount;
  }

  /** Notes that a rep sharing this index set its `Evacuating` (see {@link PlacementIndex.evacuationChanges}). */
  evacuationChanged(): void {
    this.evacuationCount++;
  }

  /** Cell numbers handed out so far (they run from 0 to this minus one). */
  get cellCount(): number {
    return this.ids.length;
  }

  /** Adds `delta` instances of an app on a cell (negative to remove). */
  add(processGuid: string, cellId: string, delta: number): void {
    this.addAt(processGuid, this.cellNo(cellId), delta);
  }

  /** {@link PlacementIndex.add} by cell number. */
  addAt(processGuid: string, cellNo: number, delta: number): void {
    const no = delta > 0 ? this.apps.no(processGuid) : this.apps.find(processGuid);
    if (no !== undefined) this.addByNumbers(no, cellNo, delta);
  }

  /** {@link PlacementIndex.add} by app number ({@link PlacementIndex.apps}) and cell number. */
  addByNumbers(appNo: number, cellNo: number, delta: number): void {
    // A number this index never gave would grow its table to that size, or land on no app.
    if (!(appNo >= 0 && appNo < this.apps.limit)) throw new RangeError(`placement index: app number ${appNo} was never given`);
    const byApp = this.byApp;
    while (byApp.length <= appNo) byApp.push(NONE);
    const app = byApp[appNo] as number | MutableAppCells;
    if (app === NONE) {
      if (delta > 0) byApp[appNo] = entry(cellNo, delta);
      return;
    }
    if (typeof app === 'number') {
      const no = app >>> COUNT_BITS;
      if (no !== cellNo) {
        // A second cell: the lists, in the order the cells got an instance.
        if (delta > 0) byApp[appNo] = { cells: [no, cellNo], counts: [app & COUNT_MASK, delta] };
        return;
      }
      const n = (app & COUNT_MASK) + delta;
      byApp[appNo] = n > 0 ? entry(no, n) : NONE;
      return;
    }
    const at = app.cells.indexOf(cellNo);
    if (at < 0) {
      if (delta > 0) {
        app.cells.push(cellNo);
        app.counts.push(delta);
      }
      return;
    }
    const n = (app.counts[at] as number) + delta;
    if (n > 0) app.counts[at] = n;
    else {
      app.cells.splice(at, 1);
      app.counts.splice(at, 1);
      // Down to one cell: back to one integer when it fits.
      if (app.cells.length === 1) byApp[appNo] = entry(app.cells[0] as number, app.counts[0] as number);
      else if (app.cells.length === 0) byApp[appNo] = NONE;
    }
  }

  // The entry of an app, or NONE (`hint`: see AppNumbers.find).
  private entryOf(processGuid: string, hint = -1): number | MutableAppCells {
    const no = this.apps.find(processGuid, hint);
    return no === undefined ? NONE : (this.byApp[no] ?? NONE);
  }

  /** Instances of an app on a cell. */
  count(processGuid: string, cellId: string): number {
    const appNo = this.apps.find(processGuid);
    const cellNo = this.numbers.get(cellId);
    return appNo === undefined || cellNo === undefined ? 0 : this.countByNumbers(appNo, cellNo);
  }

  /** {@link PlacementIndex.count} by app number and cell number (0 for a number never given). */
  countByNumbers(appNo: number, cellNo: number): number {
    const app = this.byApp[appNo];
    if (app === undefined || app === NONE) return 0;
    if (typeof app === 'number') return app >>> COUNT_BITS === cellNo ? app & COUNT_MASK : 0;
    const at = app.cells.indexOf(cellNo);
    return at < 0 ? 0 : (app.counts[at] as number);
  }

  /** Whether any cell holds an instance of the app. */
  has(processGuid: string): boolean {
    return this.entryOf(processGuid) !== NONE;
  }

  /**
   * The app's cells by number, or `undefined` if it has none. Read them at once, do not change or
   * keep them: for an app on one cell the answer is a record the next call reuses. `appNo`, the
   * number an instance of the app carries ({@link appNumberOf}), saves a lookup when it is this index's.
   */
  cellsOf(processGuid: string, appNo = -1): AppCells | undefined {
    const app = this.entryOf(processGuid, appNo);
    return typeof app !== 'number' ? app : app === NONE ? undefined : this.unpacked(app);
  }

  /**
   * Calls `fn` for each app with instances somewhere, with its cells (as {@link PlacementIndex.cellsOf}
   * answers: read them at once, do not change or keep them). Apps come in no meaningful order.
   */
  forEachApp(fn: (processGuid: string, cells: AppCells) => void): void {
    const byApp = this.byApp;
    for (let no = 0; no < byApp.length; no++) {
      const app = byApp[no] as number | MutableAppCells;
      if (app !== NONE) fn(this.apps.guid(no) as string, typeof app !== 'number' ? app : this.unpacked(app));
    }
  }

  // An app on one cell as lists of one: the record cellsOf and forEachApp lend (reused by the next call).
  private unpacked(app: number): AppCells {
    this.one.cells[0] = app >>> COUNT_BITS;
    this.one.counts[0] = app & COUNT_MASK;
    return this.one;
  }

  /** The id of the cell with number `cellNo`, if one has it. */
  cellId(cellNo: number): string | undefined {
    return this.ids[cellNo];
  }

  /** Calls `fn` for each cell holding instances of the app, in the order they first got one. */
  forEachCell(processGuid: string, fn: (cellId: string, count: number) => void): void {
    const app = this.entryOf(processGuid);
    if (app === NONE) return;
    if (typeof app === 'number') {
      fn(this.ids[app >>> COUNT_BITS] as string, app & COUNT_MASK);
      return;
    }
    for (let i = 0; i < app.cells.length; i++) fn(this.ids[app.cells[i] as number] as string, app.counts[i] as number);
  }
}

// An app on one cell is one integer: the cell number above COUNT_BITS bits of count. Both fit in 30
// bits while cells stay below 2^22 and the count below 2^8, so the value is a small integer V8 keeps
// without allocating; past that, the lists.
const COUNT_BITS = 8;
const COUNT_MASK = (1 << COUNT_BITS) - 1;
const MAX_PACKED_CELL = 2 ** 22;
// No instance anywhere (a packed entry is never negative).
const NONE = -1;

function entry(cellNo: number, count: number): number | MutableAppCells {
  return cellNo < MAX_PACKED_CELL && count <= COUNT_MASK ? cellNo * (COUNT_MASK + 1) + count : { cells: [cellNo], counts: [count] };
}
