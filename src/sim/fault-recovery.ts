// Recovery per fault: the instances a fault displaced (running or starting on what it hit, as the BBS
// recorded them at that moment), and when each was noticed, placed again and running again. Only
// those instances move a fault's figures: an unrelated app crash-looping elsewhere does not.
import { percentiles } from '../metrics/percentiles.js';
import type { FaultRecovery } from '../results/run-result.js';
import type { ActualLRP, BBS, LRPGroup, LRPObserver } from './actors/bbs.js';
import { isCrashLooping } from './actors/bbs-records.js';

/** A fault being tracked. */
interface TrackedFault {
  readonly kind: string;
  readonly detail: string;
  readonly at: number;
  readonly displaced: Displaced[];
  /** When the BBS first acted on one of its displaced instances (-1: not yet). */
  noticedAt: number;
}

/** One displaced instance. */
interface Displaced {
  readonly fault: TrackedFault;
  /** Its index, by app and index: the BBS may drop the group and make a new one (scaled to 0 and back). */
  readonly processGuid: string;
  readonly index: number;
  /** The instance that was displaced, and its cell. */
  readonly instanceGuid: string;
  readonly cell: string;
  /** When another instance of its index was claimed, and when its index ran again (-1: not yet). */
  placedAt: number;
  runningAt: number;
}

// The key of an index (app and index) in the tracker's map.
const keyOf = (processGuid: string, index: number) => `${index}\u0000${processGuid}`;

/**
 * Follows each fault's displaced instances through the BBS (it is the BBS's {@link LRPObserver}). The
 * fault injector reports what a fault hits ({@link FaultRecoveryTracker.hit}) while it applies it, and
 * the fault is opened with those instances ({@link FaultRecoveryTracker.mark}) once it is done.
 */
export class FaultRecoveryTracker implements LRPObserver {
  private readonly faults: TrackedFault[] = [];
  // Instances hit by the fault being applied.
  private pending: { processGuid: string; index: number; instanceGuid: string; cell: string }[] = [];
  private readonly pendingKeys = new Set<string>();
  // Whether the BBS acted on one of them while the fault was applied (a drain, a crash).
  private pendingNoticed = false;
  // Displaced instances not running again yet, by app (each list in the order they were displaced;
  // an index's are those with its number). By the app's guid, not a key of guid and index: the BBS
  // tells the tracker of every claim, start and crash while any fault is open, and a key made for
  // each was a new string to build and hash at every one (at ten times Diego's scale a few percent
  // of an hour); a guid is a string the run already holds, its hash computed once.
  private readonly open = new Map<string, Displaced[]>();

  /** `now` is the simulated clock; `reachable` says whether a cell is alive and its zone not cut off. */
  constructor(
    private readonly now: () => number,
    private readonly reachable: (cellId: string) => boolean,
  ) {}

  /**
   * The fault being applied hit this record's instance (its cell died, was cut off or drained, or it
   * crashed). An instance an earlier fault displaced and that has not come back is that fault's: a
   * kill of a cell already cut off displaces nothing new.
   */
  hit(rec: ActualLRP): void {
    if (rec.presence !== 'ORDINARY' || (rec.state !== 'RUNNING' && rec.state !== 'CLAIMED')) return;
    const key = keyOf(rec.processGuid, rec.index);
    if (this.open.get(rec.processGuid)?.some((d) => d.index === rec.index && d.instanceGuid === rec.instanceGuid) || this.pendingKeys.has(key)) return;
    this.pending.push({ processGuid: rec.processGuid, index: rec.index, instanceGuid: rec.instanceGuid, cell: rec.cell });
    this.pendingKeys.add(key);
    // Followed from now on: the group of an index with a pending or open instance is always marked
    // (a group the BBS makes for such an index later is marked when made).
    rec.group.followed = true;
  }

  /** The BBS made a group: followed if an instance of its index is pending or open. */
  made(g: LRPGroup): void {
    if (this.pendingKeys.size === 0 && this.open.size === 0) return;
    if (this.pendingKeys.has(keyOf(g.processGuid, g.index)) || this.open.get(g.processGuid)?.some((d) => d.index === g.index)) g.followed = true;
  }

  /** Opens a fault with the instances hit since the last one. */
  mark(kind: string, detail: string): void {
    const f: TrackedFault = { kind, detail, at: this.now(), displaced: [], noticedAt: this.pendingNoticed ? this.now() : -1 };
    for (const p of this.pending) {
      // Every field written out, not spread from the pending entry: a literal with a spread is made
      // by copying that object's shape and adding the rest to a second store of properties (a
      // heap snapshot of the 250k hour found 48,239 such stores, one per displaced instance).
      const d: Displaced = { fault: f, processGuid: p.processGuid, index: p.index, instanceGuid: p.instanceGuid, cell: p.cell, placedAt: -1, runningAt: -1 };
      f.displaced.push(d);
      const list = this.open.get(p.processGuid);
      if (list) list.push(d);
      else this.open.set(p.processGuid, [d]);
    }
    this.pending = [];
    this.pendingKeys.clear();
    this.pendingNoticed = false;
    this.faults.push(f);
  }

