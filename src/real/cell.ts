// A real cell: Diego's rep routes over HTTP, the core's MemoryRep for accounting and Perform's
// rules, and an executor that runs the accepted work as OS processes. The cell never restarts a
// crashed instance: it reports the crash in /state and the auctioneer's converger decides.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { cellStateToJSON } from '../core/json/cell-state-json.js';
import { parseWork, workToJSON } from '../core/json/requests-json.js';
import type { CellState, LRP, Task } from '../core/model/cell-state.js';
import { emptyCellState } from '../core/model/empty-cell.js';
import type { Reply } from '../core/protocol/messages.js';
import { MemoryRep, RESERVATION_TTL_MS } from '../core/rep/memory-rep.js';
import { parseAuction } from './auction-json.js';
import { Executor, type Exit, type MemoryLimits } from './executor.js';
import { HttpError, readJSON, readParsed, serve, type Route } from './http.js';
import { processMetrics } from './process-metrics.js';
import { PRELOADED_SCHEME, TEMPLATE_SCHEME, templateOf, type Templates } from './templates.js';
import { isGuid } from './names.js';
import { HealthMonitor } from './health-check.js';
import { PortPool } from './port-pool.js';

/**
 * How long a cell reports a task it cancelled (longer than the auctioneer's 30 s wait before it
 * decides a task never reached its cell; assumed, no Diego figure: Diego's BBS cancels, not the rep).
 */
export const CANCELLED_KEPT_MS = 10 * 60_000;


/** How a real cell is set up. */
export interface RealCellOptions {
  /** Cell id. */
  id: string;
  /** Availability zone. */
  zone: string;
  /** Memory (MB) to offer. */
  memoryMB: number;
  /** Disk (MB) to offer. */
  diskMB: number;
  /** Containers (processes) to offer. */
  containers: number;
  /** The URL the cell is reached at (reported as `rep_url`). */
  repUrl: string;
  /** Process templates. */
  templates: Templates;
  /** Directory for process logs, or null. */
  logDir: string | null;
  /** cgroup v2 memory limits, or null (accounting only). */
  limits: MemoryLimits | null;
  /** Writes a line to the cell's log. */
  log: (line: string) => void;
  /** Diego's `cell_index` (the rep's `--cellIndex`; default 0). */
  index?: number;
  /** Directory for PID files of running work, so a restarted cell finds what it left (null: none). */
  workDir?: string | null;
  /** Extra environment variable names workloads inherit from the cell (beyond the executor's allow-list). */
  inheritEnv?: readonly string[];
  /** The user and group workloads run as (null: the cell's own; see the executor). */
  runAs?: { uid: number; gid: number } | null;
}

/** A crash the cell reports until the auctioneer acknowledges it (by stopping the instance). */
interface CrashReport {
  lrp: LRP;
  crashedAt: number;
  exit: Exit;
  /** Why it crashed, when the cell ended it (a health check). */
  reason: string | null;
}

/** A finished task the cell reports until the auctioneer deletes it (by cancelling it). */
interface TaskResult {
  task: Task;
  failed: boolean;
  reason: string;
}

/** A real cell: rep routes, accounting and processes. */
export class RealCell {
  /** The rep's accounting (Diego's Perform rules). */
  readonly rep: MemoryRep;
  private readonly executor: Executor;
  private readonly started = new Set<string>();
  private readonly crashes = new Map<string, CrashReport>();
  // Each running instance's health checks (templates with a healthCheck), its port, and the instances
  // the cell is stopping because a check failed (their exit is a crash, with the check's reason).
  private readonly health = new Map<string, HealthMonitor>();
  private readonly ports = new PortPool();
  private readonly healthKilled = new Map<string, string>();
  private readonly results = new Map<string, TaskResult>();
  private readonly ranTasks = new Set<string>();
  /** Tasks this life cancelled while it held them (running or with a result), and when. */
  private readonly cancelled = new Map<string, number>();
  /** The last LRPUpdate per instance (routes and metric tags; nothing here routes, they are kept). */
  private readonly updates = new Map<string, { internal_routes: unknown; metric_tags: unknown }>();

