import type { CellState } from '../core/model/cell-state.js';
import { constraintBroken } from './constraint-broken.js';
import type { BBS, LRPGroup } from './actors/bbs.js';

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
  readonly bbs: Readonly<Pick<BBS, 'group' | 'desired' | 'actual' | 'missing' | 'tasks'>>;
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
  // The cells the BBS can see: their containers that count, and how many of those are records.
  const inView = new Map<string, { state: CellState; guids: Set<string>; matched: number }>();
  // Read once: the world makes the set of claims in flight when asked.
  const claiming = w.claiming;
  const exempting = w.residual.size > 0 || claiming.size > 0;
  for (const cell of w.cells) {
    if (!cell.alive) continue;
    const s = cell.rep.state;
    const a = s.AvailableResources;
    if (a.MemoryMB < 0 || a.DiskMB < 0 || a.Containers < 0 || s.StartingContainerCount < 0) {
      out.push({ property: 'no-overcommit', detail: `${cell.id}: available ${JSON.stringify(a)}, starting ${s.StartingContainerCount}` });
    }
    // Diego's auctioneer is the only guard of placement tags, and Garden fails a container whose
    // rootfs or volume driver the cell lacks: work must only land where the filters let it.
    for (const l of s.LRPs) {
      const why = constraintBroken(s, l);
      if (why) out.push({ property: 'placement-constraints', detail: `${l.process_guid}.${l.index} on ${cell.id}: ${why}` });
    }
    for (const t of s.Tasks) {
      const why = constraintBroken(s, t);
      if (why) out.push({ property: 'placement-constraints', detail: `task ${t.TaskGuid} on ${cell.id}: ${why}` });
    }
    // A cell the BBS cannot see (cut off) may still run what was moved elsewhere; Diego stops it
    // when the cell is back, so only the cells in view count.
    if (!cell.present) continue;
    const guids = new Set<string>();
    if (!exempting) {
      for (const l of s.LRPs) guids.add(l.instance_guid);
      inView.set(cell.id, { state: s, guids, matched: 0 });
      continue;
    }
    for (const l of s.LRPs) {
      // A copy whose record the BBS dropped runs until its rep's next bulk sync, in Diego as here.
      // So may a container allocated for an auction whose claim has not reached the BBS yet: if
      // another cell claimed the index first, this one is given up when its claim is refused.
      if (!w.residual.has(l.instance_guid) && !claiming.has(l.instance_guid)) guids.add(l.instance_guid);
    }
    inView.set(cell.id, { state: s, guids, matched: 0 });
  }
  // A container that is one of its index's records (the ordinary one or a copy: that instance on
  // that cell) is within the index's allowance by construction. Count them from the records' side
  // (no lookup by guid in the BBS's large maps); only a cell with a container that is no record needs
  // a closer look.
  for (const byIndex of w.bbs.actual.values()) {
    for (const g of byIndex.values()) {
      if (g.ordinary !== null) matchRecord(inView, g.ordinary);
      if (g.evacuating !== null) matchRecord(inView, g.evacuating);
      if (g.suspect !== null) matchRecord(inView, g.suspect);
    }
  }
  for (const [cellId, v] of inView) {
    if (v.matched === v.guids.size) continue;
    for (const l of v.state.LRPs) {
      if (!v.guids.has(l.instance_guid)) continue;
      const g = w.bbs.group(l.process_guid, l.index);
      if (g !== undefined && isRecordOf(g, l.instance_guid, cellId)) continue;
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
      for (const rec of g ? [g.ordinary, g.evacuating, g.suspect] : []) {
        if (rec && rec.instanceGuid !== '' && inView.get(rec.cell)?.state.LRPs.some((l) => l.instance_guid === rec.instanceGuid)) n++;
      }
      const allowed = 1 + (g?.evacuating ? 1 : 0) + (g?.suspect ? 1 : 0);
      const name = g ? `${g.processGuid}.${g.index}` : (key as string);
      if (n > allowed) out.push({ property: 'one-ordinary-instance', detail: `${name}: ${n} instances on live cells, ${allowed} allowed` });
    }
  }
  for (const [guid, d] of w.bbs.desired) {
    // One look at the app's map, then one per index (the BBS's group() would look the app up each time).
    const byIndex = w.bbs.actual.get(guid);
    for (let i = 0; i < d.instances; i++) {
      if (!byIndex?.get(i)?.ordinary) out.push({ property: 'desired-accounted', detail: `${guid}.${i} is desired but has no ActualLRP` });
    }
  }
  for (const byIndex of w.bbs.actual.values()) {
    for (const g of byIndex.values()) {
      for (const [slot, rec] of [['ORDINARY', g.ordinary], ['EVACUATING', g.evacuating], ['SUSPECT', g.suspect]] as const) {
        if (!rec) continue;
        // The ordinary record is the group itself, ORDINARY by construction (bbs-records.ts): only its
        // state can be wrong. A copy must say which copy it is, and is RUNNING or CLAIMED (Diego
        // keeps an EVACUATING or SUSPECT record only of an instance that was placed).
        const badCopy = slot !== 'ORDINARY' && (rec.presence !== slot || (rec.state !== 'RUNNING' && rec.state !== 'CLAIMED'));
        if (badCopy || !STATES.has(rec.state)) {
          out.push({ property: 'valid-records', detail: `${rec.processGuid}.${rec.index}: ${rec.state}/${rec.presence} in the ${slot} slot` });
        }
      }
    }
  }
  return out;
}

// Counts a record whose container runs on a cell in view.
function matchRecord(inView: Map<string, { guids: Set<string>; matched: number }>, rec: { cell: string; instanceGuid: string }): void {
  if (rec.cell === '') return;
  const v = inView.get(rec.cell);
  if (v !== undefined && v.guids.has(rec.instanceGuid)) v.matched++;
}

// Whether a container (that instance on that cell) is one of a group's records.
function isRecordOf(g: LRPGroup, instanceGuid: string, cellId: string): boolean {
  for (const rec of [g.ordinary, g.evacuating, g.suspect]) if (rec && rec.instanceGuid === instanceGuid && rec.cell === cellId) return true;
  return false;
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
