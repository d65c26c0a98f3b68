// The simulated executor: the life of every container on the simulated cells (start-up, droplet
// download, health check, running, crashes, task runs, reservations that lapse) and what a cell runs
// now. The world wires it to the BBS, the route table and the auctioneer through ExecutorWorld.
import { LRPHandle, RESERVATION_TTL_MS } from '../core/rep/memory-rep.js';
import type { Auction } from '../core/model/auctions.js';
import type { LRP, Task } from '../core/model/cell-state.js';
import type { PlacementConstraint } from '../core/model/resources.js';
import { insufficientResources } from '../core/errors.js';
import { resourceProblems } from '../core/filters.js';
import type { Rng } from '../core/random.js';
import type { WorldSpec } from './scenario-types.js';
import type { ActualLRP, AppActuals, BBS, DesiredLRP, LRPGroup } from './actors/bbs.js';
import type { SimCell } from './actors/cell.js';
import { sample } from './distributions.js';
import { containerCreationFailure } from './container-creation.js';
import { constraintBroken } from './constraint-broken.js';
import type { Kernel } from './kernel/kernel.js';
import type { RouteTable } from './routes.js';
import { newContainer, type Container } from './container.js';
import { IdWindow } from './id-window.js';
import { groupHint } from './bbs-client.js';

/** What to do when a watched task completes (see {@link SimExecutor.watchTask}). */
export interface TaskHook {
  /** Chance that it fails when it completes. */
  failureProbability: number;
  /** Why, when it fails. */
  failureReason: string;
  /** Learns whether it failed. */
  done: (failed: boolean) => void;
}

// Instances one cell claims together (one Perform's), on their way to the BBS.
interface ClaimsInFlight {
  readonly id: number;
  readonly cell: SimCell;
  /** When the writes arrive (ms). */
  readonly at: number;
  // The first instance (a Perform of a batch spread over many cells usually carries one): the rep's
  // handle on it (see MemoryRep.perform) and the instance as sent; then any others of the same
  // Perform, in order. Fields, not a list of pairs: two objects fewer per claim.
  readonly handle: LRPHandle;
  readonly sent: LRP;
  more: { handle: LRPHandle; sent: LRP }[] | null;
}

// Calls `fn` for each instance of a claim, in the order allocated.
function eachClaimed(x: ClaimsInFlight, fn: (handle: LRPHandle, sent: LRP) => void): void {
  fn(x.handle, x.sent);
  if (x.more !== null) for (const item of x.more) fn(item.handle, item.sent);
}

/** What the executor needs of the world (declared beside its consumer). */
export interface ExecutorWorld {
  /** The kernel: the clock, timers, notes. */
  readonly kernel: Kernel;
  /** The scenario (start-up times, the BBS write time). */
  readonly scenario: WorldSpec;
  /** The network (a claim from a cell cut off never reaches the BBS). */
  readonly network: { isCut(zone: string): boolean };
  /** The BBS the cells claim, start, crash and complete work in. */
  readonly bbs: BBS;
  /** The route table. */
  readonly routes: RouteTable;
  /** Cells by id. */
  readonly cellById: ReadonlyMap<string, SimCell>;
  /** The run's counters (crashes). */
  readonly counters: { crashes: number };
  /** Asks the auctioneer to place an instance again (a crash restarted at once). */
  requestLRP(processGuid: string, index: number, app?: AppActuals, rec?: ActualLRP | null): void;
  /** A container on `cell` runs on without a record: its rep's next bulk sync will look at it. */
  residualAppeared(cell: SimCell): void;
}