  /** A cell offering the given capacity and running the given templates. */
  constructor(private readonly o: RealCellOptions) {
    const state = emptyCellState({ cell_id: o.id, zone: o.zone, memoryMB: o.memoryMB, diskMB: o.diskMB, containers: o.containers, stacks: [], docker: false });
    state.rep_url = o.repUrl;
    state.cell_index = o.index ?? 0;
    // The templates are this cell's stacks, under our scheme and Diego's `preloaded`: the auction's
    // rootfs filter sends a workload only to cells that have its template, with Diego's rootfs error
    // when none has.
    const set = (): { type: 'fixed_set'; set: Record<string, Record<string, never>> } => ({ type: 'fixed_set', set: Object.fromEntries([...o.templates.keys()].map((k) => [k, {}])) });
    state.RootFSProviders = { [TEMPLATE_SCHEME]: set(), [PRELOADED_SCHEME]: set() };
    this.rep = new MemoryRep(state);
    this.executor = new Executor({ cellId: o.id, templates: o.templates, logDir: o.logDir, limits: o.limits, workDir: o.workDir ?? null, inheritEnv: o.inheritEnv ?? [], runAs: o.runAs ?? null, onExit: (guid, exit) => this.exited(guid, exit) });
  }

  /**
   * This life of the cell: a new id at every start. The auctioneer compares it with the one a task
   * was sent under: a task its cell no longer holds after a restart is failed, never run again.
   */
  get bootId(): string {
    return this.boot;
  }

  private boot = randomUUID();

  /** What `GET /state` answers: Diego's cell state, plus the crashes and task results not yet collected. */
  stateJSON(): Record<string, unknown> {
    const json = cellStateToJSON(this.rep.state);
    // Diego's rep marshals a task's state as bbs's Task_State name ("Running"), not our upper case.
    for (const t of json['Tasks'] as { state: string }[]) t.state = diegoTaskState(t.state);
    return {
      ...json,
      boot_id: this.bootId,
      CrashedLRPs: [...this.crashes.values()].map((c) => ({
        instance_guid: c.lrp.instance_guid,
        process_guid: c.lrp.process_guid,
        index: c.lrp.index,
        crashed_at: new Date(c.crashedAt).toISOString(),
        exit_code: c.exit.code,
        signal: c.exit.signal,
        crash_reason: c.reason ?? (c.exit.signal ? `killed by ${c.exit.signal}` : `exit status ${c.exit.code}`),
      })),
      HealthChecks: [...this.health].map(([guid, m]) => {
        const lrp = this.rep.lrp(guid);
        const h = m.status();
        return { instance_guid: guid, process_guid: lrp?.process_guid ?? '', index: lrp?.index ?? -1, type: h.type, port: h.port, healthy: h.healthy, checks: h.checks, failures: h.failures, last_check_at: h.lastCheckAt === null ? null : new Date(h.lastCheckAt).toISOString(), last_error: h.lastError };
      }),
      CompletedTasks: [...this.results.values()].map((r) => ({ TaskGuid: r.task.TaskGuid, failed: r.failed, failure_reason: r.reason })),
      CancelledTasks: this.recentlyCancelled(),
    };
  }

