/**
 * Diego's convergence decision for one instance index and for one task, as pure functions of the
 * BBS's records, cell presence, time and settings: Diego's own split between deciding (bbs
 * `db/sqldb/lrp_convergence.go` and `task_convergence.go` compute a result) and applying it
 * (`controllers/lrp_convergence_controller.go`, `task_controller.go`). The simulator's converger
 * applies them; they read no clock and allocate nothing, so a pass over 250,000 indices pays only
 * for the comparisons.
 * @module
 */
import { mayRestart, restartDelayMs } from './crash-restart.js';
import type { LRPState, TaskState } from './states.js';

/** The fields of an ActualLRP record the decision reads. */
export interface LRPRecordView {
  /** Its state. */
  readonly state: LRPState;
  /** The cell it is on ('' when unclaimed). */
  readonly cell: string;
  /** When it entered its state (ms). */
  readonly since: number;
  /** Its crash count. */
  readonly crashCount: number;
}

/** The records of one (process guid, index): Diego's ORDINARY, EVACUATING and SUSPECT presences. */
export interface LRPGroupView {
  /** The ORDINARY record, if any. */
  readonly ordinary: LRPRecordView | null;
  /** The EVACUATING copy (its cell is draining), if any. */
  readonly evacuating: LRPRecordView | null;
  /** The SUSPECT copy (its cell vanished; kept until its fate is known), if any. */
  readonly suspect: LRPRecordView | null;
}

/**
 * What to do with one index, as bits: at most one of the suspect steps, optionally the evacuating
 * step, then at most one main action, in that order (the main action is decided on the records as
 * the first steps leave them).
 */
export const LRP_ACTION = {
  /** Nothing to do. */
  NONE: 0,
  /** The suspect's cell is back and the ORDINARY is not running: stop the ORDINARY's container (if it has a cell) and promote the suspect to ORDINARY. */
  PROMOTE_SUSPECT: 1,
  /** The suspect's cell is back and the ORDINARY runs: stop the suspect's container and forget it. */
  DROP_SUSPECT: 2,
  /** The evacuating copy's cell is gone: forget the copy. */
  FORGET_EVACUATING: 4,
  /** No record is left: drop the group. */
  DROP_GROUP: 8,
  /** The index is not desired (any more): stop the ORDINARY's container and remove it (then drop the group if nothing else is left). */
  RETIRE: 16,
  /** The ORDINARY is claimed or running on a cell that is gone: make it SUSPECT and auction a replacement. */
  SUSPECT_AND_REPLACE: 32,
  /** The ORDINARY has been UNCLAIMED for longer than the stale limit: auction it again. */
  REAUCTION_STALE: 64,
  /** The ORDINARY crashed and its backoff has passed: unclaim it and auction it. */
  RESTART_CRASHED: 128,
  /**
   * The ORDINARY is claimed or running on a cell that is gone while the index already has a SUSPECT
   * copy away: unclaim it (it keeps its crash count) and auction it; the first SUSPECT stays (bbs
   * controllers/lrp_convergence_controller.go, KeysWithMissingCells with an existing suspect).
   */
  UNCLAIM_LOST: 256,
} as const;

/**
 * Diego's rules for one (process guid, index), as bits of {@link LRP_ACTION}:
 * a suspect whose cell came back is promoted unless the ORDINARY already runs (then it is
 * dropped); an evacuating copy whose cell is gone is forgotten; then the ORDINARY, if any, is
 * retired when its index is not desired, made SUSPECT and replaced when its claimed or running cell
 * is gone, auctioned again when UNCLAIMED for longer than `staleMs` (strictly: bbs
 * `lrp_convergence.go`, `since < now - 30 s`), and restarted when CRASHED and its backoff has passed.
 * `desiredInstances` is -1 when the app is not desired.
 */
export function decideLRPGroup(g: LRPGroupView, index: number, desiredInstances: number, present: (cell: string) => boolean, nowMs: number, staleMs: number): number {
  let out = 0;
  let o = g.ordinary;
  let suspect = g.suspect !== null;
  if (g.suspect !== null && present(g.suspect.cell)) {
    if (o?.state !== 'RUNNING') {
      out |= LRP_ACTION.PROMOTE_SUSPECT;
      o = g.suspect;
    } else out |= LRP_ACTION.DROP_SUSPECT;
    suspect = false;
  }
  let evacuating = g.evacuating !== null;
  if (g.evacuating !== null && !present(g.evacuating.cell)) {
    out |= LRP_ACTION.FORGET_EVACUATING;
    evacuating = false;
  }
  if (o === null) return evacuating || suspect ? out : out | LRP_ACTION.DROP_GROUP;
  if (desiredInstances < 0 || index >= desiredInstances) return out | LRP_ACTION.RETIRE | (evacuating || suspect ? 0 : LRP_ACTION.DROP_GROUP);
  if ((o.state === 'CLAIMED' || o.state === 'RUNNING') && !present(o.cell)) return out | (suspect ? LRP_ACTION.UNCLAIM_LOST : LRP_ACTION.SUSPECT_AND_REPLACE);
  if (o.state === 'UNCLAIMED' && nowMs - o.since > staleMs) return out | LRP_ACTION.REAUCTION_STALE;
  if (o.state === 'CRASHED' && mayRestart(o.crashCount, o.since, nowMs)) return out | LRP_ACTION.RESTART_CRASHED;
  return out;
}