/** The containers of every simulated cell, and their life. */
export class SimExecutor {
  // Containers by id (ids are handed out in order and are the events' arguments); undefined once gone.
  // What a cell runs is kept by its rep: each container is the tag of its instance or task there
  // (MemoryRep.tagLRP), so no map per cell of its own.
  private readonly containers: (Container | undefined)[] = [];
  private nextContainer = 0;
  private readonly holds = new Map<number, { cell: SimCell; auction: Auction }>();
  private nextHold = 0;
  private readonly taskHooks = new Map<string, TaskHook>();
  private readonly rngCells: Rng;
  private readonly rngCrash: Rng;
  private readonly rngHealth: Rng;
  private readonly rngStaging: Rng;
  private readonly rngLiveness: Rng;
  private readonly rngReadiness: Rng;
  private readonly h: Record<'started' | 'crash' | 'taskDone' | 'holdLapse' | 'claimWritten' | 'startTimedOut' | 'livenessFailed' | 'unready' | 'ready', number>;
  // Claims on their way to the BBS (serviceTime.bbs.write), by number: one entry per cell and
  // arrival time, which is one per Perform (its instances are allocated together). An IdWindow:
  // the numbers rise, and each claim is written within the BBS's write time.
  private readonly claiming = new IdWindow<ClaimsInFlight>();
  private nextClaim = 0;
  private lastClaims: ClaimsInFlight | null = null;
  /** Work whose container could not be created on the cell it was placed on (the first 20). */
  readonly placementBreaches: string[] = [];
  // A cell's write to the BBS (ms; 0: the record changes at once).
  private readonly writeMs: number;
  // Instances whose record the BBS dropped while they still run (a SUSPECT or EVACUATING copy whose
  // replacement started): their rep stops them at its next bulk sync (see actors/rep-sync.ts).
  private readonly residualGuids = new Set<string>();

  /** The executor of a world (its streams and event kinds are registered with the world's kernel). */
  constructor(private readonly w: ExecutorWorld) {
    const k = w.kernel;
    this.rngCells = k.stream('cells');
    this.rngCrash = k.stream('crashes');
    this.rngHealth = k.stream('health-checks');
    this.rngStaging = k.stream('staging');
    // Their own streams: a scenario without liveness or readiness checks draws nothing from them.
    this.rngLiveness = k.stream('health-checks/liveness');
    this.rngReadiness = k.stream('health-checks/readiness');
    this.writeMs = w.scenario.serviceTime?.bbsWriteMs ?? 0;
    // The same event names as ever: the digest hashes names, not registration order.
    // In the log, a container's events name its work and cell.
    const container = (id: number) => {
      const c = this.containers[id];
      return c ? { work: c.kind === 'task' ? c.guid : `${c.processGuid}.${c.index}`, cell: c.cell.id } : undefined;
    };
    this.h = {
      started: k.register('cell.container-running', (id) => this.containerRunning(id), container),
      crash: k.register('cell.crash', (id) => this.containerCrashed(id), container),
      taskDone: k.register('cell.task-done', (id) => this.taskDone(id), container),
      holdLapse: k.register('cell.reservation-lapsed', (id) => this.holdLapsed(id), (id) => {
        const h = this.holds.get(id);
        return h ? { work: h.auction.id, cell: h.cell.id } : undefined;
      }),
      startTimedOut: k.register('cell.start-timed-out', (id) => this.startTimedOut(id), container),
      livenessFailed: k.register('cell.liveness-failed', (id) => this.livenessFailed(id), container),
      unready: k.register('cell.unready', (id) => this.readiness(id, false), container),
      ready: k.register('cell.ready', (id) => this.readiness(id, true), container),
      claimWritten: k.register('cell.claim-written', (id) => this.claimWritten(id), (id) => {
        const x = this.claiming.get(id);
        return x ? { cell: x.cell.id, writes: 1 + (x.more?.length ?? 0) } : undefined;
      }),
    };
  }

  /** Whether a cell runs a container for this instance or task guid now. */
  runsOn(cell: SimCell, guid: string): boolean {
    return tagOf(cell, guid) !== undefined;
  }