  /** The rep's routes. */
  routes(): Route[] {
    return [
      { method: 'GET', path: '/ping', handler: () => ({ status: 200, body: { ok: true } }) },
      { method: 'GET', path: '/state', handler: () => ({ status: 200, body: this.stateJSON() }) },
      {
        method: 'POST',
        path: '/work',
        handler: async (req) => {
          const work = await readParsed(req, parseWork);
          // A task runs at most once here: one this cell ever ran is turned down, even after its
          // container is gone (the rep's own check only covers tasks it still holds). Work whose
          // guids Diego's BBS would not accept (bbs models: [A-Za-z0-9_-]+) is turned down too: its
          // stop or cancel URL could not name it.
          const refusedTasks = work.Tasks.filter((t) => this.ranTasks.has(t.TaskGuid) || !isGuid(t.TaskGuid));
          const refusedLRPs = work.LRPs.filter((l) => !isGuid(l.process_guid) || !isGuid(l.instance_guid));
          const refused = new Set<unknown>([...refusedTasks, ...refusedLRPs]);
          const accepted = refused.size === 0 ? work : { ...work, Tasks: work.Tasks.filter((t) => !refused.has(t)), LRPs: work.LRPs.filter((l) => !refused.has(l)) };
          const reply = this.rep.perform(accepted);
          if (!reply.ok) throw new HttpError(409, reply.error);
          this.sync();
          // The rep's own failures and those turned down here (a new list: the rep's reply is only read).
          const repFailed = (reply as Extract<Reply, { kind: 'perform'; ok: true }>).failed;
          const failed = workToJSON({ ...repFailed, Tasks: [...repFailed.Tasks, ...refusedTasks], LRPs: [...repFailed.LRPs, ...refusedLRPs] });
          // Diego's rep answers a rep.Work, whose cell_id is omitempty.
          if (failed['cell_id'] === '') delete failed['cell_id'];
          return { status: 200, body: failed };
        },
      },
      {
        method: 'POST',
        path: '/v1/lrps/:process_guid/instances/:instance_guid/stop',
        handler: (_req, [, instanceGuid]) => {
          this.stopLRP(instanceGuid as string);
          return { status: 202, body: {} };
        },
      },
      {
        method: 'POST',
        path: '/v1/tasks/:task_guid/cancel',
        handler: (_req, [taskGuid]) => {
          this.cancelTask(taskGuid as string);
          return { status: 202, body: {} };
        },
      },
      // Diego's UpdateLRPInstance, on its v2 route and the v1 route older clients fall back to (rep
      // routes.go, handlers/update_lrp_handler.go): the body is an LRPUpdate; 202 once recorded.
      ...['/v2', '/v1'].map((v): Route => ({
        method: 'PUT',
        path: `${v}/lrps/:process_guid/instances/:instance_guid`,
        handler: async (req, [processGuid, instanceGuid]) => {
          const update = await readJSON(req);
          const problem = lrpUpdateProblem(update);
          if (problem !== null) throw new HttpError(400, problem);
          const lrp = this.rep.lrp(instanceGuid as string);
          if (!lrp || lrp.process_guid !== processGuid) throw new HttpError(404, `no instance ${JSON.stringify(instanceGuid).slice(0, 80)} of ${JSON.stringify(processGuid).slice(0, 80)} on cell ${this.o.id}`);
          const u = update as { internal_routes?: unknown; metric_tags?: unknown };
          this.updates.set(instanceGuid as string, { internal_routes: u.internal_routes ?? [], metric_tags: u.metric_tags ?? {} });
          return { status: 202, body: {} };
        },
      })),
      { method: 'GET', path: '/container_metrics', handler: () => ({ status: 200, body: this.containerMetrics() }) },
      {
        method: 'POST',
        path: '/sim/reset',
        handler: () => {
          this.reset();
          return { status: 200, body: {} };
        },
      },
      {
        method: 'POST',
        path: '/evacuate',
        handler: () => {
          this.rep.setEvacuating(true);
          this.o.log(`evacuating: no new work; the auctioneer moves ${this.rep.state.LRPs.length} instances away`);
          // Diego's Evacuate handler answers where to watch for the end (rep handlers/evacuation_handler.go).
          return { status: 202, body: { ping_path: '/ping' } };
        },
      },
      // The 2014 bidding messages, so every core strategy runs against real cells.
      ...(['bid', 'reserve', 'release', 'claim'] as const).map((kind): Route => ({
        method: 'POST',
        path: `/v1/auction/${kind}`,
        handler: async (req) => {
          const auction = await readParsed(req, parseAuction);
          const reply = this.rep.handle({ kind, cell: this.o.id, auction });
          if (kind === 'claim') this.sync();
          // A reservation lapses if never claimed or released (its auctioneer may have died), as in
          // the simulator; releasing a claimed or released one is a no-op.
          if (kind === 'reserve' && reply.ok) setTimeout(() => this.rep.release(auction), RESERVATION_TTL_MS).unref();
          if (!reply.ok) return { status: 409, body: { error: reply.error } };
          return { status: 200, body: reply.kind === 'bid' || (reply.kind === 'reserve' && reply.bid !== undefined) ? { bid: reply.bid } : {} };
        },
      })),
    ];
  }

