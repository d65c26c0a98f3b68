import type { CellState } from '../core/model/cell-state.js';
import { constraintBroken } from './constraint-broken.js';
import type { ActualLRP, AppActuals, BBS, LRPGroup } from './actors/bbs.js';
import { groupHint } from './bbs-client.js';

/**
 * What the invariants read of a simulated world: the cells (alive, present, their rep's state), the
 * BBS and the auction accounting. Read-only, so a check cannot change the run it checks; the
 * simulator's World is one.
 */
export interface WorldView {
  /** Every cell. */
  readonly cells: readonly { readonly id: string; readonly alive: boolean; readonly present: boolean; readonly rep: { readonly state: CellState } }[];
  /** Strategy outcomes that did not account for their batch. */
  readonly accountingErrors: readonly string[];
  /**
   * Work a cell's executor could not create a container for, because the cell lacks its rootfs or a
   * volume driver: it failed at once, so no later look at the cells would find it there.
   */
  readonly placementBreaches: readonly string[];
  /** Instances the BBS dropped the record of that run until their rep's next bulk sync (Diego's too). */
  readonly residual: ReadonlySet<string>;
  /**
   * Instances a rep has allocated whose claim is on its way to the BBS (`serviceTime.bbs.write`):
   * Diego's reps allocate before they claim, and the BBS accepts one claim per index.
   */
  readonly claiming: ReadonlySet<string>;
  /** The BBS, read through these members only. */
  readonly bbs: Readonly<Pick<BBS, 'group' | 'groupOf' | 'desired' | 'actual' | 'missing' | 'tasks'>>;
}

const STATES = new Set(['UNCLAIMED', 'CLAIMED', 'RUNNING', 'CRASHED']);

/** One broken safety property, in words. */
export interface Violation {
  /** Which property. */
  property: 'no-overcommit' | 'task-at-most-once' | 'one-ordinary-instance' | 'desired-accounted' | 'valid-records' | 'auction-accounting' | 'placement-constraints';
  /** What was seen. */
  detail: string;
}

/**
 * Checks Diego's safety properties on a world at this instant:
 * no live cell over-committed, and no work on a cell whose rootfs, volume drivers or placement tags
 * do not let it there; no task ran twice; per (process guid, index) no more instances on
 * live cells the BBS can see than the ordinary one plus the EVACUATING and SUSPECT copies the BBS records; every
 * desired index has an ordinary record; every auction a strategy ran ended exactly once (running, starting, crashed or pending); every record in a
 * state and presence Diego knows. Returns the violations (empty when all hold).
 */
export function checkSafety(w: WorldView): Violation[] {
  const out: Violation[] = [];
  // Per index, the containers on cells in view that are none of its records (see below).
  const odd = new Map<LRPGroup | string, number>();
  // The cells the BBS can see, by id: where an index's records are looked for.
  const inView = new Map<string, CellState>();
  // Read once: the world makes the set of claims in flight when asked.
  const claiming = w.claiming;
  const residual = w.residual;
  const exempting = residual.size > 0 || claiming.size > 0;
  for (const cell of w.cells) {
    if (!cell.alive) continue;
    const s = cell.rep.state;
    const a = s.AvailableResources;
    if (a.MemoryMB < 0 || a.DiskMB < 0 || a.Containers < 0 || s.StartingContainerCount < 0) {
      out.push({ property: 'no-overcommit', detail: `${cell.id}: available ${JSON.stringify(a)}, starting ${s.StartingContainerCount}` });
    }
    // Diego's auctioneer is the only guard of placement tags, and Garden fails a container whose
    // rootfs or volume driver the cell lacks: work must only land where the filters let it. Work
    // asking for no volume driver, placement tag or GPU model (nearly all) passes or fails a cell by
    // the cell and its own rootfs alone, so the cell's answer for each rootfs is worked out once (a
    // check reads every instance, and filtering each one again was a fifth of a check at Diego's scale).
    const byRootFs = new Map<string, string | null>();
    for (const l of s.LRPs) {
      let why: string | null | undefined;
      if (l.VolumeDrivers.length === 0 && l.PlacementTags.length === 0 && (l.GpuModels === undefined || l.GpuModels.length === 0)) {
        why = byRootFs.get(l.RootFs);
        if (why === undefined) {
          why = constraintBroken(s, l);
          byRootFs.set(l.RootFs, why);
        }
      } else why = constraintBroken(s, l);
      if (why) out.push({ property: 'placement-constraints', detail: `${l.process_guid}.${l.index} on ${cell.id}: ${why}` });
    }
    for (const t of s.Tasks) {
      const why = constraintBroken(s, t);
      if (why) out.push({ property: 'placement-constraints', detail: `task ${t.TaskGuid} on ${cell.id}: ${why}` });
    }
    // A cell the BBS cannot see (cut off) may still run what was moved elsewhere; Diego stops it
    // when the cell is back, so only the cells in view count.
    if (!cell.present) continue;
    inView.set(cell.id, s);
    // Each container is one of its index's records (the ordinary one or a copy: that instance on
    // this cell), and so within the index's allowance, or is counted against the index. Asked of
    // the container's own group, found by its identity: no set of every instance guid per check.
    for (const l of s.LRPs) {
      // A copy whose record the BBS dropped runs until its rep's next bulk sync, in Diego as here.
      // So may a container allocated for an auction whose claim has not reached the BBS yet: if
      // another cell claimed the index first, this one is given up when its claim is refused.
      if (exempting && (residual.has(l.instance_guid) || claiming.has(l.instance_guid))) continue;
      // Its group through the app's map it was auctioned with (a hint the BBS checks): a lookup in a
      // table of every app per container was over half of a check at Diego's scale.
      const g = w.bbs.groupOf(l.process_guid, l.index, groupHint(l));
      if (g !== undefined && isRecordOf(g, l.instance_guid, cell.id)) continue;
      const key = g ?? `${l.process_guid}.${l.index}`;
      odd.set(key, (odd.get(key) ?? 0) + 1);
    }
  }
  for (const detail of w.accountingErrors) out.push({ property: 'auction-accounting', detail });
  for (const detail of w.placementBreaches) out.push({ property: 'placement-constraints', detail });
  if (w.bbs.tasks.runTwice > 0) out.push({ property: 'task-at-most-once', detail: `${w.bbs.tasks.runTwice} tasks ran twice` });
  if (odd.size > 0) {
    for (const [key, extra] of odd) {
      const g = typeof key === 'string' ? undefined : key;
      // Every container of the index on a cell in view: the odd ones, and its records that run there.
      let n = extra;
      if (g !== undefined) n += runsInView(inView, g.ordinary) + runsInView(inView, g.evacuating) + runsInView(inView, g.suspect);
      const allowed = 1 + (g?.evacuating ? 1 : 0) + (g?.suspect ? 1 : 0);
      const name = g ? `${g.processGuid}.${g.index}` : (key as string);
      if (n > allowed) out.push({ property: 'one-ordinary-instance', detail: `${name}: ${n} instances on live cells, ${allowed} allowed` });
    }
  }
  // Each desired app's map of groups, then one look per index (the BBS's group() would look the app
  // up each time). The table of maps is walked beside the table of desired apps: both list apps in the
  // order the BBS first recorded them, so the map next in line is nearly always the desired app's
  // own, which its key shows; only where the two orders part is a map looked up by guid. (A lookup
  // per desired app in a table of every app was a third of a check at ten times Diego's scale.)
  const mapGuids = w.bbs.actual.keys();
  const maps = w.bbs.actual.values();
  let nextGuid = mapGuids.next();
  for (const [guid, d] of w.bbs.desired) {
    let byIndex: AppActuals | undefined;
    if (nextGuid.done !== true && nextGuid.value === guid) {
      byIndex = maps.next().value;
      nextGuid = mapGuids.next();
    } else byIndex = w.bbs.actual.get(guid);
    for (let i = 0; i < d.instances; i++) {
      if (!byIndex?.get(i)?.ordinary) out.push({ property: 'desired-accounted', detail: `${guid}.${i} is desired but has no ActualLRP` });
    }
  }
  // Walked with forEach, each slot by name: an iterator's entry, a list of the three slots and a
  // pair per slot were five arrays per group per check.
  w.bbs.actual.forEach((byIndex) =>
    byIndex.forEach((g) => {
      checkRecord(out, 'ORDINARY', g.ordinary);
      checkRecord(out, 'EVACUATING', g.evacuating);
      checkRecord(out, 'SUSPECT', g.suspect);
    }),
  );
  return out;
}