  /** A cell's machine died: its containers are gone at once, without stopping them one by one. */
  cellDied(cell: SimCell): void {
    for (const c of this.containersOn(cell)) {
      c.gone = true;
      this.residualGuids.delete(c.guid);
      this.unroute(c);
      this.cancelTimers(c);
      this.containers[c.id] = undefined;
      // The rep still lists the work (a dead machine reports nothing until it restarts empty): a small
      // handle of its own names the instance from now on, so the gone container (and the BBS group
      // it points to) is not kept alive by a cell that may never come back.
      if (c.kind === 'lrp') cell.rep.rehandleLRP(c, new LRPHandle(-1));
    }
    cell.rep.clearTags();
  }

  // A container for work its cell's rep has just taken on (listed there: the container is its tag):
  // an LRP instance, named by the rep's handle on it, or a task. An LRP's container becomes the rep's
  // handle on the instance (the handle it was named by names nothing from then on).
  private register(cell: SimCell, handle: LRPHandle | 'task', processGuid: string, index: number, guid: string, group?: LRPGroup): Container {
    const c = newContainer(this.nextContainer++, cell, handle === 'task' ? 'task' : 'lrp', processGuid, index, guid, group);
    const kept = handle !== 'task' ? cell.rep.rehandleLRP(handle, c) && cell.rep.tagLRP(c, c) : cell.rep.tagTask(guid, c);
    if (!kept) throw new Error(`executor: a container for ${guid} on ${cell.id}, which its rep does not list`);
    this.containers[c.id] = c;
    return c;
  }

  /**
   * A cell's rep accepted an LRP: once its containers are allocated (`allocatedInMs`), it claims the
   * instance in the BBS (a write that takes `serviceTime.bbs.write`; the container stays allocated
   * meanwhile: rep `auctioncellrep` allocates in Perform, and its container-reserved handler claims
   * the ActualLRP), and then starts its container.
   */
  lrpAccepted(cell: SimCell, handle: LRPHandle, sent: LRP, allocatedInMs = 0): void {
    const delay = allocatedInMs + this.writeMs;
    if (delay === 0) {
      this.claim(cell, handle, sent);
      return;
    }
    const at = this.w.kernel.now + delay;
    const last = this.lastClaims;
    if (last !== null && last.cell === cell && last.at === at && this.claiming.get(last.id) !== undefined) {
      (last.more ??= []).push({ handle, sent });
      return;
    }
    const x: ClaimsInFlight = { id: this.nextClaim++, cell, at, handle, sent, more: null };
    this.claiming.set(x.id, x);
    this.lastClaims = x;
    this.w.kernel.after(delay, this.h.claimWritten, x.id);
  }

  // Claims reached the BBS: unless the machine died or was cut off meanwhile (the writes never
  // arrive, and the rep gives the containers up), the BBS decides on each now, in the order sent.
  private claimWritten(id: number): void {
    const x = this.claiming.get(id);
    this.claiming.delete(id);
    if (!x) return;
    const lost = !x.cell.alive || this.w.network.isCut(x.cell.zone);
    // The first, then the rest (no closure: this runs once per claim).
    this.claimOrGiveUp(x.cell, lost, x.handle, x.sent);
    if (x.more !== null) for (const item of x.more) this.claimOrGiveUp(x.cell, lost, item.handle, item.sent);
  }

  private claimOrGiveUp(cell: SimCell, lost: boolean, handle: LRPHandle, sent: LRP): void {
    if (!lost) this.claim(cell, handle, sent);
    else if (cell.alive) cell.rep.removeLRP(handle);
  }