  /** Serves the routes (token required when set). */
  server(token: string | null): Server {
    return serve(this.routes(), { token, onError: (line) => this.o.log(`error: ${line}`) });
  }

  /** Starts a process for every LRP and task the rep accepted that does not run yet. */
  private sync(): void {
    for (const lrp of [...this.rep.state.LRPs]) {
      if (this.started.has(lrp.instance_guid)) continue;
      this.started.add(lrp.instance_guid);
      void this.launch(lrp);
    }
    for (const task of [...this.rep.state.Tasks]) {
      if (this.started.has(task.TaskGuid)) continue;
      this.started.add(task.TaskGuid);
      this.ranTasks.add(task.TaskGuid);
      const err = this.startProcess(task.TaskGuid, task.RootFs, { AUCTIONLAB_TASK_GUID: task.TaskGuid }, task.MemoryMB);
      if (err !== null) {
        this.o.log(`cannot start task ${task.TaskGuid}: ${err}`);
        this.finishTask(task.TaskGuid, true, err);
      } else {
        this.rep.markTaskRunning(task.TaskGuid);
        this.o.log(`started task ${task.TaskGuid}`);
      }
    }
  }

  // An instance starts once it has a port of its own (PORT: nothing on the host listens there), as
  // each of Diego's containers has its host port from garden's pool; its health check probes it.
  private async launch(lrp: LRP): Promise<void> {
    const guid = lrp.instance_guid;
    let port: number;
    try {
      port = await this.ports.takeFree(guid);
    } catch (e) {
      if (!this.rep.lrp(guid) || !this.started.has(guid)) return;
      const why = `cannot start: ${(e as Error).message}`;
      this.o.log(`cannot start ${lrp.process_guid}/${lrp.index}: ${why}`);
      this.exited(guid, { code: 127, signal: null, stopped: false }, why);
      return;
    }
    // Stopped (or the cell reset) while its port was found.
    if (!this.rep.lrp(guid) || !this.started.has(guid)) {
      this.ports.give(guid);
      return;
    }
    const env = { AUCTIONLAB_PROCESS_GUID: lrp.process_guid, AUCTIONLAB_INDEX: String(lrp.index), AUCTIONLAB_INSTANCE_GUID: guid, PORT: String(port) };
    const err = this.startProcess(guid, lrp.RootFs, env, lrp.MemoryMB);
    if (err !== null) {
      this.o.log(`cannot start ${lrp.process_guid}/${lrp.index}: ${err}`);
      this.exited(guid, { code: 127, signal: null, stopped: false });
      return;
    }
    this.o.log(`started ${lrp.process_guid}/${lrp.index} (${guid}) on port ${port}`);
    const check = this.o.templates.get(templateOf(lrp.RootFs) ?? '')?.healthCheck ?? null;
    // Without a check, running means started; with one, running (and routable, to the auctioneer)
    // once the start check passes, as Diego's executor reports an instance running.
    if (check === null) {
      this.rep.markLRPRunning(guid);
      return;
    }
    const monitor = new HealthMonitor(check, check.type === 'process' ? 0 : port, {
      healthy: () => {
        if (this.health.get(guid) !== monitor || !this.rep.lrp(guid)) return;
        this.rep.markLRPRunning(guid);
        this.o.log(`healthy ${lrp.process_guid}/${lrp.index} (${check.type} check)`);
      },
      failed: (reason) => this.healthFailed(guid, monitor, reason),
    });
    this.health.set(guid, monitor);
    monitor.start();
  }

  /** Ports handed to instances now (for tests: none is kept once its instance is gone). */
  get portsHandedOut(): number {
    return this.ports.handedOut;
  }

