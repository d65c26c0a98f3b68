// The real auctioneer: Diego's auctioneer API, a small desired-state API, Diego's batching driving
// any core strategy over HTTP, and the core's convergence rules run against the cells' reported
// state. Its BBS state is journalled (see bbs-store.ts).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import { buildBatch, lrpAuctionId } from '../core/batch.js';
import { crashCountAfterCrash } from '../core/convergence/crash-restart.js';
import { planLRPConvergence, planTaskConvergence, type ObservedInstance, type ObservedTask } from '../core/convergence/plan.js';
import { parseLRPStartRequests, parseTaskStartRequests } from '../core/json/requests-json.js';
import { parseCellState } from '../core/json/cell-state-json.js';
import type { CellState } from '../core/model/cell-state.js';
import type { LRPStartRequest, TaskStartRequest } from '../core/model/requests.js';
import { streamFor } from '../core/random.js';
import type { Strategy, StrategySettings } from '../core/strategy.js';
import type { BBSStore, DesiredApp, StoredTask } from './bbs-store.js';
import { callCell, driveHttp } from './http-driver.js';
import { HttpError, readJSON, readParsed, serve, type Route } from './http.js';
import { templateOf, templateRootFS } from './templates.js';

/** Diego: a task turned down this many times more fails. */
export const MAX_TASK_RETRIES = 3;

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
  /** Writes a line to the log. */
  log: (line: string) => void;
}

interface CellView {
  url: string;
  id: string | null;
  lastSeen: number;
  present: boolean;
  state: CellState | null;
  crashed: { instance_guid: string; process_guid: string; index: number; crashed_at: string; exit_code: number | null; signal: string | null }[];
  completed: { TaskGuid: string; failed: boolean; failure_reason: string }[];
  answeredThisRound: boolean;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const v = await readJSON(req);
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new HttpError(400, 'expected a JSON object');
  return v as Record<string, unknown>;
}

/** Most instances one app may desire on real cells (every index is tracked and listed). */
export const MAX_INSTANCES = 10_000;

function wholeNumber(o: Record<string, unknown>, key: string, min: number, dflt?: number, max = 2_147_483_647): number {
  const v = o[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new HttpError(400, `${key}: expected a whole number ${v !== undefined && typeof v === 'number' && v > max ? `<= ${max}` : `>= ${min}`}, got ${JSON.stringify(o[key])}`);
  }
  return v;
}

function name(v: unknown, key: string): string {
  if (typeof v !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(v)) throw new HttpError(400, `${key}: expected a name (letters, digits, ".", "_", "-"), got ${JSON.stringify(v)}`);
  return v;
}