  // The claim itself (`handle`: the rep's handle on the instance): a claim the BBS refuses means
  // another cell has the instance.
  private claim(cell: SimCell, handle: LRPHandle, sent: LRP): void {
    // Gone already (its machine restarted meanwhile)?
    const lrp = cell.rep.lrp(handle);
    if (!lrp) return;
    // The rep claims the instance; a claim the BBS refuses means another cell has it: give it up.
    const g = this.w.bbs.groupOf(lrp.process_guid, lrp.index, groupHint(sent));
    if (!this.w.bbs.claim(lrp.process_guid, lrp.index, lrp.instance_guid, cell.id, g)) {
      cell.rep.removeLRP(handle);
      return;
    }
    const c = this.register(cell, handle, lrp.process_guid, lrp.index, lrp.instance_guid, g);
    // A cell without the work's rootfs or volume driver cannot build the container: the instance
    // crashes at once, as Diego's executor reports a failed creation (see container-creation.ts).
    const failure = containerCreationFailure(cell.rep.state, lrp);
    if (failure !== null) {
      this.breach(`${lrp.process_guid}.${lrp.index} on ${cell.id}: ${failure}`);
      this.w.kernel.noteLRP('container-failed', lrp.process_guid, lrp.index, cell.id, 'reason', failure);
      this.containerCrashed(c.id);
      return;
    }
    // Start-up: the container, then the droplet download (file server), then the health check.
    const d = this.desiredOf(c);
    // The BBS records it running one write after the container is up (StartActualLRP).
    const upMs = sample(this.w.scenario.startup, this.rngCells) + (d?.startupExtraMs ?? 0);
    let delay = upMs + this.writeMs;
    const hc = d?.healthCheck;
    // A process check has nothing to pass: healthy once the process runs (no draw).
    const checkMs = hc && hc.type !== 'process' ? sample(hc.delay, this.rngHealth) : 0;
    delay += checkMs;
    if (hc && hc.startTimeoutMs !== null) {
      // Diego's executor crashes an instance whose start check has not passed within its start
      // timeout (CC's health_check_timeout, the DesiredLRP's start_timeout_ms): a check that never
      // passes, or passes too late, ends at the timeout.
      c.startDrawn = true;
      const fails = hc.failureProbability > 0 && this.rngHealth.next() < hc.failureProbability;
      if (fails || checkMs > hc.startTimeoutMs) {
        c.timer = this.w.kernel.after(upMs + hc.startTimeoutMs, this.h.startTimedOut, c.id);
        this.w.kernel.noteLRP('claimed', lrp.process_guid, lrp.index, cell.id);
        return;
      }
    }
    c.timer = this.w.kernel.after(delay, this.h.started, c.id);
    this.w.kernel.noteLRP('claimed', lrp.process_guid, lrp.index, cell.id);
  }

  /**
   * An instance already running on its cell when the work is desired (an imported foundation's; see
   * ../initial-placement.ts): the cell's rep takes it as if an auction had sent it, the BBS records it
   * claimed and RUNNING at once, and it is routable, with no start-up. The reason it cannot be there,
   * or null when it is.
   */
  adoptLRP(cell: SimCell, lrp: LRP, group: LRPGroup): string | null {
    const why = this.cannotAdopt(cell, lrp);
    if (why !== null) return why;
    const handles: (LRPHandle | undefined)[] = [];
    const handle = cell.rep.perform({ LRPs: [lrp], Tasks: [], cell_id: cell.id }, handles).ok ? handles[0] : undefined;
    if (handle === undefined) return this.noRoom(cell, lrp);
    if (!this.w.bbs.claim(lrp.process_guid, lrp.index, lrp.instance_guid, cell.id, group)) {
      cell.rep.removeLRP(handle);
      return 'the BBS refused the claim';
    }
    const c = this.register(cell, handle, lrp.process_guid, lrp.index, lrp.instance_guid, group);
    this.nowRunning(c, this.desiredOf(c));
    return null;
  }