  // A start that fails in any way (no template, spawn error, a log file that cannot open, a bug) is
  // an error text: the caller then frees the work's resources, so nothing stays reserved forever.
  private startProcess(guid: string, rootfs: string, env: Record<string, string>, memoryMB: number): string | null {
    try {
      return this.executor.start(guid, templateOf(rootfs) ?? '', env, memoryMB);
    } catch (e) {
      return `cannot start: ${(e as Error).message}`;
    }
  }

  // A check failed (or never passed in time): the cell stops the instance, and its exit is a crash
  // with the check's reason (Diego's executor fails the container; the restart policy follows).
  private healthFailed(guid: string, monitor: HealthMonitor, reason: string): void {
    if (this.health.get(guid) !== monitor || !this.rep.lrp(guid)) return;
    this.health.delete(guid);
    this.healthKilled.set(guid, reason);
    const lrp = this.rep.lrp(guid);
    this.o.log(`${lrp?.process_guid}/${lrp?.index}: ${reason}: stopping it`);
    this.executor.stop(guid);
  }

  // A process ended (`reason`: why, when the cell knows better than its exit status).
  private exited(guid: string, exit: Exit, reason: string | null = null): void {
    const killed = this.healthKilled.get(guid) ?? reason;
    this.healthKilled.delete(guid);
    this.health.get(guid)?.stop();
    this.health.delete(guid);
    if (exit.stopped && killed === null) return;
    const lrp = this.rep.lrp(guid);
    if (lrp) {
      // A crash: the container goes (resources freed), the crash is reported until collected.
      this.rep.removeLRP(guid);
      this.ports.give(guid);
      this.started.delete(guid);
      this.updates.delete(guid);
      this.crashes.set(guid, { lrp, crashedAt: Date.now(), exit, reason: killed });
      this.o.log(`crashed ${lrp.process_guid}/${lrp.index} (${killed ?? exit.signal ?? `exit ${exit.code}`})`);
      return;
    }
    const failed = exit.code !== 0;
    this.finishTask(guid, failed, failed ? (exit.signal ? `killed by ${exit.signal}` : `exit status ${exit.code}`) : '');
  }

  private finishTask(guid: string, failed: boolean, reason: string): void {
    const task = this.rep.removeTask(guid);
    if (!task) return;
    this.started.delete(guid);
    this.results.set(guid, { task, failed, reason });
    this.o.log(`task ${guid} ${failed ? `failed: ${reason}` : 'succeeded'}`);
  }

  private stopLRP(instanceGuid: string): void {
    this.crashes.delete(instanceGuid);
    this.updates.delete(instanceGuid);
    this.health.get(instanceGuid)?.stop();
    this.health.delete(instanceGuid);
    this.healthKilled.delete(instanceGuid);
    this.ports.give(instanceGuid);
    if (this.rep.removeLRP(instanceGuid)) {
      this.executor.stop(instanceGuid);
      this.started.delete(instanceGuid);
      this.o.log(`stopped ${instanceGuid}`);
    }
  }

  // Tasks cancelled within CANCELLED_KEPT_MS, oldest first; older ones are forgotten here.
  private recentlyCancelled(): string[] {
    const cutoff = Date.now() - CANCELLED_KEPT_MS;
    for (const [guid, at] of this.cancelled) if (at < cutoff) this.cancelled.delete(guid);
    return [...this.cancelled.keys()];
  }

  private cancelTask(taskGuid: string): void {
    const held = this.results.delete(taskGuid) || this.rep.state.Tasks.some((t) => t.TaskGuid === taskGuid);
    if (held) {
      this.cancelled.delete(taskGuid);
      this.cancelled.set(taskGuid, Date.now());
    }
    if (this.rep.removeTask(taskGuid)) {
      this.executor.stop(taskGuid);
      this.started.delete(taskGuid);
      this.o.log(`cancelled task ${taskGuid}`);
    }
  }