function stringList(o: Record<string, unknown>, key: string): string[] {
  const v = o[key] ?? [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new HttpError(400, `${key}: expected a list of strings`);
  return v as string[];
}

/** The real auctioneer. */
export class RealAuctioneer {
  private readonly cells: CellView[];
  private readonly lrpQueue: LRPStartRequest[] = [];
  private readonly taskQueue: TaskStartRequest[] = [];
  private readonly inFlight = new Map<string, number>();
  private readonly runningSince = new Map<string, number>();
  private readonly rng = streamFor(1, 'real-auctioneer');
  private auctioning = false;
  private stopped = false;
  private timers: NodeJS.Timeout[] = [];
  private converging: Promise<void> | null = null;
  private polledOnce = false;
  /** Counters since start. */
  readonly counters = { batches: 0, placed: 0, failed: 0, messages: 0, passes: 0 };

  /** An auctioneer over the given cells. */
  constructor(private readonly o: AuctioneerOptions) {
    this.cells = o.cells.map((url) => ({ url: url.replace(/\/+$/, ''), id: null, lastSeen: -Infinity, present: false, state: null, crashed: [], completed: [], answeredThisRound: false }));
  }

  private get bbs() {
    return this.o.store.state;
  }

  /** Starts polling, converging and auctioning. */
  start(): void {
    const poll = async () => {
      await this.poll();
      if (!this.polledOnce) {
        this.polledOnce = true;
        await this.converge();
      }
    };
    void poll();
    this.timers.push(setInterval(() => void poll(), this.o.pollEveryMs));
    this.timers.push(setInterval(() => void this.converge(), this.o.convergeEveryMs));
  }

  /** Stops the loops (the journal is already up to date). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    await this.converging;
  }

  /** Polls every cell's state; a cell that goes missing triggers a convergence pass at once. */
  async poll(): Promise<void> {
    const now = Date.now();
    let lost = false;
    await Promise.all(
      this.cells.map(async (c) => {
        c.answeredThisRound = false;
        try {
          const { status, json } = await callCell(c.url, 'GET', '/state', undefined, this.o.token, Math.min(10_000, this.o.presenceTtlMs));
          if (status !== 200) throw new Error(`HTTP ${status}`);
          const raw = json as Record<string, unknown>;
          c.state = parseCellState(raw);
          c.id = c.state.cell_id;
          c.crashed = Array.isArray(raw['CrashedLRPs']) ? (raw['CrashedLRPs'] as CellView['crashed']) : [];
          c.completed = Array.isArray(raw['CompletedTasks']) ? (raw['CompletedTasks'] as CellView['completed']) : [];
          c.lastSeen = Date.now();
          c.answeredThisRound = true;
          if (!c.present) this.o.log(`cell ${c.id} at ${c.url} is present`);
          c.present = true;
        } catch {
          if (c.present && now - c.lastSeen >= this.o.presenceTtlMs) {
            c.present = false;
            lost = true;
            this.o.log(`cell ${c.id ?? c.url} is gone (no answer for ${((now - c.lastSeen) / 1000).toFixed(1)} s)`);
          }
        }
      }),
    );
    if (lost && this.polledOnce) await this.converge();
  }

  private presentCells(): CellView[] {
    return this.cells.filter((c) => c.present && c.state && c.id);
  }

  /** One convergence pass: collect crashes and task results, then run the core's rules. */
  converge(): Promise<void> {
    if (this.converging) return this.converging;
    this.converging = this.convergeOnce().finally(() => {
      this.converging = null;
    });
    return this.converging;
  }

  private async convergeOnce(): Promise<void> {
    // Nothing is decided before every cell had its first chance to answer: with no view of the cells,
    // every instance would look missing.
    if (this.stopped || !this.polledOnce) return;
    this.counters.passes++;
    const now = Date.now();
    const present = this.presentCells();
    const instances: ObservedInstance[] = [];
    const observedTasks: ObservedTask[] = [];
    const acks: Promise<unknown>[] = [];
    for (const c of present) {
      const s = c.state as CellState;
      for (const l of s.LRPs) {
        const running = l.state === 'RUNNING';
        instances.push({ cell: c.id as string, processGuid: l.process_guid, index: l.index, instanceGuid: l.instance_guid, running, evacuating: s.Evacuating });
        const id = lrpAuctionId(l.process_guid, l.index);
        this.inFlight.delete(id);
        if (running && !s.Evacuating) {
          if (!this.runningSince.has(id)) this.runningSince.set(id, now);
          delete this.bbs.placementErrors[id];
        }
      }
      for (const t of s.Tasks) observedTasks.push({ cell: c.id as string, guid: t.TaskGuid, completed: false, failed: false, failureReason: '' });
      for (const t of c.completed) observedTasks.push({ cell: c.id as string, guid: t.TaskGuid, completed: true, failed: t.failed, failureReason: t.failure_reason });
      for (const x of c.crashed) {
        const id = lrpAuctionId(x.process_guid, x.index);
        const crashedAt = Date.parse(x.crashed_at) || now;
        const prev = this.bbs.crashes[id];
        const ranFor = crashedAt - (this.runningSince.get(id) ?? crashedAt);
        this.bbs.crashes[id] = { count: crashCountAfterCrash(prev?.count ?? 0, ranFor), crashedAtMs: crashedAt };
        this.runningSince.delete(id);
        // Its auction is over (it was placed, ran and crashed), whether or not a pass saw it run.
        this.inFlight.delete(id);
        this.o.log(`crash of ${id} on ${c.id} (${x.signal ?? `exit ${x.exit_code}`}), crash count ${this.bbs.crashes[id]!.count}`);
        acks.push(this.tell(c, `/v1/lrps/${encodeURIComponent(x.process_guid)}/instances/${encodeURIComponent(x.instance_guid)}/stop`));
      }
      c.crashed = [];
    }
    const lrp = planLRPConvergence({
      nowMs: now,
      desired: Object.values(this.bbs.desired).map((d) => ({ processGuid: d.processGuid, instances: d.instances })),
      instances,
      crashes: new Map(Object.entries(this.bbs.crashes)),
      inFlight: this.inFlight,
    });
    const byCell = new Map(present.map((c) => [c.id as string, c]));
    for (const s of lrp.stop) {
      const c = byCell.get(s.cell);
      if (c) acks.push(this.tell(c, `/v1/lrps/${encodeURIComponent(s.processGuid)}/instances/${encodeURIComponent(s.instanceGuid)}/stop`));
      this.o.log(`stop ${s.processGuid}.${s.index} on ${s.cell} (${s.reason})`);
    }
    const starts = new Map<string, number[]>();
    for (const s of lrp.start) {
      starts.set(s.processGuid, [...(starts.get(s.processGuid) ?? []), s.index]);
      this.inFlight.set(lrpAuctionId(s.processGuid, s.index), now);
    }
    for (const [guid, indices] of starts) {
      const d = this.bbs.desired[guid];
      if (d) this.lrpQueue.push(this.startRequest(d, indices));
    }
    const tasks = planTaskConvergence({
      nowMs: now,
      tasks: Object.values(this.bbs.tasks),
      observed: observedTasks,
      answered: new Set(present.filter((c) => c.answeredThisRound).map((c) => c.id as string)),
      present: new Set(present.map((c) => c.id as string)),
    });
    for (const c of tasks.complete) {
      const t = this.bbs.tasks[c.guid];
      if (!t) continue;
      Object.assign(t, { state: 'COMPLETED', failed: c.failed, failureReason: c.failureReason });
      this.o.log(`task ${c.guid} completed on ${c.cell}${c.failed ? `, failed: ${c.failureReason}` : ''}`);
      const cell = byCell.get(c.cell);
      if (cell) acks.push(this.tell(cell, `/v1/tasks/${encodeURIComponent(c.guid)}/cancel`));
    }
    for (const f of tasks.fail) {
      const t = this.bbs.tasks[f.guid];
      if (t) Object.assign(t, { state: 'COMPLETED', failed: true, failureReason: f.reason });
      this.o.log(`task ${f.guid} failed: ${f.reason}`);
    }
    for (const guid of tasks.requeue) {
      const t = this.bbs.tasks[guid];
      if (t) Object.assign(t, { state: 'PENDING', cell: null, sentAtMs: null });
    }
    for (const r of tasks.remove) {
      const cell = byCell.get(r.cell);
      if (cell) acks.push(this.tell(cell, `/v1/tasks/${encodeURIComponent(r.guid)}/cancel`));
    }
    for (const guid of [...tasks.auction, ...tasks.requeue]) {
      const t = this.bbs.tasks[guid];
      if (!t) continue;
      t.sentAtMs = now;
      this.taskQueue.push(this.taskRequest(t));
    }
    this.o.store.commit();
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
    if (this.auctioning || this.stopped) return;
    if (this.lrpQueue.length === 0 && this.taskQueue.length === 0) return;
    this.auctioning = true;
    void this.auctionOnce().finally(() => {
      this.auctioning = false;
      this.kick();
    });
  }

  private async auctionOnce(): Promise<void> {
    const lrps = this.lrpQueue.splice(0);
    // Only tasks still PENDING are auctioned (a task is never sent twice).
    const tasks = this.taskQueue.splice(0).filter((t) => this.bbs.tasks[t.TaskGuid]?.state === 'PENDING');
    const present = this.presentCells();
    const urls = new Map(present.map((c) => [c.id as string, c.url]));
    const { batch } = buildBatch(lrps, tasks, { instanceGuid: () => randomUUID() });
    if (batch.lrps.length + batch.tasks.length === 0) return;
    this.counters.batches++;
    const ctx = { cells: [...urls.keys()].sort(), seed: 1, rng: this.rng };
    const result = await driveHttp(this.o.strategy.auction(batch, ctx, this.o.settings), {
      urls,
      token: this.o.token,
      beforeSend: (req) => {
        if (req.kind !== 'perform' && req.kind !== 'claim') return;
        // Write-ahead: a task is RUNNING on its cell in the journal before the cell can start it, so
        // it is never auctioned again while it may run.
        const guids = req.kind === 'perform' ? req.work.Tasks.map((t) => t.TaskGuid) : req.auction.kind === 'task' ? [req.auction.task.TaskGuid] : [];
        if (guids.length === 0) return;
        for (const g of guids) {
          const t = this.bbs.tasks[g];
          if (t) Object.assign(t, { state: 'RUNNING', cell: req.cell, sentAtMs: Date.now(), ranOn: [...t.ranOn, req.cell] });
        }
        this.o.store.commit();
      },
    });
    this.counters.messages += result.messages;
    this.counters.placed += result.outcome.placed.length;
    this.counters.failed += result.outcome.failed.length;
    for (const f of result.outcome.failed) {
      if (f.auction.kind === 'lrp') {
        this.bbs.placementErrors[f.auction.id] = f.reason;
        this.o.log(`placement of ${f.auction.id} failed: ${f.reason}`);
        continue;
      }
      const t = this.bbs.tasks[f.auction.id];
      if (!t) continue;
      t.rejections++;
      if (t.state === 'RUNNING') t.ranOn = t.ranOn.slice(0, -1); // turned down: it never started there
      if (t.rejections > MAX_TASK_RETRIES) Object.assign(t, { state: 'COMPLETED', cell: null, failed: true, failureReason: f.reason });
      else Object.assign(t, { state: 'PENDING', cell: null, sentAtMs: Date.now() });
      this.o.log(`task ${t.guid} not placed (${f.reason})${t.state === 'COMPLETED' ? ': failed' : ''}`);
    }
    this.o.store.commit();
    this.o.log(`batch: ${batch.lrps.length} instances, ${batch.tasks.length} tasks; ${result.outcome.placed.length} placed, ${result.outcome.failed.length} failed, ${result.messages} messages`);
  }

  /** Desires (or changes) an app; its instances are auctioned by the next convergence pass. */
  desire(d: DesiredApp): void {
    this.bbs.desired[d.processGuid] = d;
    this.o.store.commit();
    void this.converge();
  }

  /** Submits a task (at most once by guid). Returns false if the guid is taken. */
  submitTask(t: { guid: string; template: string; memoryMB: number; diskMB: number }): boolean {
    if (this.bbs.tasks[t.guid]) return false;
    this.bbs.tasks[t.guid] = { ...t, state: 'PENDING', cell: null, createdAtMs: Date.now(), sentAtMs: null, rejections: 0, failed: false, failureReason: '', ranOn: [] };
    this.o.store.commit();
    void this.converge();
    return true;
  }

  /** What runs where, as `cf app` would show it. */
  actual(): Record<string, unknown> {
    const where = new Map<string, { cell: string; state: string; evacuating: boolean; instance_guid: string }[]>();
    for (const c of this.presentCells()) {
      for (const l of (c.state as CellState).LRPs) {
        const id = lrpAuctionId(l.process_guid, l.index);
        // An evacuating copy still runs (Diego's EVACUATING presence) until its replacement does.
        where.set(id, [...(where.get(id) ?? []), { cell: c.id as string, state: l.state, evacuating: (c.state as CellState).Evacuating, instance_guid: l.instance_guid }]);
      }
    }
    const apps = Object.values(this.bbs.desired).map((d) => ({
      ...d,
      actual: Array.from({ length: d.instances }, (_, index) => {
        const id = lrpAuctionId(d.processGuid, index);
        const crash = this.bbs.crashes[id];
        return {
          index,
          copies: where.get(id) ?? [],
          state: (where.get(id) ?? []).some((x) => x.state === 'RUNNING') ? 'RUNNING' : this.inFlight.has(id) ? 'UNCLAIMED' : crash ? 'CRASHED' : 'UNCLAIMED',
          crash_count: crash?.count ?? 0,
          placement_error: this.bbs.placementErrors[id] ?? '',
        };
      }),
    }));
    return {
      cells: this.cells.map((c) => ({ url: c.url, id: c.id, present: c.present, evacuating: c.state?.Evacuating ?? false, lrps: c.state?.LRPs.length ?? 0, tasks: c.state?.Tasks.length ?? 0 })),
      apps,
      tasks: Object.values(this.bbs.tasks),
      counters: this.counters,
    };
  }

  /** The auctioneer's routes: Diego's auctioneer API and the desired-state API. */
  routes(): Route[] {
    return [
      { method: 'GET', path: '/ping', handler: () => ({ status: 200, body: { ok: true } }) },
      {
        method: 'POST',
        path: '/v1/lrps',
        handler: async (req) => {
          const reqs = await readParsed(req, parseLRPStartRequests);
          this.lrpQueue.push(...reqs);
          this.kick();
          return { status: 202, body: {} };
        },
      },
      {
        method: 'POST',
        path: '/v1/tasks',
        handler: async (req) => {
          const reqs = await readParsed(req, parseTaskStartRequests);
          for (const q of reqs) {
            const template = templateOf(q.RootFs);
            if (template === null) throw new HttpError(400, `${q.TaskGuid}: RootFs: expected template:<name> (real cells run named process templates), got ${JSON.stringify(q.RootFs)}`);
          }
          for (const q of reqs) this.submitTask({ guid: q.TaskGuid, template: templateOf(q.RootFs) as string, memoryMB: q.MemoryMB, diskMB: q.DiskMB });
          return { status: 202, body: {} };
        },
      },
      {
        method: 'PUT',
        path: '/v1/apps/:name',
        handler: async (req, [app]) => {
          const b = await body(req);
          const processGuid = name(app, 'name');
          this.desire({
            processGuid,
            instances: wholeNumber(b, 'instances', 0, undefined, MAX_INSTANCES),
            memoryMB: wholeNumber(b, 'memoryMB', 1),
            diskMB: wholeNumber(b, 'diskMB', 0, 0),
            template: name(b['template'], 'template'),
            placementTags: stringList(b, 'placementTags'),
          });
          return { status: 202, body: this.bbs.desired[processGuid] };
        },
      },
      {
        method: 'POST',
        path: '/v1/apps/:name/scale',
        handler: async (req, [app]) => {
          const b = await body(req);
          const d = this.bbs.desired[app as string];
          if (!d) throw new HttpError(404, `no app ${JSON.stringify(app)}`);
          this.desire({ ...d, instances: wholeNumber(b, 'instances', 0, undefined, MAX_INSTANCES) });
          return { status: 202, body: this.bbs.desired[app as string] };
        },
      },
      {
        method: 'DELETE',
        path: '/v1/apps/:name',
        handler: (_req, [app]) => {
          if (!this.bbs.desired[app as string]) throw new HttpError(404, `no app ${JSON.stringify(app)}`);
          delete this.bbs.desired[app as string];
          this.o.store.commit();
          void this.converge();
          return { status: 202, body: {} };
        },
      },
      {
        method: 'POST',
        path: '/v1/task_submissions',
        handler: async (req) => {
          const b = await body(req);
          const t = { guid: name(b['guid'], 'guid'), template: name(b['template'], 'template'), memoryMB: wholeNumber(b, 'memoryMB', 1), diskMB: wholeNumber(b, 'diskMB', 0, 0) };
          if (!this.submitTask(t)) throw new HttpError(409, `task ${t.guid} exists (a task runs at most once)`);
          return { status: 202, body: this.bbs.tasks[t.guid] };
        },
      },
      { method: 'GET', path: '/v1/actual', handler: () => ({ status: 200, body: this.actual() }) },
    ];
  }

  /** Serves the routes. */
  server(): Server {
    return serve(this.routes(), { token: this.o.token, onError: (line) => this.o.log(`error: ${line}`) });
  }
}