  /**
   * A task already running on its cell when it is desired (see {@link SimExecutor.adoptLRP}): it runs
   * for its duration from now. The reason it cannot be there, or null when it is.
   */
  adoptTask(cell: SimCell, task: Task): string | null {
    const t = this.w.bbs.tasks.get(task.TaskGuid);
    if (!t) return 'the BBS has no such task';
    const why = this.cannotAdopt(cell, task);
    if (why !== null) return why;
    if (!cell.rep.perform({ LRPs: [], Tasks: [task], cell_id: cell.id }).ok || !cell.rep.state.Tasks.some((x) => x.TaskGuid === task.TaskGuid)) return this.noRoom(cell, task);
    if (!this.w.bbs.tasks.start(task.TaskGuid, cell.id)) {
      cell.rep.removeTask(task.TaskGuid);
      return 'the BBS refused to start it';
    }
    const c = this.register(cell, 'task', '', 0, task.TaskGuid);
    cell.rep.markTaskRunning(task.TaskGuid);
    c.timer = this.w.kernel.after(sample(t.duration, this.rngCells), this.h.taskDone, c.id);
    return null;
  }

  // Why a cell cannot hold work already running there: it is down, draining or cut off, cannot build
  // its container, or the work's placement constraint excludes it (as the safety check would say).
  private cannotAdopt(cell: SimCell, pc: PlacementConstraint): string | null {
    if (!cell.alive) return 'the cell is down';
    if (cell.evacuatingSince >= 0) return 'the cell is draining';
    if (this.w.network.isCut(cell.zone)) return `the cell is cut off (zone ${cell.zone} is partitioned)`;
    return containerCreationFailure(cell.rep.state, pc) ?? constraintBroken(cell.rep.state, pc);
  }

  // The rep turned work down: what it lacks, in Diego's words, or the instance it already has.
  private noRoom(cell: SimCell, work: LRP | Task): string {
    const lrp = 'instance_guid' in work;
    // Instances of the app at this index or above, less those above it: the ones at it.
    if (lrp && cell.rep.countFrom(work.process_guid, work.index) > cell.rep.countFrom(work.process_guid, work.index + 1)) return `the cell already runs index ${work.index}`;
    const memoryMB = work.MemoryMB + (lrp ? cell.rep.state.ProxyMemoryAllocationMB : 0);
    return insufficientResources(resourceProblems(cell.rep.state.AvailableResources, memoryMB, work.DiskMB, work));
  }

  /** A cell's rep accepted a task: start it in the BBS and run it. */
  taskAccepted(cell: SimCell, taskGuid: string): void {
    const t = this.w.bbs.tasks.get(taskGuid);
    if (!t || !this.w.bbs.tasks.start(taskGuid, cell.id)) {
      cell.rep.removeTask(taskGuid);
      return;
    }
    const c = this.register(cell, 'task', '', 0, taskGuid);
    const failure = containerCreationFailure(cell.rep.state, { RootFs: t.rootfs, PlacementTags: t.placementTags, VolumeDrivers: [] });
    if (failure !== null) {
      // The task fails with the executor's reason (see container-creation.ts).
      this.breach(`task ${taskGuid} on ${cell.id}: ${failure}`);
      this.stop(c);
      this.w.bbs.tasks.complete(taskGuid, cell.id, true, failure);
      this.w.kernel.note('container-failed', { task: taskGuid, cell: cell.id, reason: failure });
      return;
    }
    cell.rep.markTaskRunning(taskGuid);
    c.timer = this.w.kernel.after(sample(this.w.scenario.startup, this.rngCells) + sample(t.duration, this.rngCells), this.h.taskDone, c.id);
    this.w.kernel.note('task-started', { task: taskGuid, cell: cell.id });
  }

  // Kept for the safety check (a crash-looping misplacement repeats: the first few say it all).
  private breach(detail: string): void {
    if (this.placementBreaches.length < 20) this.placementBreaches.push(detail);
  }

  /** A cell's rep reserved resources for a 2014-style auction: they lapse unless claimed. */
  reserved(cell: SimCell, auction: Auction): void {
    const id = this.nextHold++;
    this.holds.set(id, { cell, auction });
    this.w.kernel.after(RESERVATION_TTL_MS, this.h.holdLapse, id);
  }

  // A reservation nobody claimed (its auctioneer died, or moved on) is given back.
  private holdLapsed(id: number): void {
    const h = this.holds.get(id);
    this.holds.delete(id);
    if (h && h.cell.alive) h.cell.rep.release(h.auction);
  }

