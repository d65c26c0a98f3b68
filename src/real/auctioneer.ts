// The real auctioneer: Diego's auctioneer API, a small desired-state API, Diego's batching driving
// any core strategy over HTTP, and the core's convergence rules run against the cells' reported
// state. Its BBS state is journalled (see bbs-store.ts). Every name a client sends is a Map key or a
// validated guid, never a plain object's property; a failing pass or batch is logged and retried,
// never fatal.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { buildBatch, lrpAuctionId } from '../core/batch.js';
import { crashCountAfterCrash } from '../core/convergence/crash-restart.js';
import { planLRPConvergence, planTaskConvergence, type ObservedInstance, type ObservedTask, type SuspectCopy } from '../core/convergence/plan.js';
import { CONVERGENCE_DEFAULTS, taskTransitionAllowed } from '../core/convergence/states.js';
import { InputError, formatProblem, type Problem } from '../core/json/problems.js';
import { parseLRPStartRequests, parseTaskStartRequests } from '../core/json/requests-json.js';
import type { LRPStartRequest, TaskStartRequest } from '../core/model/requests.js';
import { streamFor } from '../core/random.js';
import type { Strategy, StrategySettings } from '../core/strategy.js';
import { MAX_CRON_NAME, type BBSStore, type CronEntry, type DesiredApp, type StoredTask } from './bbs-store.js';
import { CronRunner } from './cron-runner.js';
import { parseSchedule, SCHEDULE_SYNTAX } from '../core/cron/schedule.js';
import { readCellReport, type CellReport } from './cell-report.js';
import { callCell, driveHttp, sendRequest } from './http-driver.js';
import type { Reply } from '../core/protocol/messages.js';
import { stateRequests } from '../core/strategies/protocol-steps.js';
import { HttpError, parseBody, readJSON, serve, type Route } from './http.js';
import { ROOTFS_RULE, templateOf, templateRootFS } from './templates.js';
import { body, field, guid, lrpRequestProblem, screenStartRequests, tags, taskRequestProblem, templateName, wholeNumber } from './auctioneer-requests.js';
import { MAX_INSTANCES, isGuid, shown } from './names.js';

/** How the auctioneer is set up. */
export interface AuctioneerOptions {
  /** Base URLs of the cells. */
  cells: string[];
  /** The strategy and its resolved settings. */
  strategy: Strategy;
  /** Resolved settings. */
  settings: StrategySettings;
  /** The BBS state and journal. */
  store: BBSStore;
  /** Token for calls to cells and for the API (null: none). */
  token: string | null;
  /** Milliseconds between convergence passes (Diego: 30 s). */
  convergeEveryMs: number;
  /** Milliseconds between polls of the cells' state. */
  pollEveryMs: number;
  /** A cell that has not answered for this long is gone. */
  presenceTtlMs: number;
  /**
   * How long a completed task is kept (default Diego's ExpireCompletedTaskDuration, 2 minutes: bbs
   * `cmd/bbs/config/config.go`, `CONVERGENCE_DEFAULTS.completedTaskTtlMs`).
   */
  taskRetentionMs?: number;
  /** Milliseconds between looks at the cron entries' ticks (default 1,000; assumed: a cron field's finest step is a minute, @every's a second). */
  cronEveryMs?: number;
  /** Writes a line to the log. */
  log: (line: string) => void;
}

interface CellView {
  url: string;
  id: string | null;
  lastSeen: number;
  present: boolean;
  report: CellReport | null;
  answeredThisRound: boolean;
}

/** A task as submitted: guid, the template it runs and its size. */
export interface NewTask {
  /** Task guid. */
  guid: string;
  /** The process template it runs. */
  template: string;
  /** Memory (MB). */
  memoryMB: number;
  /** Disk (MB). */
  diskMB: number;
}

/** How often cells are polled until every one has answered once (assumed; a quick start, not a load). */
const FIRST_VIEW_POLL_MS = 250;

/** The rep's StopLRPInstance route for one instance (it also acknowledges a reported crash). */
function stopPath(processGuid: string, instanceGuid: string): string {
  return `/v1/lrps/${encodeURIComponent(processGuid)}/instances/${encodeURIComponent(instanceGuid)}/stop`;
}

/** How long a recorded crash's instance guid is remembered (far longer than a stop takes to arrive; assumed). */
const RECORDED_CRASH_KEPT_MS = 10 * 60_000;

