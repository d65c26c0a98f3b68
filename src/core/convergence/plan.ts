/**
 * Diego's convergence rules as pure functions of observed state and time: given what is desired,
 * what the cells report and what the BBS remembers (crashes, auctions in flight, tasks), they say
 * which instances and tasks to auction, which containers to stop, and which tasks to requeue, fail
 * or complete. The real backend's auctioneer runs them on every pass; they read no clock.
 * @module
 */
import { lrpAuctionId } from '../batch.js';
import { mayRestart } from './crash-restart.js';
import { decideTask, TASK } from './decide.js';
import { CONVERGENCE_DEFAULTS, ERR_TASK_CANCELLED, ERR_TASK_CELL_DISAPPEARED, ERR_TASK_CONTAINER_GONE, ERR_TASK_NOT_STARTED } from './states.js';

/** An app as desired: process guid and instance count. */
export interface DesiredApp {
  /** Process guid. */
  processGuid: string;
  /** Instances desired (indices 0..instances-1). */
  instances: number;
}

/** An LRP instance a cell reports. */
export interface ObservedInstance {
  /** The cell. */
  cell: string;
  /** Process guid. */
  processGuid: string;
  /** Index. */
  index: number;
  /** Instance guid (the container's identity on the cell). */
  instanceGuid: string;
  /** Whether it runs (as opposed to starting). */
  running: boolean;
  /** Whether its cell is evacuating (the instance is then Diego's EVACUATING copy). */
  evacuating: boolean;
}

/** The latest crash of an instance index: its crash count and when it crashed. */
export interface CrashRecord {
  /** Crash count after the crash (see crash-restart). */
  count: number;
  /** When it crashed (ms). */
  crashedAtMs: number;
}

/** What one LRP convergence pass looks at. */
export interface LRPConvergenceInput {
  /** Now (ms). */
  nowMs: number;
  /** Desired apps. */
  desired: readonly DesiredApp[];
  /** Instances on present cells (the last state each reported). */
  instances: readonly ObservedInstance[];
  /** Latest crash per auction id (`processGuid.index`); cleared once the index runs again. */
  crashes: ReadonlyMap<string, CrashRecord>;
  /** Auctions requested and not yet seen on a cell: auction id to when requested (ms). */
  inFlight: ReadonlyMap<string, number>;
  /** How long an auction may stay in flight before it is stale (default Diego's 30 s, `CONVERGENCE_DEFAULTS.staleUnclaimedMs`). */
  staleAfterMs?: number;
}

/** Why an instance index is auctioned. */
export type StartReason = 'missing' | 'stale' | 'crashed' | 'evacuating';
/** Why a container is stopped. */
export type StopReason = 'extra' | 'duplicate' | 'evacuated';

/** What one LRP pass decided. */
export interface LRPConvergenceActions {
  /** Instance indices to auction, in (process guid, index) order. */
  start: { processGuid: string; index: number; reason: StartReason }[];
  /** Containers to stop. */
  stop: { cell: string; processGuid: string; index: number; instanceGuid: string; reason: StopReason }[];
  /** Indices left CRASHED because their restart backoff has not passed. */
  backingOff: string[];
}

// The instance to keep of several of one index: a running one first, then by cell id, then guid.
function better(a: ObservedInstance, b: ObservedInstance): boolean {
  if (a.running !== b.running) return a.running;
  if (a.cell !== b.cell) return a.cell < b.cell;
  return a.instanceGuid < b.instanceGuid;
}

/**
 * One LRP convergence pass (Diego's rules): extra indices and undesired apps are stopped; of two
 * copies of one index on ordinary cells one is kept; an index with no ordinary copy is auctioned
 * unless an auction for it is in flight and not stale, or it crashed and its backoff has not passed;
 * an evacuating copy is stopped once an ordinary copy runs, and is kept until then.
 */
