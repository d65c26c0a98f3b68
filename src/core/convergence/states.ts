/**
 * Diego's state machines for ActualLRPs and Tasks, as tables: what the BBS accepts and rejects.
 * @module
 */

/** ActualLRP states. */
export type LRPState = 'UNCLAIMED' | 'CLAIMED' | 'RUNNING' | 'CRASHED';
/** ActualLRP presences: the ordinary record, a copy kept while its cell drains, or one whose cell vanished. */
export type LRPPresence = 'ORDINARY' | 'EVACUATING' | 'SUSPECT';
/** Task states. */
export type TaskState = 'PENDING' | 'RUNNING' | 'COMPLETED' | 'RESOLVING';

const LRP_MOVES: Readonly<Record<LRPState, readonly LRPState[]>> = {
  // Claimed by a cell; or failed to place (stays UNCLAIMED with a placement error).
  UNCLAIMED: ['CLAIMED', 'UNCLAIMED'],
  // Started; crashed while starting; or unclaimed again (the cell gave it up or is draining).
  CLAIMED: ['RUNNING', 'CRASHED', 'UNCLAIMED', 'CLAIMED'],
  // Crashed; or unclaimed (evacuation, cell gone); a repeat of RUNNING is an idempotent report.
  RUNNING: ['CRASHED', 'UNCLAIMED', 'RUNNING'],
  // Restarted by convergence once the backoff has passed.
  CRASHED: ['UNCLAIMED'],
};

/** Whether the BBS allows an ActualLRP to go from `from` to `to`. */
export function lrpTransitionAllowed(from: LRPState, to: LRPState): boolean {
  return LRP_MOVES[from].includes(to);
}

const TASK_MOVES: Readonly<Record<TaskState, readonly TaskState[]>> = {
  // Started on a cell; or failed before starting (timeout, too many rejections, cancelled).
  PENDING: ['RUNNING', 'COMPLETED'],
  // Done (or failed, or the cell vanished); or rejected by its cell and back in the queue.
  RUNNING: ['COMPLETED', 'PENDING'],
  // Its client started resolving it.
  COMPLETED: ['RESOLVING'],
  // Resolution stalled: back to COMPLETED for another try.
  RESOLVING: ['COMPLETED'],
};

/** Whether the BBS allows a Task to go from `from` to `to`. */
export function taskTransitionAllowed(from: TaskState, to: TaskState): boolean {
  return TASK_MOVES[from].includes(to);
}

/** Diego's convergence timings and limits, all settings (defaults are Diego's). */
export interface ConvergenceSettings {
  /** Interval between convergence passes (30 s). */
  intervalMs: number;
  /** An UNCLAIMED instance older than this is re-auctioned (30 s). */
  staleUnclaimedMs: number;
  /** A PENDING task older than this fails (30 min). */
  pendingTaskTimeoutMs: number;
  /** A RESOLVING task older than this goes back to COMPLETED (30 s). */
  resolvingTimeoutMs: number;
  /** A COMPLETED task is deleted this long after completion (120 s). */
  completedTaskTtlMs: number;
  /** A task rejected more than this many times fails (3). */
  maxTaskRetries: number;
}

/** Diego's defaults. */
export const CONVERGENCE_DEFAULTS: Readonly<ConvergenceSettings> = Object.freeze({
  intervalMs: 30_000,
  staleUnclaimedMs: 30_000,
  pendingTaskTimeoutMs: 30 * 60_000,
  resolvingTimeoutMs: 30_000,
  completedTaskTtlMs: 120_000,
  maxTaskRetries: 3,
});

/** Failure reason of a task not started in time. */
export const ERR_TASK_NOT_STARTED = 'not started within time limit';
/** Failure reason of a task whose cell vanished. */
export const ERR_TASK_CELL_DISAPPEARED = 'cell disappeared before completion';
/**
 * Failure reason of a task whose cell restarted without it: a rep destroys every container at start
 * (executor `initializer`) and then fails each task of its cell that has no container (rep
 * `generator/operation.go`). The task is never run again.
 */
export const ERR_TASK_CONTAINER_GONE = 'task container does not exist';
/** Failure reason of a cancelled task (bbs `db/sqldb/task_db.go` CancelTask). */
export const ERR_TASK_CANCELLED = 'task was cancelled';
