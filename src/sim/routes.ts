// The route emitter's view: routable instances per scenario app over time (running, health check
// passed, on a live cell), each app's target, and the lowest share of it that was routable once the
// app had first been whole (cold starts and pushes are not dips).
import type { AppNumbers } from '../core/rep/app-numbers.js';
import type { EventLows, RouteLow } from '../results/route-lows.js';
import { versionless } from './app-names.js';

export type { EventLows, RouteLow } from '../results/route-lows.js';

/**
 * One process guid's routable count, as a handle a caller may keep to change it without a lookup: the
 * guid's number in the reps' shared table of apps (see {@link RouteTable.handle}); -1: none.
 */
export type RouteHandle = number;

/** Routable instances per scenario app, and their lows. */
export class RouteTable {
  /** The lows during each event, in time order. */
  readonly events: EventLows[] = [];
  /** Target instances per scenario app (what the scenario wants running). */
  readonly targets = new Map<string, number>();
  /** Each app's lowest routable share, once it had first been whole. */
  readonly lows = new Map<string, RouteLow>();
  private readonly whole = new Set<string>();
  private readonly appOfGuid = new Map<string, string>();
  // Routable instances per process guid, per scenario app and in all, kept as instances come and
  // go, so a sample reads them instead of summing every process guid.
  // A guid's entry stays once made (at zero when nothing routes), so handles held stay valid.
  // By the guid's number in the reps' shared table of apps (a guid that ever ran on a cell has one,
  // and keeps it for the run): an array, not a map by guid. The first instance of each of
  // diego-x10's 1.9 million apps to run added its guid to a map that large, 2 us each (2% of the
  // run; bench/RESULTS.md). The counts themselves, not an object per guid holding one: at ten times
  // Diego's scale those were two million objects for the collector to copy and mark.
  private byNo = new Int32Array(1024);
  private readonly routableByApp = new Map<string, number>();
  private routableTotal = 0;

  /** A table for the scenario's app names, keying process guids by their numbers in `apps`. */
  constructor(
    private readonly names: ReadonlySet<string>,
    private readonly apps: AppNumbers,
  ) {}

  /** The scenario app a process guid belongs to: `web`, `web-3` and `web-3@v2` all belong to `web` (a group). */
  appOf(guid: string): string {
    let app = this.appOfGuid.get(guid);
    if (app === undefined) {
      const base = versionless(guid);
      const m = /^(.*)-\d+$/.exec(base);
      app = this.names.has(base) ? base : m && this.names.has(m[1] as string) ? (m[1] as string) : base;
      this.appOfGuid.set(guid, app);
    }
    return app;
  }

  /** Adds to (or sets) an app's target. */
  addTarget(app: string, n: number): void {
    this.targets.set(app, (this.targets.get(app) ?? 0) + n);
  }

  /** An event happened: the following samples (until the next event) count towards its lows. */
  eventAt(event: string, atMs: number): void {
    this.events.push({ event, atMs, lows: {} });
  }

  /**
   * An instance of a process guid became routable (`delta` 1) or stopped being so (-1); `app`, when
   * the caller knows it, saves working it out from the guid.
   */
  change(processGuid: string, delta: number, app = this.appOf(processGuid)): void {
    this.changeAt(this.handle(processGuid), delta, app);
  }

  /**
   * The handle of a process guid's routable count (made at zero on first use). `appNo` is the
   * number the caller holds for the guid (an app's map keeps it), checked against the table.
   */
  handle(processGuid: string, appNo?: number): RouteHandle {
    const no = this.apps.no(processGuid, appNo);
    if (no >= this.byNo.length) {
      let size = this.byNo.length * 2;
      while (size <= no) size *= 2;
      const grown = new Int32Array(size);
      grown.set(this.byNo);
      this.byNo = grown;
    }
    return no;
  }

  /**
   * {@link RouteTable.change} through a guid's handle: a container keeps its guid's, so an instance
   * coming and going costs no lookup in a map of every process guid.
   */
  changeAt(h: RouteHandle, delta: number, app: string): void {
    this.byNo[h] = (this.byNo[h] as number) + delta;
    this.routableByApp.set(app, (this.routableByApp.get(app) ?? 0) + delta);
    this.routableTotal += delta;
  }

  /** Routable instances of one process guid. */
  routableOf(processGuid: string): number {
    const no = this.apps.find(processGuid);
    return no === undefined || no >= this.byNo.length ? 0 : (this.byNo[no] as number);
  }

  /** Routable instances per process guid, guids with none left out (made on each call: for reports and tests). */
  get byGuid(): ReadonlyMap<string, number> {
    const out = new Map<string, number>();
    this.byNo.forEach((n, no) => {
      if (n !== 0) out.set(this.apps.guid(no) as string, n);
    });
    return out;
  }

  /** Samples the routable count in all and per app at `nowMs`, updating the lows. */
  sample(nowMs: number): { total: number; byApp: Record<string, number> } {
    const byApp: Record<string, number> = {};
    for (const app of this.targets.keys()) byApp[app] = 0;
    for (const [app, n] of this.routableByApp) if (n !== 0 || app in byApp) byApp[app] = n;
    const total = this.routableTotal;
    for (const [app, target] of this.targets) {
      if (target <= 0) continue;
      const routable = byApp[app] ?? 0;
      if (!this.whole.has(app)) {
        if (routable >= target) this.whole.add(app);
        continue;
      }
      const fraction = routable / target;
      const here = { minRoutable: routable, target, minFraction: fraction, atMs: nowMs };
      const low = this.lows.get(app);
      if (!low || fraction < low.minFraction) this.lows.set(app, here);
      const window = this.events[this.events.length - 1];
      if (window) {
        const w = window.lows[app];
        if (!w || fraction < w.minFraction) window.lows[app] = here;
      }
    }
    return { total, byApp };
  }
}