// A record in a slot of its group: the ordinary record is the group itself, ORDINARY by construction
// (bbs-records.ts), so only its state can be wrong. A copy must say which copy it is, and is RUNNING
// or CLAIMED (Diego keeps an EVACUATING or SUSPECT record only of an instance that was placed).
function checkRecord(out: Violation[], slot: 'ORDINARY' | 'EVACUATING' | 'SUSPECT', rec: ActualLRP | null): void {
  if (!rec) return;
  const badCopy = slot !== 'ORDINARY' && (rec.presence !== slot || (rec.state !== 'RUNNING' && rec.state !== 'CLAIMED'));
  if (badCopy || !STATES.has(rec.state)) {
    out.push({ property: 'valid-records', detail: `${rec.processGuid}.${rec.index}: ${rec.state}/${rec.presence} in the ${slot} slot` });
  }
}

// 1 when a record's instance runs on its cell and that cell is in view, else 0.
function runsInView(inView: ReadonlyMap<string, CellState>, rec: ActualLRP | null): number {
  if (!rec || rec.instanceGuid === '') return 0;
  const s = inView.get(rec.cell);
  return s !== undefined && s.LRPs.some((l) => l.instance_guid === rec.instanceGuid) ? 1 : 0;
}

// Whether a container (that instance on that cell) is one of a group's records.
function isRecordOf(g: LRPGroup, instanceGuid: string, cellId: string): boolean {
  return isThat(g.ordinary, instanceGuid, cellId) || isThat(g.evacuating, instanceGuid, cellId) || isThat(g.suspect, instanceGuid, cellId);
}

// Whether a record (if any) is that instance on that cell.
function isThat(rec: ActualLRP | null, instanceGuid: string, cellId: string): boolean {
  return rec !== null && rec.instanceGuid === instanceGuid && rec.cell === cellId;
}

/** Whether the world has converged: every desired instance running, nothing extra, no task unresolved. */
export function checkConverged(w: WorldView): string[] {
  const out: string[] = [];
  if (w.bbs.missing > 0) out.push(`${w.bbs.missing} desired instances not running`);
  let extra = 0;
  for (const cell of w.cells) {
    if (!cell.alive) continue;
    for (const l of cell.rep.state.LRPs) {
      const d = w.bbs.desired.get(l.process_guid);
      const g = w.bbs.group(l.process_guid, l.index);
      const mine = g?.ordinary?.instanceGuid === l.instance_guid;
      if (!d || l.index >= d.instances || !mine) extra++;
    }
  }
  if (extra > 0) out.push(`${extra} instances running that are not the desired ones`);
  let open = 0;
  for (const t of w.bbs.tasks.values()) if (t.state === 'PENDING' || t.state === 'RUNNING') open++;
  if (open > 0) out.push(`${open} tasks neither completed nor failed`);
  return out;
}