/** The real auctioneer. */
export class RealAuctioneer {
  private readonly cells: CellView[];
  private readonly lrpQueue: LRPStartRequest[] = [];
  private readonly taskQueue: TaskStartRequest[] = [];
  /** Auctions requested and not yet seen on a cell: auction id to when requested (ms). */
  private readonly inFlight = new Map<string, number>();
  /** Of those, the ones an auction placed: auction id to the cell and instance guid it went to. */
  private readonly placedOn = new Map<string, SuspectCopy>();
  /**
   * Copies on cells that vanished, kept as Diego's SUSPECT records until their cell returns (then
   * stopped if the replacement runs, promoted if not). In memory only: after a restart of the
   * auctioneer a returning copy is an ordinary duplicate.
   */
  private readonly suspects = new Map<string, SuspectCopy>();
  private readonly runningSince = new Map<string, number>();
  /** Crashes already recorded, by instance guid (a cell reports one until its stop arrives). */
  private readonly recordedCrashes = new Map<string, number>();
  private readonly rng = streamFor(1, 'real-auctioneer');
  private auctioning = false;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private pollTimer: NodeJS.Timeout | null = null;
  private converging: Promise<void> | null = null;
  /** The auction batch running now, if any. */
  private batch: Promise<void> | null = null;
  /** Whether the auctioneer has its first view of the cells (see {@link RealAuctioneer.viewReady}). */
  private ready = false;
  private startedAt = 0;
  /** Counters since start. */
  readonly counters = { batches: 0, placed: 0, failed: 0, messages: 0, passes: 0, errors: 0 };
  /** The recurring tasks' runner (see cron-runner.ts). */
  private readonly cron: CronRunner;

  /** An auctioneer over the given cells. */
  constructor(private readonly o: AuctioneerOptions) {
    this.cells = o.cells.map((url) => ({ url: url.replace(/\/+$/, ''), id: null, lastSeen: -Infinity, present: false, report: null, answeredThisRound: false }));
    this.cron = new CronRunner({
      store: o.store,
      addTask: (t) => this.addTask(t),
      cancelTask: (t, reason) => void this.moveTask(t, 'COMPLETED', { failed: true, failureReason: reason }),
      log: (line) => o.log(line),
    });
  }

  private get store(): BBSStore {
    return this.o.store;
  }

  // A loop's failure is a bug or a bad input that slipped through: it is logged and the loop goes
  // on (the next pass sees the same state and tries again); it never ends the process.
  private survive(what: string, e: unknown): void {
    this.counters.errors++;
    this.o.log(`error: ${what} failed, will retry: ${(e as Error)?.stack ?? String(e)}`);
  }

  /** Starts polling, converging and auctioning. */
  start(): void {
    this.startedAt = Date.now();
    // Each poll is scheduled when the previous one ends; until the first view of the cells, every
    // 250 ms at most, so cells started together with the auctioneer are seen as soon as they listen.
    const poll = async () => {
      try {
        await this.poll();
      } catch (e) {
        this.survive('poll', e);
      }
      if (this.stopped) return;
      this.pollTimer = setTimeout(() => void poll(), this.ready ? this.o.pollEveryMs : Math.min(this.o.pollEveryMs, FIRST_VIEW_POLL_MS));
    };
    void poll();
    this.timers.push(setInterval(() => void this.converge(), this.o.convergeEveryMs));
    this.timers.push(setInterval(() => this.cronTick(), this.o.cronEveryMs ?? 1000));
  }

  // The cron entries' ticks due now: their tasks and last ticks journalled together, then auctioned.
  private cronTick(): void {
    if (this.stopped) return;
    try {
      if (!this.cron.tick(Date.now())) return;
      this.store.sync();
      void this.converge();
    } catch (e) {
      this.survive('cron', e);
    }
  }

  /** Stops the loops (the journal is already up to date). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    // Nothing may write the journal once stop resolves (the caller then releases its lock).
    await this.converging;
    await this.batch;
  }

  /**
   * Polls every cell's state. A cell that goes missing, or that restarted (a new boot id), triggers
   * a convergence pass at once; instances placed on it and not yet seen are no longer in flight.
   */
  async poll(): Promise<void> {
    const now = Date.now();
    let changed = false;
    await Promise.all(
      this.cells.map(async (c) => {
        c.answeredThisRound = false;
        let report: CellReport;
        try {
          // Polls run one round at a time, so one cell that hangs must not hold the others' news back
          // for long: a poll gives up after a poll interval (at least 1 s), well inside the TTL.
          const timeout = Math.min(10_000, Math.max(this.o.presenceTtlMs / 2, 1), Math.max(this.o.pollEveryMs, 1000));
          const { status, json } = await callCell(c.url, 'GET', '/state', undefined, this.o.token, timeout);
          if (status !== 200) throw new Error(`HTTP ${status}`);
          report = readCellReport(json);
        } catch (e) {
          if (c.present && now - c.lastSeen >= this.o.presenceTtlMs) {
            c.present = false;
            changed = true;
            this.forgetPlacementsOn(c.id, true);
            this.o.log(`cell ${c.id ?? c.url} is gone (no answer for ${((now - c.lastSeen) / 1000).toFixed(1)} s: ${(e as Error).message.slice(0, 120)})`);
          }
          return;
        }
        const before = c.report;
        if (before && before.state.cell_id === report.state.cell_id && before.bootId !== null && report.bootId !== before.bootId) {
          changed = true;
          this.forgetPlacementsOn(report.state.cell_id, false);
          this.o.log(`cell ${report.state.cell_id} restarted (boot ${before.bootId} -> ${report.bootId}): what it ran is gone`);
        }
        c.report = report;
        c.id = report.state.cell_id;
        c.lastSeen = Date.now();
        c.answeredThisRound = true;
        // What a cell holds is no longer in flight: the next pass judges it as it is.
        for (const l of report.state.LRPs) {
          const id = lrpAuctionId(l.process_guid, l.index);
          this.inFlight.delete(id);
          this.placedOn.delete(id);
        }
        if (!c.present) this.o.log(`cell ${c.id} at ${c.url} is present`);
        c.present = true;
        // A crash or a task result is acted on at once, as Diego's rep reports them to the BBS when
        // they happen, not at the next periodic pass.
        if (report.crashed.some((x) => !this.recordedCrashes.has(x.instance_guid)) || report.completed.some((t) => this.store.tasks.get(t.TaskGuid)?.state === 'RUNNING')) changed = true;
      }),
    );
    if (!this.ready && this.viewReady()) {
      this.ready = true;
      this.o.log(`first view of the cells: ${this.presentCells().length} of ${this.cells.length} present`);
      await this.converge();
      this.kick();
    } else if (changed && this.ready) await this.converge();
  }