  // The DesiredLRP of a container's app, through its group's map while the BBS keeps that map.
  private desiredOf(c: Container): DesiredLRP | undefined {
    return this.w.bbs.desiredOf(c.processGuid, c.group?.app);
  }

  private containerRunning(id: number): void {
    const c = this.containers[id];
    if (!c || c.gone) return;
    const d = this.desiredOf(c);
    // A failed health check: the instance crashes instead of running (drawn at its claim when a start timeout applies).
    if (!c.startDrawn && d?.healthCheck && d.healthCheck.failureProbability > 0 && this.rngHealth.next() < d.healthCheck.failureProbability) {
      this.w.kernel.noteLRP('health-check-failed', c.processGuid, c.index, c.cell.id);
      this.containerCrashed(c.id);
      return;
    }
    this.nowRunning(c, d);
  }

  // A container's process runs and passed its health check: the BBS records it RUNNING and it is routable.
  private nowRunning(c: Container, d: DesiredLRP | undefined): void {
    c.cell.rep.markLRPRunning(c.handle as LRPHandle);
    // The copies a running replacement ends (bbs StartActualLRP removes them; their containers run on).
    const g = this.w.bbs.groupOf(c.processGuid, c.index, c.group);
    const suspect = g?.suspect ?? null;
    const evacuating = g?.evacuating ?? null;
    if (!this.w.bbs.start(c.processGuid, c.index, c.guid, c.cell.id, c.group)) {
      this.stop(c);
      return;
    }
    if (suspect && g?.suspect !== suspect) this.residual(suspect.cell, suspect.instanceGuid);
    if (evacuating && g?.evacuating !== evacuating) this.residual(evacuating.cell, evacuating.instanceGuid);
    c.running = true;
    c.app = d?.app ?? this.w.routes.appOf(c.processGuid);
    // The app's number its map keeps (a group's map is always its guid's, even once dropped) saves a
    // lookup by guid.
    c.route = this.w.routes.handle(c.processGuid, c.group?.app.appNo);
    this.w.routes.changeAt(c.route, 1, c.app);
    if (d?.crash && this.rngCrash.next() < d.crash.probability) {
      c.crashTimer = this.w.kernel.after(sample(d.crash.after, this.rngCrash), this.h.crash, c.id);
    }
    const hc = d?.healthCheck;
    if (hc?.liveness && this.rngLiveness.next() < hc.liveness.probability) {
      // It stops answering then; the liveness check that finds it runs every interval from now (a
      // process check finds it at once: the process has exited).
      const failsAt = sample(hc.liveness.after, this.rngLiveness);
      const foundAt = hc.type === 'process' ? failsAt : Math.max(1, Math.ceil(failsAt / hc.intervalMs)) * hc.intervalMs;
      c.livenessTimer = this.w.kernel.after(foundAt, this.h.livenessFailed, c.id);
    }
    if (hc?.readiness) this.nextUnready(c, hc.readiness);
  }

  // The start check did not pass within the start timeout: the instance crashes (Diego's restart policy follows).
  private startTimedOut(id: number): void {
    const c = this.containers[id];
    if (!c || c.gone) return;
    this.w.kernel.noteLRP('health-check-timed-out', c.processGuid, c.index, c.cell.id);
    this.containerCrashed(c.id);
  }

  // A liveness check failed: Diego's executor stops the container and reports the crash.
  private livenessFailed(id: number): void {
    const c = this.containers[id];
    if (!c || c.gone) return;
    this.w.kernel.noteLRP('health-check-failed', c.processGuid, c.index, c.cell.id, 'check', 'liveness');
    this.containerCrashed(c.id);
  }

