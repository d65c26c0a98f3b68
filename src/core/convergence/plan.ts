/**
 * Diego's convergence rules as pure functions of observed state and time: given what is desired,
 * what the cells report and what the BBS remembers (crashes, auctions in flight, tasks), they say
 * which instances and tasks to auction, which containers to stop, and which tasks to requeue, fail
 * or complete. The real backend's auctioneer runs them on every pass; they read no clock.
 * @module
 */
import { lrpAuctionId } from '../batch.js';
import { decideLRPGroup, decideTask, LRP_ACTION, TASK_ACTION, type LRPRecordView } from './decide.js';
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
  /** Cells present now (default: the cells of `instances`); the others are gone. */
  present?: ReadonlySet<string>;
  /** Instances last reported by cells that are gone now: Diego's claimed or running records on a vanished cell. */
  lost?: readonly ObservedInstance[];
  /** SUSPECT copies recorded by earlier passes (auction id to the copy), kept until their cell returns. */
  suspects?: ReadonlyMap<string, SuspectCopy>;
}

/** A copy of an instance on a cell that vanished, kept as Diego's SUSPECT record. */
export interface SuspectCopy {
  /** The cell it was on. */
  cell: string;
  /** Its instance guid. */
  instanceGuid: string;
}

/** Why an instance index is auctioned. */
export type StartReason = 'missing' | 'stale' | 'crashed' | 'evacuating' | 'cell-gone';
/** Why a container is stopped. */
export type StopReason = 'extra' | 'duplicate' | 'evacuated' | 'suspect' | 'replaced';

/** What one LRP pass decided. */
export interface LRPConvergenceActions {
  /** Instance indices to auction, in (process guid, index) order. */
  start: { processGuid: string; index: number; reason: StartReason }[];
  /** Containers to stop. */
  stop: { cell: string; processGuid: string; index: number; instanceGuid: string; reason: StopReason }[];
  /** Indices left CRASHED because their restart backoff has not passed. */
  backingOff: string[];
  /** Copies to keep as SUSPECT from now on (their cell vanished; a replacement is auctioned). */
  suspect: ({ processGuid: string; index: number } & SuspectCopy)[];
  /** Auction ids whose SUSPECT record ends (promoted back, stopped, or gone with its cell's restart). */
  forgetSuspect: string[];
}

// The instance to keep of several of one index: a running one first, then by cell id, then guid.
function better(a: ObservedInstance, b: ObservedInstance): boolean {
  if (a.running !== b.running) return a.running;
  if (a.cell !== b.cell) return a.cell < b.cell;
  return a.instanceGuid < b.instanceGuid;
}

/**
 * One LRP convergence pass: the real backend's reading of what its cells report, turned into
 * Diego's records for each index (ORDINARY, EVACUATING, SUSPECT) and judged by the same decision the
 * simulator applies ({@link decideLRPGroup}). Undesired indices are stopped; of two ordinary copies
 * of one index one is kept (the BBS never holds two, the cells can); a claimed or running copy on a
 * vanished cell becomes SUSPECT and is replaced; a SUSPECT whose cell returns is stopped if its
 * replacement runs, and promoted (the replacement stopped) if not; an UNCLAIMED index is auctioned
 * again when stale, a CRASHED one when its backoff has passed; an evacuating copy gets a replacement
 * and is stopped once an ordinary copy runs (the BBS's evacuation handlers); a missing index is
 * auctioned (the converger's missing step).
 */