/**
 * For a group whose only record is an ordinary one waiting on time (CRASHED in its backoff, or
 * UNCLAIMED and not yet stale), a time before which {@link decideLRPGroup} cannot act on it while the
 * group does not change: a millisecond early, so the rounding of the sum never makes it late (the
 * caller decides again then). +Infinity when it never comes due (200 crashes); -1 for any other group
 * (its decision may turn on cell presence or copies, not on time alone). The simulator's converger
 * rests such groups until then instead of deciding on them every pass.
 */
export function lrpGroupDueFrom(g: LRPGroupView, staleMs: number): number {
  const o = g.ordinary;
  if (o === null || g.suspect !== null || g.evacuating !== null) return -1;
  // As decideLRPGroup: REAUCTION_STALE when now - since > staleMs; RESTART_CRASHED when mayRestart.
  if (o.state === 'UNCLAIMED') return o.since + staleMs - 1;
  if (o.state === 'CRASHED') return o.since + restartDelayMs(o.crashCount) - 1;
  return -1;
}

/** The fields of a task record the decision reads. */
export interface TaskRecordView {
  /** Its state. */
  readonly state: TaskState;
  /** The cell it runs on ('' when none). */
  readonly cell: string;
  /** When it was desired (ms). */
  readonly createdAt: number;
  /** When it last changed (ms). */
  readonly updatedAt: number;
  /** When it completed (ms). */
  readonly completedAt: number;
}

/** What to do with one task. */
export const TASK_ACTION = {
  /** Nothing to do. */
  NONE: 0,
  /** PENDING for longer than the limit: fail it, "not started within time limit". */
  FAIL_EXPIRED: 1,
  /** PENDING: send it to the auctioneer again (Diego kicks pending tasks every pass). */
  AUCTION: 2,
  /** RUNNING on a cell that is gone: fail it, "cell disappeared before completion". */
  FAIL_CELL_GONE: 3,
  /** RESOLVING for longer than the limit: back to COMPLETED for another try. */
  DEMOTE_RESOLVING: 4,
  /** COMPLETED for the retention period: delete it. */
  DELETE_COMPLETED: 5,
} as const;

/** One of {@link TASK_ACTION}. */
export type TaskDecision = (typeof TASK_ACTION)[keyof typeof TASK_ACTION];

/** The limits the task decision reads (Diego's defaults are `CONVERGENCE_DEFAULTS`). */
export interface TaskLimits {
  /** A PENDING task older than this fails. */
  readonly pendingTaskTimeoutMs: number;
  /** A RESOLVING task older than this goes back to COMPLETED. */
  readonly resolvingTimeoutMs: number;
  /** A COMPLETED task is deleted this long after it completed. */
  readonly completedTaskTtlMs: number;
}

/**
 * Diego's rules for one task (bbs `db/sqldb/task_convergence.go`): a PENDING task older than the
 * limit (strictly) fails, other PENDING tasks are auctioned; a RUNNING task whose cell is gone
 * fails; a RESOLVING task stuck for longer than its limit is demoted; a COMPLETED task is deleted
 * once its retention has passed.
 */
export function decideTask(t: TaskRecordView, present: (cell: string) => boolean, nowMs: number, limits: TaskLimits): TaskDecision {
  switch (t.state) {
    case 'PENDING':
      return nowMs - t.createdAt > limits.pendingTaskTimeoutMs ? TASK_ACTION.FAIL_EXPIRED : TASK_ACTION.AUCTION;
    case 'RUNNING':
      return present(t.cell) ? TASK_ACTION.NONE : TASK_ACTION.FAIL_CELL_GONE;
    case 'RESOLVING':
      return nowMs - t.updatedAt > limits.resolvingTimeoutMs ? TASK_ACTION.DEMOTE_RESOLVING : TASK_ACTION.NONE;
    case 'COMPLETED':
      // Strictly older than the retention (first_completed_at < now - expiry).
      return nowMs - t.completedAt > limits.completedTaskTtlMs ? TASK_ACTION.DELETE_COMPLETED : TASK_ACTION.NONE;
  }
}