export function planLRPConvergence(input: LRPConvergenceInput): LRPConvergenceActions {
  const staleAfter = input.staleAfterMs ?? CONVERGENCE_DEFAULTS.staleUnclaimedMs;
  const wanted = new Map(input.desired.map((d) => [d.processGuid, d.instances]));
  const byId = new Map<string, ObservedInstance[]>();
  const out: LRPConvergenceActions = { start: [], stop: [], backingOff: [] };
  for (const x of input.instances) {
    const n = wanted.get(x.processGuid);
    if (n === undefined || x.index >= n || x.index < 0) {
      out.stop.push({ cell: x.cell, processGuid: x.processGuid, index: x.index, instanceGuid: x.instanceGuid, reason: 'extra' });
      continue;
    }
    const id = lrpAuctionId(x.processGuid, x.index);
    const list = byId.get(id);
    if (list) list.push(x);
    else byId.set(id, [x]);
  }
  const desired = [...input.desired].sort((a, b) => (a.processGuid < b.processGuid ? -1 : a.processGuid > b.processGuid ? 1 : 0));
  for (const d of desired) {
    for (let index = 0; index < d.instances; index++) {
      const id = lrpAuctionId(d.processGuid, index);
      const copies = byId.get(id) ?? [];
      const ordinary = copies.filter((c) => !c.evacuating);
      const evacuating = copies.filter((c) => c.evacuating);
      if (ordinary.length > 0) {
        const keep = ordinary.reduce((k, c) => (better(c, k) ? c : k));
        for (const c of ordinary) if (c !== keep) out.stop.push({ cell: c.cell, processGuid: c.processGuid, index, instanceGuid: c.instanceGuid, reason: 'duplicate' });
        if (keep.running) for (const c of evacuating) out.stop.push({ cell: c.cell, processGuid: c.processGuid, index, instanceGuid: c.instanceGuid, reason: 'evacuated' });
        continue;
      }
      const requested = input.inFlight.get(id);
      // Stale only when older than the limit, strictly (bbs db/sqldb/lrp_convergence.go: since < now - 30 s).
      if (requested !== undefined && input.nowMs - requested <= staleAfter) continue;
      const crash = input.crashes.get(id);
      if (crash && evacuating.length === 0 && !mayRestart(crash.count, crash.crashedAtMs, input.nowMs)) {
        out.backingOff.push(id);
        continue;
      }
      const reason: StartReason = evacuating.length > 0 ? 'evacuating' : crash ? 'crashed' : requested !== undefined ? 'stale' : 'missing';
      out.start.push({ processGuid: d.processGuid, index, reason });
    }
  }
  return out;
}

/** A task as the BBS holds it. */
export interface TaskRecord {
  /** Task guid. */
  guid: string;
  /** Diego's state (RESOLVING is not modelled: a completed task is kept until deleted). */
  state: 'PENDING' | 'RUNNING' | 'COMPLETED';
  /** The cell it was sent to (RUNNING), or null. */
  cell: string | null;
  /** When it was desired (ms). */
  createdAtMs: number;
  /** When it was last sent to a cell or auctioned (ms), or null. */
  sentAtMs: number | null;
  /** The boot id of the cell it was sent to, when known (a cell's boot id changes at every restart). */
  cellBoot?: string | null;
}

/** A task a cell reports: running, or finished with its result. */
export interface ObservedTask {
  /** The cell. */
  cell: string;
  /** Task guid. */
  guid: string;
  /** Whether it has finished. */
  completed: boolean;
  /** Whether it failed (when completed). */
  failed: boolean;
  /** Why it failed (when failed). */
  failureReason: string;
}

/** What one task pass looks at. */
export interface TaskConvergenceInput {
  /** Now (ms). */
  nowMs: number;
  /** Tasks the BBS holds. */
  tasks: readonly TaskRecord[];
  /** Tasks on the cells that answered this pass. */
  observed: readonly ObservedTask[];
  /** Cells that answered this pass (a task sent to one of them and not listed never reached it). */
  answered: ReadonlySet<string>;
  /** Cells present (answered within their presence TTL); a RUNNING task elsewhere lost its cell. */
  present: ReadonlySet<string>;
  /** How long a sent task may go unseen on a cell that answers before it is requeued (default 30 s). */
  staleAfterMs?: number;
  /** The current boot id of cells that report one: a task sent under another boot and gone from it failed. */
  boots?: ReadonlyMap<string, string>;
  /** Tasks each cell had and cancelled recently: one of them gone from its cell was cancelled, not lost. */
  cancelled?: ReadonlyMap<string, ReadonlySet<string>>;
}