export function planLRPConvergence(input: LRPConvergenceInput): LRPConvergenceActions {
  const staleAfter = input.staleAfterMs ?? CONVERGENCE_DEFAULTS.staleUnclaimedMs;
  const wanted = new Map(input.desired.map((d) => [d.processGuid, d.instances]));
  const presentCells = input.present ?? new Set(input.instances.map((x) => x.cell));
  const present = (cell: string) => presentCells.has(cell);
  const suspects = input.suspects ?? new Map<string, SuspectCopy>();
  const out: LRPConvergenceActions = { start: [], stop: [], backingOff: [], suspect: [], forgetSuspect: [] };
  const byId = groupById(input.instances);
  const lostById = groupById(input.lost ?? []);
  // Every index that is desired, seen, lost or suspect, in (process guid, index) order.
  const ids = new Map<string, { processGuid: string; index: number }>();
  const note = (processGuid: string, index: number) => ids.set(lrpAuctionId(processGuid, index), { processGuid, index });
  for (const d of input.desired) for (let i = 0; i < d.instances; i++) note(d.processGuid, i);
  for (const x of input.instances) note(x.processGuid, x.index);
  for (const id of suspects.keys()) {
    const dot = id.lastIndexOf('.');
    note(id.slice(0, dot), Number(id.slice(dot + 1)));
  }
  const order = [...ids.entries()].sort(([, a], [, b]) => (a.processGuid < b.processGuid ? -1 : a.processGuid > b.processGuid ? 1 : a.index - b.index));
  const stop = (c: ObservedInstance, reason: StopReason) => out.stop.push({ cell: c.cell, processGuid: c.processGuid, index: c.index, instanceGuid: c.instanceGuid, reason });
  for (const [id, { processGuid, index }] of order) {
    const copies = byId.get(id) ?? [];
    let sRec = suspects.get(id) ?? null;
    let suspectCopy: ObservedInstance | null = null;
    if (sRec !== null && present(sRec.cell)) {
      suspectCopy = copies.find((c) => c.cell === sRec?.cell && c.instanceGuid === sRec.instanceGuid) ?? null;
      // Its cell is back without it (restarted): the suspect is gone.
      if (suspectCopy === null) {
        out.forgetSuspect.push(id);
        sRec = null;
      }
    }
    const n = wanted.get(processGuid) ?? -1;
    if (index >= n) {
      for (const c of copies) stop(c, 'extra');
      if (sRec !== null) out.forgetSuspect.push(id);
      continue;
    }
    const ordinaries = copies.filter((c) => !c.evacuating && c !== suspectCopy);
    const evacuating = copies.filter((c) => c.evacuating && c !== suspectCopy);
    const keep = ordinaries.length === 0 ? null : ordinaries.reduce((k, c) => (better(c, k) ? c : k));
    for (const c of ordinaries) if (c !== keep) stop(c, 'duplicate');
    const crash = input.crashes.get(id);
    const requested = input.inFlight.get(id);
    // The ORDINARY record this index has, as Diego's BBS would hold it.
    let lostCopy: ObservedInstance | null = null;
    let ordinary: LRPRecordView | null = null;
    if (keep !== null) ordinary = { state: keep.running ? 'RUNNING' : 'CLAIMED', cell: keep.cell, since: 0, crashCount: crash?.count ?? 0 };
    else if ((lostCopy = (lostById.get(id) ?? []).find((c) => c.instanceGuid !== sRec?.instanceGuid) ?? null) !== null && requested === undefined) {
      ordinary = { state: lostCopy.running ? 'RUNNING' : 'CLAIMED', cell: lostCopy.cell, since: 0, crashCount: crash?.count ?? 0 };
    } else if (requested !== undefined) ordinary = { state: 'UNCLAIMED', cell: '', since: requested, crashCount: crash?.count ?? 0 };
    else if (crash !== undefined && evacuating.length === 0) ordinary = { state: 'CRASHED', cell: '', since: crash.crashedAtMs, crashCount: crash.count };
    const group = {
      ordinary,
      evacuating: evacuating.length > 0 ? { state: 'RUNNING' as const, cell: (evacuating[0] as ObservedInstance).cell, since: 0, crashCount: 0 } : null,
      suspect: sRec !== null ? { state: 'RUNNING' as const, cell: sRec.cell, since: 0, crashCount: 0 } : null,
    };
    const act = decideLRPGroup(group, index, n, present, input.nowMs, staleAfter);
    if (act & LRP_ACTION.PROMOTE_SUSPECT) {
      if (keep !== null) stop(keep, 'replaced');
      out.forgetSuspect.push(id);
      continue;
    }
    if (act & LRP_ACTION.DROP_SUSPECT && suspectCopy !== null) {
      stop(suspectCopy, 'suspect');
      out.forgetSuspect.push(id);
    }
    if (act & LRP_ACTION.SUSPECT_AND_REPLACE && lostCopy !== null) {
      out.suspect.push({ processGuid, index, cell: lostCopy.cell, instanceGuid: lostCopy.instanceGuid });
      out.start.push({ processGuid, index, reason: 'cell-gone' });
    } else if (act & LRP_ACTION.UNCLAIM_LOST) {
      // A SUSPECT copy is already away: the lost one is only started again, the first suspect kept.
      out.start.push({ processGuid, index, reason: 'cell-gone' });
    } else if (act & LRP_ACTION.REAUCTION_STALE) out.start.push({ processGuid, index, reason: 'stale' });
    else if (act & LRP_ACTION.RESTART_CRASHED) out.start.push({ processGuid, index, reason: 'crashed' });
    else if (ordinary?.state === 'CRASHED') out.backingOff.push(id);
    // No record at all: the converger's missing step (a suspect still away is no replacement).
    else if (ordinary === null) out.start.push({ processGuid, index, reason: evacuating.length > 0 ? 'evacuating' : 'missing' });
    // An evacuating copy goes once an ordinary copy runs (Diego's evacuation handlers).
    if (keep?.running) for (const c of evacuating) stop(c, 'evacuated');
  }
  return out;
}

function groupById(instances: readonly ObservedInstance[]): Map<string, ObservedInstance[]> {
  const byId = new Map<string, ObservedInstance[]>();
  for (const x of instances) {
    const id = lrpAuctionId(x.processGuid, x.index);
    const list = byId.get(id);
    if (list) list.push(x);
    else byId.set(id, [x]);
  }
  return byId;
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
      if (decideTask(view, present, input.nowMs, CONVERGENCE_DEFAULTS) === TASK_ACTION.FAIL_EXPIRED) out.fail.push({ guid: t.guid, reason: ERR_TASK_NOT_STARTED });
      // Diego kicks every PENDING task each pass; here one in flight is left until stale.
      else if (t.sentAtMs === null || input.nowMs - t.sentAtMs > staleAfter) out.auction.push(t.guid);
    } else if (t.state === 'RUNNING' && t.cell !== null) {
      const o = seen.get(t.guid);
      if (o) {
        if (o.completed) out.complete.push({ guid: t.guid, cell: o.cell, failed: o.failed, failureReason: o.failureReason });
      } else if (decideTask(view, present, input.nowMs, CONVERGENCE_DEFAULTS) === TASK_ACTION.FAIL_CELL_GONE) {
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
