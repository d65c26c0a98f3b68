/** One app's cells in a {@link PlacementIndex}: parallel lists, in the order cells got an instance. */
interface AppCells {
  cells: string[];
  counts: number[];
}

/**
 * Where every app's instances are across a set of cells, kept incrementally by the reps as they
 * start and stop work: app -> (cell id, instances) pairs.
 *
 * It is an accelerator, not a source of truth: a rep may attach it to its `state` reply, and a
 * scheduler that gets the same index from every cell uses it instead of rescanning every cell's
 * LRP list. It must say exactly what those lists say; reps keep it so.
 */
export class PlacementIndex {
  // Most apps sit on a handful of cells, so short parallel lists beat a map per app.
  private readonly byProcess = new Map<string, AppCells>();

  /** Adds `delta` instances of an app on a cell (negative to remove). */
  add(processGuid: string, cellId: string, delta: number): void {
    let app = this.byProcess.get(processGuid);
    if (!app) {
      if (delta <= 0) return;
      app = { cells: [], counts: [] };
      this.byProcess.set(processGuid, app);
    }
    const at = app.cells.indexOf(cellId);
    if (at < 0) {
      if (delta > 0) {
        app.cells.push(cellId);
        app.counts.push(delta);
      }
      return;
    }
    const n = (app.counts[at] as number) + delta;
    if (n > 0) app.counts[at] = n;
    else {
      app.cells.splice(at, 1);
      app.counts.splice(at, 1);
      if (app.cells.length === 0) this.byProcess.delete(processGuid);
    }
  }

  /** Instances of an app on a cell. */
  count(processGuid: string, cellId: string): number {
    const app = this.byProcess.get(processGuid);
    if (!app) return 0;
    const at = app.cells.indexOf(cellId);
    return at < 0 ? 0 : (app.counts[at] as number);
  }

  /** Whether any cell holds an instance of the app. */
  has(processGuid: string): boolean {
    return this.byProcess.has(processGuid);
  }

  /** Calls `fn` for each cell holding instances of the app, in the order they first got one. */
  forEachCell(processGuid: string, fn: (cellId: string, count: number) => void): void {
    const app = this.byProcess.get(processGuid);
    if (!app) return;
    for (let i = 0; i < app.cells.length; i++) fn(app.cells[i] as string, app.counts[i] as number);
  }
}
