// The BBS's side of auctions in the simulated world: start requests gathered within one instant and
// flushed to the active auctioneer together (as Diego's BBS asks its auctioneer), and each auction's
// outcome recorded (placements and their waits, failures with their reasons, tasks turned down).
// The world wires it through BBSClientWorld.
import { asksResources, requestResources } from './work-resource-schema.js';
import { setLength } from '../core/scheduler/scratch.js';
import type { LRPAuction } from '../core/model/auctions.js';
import type { LRP } from '../core/model/cell-state.js';
import type { LRPStartRequest, TaskStartRequest } from '../core/model/requests.js';
import type { AuctionOutcome } from '../core/strategy.js';
import type { WorldSpec } from './scenario-types.js';
import { requestContext, type SimAuctioneer } from './actors/auctioneer.js';
import type { ActualLRP, AppActuals, BBS, DesiredLRP, LRPGroup } from './actors/bbs.js';
import type { StoryScores } from './run-explainer.js';
import type { Kernel } from './kernel/kernel.js';
import type { RunCounters } from './run-counters.js';
import { PendingLRPRequests, type PendingLRPRequest } from './pending-lrp-requests.js';

/** The start request the BBS sends its auctioneer for indices of a desired LRP. */
export function lrpStartRequest(processGuid: string, d: DesiredLRP, indices: number[]): LRPStartRequest {
  const q: LRPStartRequest = { process_guid: processGuid, domain: 'cf-apps', indices, PlacementTags: d.placementTags, VolumeDrivers: d.volumeDrivers, RootFs: d.rootfs, MemoryMB: d.memoryMB, DiskMB: d.diskMB, MaxPids: 0 };
  if (asksResources(d)) requestResources(d, q);
  return q;
}

/** What the BBS client needs of the world (declared beside its consumer). */
export interface BBSClientWorld {
  /** The kernel: the clock, notes, the flush event. */
  readonly kernel: Kernel;
  /** The BBS. */
  readonly bbs: BBS;
  /** The run's counters (auctions, placements, waits, failures). */
  readonly counters: RunCounters;
  /** The scenario (task retries). */
  readonly scenario: WorldSpec;
  /** The auctioneer holding the lock, if any. */
  activeAuctioneer(): SimAuctioneer | undefined;
  /** The run's explainer, for the story's scores (null: none). */
  readonly explainer: { takeScores(id: string): StoryScores | undefined; settle(outcome: AuctionOutcome): void } | null;
}

/** Gathers start requests, flushes them to the auctioneer, and records auction outcomes in the BBS. */
export class BBSClient {
  // Start requests gathered within one instant, flushed to the active auctioneer together.
  // `lookUp`: some index was asked for without its record, so the flush starts its wait.
  private readonly outLRPs = new PendingLRPRequests();
  private outTasks: string[] = [];
  private flushScheduled = false;
  private readonly flushHandler: number;
  // The auctioneer queue's generation: bumped whenever an auctioneer drains its queue into a batch
  // or loses it (dies), so a group asked for in the current generation is still queued (and a queue
  // holding submits of two generations makes no promise: see SimAuctioneer.submit's `disjointAs`).
  private generation = 0;
  // The BBS's count of dropped groups when this generation began: while it stays, the marks of the
  // generation are one per instance (see BBS.groupsDropped), so a flush whose every index was marked
  // repeats nothing queued this generation.
  private droppedAt = 0;

  /** The BBS client of a world (its flush event registered with the world's kernel, under its old name). */
  constructor(private readonly w: BBSClientWorld) {
    this.flushHandler = w.kernel.register('bbs.request-auctions', () => this.flush());
  }