  // Nothing is decided or auctioned before the auctioneer has a view of the cells: every cell has
  // answered once, or one presence TTL has passed since start. Until then a silent cell is not known
  // to be gone (a RUNNING task on it must not fail as "cell disappeared", and its instances must not
  // look missing), and work waits in its queue instead of failing with no cell to go to.
  private viewReady(): boolean {
    return this.cells.every((c) => c.report !== null) || Date.now() - this.startedAt >= this.o.presenceTtlMs;
  }

  // Instances an auction placed on a cell that is gone or restarted, not yet seen there: the next pass
  // auctions them at once instead of waiting for the 30 s stale limit. On a cell that is gone they
  // are Diego's CLAIMED records on a vanished cell, so they become SUSPECT (if the cell returns with
  // one, it is judged as a suspect, not as a duplicate); a restarted cell has none of them.
  private forgetPlacementsOn(cell: string | null, gone: boolean): void {
    if (cell === null) return;
    for (const [id, on] of this.placedOn) {
      if (on.cell !== cell) continue;
      this.placedOn.delete(id);
      this.inFlight.delete(id);
      if (gone && !this.suspects.has(id)) {
        this.suspects.set(id, on);
        this.o.log(`${id} on ${on.cell} is SUSPECT (its cell is gone before it was seen there): a replacement is auctioned`);
      }
    }
  }

  private presentCells(): (CellView & { id: string; report: CellReport })[] {
    return this.cells.filter((c): c is CellView & { id: string; report: CellReport } => c.present && c.report !== null && c.id !== null);
  }

  /** One convergence pass: collect crashes and task results, then run the core's rules. */
  converge(): Promise<void> {
    if (this.converging) return this.converging;
    this.converging = this.convergeOnce()
      .catch((e: unknown) => this.survive('convergence pass', e))
      .finally(() => {
        this.converging = null;
      });
    return this.converging;
  }

  // Moves a task through Diego's task state machine (core/convergence/states.ts); a move the table
  // forbids is logged and not made. Same-state updates (a new cell, a rejection count) are allowed.
  private moveTask(t: StoredTask, to: StoredTask['state'], fields: Partial<StoredTask>): boolean {
    if (t.state !== to && !taskTransitionAllowed(t.state, to)) {
      this.o.log(`error: task ${t.guid} cannot go from ${t.state} to ${to}; left as it is`);
      return false;
    }
    Object.assign(t, fields, { state: to });
    if (to === 'COMPLETED' && t.completedAtMs === null) t.completedAtMs = Date.now();
    this.store.setTask(t);
    return true;
  }