  // The next spell of not being ready, if one comes: found by the readiness check after it starts.
  private nextUnready(c: Container, r: NonNullable<NonNullable<DesiredLRP['healthCheck']>['readiness']>): void {
    if (!(this.rngReadiness.next() < r.probability)) return;
    const startsAt = sample(r.after, this.rngReadiness);
    c.readyTimer = this.w.kernel.after(Math.max(1, Math.ceil(startsAt / r.intervalMs)) * r.intervalMs, this.h.unready, c.id);
  }

  // A readiness check's verdict changed: routes follow it; the instance keeps running either way.
  private readiness(id: number, ready: boolean): void {
    const c = this.containers[id];
    if (!c || c.gone || !c.running || c.route < 0) return;
    const r = this.desiredOf(c)?.healthCheck?.readiness;
    c.readyTimer = -1;
    if (!ready && !c.unready) {
      c.unready = true;
      this.w.routes.changeAt(c.route, -1, c.app);
      this.w.kernel.noteLRP('unready', c.processGuid, c.index, c.cell.id);
      if (r) c.readyTimer = this.w.kernel.after(Math.max(1, Math.ceil(sample(r.lasting, this.rngReadiness) / r.intervalMs)) * r.intervalMs, this.h.ready, c.id);
    } else if (ready && c.unready) {
      c.unready = false;
      this.w.routes.changeAt(c.route, 1, c.app);
      this.w.kernel.noteLRP('ready', c.processGuid, c.index, c.cell.id);
      if (r) this.nextUnready(c, r);
    }
  }

  /** A container's process crashes (its crash timer fired, its health check failed, or a fault made it). */
  containerCrashed(id: number): void {
    const c = this.containers[id];
    if (!c || c.gone) return;
    this.w.counters.crashes++;
    this.stop(c);
    const r = this.w.bbs.crash(c.processGuid, c.index, c.guid, c.cell.id, c.group);
    this.w.kernel.noteLRP('crash', c.processGuid, c.index, c.cell.id, 'restart', r);
    if (r === 'restart') this.w.requestLRP(c.processGuid, c.index, c.group?.app);
  }

  private taskDone(id: number): void {
    const c = this.containers[id];
    if (!c || c.gone) return;
    this.stop(c);
    const hook = this.taskHooks.get(c.guid);
    const failed = hook !== undefined && hook.failureProbability > 0 && this.rngStaging.next() < hook.failureProbability;
    this.w.bbs.tasks.complete(c.guid, c.cell.id, failed, failed ? hook.failureReason : '');
    this.w.kernel.note('task-done', { task: c.guid, cell: c.cell.id });
    if (hook) {
      this.taskHooks.delete(c.guid);
      hook.done(failed);
    }
  }

  /**
   * Watches a task: when it completes on its cell, it fails with `failureProbability` (and
   * `failureReason`), and `done` learns whether it failed. A task that never completes (cancelled,
   * lost with its cell, timed out) never calls `done`.
   */
  watchTask(guid: string, hook: TaskHook): void {
    this.taskHooks.set(guid, hook);
  }

  private unroute(c: Container): void {
    // A running container got its route handle when it started running.
    if (!c.running || c.route < 0) return;
    c.running = false;
    // An unready instance was already out of the routes.
    if (c.unready) c.unready = false;
    else this.w.routes.changeAt(c.route, -1, c.app);
  }

  /** Destroys a container and frees its resources on its cell. */
  stop(c: Container): void {
    if (c.gone) return;
    c.gone = true;
    // Usually there are none: then the guid (a string not touched since the container was made) is not read.
    if (this.residualGuids.size > 0) this.residualGuids.delete(c.guid);
    this.unroute(c);
    this.cancelTimers(c);
    this.containers[c.id] = undefined;
    // Removing the work from the rep drops its tag, this container.
    if (c.handle !== null) c.cell.rep.removeLRP(c.handle);
    else c.cell.rep.removeTask(c.guid);
  }

  /** An instance the BBS no longer records: it runs on until its rep's next bulk sync. */
  residual(cellId: string, instanceGuid: string): void {
    const c = this.containerOf(cellId, instanceGuid);
    if (!c) return;
    this.residualGuids.add(instanceGuid);
    this.w.residualAppeared(c.cell);
  }