  // Every instance's checks stop (shutdown, reset): their processes are being stopped.
  private stopChecks(): void {
    for (const m of this.health.values()) m.stop();
    this.health.clear();
    this.healthKilled.clear();
  }

  /** Stops every process (on shutdown). */
  async shutdown(): Promise<void> {
    this.stopChecks();
    await this.executor.stopAll();
  }

  /** Diego's `ContainerMetricsCollection`: usage of every instance and task on this cell. */
  containerMetrics(): Record<string, unknown> {
    return {
      cell_id: this.o.id,
      lrps: this.rep.state.LRPs.map((l) => ({ instance_guid: l.instance_guid, process_guid: l.process_guid, index: l.index, ...processMetrics(this.executor.pid(l.instance_guid), l.MemoryMB, l.DiskMB) })),
      tasks: this.rep.state.Tasks.map((t) => ({ task_guid: t.TaskGuid, ...processMetrics(this.executor.pid(t.TaskGuid), t.MemoryMB, t.DiskMB) })),
    };
  }

  /**
   * Stops and forgets every piece of work (Diego's simulation rep's `/sim/reset`). The state is
   * cleared and the new life begins at once (no await in between), so work accepted while the old
   * processes end belongs to the new life and is neither lost nor left without a record; the old
   * processes get their stop signal now and end within the executor's grace period.
   */
  reset(): void {
    const old = [...this.started];
    this.rep.clear();
    this.started.clear();
    this.updates.clear();
    this.crashes.clear();
    this.stopChecks();
    for (const guid of old) this.ports.give(guid);
    this.results.clear();
    this.cancelled.clear();
    this.ranTasks.clear();
    // A reset is a new life: what the auctioneer sent before is gone, and the new boot id tells it so
    // (its tasks fail with "task container does not exist" instead of being sent again).
    this.boot = randomUUID();
    for (const guid of old) this.executor.stop(guid);
    this.o.log(`reset: ${old.length} instances and tasks stopped and forgotten; boot ${this.boot}`);
  }

  /** The state the rep reports (for tests). */
  get state(): CellState {
    return this.rep.state;
  }
}

/** bbs `models.Task_State` names as Diego's rep writes them in `/state` (the enum's JSON form). */
const DIEGO_TASK_STATES: ReadonlyMap<string, string> = new Map([
  ['PENDING', 'Pending'],
  ['RUNNING', 'Running'],
  ['COMPLETED', 'Completed'],
  ['RESOLVING', 'Resolving'],
]);

/** A task state in Diego's JSON name (`RUNNING` -> `Running`); other values unchanged. */
export function diegoTaskState(state: string): string {
  return DIEGO_TASK_STATES.get(state) ?? state;
}

/**
 * Why a body is not an LRPUpdate (rep `LRPUpdate`: instance_guid, process_guid, index, domain,
 * internal_routes [{hostname}], metric_tags {string: string}), or null. Absent fields are allowed,
 * as Go's decoder allows them.
 */
function lrpUpdateProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'expected an LRPUpdate object {"instance_guid","process_guid","internal_routes","metric_tags"}';
  const o = v as Record<string, unknown>;
  const own = (k: string) => (Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined);
  for (const k of ['instance_guid', 'process_guid', 'domain']) if (own(k) !== undefined && typeof own(k) !== 'string') return `${k}: expected a string`;
  const index = own('index');
  if (index !== undefined && (typeof index !== 'number' || !Number.isInteger(index) || index < 0)) return 'index: expected a whole number >= 0';
  const routes = own('internal_routes');
  if (routes !== undefined && routes !== null && (!Array.isArray(routes) || routes.some((r) => typeof r !== 'object' || r === null || typeof (r as { hostname?: unknown }).hostname !== 'string'))) {
    return 'internal_routes: expected a list of {"hostname": string}';
  }
  const tags = own('metric_tags');
  if (tags !== undefined && tags !== null && (typeof tags !== 'object' || Array.isArray(tags) || Object.values(tags as object).some((x) => typeof x !== 'string'))) {
    return 'metric_tags: expected an object of strings';
  }
  return null;
}