  private async convergeOnce(): Promise<void> {
    if (this.stopped || !this.ready) return;
    this.counters.passes++;
    const now = Date.now();
    const present = this.presentCells();
    const instances: ObservedInstance[] = [];
    const observedTasks: ObservedTask[] = [];
    const acks: Promise<unknown>[] = [];
    for (const c of present) {
      const s = c.report.state;
      for (const l of s.LRPs) {
        const running = l.state === 'RUNNING';
        instances.push({ cell: c.id, processGuid: l.process_guid, index: l.index, instanceGuid: l.instance_guid, running, evacuating: s.Evacuating });
        // (Its in-flight mark was cleared by the poll that brought this report.)
        const id = lrpAuctionId(l.process_guid, l.index);
        if (running && !s.Evacuating) {
          if (!this.runningSince.has(id)) this.runningSince.set(id, now);
          if (this.store.placementErrors.has(id)) this.store.deletePlacementError(id);
        }
      }
      for (const t of s.Tasks) observedTasks.push({ cell: c.id, guid: t.TaskGuid, completed: false, failed: false, failureReason: '' });
      for (const t of c.report.completed) observedTasks.push({ cell: c.id, guid: t.TaskGuid, completed: true, failed: t.failed, failureReason: t.failure_reason });
      for (const x of c.report.crashed) {
        acks.push(this.tell(c, stopPath(x.process_guid, x.instance_guid)));
        // Counted once, however many polls see it before its stop arrives.
        if (this.recordedCrashes.has(x.instance_guid)) continue;
        this.recordedCrashes.set(x.instance_guid, now);
        // Only crashes of instances this BBS can desire are recorded (a cell's report is input too).
        if (!isGuid(x.process_guid) || x.index >= MAX_INSTANCES) continue;
        const id = lrpAuctionId(x.process_guid, x.index);
        const at = Date.parse(x.crashed_at);
        const crashedAt = Number.isFinite(at) && at >= 0 && at <= now ? at : now;
        const prev = this.store.crashes.get(id);
        const ranFor = crashedAt - (this.runningSince.get(id) ?? crashedAt);
        const count = crashCountAfterCrash(prev?.count ?? 0, ranFor);
        this.store.setCrash(id, { count, crashedAtMs: crashedAt });
        this.runningSince.delete(id);
        // Its auction is over (it was placed, ran and crashed), whether or not a pass saw it run.
        this.inFlight.delete(id);
        this.placedOn.delete(id);
        this.o.log(`crash of ${id} on ${c.id} (${x.signal ?? `exit ${x.exit_code}`}), crash count ${count}`);
      }
      // Collected: a report is acted on once (the stop above acknowledges it on the cell).
      c.report = { ...c.report, crashed: [] };
    }
    // What cells that are gone last reported: Diego's records on a vanished cell, made SUSPECT.
    const lost: ObservedInstance[] = [];
    for (const c of this.cells) {
      if (c.present || c.report === null || c.id === null) continue;
      for (const l of c.report.state.LRPs) lost.push({ cell: c.id, processGuid: l.process_guid, index: l.index, instanceGuid: l.instance_guid, running: l.state === 'RUNNING', evacuating: c.report.state.Evacuating });
    }
    const presentIds = new Set(present.map((c) => c.id));
    const lrp = planLRPConvergence({
      nowMs: now,
      desired: [...this.store.desired.values()].map((d) => ({ processGuid: d.processGuid, instances: d.instances })),
      instances,
      crashes: this.store.crashes,
      inFlight: this.inFlight,
      present: presentIds,
      lost,
      suspects: this.suspects,
    });
    for (const id of lrp.forgetSuspect) this.suspects.delete(id);
    for (const x of lrp.suspect) {
      this.suspects.set(lrpAuctionId(x.processGuid, x.index), { cell: x.cell, instanceGuid: x.instanceGuid });
      this.o.log(`${x.processGuid}.${x.index} on ${x.cell} is SUSPECT (its cell is gone): a replacement is auctioned`);
    }
    const byCell = new Map(present.map((c) => [c.id, c]));
    for (const s of lrp.stop) {
      const c = byCell.get(s.cell);
      if (c) acks.push(this.tell(c, stopPath(s.processGuid, s.instanceGuid)));
      this.o.log(`stop ${s.processGuid}.${s.index} on ${s.cell} (${s.reason})`);
    }
    const starts = new Map<string, number[]>();
    for (const s of lrp.start) {
      const list = starts.get(s.processGuid);
      if (list) list.push(s.index);
      else starts.set(s.processGuid, [s.index]);
      this.inFlight.set(lrpAuctionId(s.processGuid, s.index), now);
    }
    for (const [processGuid, indices] of starts) {
      const d = this.store.desired.get(processGuid);
      if (d) this.lrpQueue.push(this.startRequest(d, indices));
    }
    const tasks = planTaskConvergence({
      nowMs: now,
      tasks: [...this.store.tasks.values()],
      observed: observedTasks,
      answered: new Set(present.filter((c) => c.answeredThisRound).map((c) => c.id)),
      present: presentIds,
      boots: new Map(present.filter((c) => c.report.bootId !== null).map((c) => [c.id, c.report.bootId as string])),
      cancelled: new Map(present.map((c) => [c.id, new Set(c.report.cancelled)])),
    });
    for (const c of tasks.complete) {
      const t = this.store.tasks.get(c.guid);
      if (!t) continue;
      this.moveTask(t, 'COMPLETED', { failed: c.failed, failureReason: c.failureReason });
      this.o.log(`task ${c.guid} completed on ${c.cell}${c.failed ? `, failed: ${c.failureReason}` : ''}`);
      const cell = byCell.get(c.cell);
      if (cell) acks.push(this.tell(cell, `/v1/tasks/${encodeURIComponent(c.guid)}/cancel`));
    }
    for (const f of tasks.fail) {
      const t = this.store.tasks.get(f.guid);
      if (t) this.moveTask(t, 'COMPLETED', { failed: true, failureReason: f.reason });
      this.o.log(`task ${f.guid} failed: ${f.reason}`);
    }
    for (const guid of tasks.requeue) {
      const t = this.store.tasks.get(guid);
      if (t) this.moveTask(t, 'PENDING', { cell: null, cellBoot: null, sentAtMs: null });
    }
    for (const r of tasks.remove) {
      const cell = byCell.get(r.cell);
      if (cell) acks.push(this.tell(cell, `/v1/tasks/${encodeURIComponent(r.guid)}/cancel`));
    }
    for (const guid of [...tasks.auction, ...tasks.requeue]) {
      const t = this.store.tasks.get(guid);
      if (!t) continue;
      t.sentAtMs = now;
      this.store.setTask(t);
      this.taskQueue.push(this.taskRequest(t));
    }
    for (const [guid, at] of this.recordedCrashes) if (now - at > RECORDED_CRASH_KEPT_MS) this.recordedCrashes.delete(guid);
    const retentionMs = this.o.taskRetentionMs ?? CONVERGENCE_DEFAULTS.completedTaskTtlMs;
    for (const g of this.store.pruneCompleted(now, retentionMs)) this.o.log(`task ${g} deleted (completed over ${(retentionMs / 1000).toFixed(0)} s ago)`);
    this.store.sync();
    await Promise.all(acks);
    this.kick();
  }