  /**
   * Calls `fn` for each instance allocated by its rep whose claim is on its way to the BBS: the
   * instance as sent, and the rep's handle on it (see MemoryRep.lrp).
   */
  forEachClaimInFlight(fn: (cell: SimCell, lrp: LRP, handle: LRPHandle) => void): void {
    this.claiming.forEach((x) => {
      eachClaimed(x, (handle, sent) => fn(x.cell, sent, handle));
    });
  }

  /**
   * Instances allocated by their rep whose claim is on its way to the BBS: a fresh set, made from
   * the claims in flight when asked (by the safety check) rather than kept beside them (a set
   * entry made and dropped per placement).
   */
  get claimingInstances(): ReadonlySet<string> {
    const out = new Set<string>();
    this.claiming.forEach((x) => {
      eachClaimed(x, (_, sent) => out.add(sent.instance_guid));
    });
    return out;
  }

  /** Instances the BBS no longer records that run until their rep's next bulk sync. */
  get residualInstances(): ReadonlySet<string> {
    return this.residualGuids;
  }

  /** A rep's bulk sync: its residual instances that the BBS still does not record are stopped. */
  syncResidual(cell: SimCell): void {
    for (const c of this.containersOn(cell)) {
      if (c.kind !== 'lrp' || !this.residualGuids.has(c.guid)) continue;
      this.residualGuids.delete(c.guid);
      const g = this.w.bbs.group(c.processGuid, c.index);
      const recorded = [g?.ordinary, g?.evacuating, g?.suspect].some((r) => r?.instanceGuid === c.guid && r.cell === cell.id);
      if (recorded) continue;
      this.w.kernel.noteLRP('residual-stopped', c.processGuid, c.index, cell.id);
      this.stop(c);
    }
  }

  /** Stops an instance on a cell if it is there. */
  stopInstance(cellId: string, instanceGuid: string): void {
    const c = this.containerOf(cellId, instanceGuid);
    if (c) this.stop(c);
  }

  /** The container of `guid` on a cell, if it is there. */
  containerOf(cellId: string, guid: string): Container | undefined {
    const cell = this.w.cellById.get(cellId);
    return cell ? tagOf(cell, guid) : undefined;
  }

  private cancelTimers(c: Container): void {
    if (c.timer >= 0) this.w.kernel.cancel(c.timer);
    if (c.crashTimer >= 0) this.w.kernel.cancel(c.crashTimer);
    if (c.livenessTimer >= 0) this.w.kernel.cancel(c.livenessTimer);
    if (c.readyTimer >= 0) this.w.kernel.cancel(c.readyTimer);
  }

  /** Containers on a cell, oldest first. */
  containersOn(cell: SimCell): Container[] {
    const out: Container[] = [];
    cell.rep.forEachTag((c) => out.push(c as Container));
    // Ids are handed out in order: the oldest has the smallest (ids are distinct: a total order).
    return out.sort((a, b) => a.id - b.id);
  }
}

// The container of an instance or task guid on a cell: what the cell's rep keeps with it. Should a
// task be named as an instance on the same cell is, the one that came later answers (as when one
// map held both kinds by guid).
function tagOf(cell: SimCell, guid: string): Container | undefined {
  // A dead machine runs nothing: cellDied ended every container on it, and nothing is placed on it
  // until it restarts (with a new, empty rep). Its rep still lists the work, so asking it by guid
  // would build a table of its instances to find nothing: every instance whose replacement starts
  // after a drill asks its dead cell once (48,239 times in the 250k hour, 2% of the x10 hour).
  if (!cell.alive) return undefined;
  const lrp = cell.rep.lrpTag(guid) as Container | undefined;
  const task = cell.rep.taskTag(guid) as Container | undefined;
  if (lrp === undefined || task === undefined) return lrp ?? task;
  return lrp.id > task.id ? lrp : task;
}