  /**
   * Asks for an LRP instance to be auctioned (batched with everything asked for this instant).
   * `app`, the BBS's map of the app when the caller holds it, saves the flush looking it up;
   * `rec`, the instance's ordinary record when the caller holds it, has its wait start now, which
   * saves the flush looking the record up (as it does for instances asked for without it); null: the
   * caller held a record the BBS no longer has (removed, or a copy since dropped: see recordNamed), so
   * there is no wait to start, and nothing is looked up for the instance either.
   */
  requestLRP(processGuid: string, index: number, app?: AppActuals, rec?: ActualLRP | null): void {
    if (rec != null && rec.requestedAt === null) rec.requestedAt = this.w.kernel.now;
    const out = this.outLRPs.get(processGuid);
    if (out) {
      if (!out.indices.includes(index)) out.indices.push(index);
      if (out.app === undefined) out.app = app;
      if (rec === undefined) out.lookUp = true;
    } else this.outLRPs.add({ guid: processGuid, indices: [index], app, lookUp: rec === undefined });
    this.scheduleFlush();
  }

  /** Asks for a task to be auctioned. */
  requestTask(guid: string): void {
    this.outTasks.push(guid);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.w.kernel.after(0, this.flushHandler);
  }

  private flush(): void {
    this.flushScheduled = false;
    const now = this.w.kernel.now;
    // Sized for every app asked for (and cut to those still desired): a pass asks for tens of thousands.
    const out = this.outLRPs.take();
    const lrps = new Array<LRPStartRequest>(out.length);
    // Each request's app map, which its auctions carry back (see groupOf).
    const apps = new Array<AppActuals | undefined>(out.length);
    let n = 0;
    // Requests reach a queue only through a live lease (else they are lost, and nothing is marked).
    const active = this.w.activeAuctioneer();
    // Whether every index queued now was marked with this generation (none without its group).
    let marked = true;
    // An indexed loop: a cold start flushes 200,000 apps.
    for (let e = 0; e < out.length; e++) {
      const { guid, indices, app, lookUp } = out[e] as PendingLRPRequest;
      // A map the BBS still keeps is its map of the app, and carries the app's DesiredLRP.
      const byIndex = this.w.bbs.appActuals(guid, app);
      const d = this.w.bbs.desiredOf(guid, byIndex);
      if (!d) continue;
      // An index still waiting in the auctioneer's queue is not queued twice: Diego's batch would drop
      // the repeat at its drain (auction auctionrunner/batch.go DedupeAndDrain), and a busy auctioneer
      // (a long scheduling time) would otherwise hold one copy per convergence pass.
      let kept = 0;
      for (let k = 0; k < indices.length; k++) {
        const i = indices[k] as number;
        const g = byIndex?.get(i);
        if (g !== undefined) {
          if (active !== undefined) {
            if (g.queued === this.generation) continue;
            g.queued = this.generation;
          }
          const rec = g.ordinary;
          if (lookUp && rec && rec.requestedAt === null) rec.requestedAt = now;
        } else marked = false;
        indices[kept++] = i;
      }
      setLength(indices, kept);
      if (kept === 0) continue;
      lrps[n] = lrpStartRequest(guid, d, indices);
      apps[n++] = byIndex;
    }
    setLength(lrps, n);
    setLength(apps, n);
    const tasks: TaskStartRequest[] = [];
    for (const guid of this.outTasks) {
      const t = this.w.bbs.tasks.get(guid);
      if (!t || t.state !== 'PENDING') continue;
      if (t.requestedAt < 0) t.requestedAt = now;
      const q: TaskStartRequest = { TaskGuid: guid, Domain: 'cf-tasks', PlacementTags: t.placementTags, VolumeDrivers: [], RootFs: t.rootfs, MemoryMB: t.memoryMB, DiskMB: t.diskMB, MaxPids: 0 };
      if (asksResources(t)) requestResources(t, q);
      tasks.push(q);
    }
    this.outTasks = [];
    if (lrps.length === 0 && tasks.length === 0) return;
    // With no live lease the requests are lost, as in Diego; convergence asks again.
    // One request per process guid (see PendingLRPRequests) with no index twice: LRPs are unique by
    // construction; a task may have been asked for twice this instant (by its desire and a pass).
    const unique = tasks.length <= 1 || new Set(tasks.map((t) => t.TaskGuid)).size === tasks.length;
    // Marked throughout, no task (a task has no mark), and no group dropped this generation: this
    // submit repeats nothing another of the generation queued (see SimAuctioneer.submit).
    const disjoint = marked && tasks.length === 0 && this.w.bbs.groupsDropped === this.droppedAt;
    active?.submit(lrps, tasks, unique, apps, disjoint ? this.generation : -1);
  }