  private async tell(c: CellView, path: string): Promise<void> {
    try {
      await callCell(c.url, 'POST', path, undefined, this.o.token);
    } catch {
      // The next pass sees the same state and tries again.
    }
  }

  private startRequest(d: DesiredApp, indices: number[]): LRPStartRequest {
    return { process_guid: d.processGuid, domain: 'auctionlab', indices, PlacementTags: d.placementTags, VolumeDrivers: [], RootFs: templateRootFS(d.template), MemoryMB: d.memoryMB, DiskMB: d.diskMB, MaxPids: 0 };
  }

  private taskRequest(t: StoredTask): TaskStartRequest {
    return { TaskGuid: t.guid, Domain: 'auctionlab', PlacementTags: [], VolumeDrivers: [], RootFs: templateRootFS(t.template), MemoryMB: t.memoryMB, DiskMB: t.diskMB, MaxPids: 0 };
  }

  /** Runs batches while work waits: a batch is whatever arrived while the previous one ran (Diego). */
  private kick(): void {
    if (this.auctioning || this.stopped || !this.ready) return;
    if (this.lrpQueue.length === 0 && this.taskQueue.length === 0) return;
    this.auctioning = true;
    // A batch that throws loses no work: its tasks are still PENDING (or RUNNING, journalled) and its
    // instances in flight, so convergence auctions them again once stale.
    this.batch = this.auctionOnce()
      .catch((e: unknown) => this.survive('auction batch', e))
      .finally(() => {
        this.auctioning = false;
        this.batch = null;
        this.kick();
      });
  }

  private async auctionOnce(): Promise<void> {
    const present = this.presentCells();
    const urls = new Map(present.map((c) => [c.id, c.url]));
    const boots = new Map(present.map((c) => [c.id, c.report.bootId]));
    const cells = [...urls.keys()].sort();
    // Diego's auction runner fetches every cell's state first and drains the batch after (auction
    // auctionrunner/auction_runner.go Run: FetchStateAndBuildZones, then DedupeAndDrain): work that
    // arrives during the fetch joins this batch. Strategies that fetch differently get the queue now.
    let prefetched: Reply[] | undefined;
    let fetched = 0;
    if (this.o.strategy.fetchesStateFirst === true && cells.length > 0) {
      const fetch = stateRequests(cells);
      prefetched = await Promise.all(fetch.map((req) => sendRequest(req, { urls, token: this.o.token })));
      fetched = fetch.length;
    }
    const lrps = this.lrpQueue.splice(0);
    // Only tasks still PENDING are auctioned (a task is never sent twice).
    const tasks = this.taskQueue.splice(0).filter((t) => this.store.tasks.get(t.TaskGuid)?.state === 'PENDING');
    const { batch } = buildBatch(lrps, tasks, { instanceGuid: () => randomUUID() });
    if (batch.lrps.length + batch.tasks.length === 0) {
      // The fetch went out all the same.
      this.counters.messages += fetched;
      return;
    }
    this.counters.batches++;
    const ctx = { cells, seed: 1, rng: this.rng, ...(prefetched !== undefined ? { prefetched } : {}) };
    const result = await driveHttp(this.o.strategy.auction(batch, ctx, this.o.settings), {
      urls,
      strategy: this.o.strategy.name,
      token: this.o.token,
      beforeSend: (req) => {
        // Stopping: nothing more is sent (a message not sent is a lost one to the strategy).
        if (this.stopped) throw new Error('the auctioneer is stopping');
        if (req.kind !== 'perform' && req.kind !== 'claim') return;
        // Write-ahead: a task is RUNNING on its cell (under the cell's current boot) in the journal
        // before the cell can start it, so it is never auctioned again while it may run.
        const guids = req.kind === 'perform' ? req.work.Tasks.map((t) => t.TaskGuid) : req.auction.kind === 'task' ? [req.auction.task.TaskGuid] : [];
        if (guids.length === 0) return;
        for (const g of guids) {
          const t = this.store.tasks.get(g);
          if (t) this.moveTask(t, 'RUNNING', { cell: req.cell, cellBoot: boots.get(req.cell) ?? null, sentAtMs: Date.now(), ranOn: [...t.ranOn, req.cell] });
        }
        try {
          this.store.sync();
        } catch (e) {
          // Not journalled, not sent: the driver counts the message lost, and the log says why.
          this.o.log(`error: journal write before sending work to ${req.cell} failed, not sent: ${(e as Error).message}`);
          throw e;
        }
      },
    });
    const messages = fetched + result.messages;
    this.counters.messages += messages;
    this.counters.placed += result.outcome.placed.length;
    this.counters.failed += result.outcome.failed.length;
    for (const p of result.outcome.placed) if (p.auction.kind === 'lrp' && this.inFlight.has(p.auction.id)) this.placedOn.set(p.auction.id, { cell: p.cell, instanceGuid: p.auction.lrp.instance_guid });
    for (const f of result.outcome.failed) {
      if (f.auction.kind === 'lrp') {
        // Diego's FailActualLRP: the index stays UNCLAIMED with its placement error and is auctioned
        // again once stale (bbs db/sqldb/lrp_convergence.go), so its in-flight mark stays.
        this.store.setPlacementError(f.auction.id, f.reason);
        this.placedOn.delete(f.auction.id);
        this.o.log(`placement of ${f.auction.id} failed: ${f.reason}`);
        continue;
      }
      const t = this.store.tasks.get(f.auction.id);
      if (!t) continue;
      const ranOn = t.state === 'RUNNING' ? t.ranOn.slice(0, -1) : t.ranOn; // turned down: it never started there
      const rejections = t.rejections + 1;
      // Diego: a task turned down more than maxTaskRetries times fails.
      if (rejections > CONVERGENCE_DEFAULTS.maxTaskRetries) this.moveTask(t, 'COMPLETED', { rejections, ranOn, cell: null, cellBoot: null, failed: true, failureReason: f.reason });
      else this.moveTask(t, 'PENDING', { rejections, ranOn, cell: null, cellBoot: null, sentAtMs: Date.now() });
      this.o.log(`task ${t.guid} not placed (${f.reason})${t.state === 'COMPLETED' ? ': failed' : ''}`);
    }
    this.store.sync();
    this.o.log(`batch: ${batch.lrps.length} instances, ${batch.tasks.length} tasks; ${result.outcome.placed.length} placed, ${result.outcome.failed.length} failed, ${messages} messages`);
  }

