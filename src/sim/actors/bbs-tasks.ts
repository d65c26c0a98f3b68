// The BBS's tasks in the simulator: the table by guid, Diego's task state machine for every change
// (a change it rejects is counted with the BBS's other rejected transitions), and the task counters
// the summary reports.
import { taskTransitionAllowed, type TaskState } from '../../core/convergence/states.js';
import type { TaskRecord } from './bbs-records.js';

/** A task as desired: what the BBS is told before it fills in its state. */
export type NewTask = Omit<TaskRecord, 'state' | 'cell' | 'createdAt' | 'updatedAt' | 'completedAt' | 'failed' | 'failureReason' | 'rejections' | 'starts' | 'requestedAt'>;

/** Learns of tasks starting and finishing (the cron controller follows its ticks' tasks so). */
export interface TaskObserver {
  /** A task went RUNNING on its cell. */
  started(t: TaskRecord): void;
  /** A task went COMPLETED, succeeded or failed. */
  finished(t: TaskRecord): void;
}

/** Tasks by guid, changed only through Diego's task state machine. */
export class TaskTable extends Map<string, TaskRecord> {
  /** Told of starts and ends (null: nobody is). */
  observer: TaskObserver | null = null;
  /** Tasks that went RUNNING more than once (must stay 0). */
  runTwice = 0;
  /** Tasks that completed successfully. */
  succeeded = 0;
  /** Tasks that completed failed, by reason. */
  readonly failures = new Map<string, number>();

  /** A table over the BBS's clock; `rejected` counts a change the state machine refuses. */
  constructor(
    private readonly now: () => number,
    private readonly rejected: () => void,
  ) {
    super();
  }

  /** Creates a PENDING task. False if a task with that guid exists. */
  desire(t: NewTask): boolean {
    if (this.has(t.guid)) return false;
    const now = this.now();
    this.set(t.guid, { ...t, state: 'PENDING', cell: '', createdAt: now, updatedAt: now, completedAt: 0, failed: false, failureReason: '', rejections: 0, starts: 0, requestedAt: -1 });
    return true;
  }

  /** A cell starts a task: PENDING -> RUNNING. False (the cell must drop it) otherwise. */
  start(guid: string, cell: string): boolean {
    const t = this.get(guid);
    if (!t || !this.to(t, 'RUNNING')) return false;
    t.cell = cell;
    t.starts++;
    if (t.starts > 1) this.runTwice++;
    this.observer?.started(t);
    return true;
  }

  /** A task finished (or failed) on its cell: RUNNING -> COMPLETED. */
  complete(guid: string, cell: string, failed: boolean, reason: string): void {
    const t = this.get(guid);
    if (!t || t.cell !== cell) return;
    this.finish(t, failed, reason);
  }

  /** Ends a task as COMPLETED (from PENDING or RUNNING). */
  finish(t: TaskRecord, failed: boolean, reason: string): void {
    if (!this.to(t, 'COMPLETED')) return;
    t.completedAt = this.now();
    t.failed = failed;
    t.failureReason = reason;
    if (failed) this.failures.set(reason, (this.failures.get(reason) ?? 0) + 1);
    else this.succeeded++;
    this.observer?.finished(t);
  }

  /** An auction could not place a task: after `maxRetries` rejections it fails. */
  reject(guid: string, reason: string, maxRetries: number): void {
    const t = this.get(guid);
    if (!t || t.state !== 'PENDING') return;
    t.rejections++;
    if (t.rejections > maxRetries) this.finish(t, true, reason);
  }

  private to(t: TaskRecord, to: TaskState): boolean {
    if (!taskTransitionAllowed(t.state, to)) {
      this.rejected();
      return false;
    }
    t.state = to;
    t.updatedAt = this.now();
    return true;
  }
}
