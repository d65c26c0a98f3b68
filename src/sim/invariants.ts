import type { CellState } from '../core/model/cell-state.js';
import type { BBS } from './actors/bbs.js';

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
  property: 'no-overcommit' | 'task-at-most-once' | 'one-ordinary-instance' | 'desired-accounted' | 'valid-records' | 'auction-accounting';
  /** What was seen. */
  detail: string;
}

/**
 * Checks Diego's safety properties on a world at this instant:
 * no live cell over-committed; no task ran twice; per (process guid, index) no more instances on
 * live cells the BBS can see than the ordinary one plus the EVACUATING and SUSPECT copies the BBS records; every
 * desired index has an ordinary record; every auction a strategy ran ended exactly once (running, starting, crashed or pending); every record in a
 * state and presence Diego knows. Returns the violations (empty when all hold).
 */
export function checkSafety(w: WorldView): Violation[] {
  const out: Violation[] = [];
  const live = new Map<string, number>();
  for (const cell of w.cells) {
    if (!cell.alive) continue;
    const s = cell.rep.state;
    const a = s.AvailableResources;
    if (a.MemoryMB < 0 || a.DiskMB < 0 || a.Containers < 0 || s.StartingContainerCount < 0) {
      out.push({ property: 'no-overcommit', detail: `${cell.id}: available ${JSON.stringify(a)}, starting ${s.StartingContainerCount}` });
    }
    // A cell the BBS cannot see (cut off) may still run what was moved elsewhere; Diego stops it
    // when the cell is back, so only the cells in view count.
    if (!cell.present) continue;
    for (const l of s.LRPs) {
      // A copy whose record the BBS dropped runs until its rep's next bulk sync, in Diego as here.
      // So may a container allocated for an auction whose claim has not reached the BBS yet: if
      // another cell claimed the index first, this one is given up when its claim is refused.
      if (w.residual.has(l.instance_guid) || w.claiming.has(l.instance_guid)) continue;
      const key = `${l.process_guid}.${l.index}`;
      live.set(key, (live.get(key) ?? 0) + 1);
    }
  }
  for (const detail of w.accountingErrors) out.push({ property: 'auction-accounting', detail });
  if (w.bbs.tasks.runTwice > 0) out.push({ property: 'task-at-most-once', detail: `${w.bbs.tasks.runTwice} tasks ran twice` });
  for (const [key, n] of live) {
    const dot = key.lastIndexOf('.');
    const g = w.bbs.group(key.slice(0, dot), Number(key.slice(dot + 1)));
    const allowed = 1 + (g?.evacuating ? 1 : 0) + (g?.suspect ? 1 : 0);
    if (n > allowed) out.push({ property: 'one-ordinary-instance', detail: `${key}: ${n} instances on live cells, ${allowed} allowed` });
  }
  for (const [guid, d] of w.bbs.desired) {
    for (let i = 0; i < d.instances; i++) {
      if (!w.bbs.group(guid, i)?.ordinary) out.push({ property: 'desired-accounted', detail: `${guid}.${i} is desired but has no ActualLRP` });
    }
  }
  for (const byIndex of w.bbs.actual.values()) {
    for (const g of byIndex.values()) {
      for (const [slot, rec] of [['ORDINARY', g.ordinary], ['EVACUATING', g.evacuating], ['SUSPECT', g.suspect]] as const) {
        if (!rec) continue;
        const copyState = slot === 'ORDINARY' || rec.state === 'RUNNING' || rec.state === 'CLAIMED';
        if (rec.presence !== slot || !STATES.has(rec.state) || !copyState) {
          out.push({ property: 'valid-records', detail: `${rec.processGuid}.${rec.index}: ${rec.state}/${rec.presence} in the ${slot} slot` });
        }
      }
    }
  }
  return out;
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