  /** Desires (or changes) an app, journalled; its instances are auctioned by the next convergence pass. */
  desire(d: DesiredApp): void {
    this.store.setDesired(d);
    this.store.sync();
    void this.converge();
  }

  /** Stops desiring an app, journalled, with its crash records and placement errors. */
  undesire(processGuid: string): boolean {
    if (!this.store.desired.has(processGuid)) return false;
    this.store.deleteDesired(processGuid);
    const prefix = `${processGuid}.`;
    for (const id of [...this.store.crashes.keys()]) if (id.startsWith(prefix)) this.store.deleteCrash(id);
    for (const id of [...this.store.placementErrors.keys()]) if (id.startsWith(prefix)) this.store.deletePlacementError(id);
    for (const id of [...this.inFlight.keys()]) if (id.startsWith(prefix)) this.inFlight.delete(id);
    for (const id of [...this.suspects.keys()]) if (id.startsWith(prefix)) this.suspects.delete(id);
    this.store.sync();
    void this.converge();
    return true;
  }

  /** Submits a task (at most once by guid), journalled. Returns false if the guid is taken. */
  submitTask(t: NewTask): boolean {
    if (!this.addTask(t)) return false;
    this.store.sync();
    void this.converge();
    return true;
  }

  // Records a new PENDING task; the caller syncs (once for a whole request of tasks).
  private addTask(t: NewTask): boolean {
    if (this.store.tasks.has(t.guid)) return false;
    this.store.setTask({ ...t, state: 'PENDING', cell: null, cellBoot: null, createdAtMs: Date.now(), sentAtMs: null, completedAtMs: null, rejections: 0, failed: false, failureReason: '', ranOn: [] });
    return true;
  }

  /** What runs where, as `cf app` would show it. */
  actual(): Record<string, unknown> {
    const where = new Map<string, { cell: string; state: string; evacuating: boolean; instance_guid: string }[]>();
    for (const c of this.presentCells()) {
      for (const l of c.report.state.LRPs) {
        const id = lrpAuctionId(l.process_guid, l.index);
        // An evacuating copy still runs (Diego's EVACUATING presence) until its replacement does.
        const copy = { cell: c.id, state: l.state, evacuating: c.report.state.Evacuating, instance_guid: l.instance_guid };
        const list = where.get(id);
        if (list) list.push(copy);
        else where.set(id, [copy]);
      }
    }
    const apps = [...this.store.desired.values()].map((d) => ({
      ...d,
      actual: Array.from({ length: d.instances }, (_, index) => {
        const id = lrpAuctionId(d.processGuid, index);
        const crash = this.store.crashes.get(id);
        const copies = where.get(id) ?? [];
        return {
          index,
          copies,
          state: copies.some((x) => x.state === 'RUNNING') ? 'RUNNING' : this.inFlight.has(id) ? 'UNCLAIMED' : crash ? 'CRASHED' : 'UNCLAIMED',
          crash_count: crash?.count ?? 0,
          placement_error: this.store.placementErrors.get(id) ?? '',
        };
      }),
    }));
    return {
      cells: this.cells.map((c) => ({ url: c.url, id: c.id, present: c.present, boot_id: c.report?.bootId ?? null, evacuating: c.report?.state.Evacuating ?? false, lrps: c.report?.state.LRPs.length ?? 0, tasks: c.report?.state.Tasks.length ?? 0 })),
      apps,
      tasks: [...this.store.tasks.values()],
      counters: this.counters,
    };
  }