  /** The BBS acted on a group's record (made it SUSPECT, evacuated, unclaimed, recorded a crash). */
  noticed(g: LRPGroup): void {
    if (!g.followed) return;
    if (this.pendingKeys.size > 0 && this.pendingKeys.has(keyOf(g.processGuid, g.index))) this.pendingNoticed = true;
    const list = this.open.size === 0 ? undefined : this.open.get(g.processGuid);
    if (!list) return;
    const now = this.now();
    for (const d of list) if (d.index === g.index && d.fault.noticedAt < 0) d.fault.noticedAt = now;
  }

  /** A cell claimed a group's ordinary record. */
  claimed(g: LRPGroup): void {
    if (!g.followed || this.open.size === 0) return;
    const list = this.open.get(g.processGuid);
    const rec = g.ordinary;
    if (!list || !rec) return;
    const now = this.now();
    for (const d of list) if (d.index === g.index && d.placedAt < 0 && rec.instanceGuid !== d.instanceGuid) d.placedAt = now;
  }

  /** A group's ordinary record is RUNNING (a start, or a suspect copy promoted back). */
  running(g: LRPGroup): void {
    if (!g.followed || this.open.size === 0) return;
    const list = this.open.get(g.processGuid);
    const rec = g.ordinary;
    if (!list || !rec || rec.state !== 'RUNNING' || !list.some((d) => d.index === g.index)) return;
    // An instance on a cell out of reach does not count (the displaced one itself counts once its
    // zone heals: see reconnected).
    if (!this.reachable(rec.cell)) return;
    const now = this.now();
    // The index's instances are running again and leave the list; the app's others stay.
    let kept = 0;
    for (const d of list) {
      if (d.index !== g.index) {
        list[kept++] = d;
        continue;
      }
      // "Placed again" is for instances that moved; one that ran on in place was never placed.
      if (d.placedAt < 0 && rec.instanceGuid !== d.instanceGuid) d.placedAt = now;
      d.runningAt = now;
    }
    if (kept === 0) this.open.delete(g.processGuid);
    else list.length = kept;
    // Nothing of the index is open now; one of its instances may still be pending (hit by the fault
    // being applied), and then it stays followed.
    if (this.pendingKeys.size === 0 || !this.pendingKeys.has(keyOf(g.processGuid, g.index))) g.followed = false;
  }

  /**
   * Cells came back within reach (a zone healed): displaced instances whose own record still says
   * RUNNING there are running again, as far as the BBS and the routes are concerned.
   */
  reconnected(bbs: BBS): void {
    // Each displaced index once, in the order the indices were first displaced (running() takes an
    // index's instances out of its app's list, so the walk is over copies).
    for (const [processGuid, list] of [...this.open]) {
      for (const index of new Set(list.map((d) => d.index))) {
        const g = bbs.group(processGuid, index);
        const rec = g?.ordinary;
        if (g && rec && rec.state === 'RUNNING' && list.some((d) => d.index === index && d.instanceGuid === rec.instanceGuid) && this.reachable(rec.cell)) this.running(g);
      }
    }
  }

  /** Every fault's recovery as it stands, with the BBS's records for what has not come back. */
  results(bbs: BBS): FaultRecovery[] {
    return this.faults.map((f) => {
      const placed: number[] = [];
      const running: number[] = [];
      const notBack = new Map<string, number>();
      let noLongerDesired = 0;
      let last = 0;
      for (const d of f.displaced) {
        if (d.placedAt >= 0) placed.push(d.placedAt - f.at);
        if (d.runningAt >= 0) {
          running.push(d.runningAt - f.at);
          last = Math.max(last, d.runningAt - f.at);
          continue;
        }
        const desired = bbs.desired.get(d.processGuid);
        if (desired === undefined || d.index >= desired.instances) {
          noLongerDesired++;
          continue;
        }
        const why = whyNotBack(bbs.group(d.processGuid, d.index)?.ordinary ?? null, this.reachable);
        notBack.set(why, (notBack.get(why) ?? 0) + 1);
      }
      return {
        kind: f.kind,
        detail: f.detail,
        at: f.at,
        displaced: f.displaced.length,
        back: running.length,
        noticedAfterMs: f.noticedAt < 0 ? null : f.noticedAt - f.at,
        placedAfterMs: percentiles(placed),
        runningAfterMs: percentiles(running),
        noLongerDesired,
        notBack: Object.fromEntries([...notBack].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))),
        recoveredAfterMs: notBack.size > 0 ? null : last,
      };
    });
  }
}

// Why a displaced instance that is still desired is not running again, from its ordinary record now.
function whyNotBack(rec: ActualLRP | null, reachable: (cellId: string) => boolean): string {
  if (!rec) return 'no record';
  if (rec.state === 'RUNNING') return reachable(rec.cell) ? 'running, not yet counted' : 'still on the lost cell';
  if (isCrashLooping(rec)) return 'crashing';
  if (rec.state === 'UNCLAIMED' && rec.placementError) return `unplaced: ${rec.placementError}`;
  if (rec.state === 'CLAIMED') return 'starting';
  return 'waiting for a placement';
}