  /** The active auctioneer drained its queue into a batch, or lost it: nothing asked for before is queued now. */
  queueEmptied(): void {
    this.generation++;
    this.droppedAt = this.w.bbs.groupsDropped;
  }

  /** Reports an auction's outcome to the BBS, as Diego's auctioneer does. */
  auctionFinished(outcome: AuctionOutcome, rounds: number): void {
    const c = this.w.counters;
    const now = this.w.kernel.now;
    c.auctions++;
    c.rounds += rounds;
    c.cellsScored += outcome.cellsScored;
    // Indexed loops: a converger pass's batch ends tens of thousands of auctions at once.
    const placed = outcome.placed;
    for (let k = 0; k < placed.length; k++) {
      const p = placed[k] as AuctionOutcome['placed'][number];
      c.placed++;
      if (p.auction.kind === 'lrp') c.lrpAuctionsStarted++;
      else c.taskAuctionsStarted++;
      if (!p.confirmed) c.unconfirmed++;
      // The wait is measured on the record the auction was for: from its first request to now.
      const rec = p.auction.kind === 'lrp' ? this.groupOf(p.auction)?.ordinary : this.w.bbs.tasks.get(p.auction.task.TaskGuid);
      if (rec && rec.requestedAt !== null) {
        c.waitTimesMs.push(now - rec.requestedAt);
        rec.requestedAt = null;
      }
    }
    const failed = outcome.failed;
    // Failures come in runs of one reason (a full cluster fails a whole pass alike): counted per run.
    let reason = '';
    let run = 0;
    for (let k = 0; k < failed.length; k++) {
      const f = failed[k] as AuctionOutcome['failed'][number];
      c.failed++;
      if (f.auction.kind === 'lrp') c.lrpAuctionsFailed++;
      else c.taskAuctionsFailed++;
      if (f.reason !== reason) {
        if (run > 0) c.failuresByReason.set(reason, (c.failuresByReason.get(reason) ?? 0) + run);
        reason = f.reason;
        run = 0;
      }
      run++;
      if (f.auction.kind === 'lrp') this.w.bbs.failPlacement(f.auction.lrp.process_guid, f.auction.lrp.index, f.reason, groupHint(f.auction.lrp));
      else this.w.bbs.tasks.reject(f.auction.task.TaskGuid, f.reason, this.w.scenario.convergence.maxTaskRetries);
    }
    if (run > 0) c.failuresByReason.set(reason, (c.failuresByReason.get(reason) ?? 0) + run);
    this.w.kernel.note('auction', { placed: outcome.placed.length, failed: outcome.failed.length });
    // The story: where each piece of work went, or why it did not (log only).
    const k = this.w.kernel;
    if (k.logging) {
      for (const p of outcome.placed) k.tell('placed', { work: p.auction.id, cell: p.cell, ...(p.confirmed ? {} : { confirmed: false }), ...this.w.explainer?.takeScores(p.auction.id) });
      for (const f of outcome.failed) k.tell('failed', { work: f.auction.id, reason: f.reason });
    }
    this.w.explainer?.settle(outcome);
  }

  // The BBS group an LRP auction is for.
  private groupOf(a: LRPAuction): LRPGroup | undefined {
    return this.w.bbs.groupOf(a.lrp.process_guid, a.lrp.index, groupHint(a.lrp));
  }
}

/**
 * The group an instance sent to auction was made for, as the flush knew it (it sends each request
 * with its app's map as context): a hint for the BBS (`BBS.groupOf`), which checks it is still that
 * instance's group.
 */
export function groupHint(lrp: LRP): LRPGroup | undefined {
  const app = requestContext(lrp) as AppActuals | null | undefined;
  return app?.get(lrp.index);
}