  // Diego's CreateLRPAuctions, with the auctioneer as the BBS too: an index asked for is desired
  // (the app is created, or grown to cover it), so convergence keeps it instead of stopping it as
  // extra. Requests Diego's handler would drop are dropped and logged; the answer is 202 either way
  // (auctioneer handlers/lrp_auction_handler.go).
  private lrpAuctions(reqs: LRPStartRequest[]): void {
    const valid: LRPStartRequest[] = [];
    for (const q of reqs) {
      const problem = lrpRequestProblem(q);
      if (problem !== null) this.o.log(`start request for ${JSON.stringify(q.process_guid).slice(0, 80)} dropped: ${problem}`);
      else if (templateOf(q.RootFs) === null) throw new HttpError(400, `${q.process_guid}: RootFs: expected ${ROOTFS_RULE}, got ${shown(q.RootFs)}`);
      else valid.push(q);
    }
    const now = Date.now();
    for (const q of valid) {
      const d = this.store.desired.get(q.process_guid);
      // (A loop, not Math.max(...indices): a spread of 10,000 arguments is close to the stack's limit.)
      let needed = 0;
      for (const i of q.indices) if (i + 1 > needed) needed = i + 1;
      if (!d) {
        this.store.setDesired({ processGuid: q.process_guid, instances: needed, memoryMB: q.MemoryMB, diskMB: q.DiskMB, template: templateOf(q.RootFs) as string, placementTags: [...q.PlacementTags] });
      } else if (d.instances < needed) this.store.setDesired({ ...d, instances: needed });
      for (const i of q.indices) this.inFlight.set(lrpAuctionId(q.process_guid, i), now);
      this.lrpQueue.push(q);
    }
    this.store.sync();
    this.kick();
  }

  // Diego's CreateTaskAuctions: the task is desired (at most once by guid) and auctioned. Invalid
  // requests are dropped and logged, as Diego's handler does (handlers/task_auction_handler.go).
  private taskAuctions(reqs: TaskStartRequest[]): void {
    const valid: TaskStartRequest[] = [];
    for (const q of reqs) {
      const problem = taskRequestProblem(q);
      if (problem !== null) this.o.log(`task request ${JSON.stringify(q.TaskGuid).slice(0, 80)} dropped: ${problem}`);
      else if (templateOf(q.RootFs) === null) throw new HttpError(400, `${q.TaskGuid}: RootFs: expected ${ROOTFS_RULE}, got ${shown(q.RootFs)}`);
      else valid.push(q);
    }
    for (const q of valid) {
      if (!this.addTask({ guid: q.TaskGuid, template: templateOf(q.RootFs) as string, memoryMB: q.MemoryMB, diskMB: q.DiskMB })) this.o.log(`task request ${q.TaskGuid} ignored: the task exists (a task runs at most once)`);
    }
    // One append and one fsync for the whole request, before its 202.
    this.store.sync();
    if (valid.length > 0) void this.converge();
  }

  // Drops (and logs) the start requests Diego's handlers drop, then parses the rest strictly: a wrong
  // type anywhere is a 400 for the body (as Go's decoder fails on it), naming the element by its
  // index in the body.
  private screened<E>(value: unknown, kind: 'lrp' | 'task', parse: (v: unknown) => E[]): E[] {
    if (!Array.isArray(value)) return parseBody(value, parse);
    const { kept, dropped } = screenStartRequests(value, kind);
    const out: E[] = [];
    const problems: Problem[] = [];
    for (const k of kept) {
      try {
        out.push(...parse([k.value]));
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
        for (const p of e.problems) problems.push({ ...p, path: p.path.replace(/^\[0\]/, `[${k.index}]`) });
      }
    }
    if (problems.length > 0) throw new HttpError(400, problems.map(formatProblem).join('; '));
    for (const d of dropped) this.o.log(`${kind === 'lrp' ? 'start request for' : 'task request'} ${shown(d.guid)} dropped: ${d.problem}`);
    return out;
  }