/** What one task pass decided. */
export interface TaskConvergenceActions {
  /** PENDING tasks to auction (not in flight, or stale). */
  auction: string[];
  /** Tasks to record as COMPLETED with their result, and to delete from their cell. */
  complete: { guid: string; cell: string; failed: boolean; failureReason: string }[];
  /** Tasks to fail with a reason (Diego's text). */
  fail: { guid: string; reason: string }[];
  /** RUNNING tasks their cell never received: back to PENDING. */
  requeue: string[];
  /** Tasks a cell holds that the BBS does not know or no longer runs there: delete from the cell. */
  remove: { guid: string; cell: string }[];
}

/**
 * One task pass (Diego's rules): a PENDING task older than the limit fails, others are auctioned
 * unless in flight; a task a cell reports finished is completed with its result; a RUNNING task on a
 * vanished cell fails; one its cell cancelled, or restarted without (a new boot id), fails; one its cell (which
 * answers, in the same life) never listed is requeued. A task never runs twice: a requeue happens only
 * when its cell answered without it and has not restarted since it was sent.
 */
export function planTaskConvergence(input: TaskConvergenceInput): TaskConvergenceActions {
  const staleAfter = input.staleAfterMs ?? CONVERGENCE_DEFAULTS.staleUnclaimedMs;
  const out: TaskConvergenceActions = { auction: [], complete: [], fail: [], requeue: [], remove: [] };
  const seen = new Map<string, ObservedTask>();
  const known = new Map(input.tasks.map((t) => [t.guid, t]));
  for (const o of input.observed) {
    const t = known.get(o.guid);
    if (!t || t.state === 'COMPLETED' || (t.state === 'RUNNING' && t.cell !== o.cell) || t.state === 'PENDING') {
      // Unknown, already done, or a stray copy: the cell drops it. (A PENDING task is never on a cell:
      // it goes RUNNING when sent.) A completed stray is only deleted; a running one is cancelled.
      out.remove.push({ guid: o.guid, cell: o.cell });
      continue;
    }
    seen.set(o.guid, o);
  }
  const present = (cell: string) => input.present.has(cell);
  for (const t of input.tasks) {
    // Diego's rules for the record come from the core's decision (decide.ts), as the simulator's;
    // what follows them is this backend's reading of what its cells report.
    const view = { state: t.state, cell: t.cell ?? '', createdAt: t.createdAtMs, updatedAt: t.sentAtMs ?? t.createdAtMs, completedAt: Number.POSITIVE_INFINITY };
    if (t.state === 'PENDING') {
      if (decideTask(view, present, input.nowMs, CONVERGENCE_DEFAULTS) === TASK.FAIL_EXPIRED) out.fail.push({ guid: t.guid, reason: ERR_TASK_NOT_STARTED });
      // Diego kicks every PENDING task each pass; here one in flight is left until stale.
      else if (t.sentAtMs === null || input.nowMs - t.sentAtMs > staleAfter) out.auction.push(t.guid);
    } else if (t.state === 'RUNNING' && t.cell !== null) {
      const o = seen.get(t.guid);
      if (o) {
        if (o.completed) out.complete.push({ guid: t.guid, cell: o.cell, failed: o.failed, failureReason: o.failureReason });
      } else if (decideTask(view, present, input.nowMs, CONVERGENCE_DEFAULTS) === TASK.FAIL_CELL_GONE) {
        out.fail.push({ guid: t.guid, reason: ERR_TASK_CELL_DISAPPEARED });
      } else if (input.cancelled?.get(t.cell)?.has(t.guid)) {
        out.fail.push({ guid: t.guid, reason: ERR_TASK_CANCELLED });
      } else if (restarted(t, input.boots)) {
        out.fail.push({ guid: t.guid, reason: ERR_TASK_CONTAINER_GONE });
      } else if (input.answered.has(t.cell) && (t.sentAtMs === null || input.nowMs - t.sentAtMs > staleAfter)) {
        out.requeue.push(t.guid);
      }
    }
  }
  return out;
}

// Whether a task's cell reports a boot id other than the one the task was sent under.
function restarted(t: TaskRecord, boots: ReadonlyMap<string, string> | undefined): boolean {
  if (!boots || t.cell === null || t.cellBoot === undefined || t.cellBoot === null) return false;
  const now = boots.get(t.cell);
  return now !== undefined && now !== t.cellBoot;
}