  /** The auctioneer's routes: Diego's auctioneer API and the desired-state API. */
  routes(): Route[] {
    return [
      { method: 'GET', path: '/ping', handler: () => ({ status: 200, body: { ok: true } }) },
      {
        method: 'POST',
        path: '/v1/lrps',
        handler: async (req) => {
          this.lrpAuctions(this.screened(await readJSON(req), 'lrp', parseLRPStartRequests));
          return { status: 202, body: {} };
        },
      },
      {
        method: 'POST',
        path: '/v1/tasks',
        handler: async (req) => {
          this.taskAuctions(this.screened(await readJSON(req), 'task', parseTaskStartRequests));
          return { status: 202, body: {} };
        },
      },
      {
        method: 'PUT',
        path: '/v1/apps/:name',
        handler: async (req, [app]) => {
          const processGuid = guid(app, 'name');
          const b = await body(req);
          const d: DesiredApp = {
            processGuid,
            instances: wholeNumber(b, 'instances', 0, undefined, MAX_INSTANCES),
            memoryMB: wholeNumber(b, 'memoryMB', 1),
            diskMB: wholeNumber(b, 'diskMB', 0, 0),
            template: templateName(field(b, 'template'), 'template'),
            placementTags: tags(b, 'placementTags'),
          };
          this.desire(d);
          return { status: 202, body: d };
        },
      },
      {
        method: 'POST',
        path: '/v1/apps/:name/scale',
        handler: async (req, [app]) => {
          const processGuid = guid(app, 'name');
          const b = await body(req);
          const d = this.store.desired.get(processGuid);
          if (!d) throw new HttpError(404, `no app ${shown(processGuid)}`);
          const next = { ...d, instances: wholeNumber(b, 'instances', 0, undefined, MAX_INSTANCES) };
          this.desire(next);
          return { status: 202, body: next };
        },
      },
      {
        method: 'DELETE',
        path: '/v1/apps/:name',
        handler: (_req, [app]) => {
          const processGuid = guid(app, 'name');
          if (!this.undesire(processGuid)) throw new HttpError(404, `no app ${shown(processGuid)}`);
          return { status: 202, body: {} };
        },
      },
      {
        method: 'POST',
        path: '/v1/task_submissions',
        handler: async (req) => {
          const b = await body(req);
          const t = { guid: guid(field(b, 'guid'), 'guid'), template: templateName(field(b, 'template'), 'template'), memoryMB: wholeNumber(b, 'memoryMB', 1), diskMB: wholeNumber(b, 'diskMB', 0, 0) };
          if (!this.submitTask(t)) throw new HttpError(409, `task ${t.guid} exists (a task runs at most once)`);
          return { status: 202, body: this.store.tasks.get(t.guid) };
        },
      },
      { method: 'GET', path: '/v1/actual', handler: () => ({ status: 200, body: this.actual() }) },
      {
        method: 'PUT',
        path: '/v1/cron/:name',
        handler: async (req, [raw]) => {
          const name = guid(raw, 'name');
          if (name.length > MAX_CRON_NAME) throw new HttpError(400, `name: expected at most ${MAX_CRON_NAME} characters (its tasks add the tick's time), got ${name.length}`);
          const b = await body(req);
          const schedule = field(b, 'schedule');
          const parsed = typeof schedule === 'string' ? parseSchedule(schedule) : { error: `expected ${SCHEDULE_SYNTAX}, got ${shown(schedule)}` };
          if ('error' in parsed) throw new HttpError(400, `schedule: ${parsed.error}`);
          const concurrency = field(b, 'concurrency') ?? 'allow';
          if (concurrency !== 'allow' && concurrency !== 'forbid' && concurrency !== 'replace') throw new HttpError(400, `concurrency: expected allow, forbid or replace, got ${shown(concurrency)}`);
          const deadline = field(b, 'startingDeadlineMs');
          const now = Date.now();
          const e: CronEntry = {
            name,
            schedule: schedule as string,
            concurrency,
            startingDeadlineMs: deadline === undefined || deadline === null ? null : wholeNumber(b, 'startingDeadlineMs', 0),
            historyLimit: wholeNumber(b, 'historyLimit', 0, 3, 10_000),
            lateAfterMs: wholeNumber(b, 'lateAfterMs', 0, 10_000),
            template: templateName(field(b, 'template'), 'template'),
            memoryMB: wholeNumber(b, 'memoryMB', 1),
            diskMB: wholeNumber(b, 'diskMB', 0, 0),
            // A new or changed entry ticks from now on: nothing before it is caught up.
            createdAtMs: now,
            lastScheduledMs: now,
          };
          this.store.setCron(e);
          this.store.sync();
          return { status: 202, body: e };
        },
      },
      { method: 'GET', path: '/v1/cron', handler: () => ({ status: 200, body: [...this.store.cron.values()].map((e) => ({ ...e, stats: this.cron.stats(e.name) })) }) },
      {
        method: 'GET',
        path: '/v1/cron/:name',
        handler: (_req, [raw]) => {
          const e = this.store.cron.get(guid(raw, 'name'));
          if (!e) throw new HttpError(404, `no cron entry ${shown(raw)}`);
          return { status: 200, body: { ...e, stats: this.cron.stats(e.name) } };
        },
      },
      {
        method: 'DELETE',
        path: '/v1/cron/:name',
        handler: (_req, [raw]) => {
          const name = guid(raw, 'name');
          if (!this.store.cron.has(name)) throw new HttpError(404, `no cron entry ${shown(name)}`);
          // Its tasks stay: one already sent runs to its end, as a CronJob's jobs outlive it only if orphaned; here they are plain tasks.
          this.store.deleteCron(name);
          this.store.sync();
          return { status: 202, body: {} };
        },
      },
    ];
  }

  /** Serves the routes. */
  server(): Server {
    return serve(this.routes(), { token: this.o.token, onError: (line) => this.o.log(`error: ${line}`) });
  }
}
