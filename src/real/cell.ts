// A real cell: Diego's rep routes over HTTP, the core's MemoryRep for accounting and Perform's
// rules, and an executor that runs the accepted work as OS processes. The cell never restarts a
// crashed instance: it reports the crash in /state and the auctioneer's converger decides.
import type { Server } from 'node:http';
import { cellStateToJSON } from '../core/json/cell-state-json.js';
import { parseWork, workToJSON } from '../core/json/requests-json.js';
import type { CellState, LRP, Task } from '../core/model/cell-state.js';
import { emptyCellState } from '../core/model/empty-cell.js';
import type { Reply } from '../core/protocol/messages.js';
import { MemoryRep } from '../core/rep/memory-rep.js';
import { parseAuction } from './auction-json.js';
import { Executor, type Exit, type MemoryLimits } from './executor.js';
import { HttpError, readParsed, serve, type Route } from './http.js';
import { TEMPLATE_SCHEME, templateOf, type Templates } from './templates.js';

/** How long a 2014-style reservation holds resources unless claimed or released. */
export const RESERVATION_TTL_MS = 30_000;

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
}

/** A crash the cell reports until the auctioneer acknowledges it (by stopping the instance). */
interface CrashReport {
  lrp: LRP;
  crashedAt: number;
  exit: Exit;
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
  private readonly results = new Map<string, TaskResult>();
  private readonly ranTasks = new Set<string>();

  /** A cell offering the given capacity and running the given templates. */
  constructor(private readonly o: RealCellOptions) {
    const state = emptyCellState({ cell_id: o.id, zone: o.zone, memoryMB: o.memoryMB, diskMB: o.diskMB, containers: o.containers, stacks: [], docker: false });
    state.rep_url = o.repUrl;
    // The templates are this cell's stacks: the auction's rootfs filter sends a workload only to
    // cells that have its template, with Diego's rootfs error when none has.
    state.RootFSProviders = { [TEMPLATE_SCHEME]: { type: 'fixed_set', set: Object.fromEntries([...o.templates.keys()].map((k) => [k, {}])) } };
    this.rep = new MemoryRep(state);
    this.executor = new Executor({ cellId: o.id, templates: o.templates, logDir: o.logDir, limits: o.limits, onExit: (guid, exit) => this.exited(guid, exit) });
  }

  /** What `GET /state` answers: Diego's cell state, plus the crashes and task results not yet collected. */
  stateJSON(): Record<string, unknown> {
    return {
      ...cellStateToJSON(this.rep.state),
      CrashedLRPs: [...this.crashes.values()].map((c) => ({
        instance_guid: c.lrp.instance_guid,
        process_guid: c.lrp.process_guid,
        index: c.lrp.index,
        crashed_at: new Date(c.crashedAt).toISOString(),
        exit_code: c.exit.code,
        signal: c.exit.signal,
      })),
      CompletedTasks: [...this.results.values()].map((r) => ({ TaskGuid: r.task.TaskGuid, failed: r.failed, failure_reason: r.reason })),
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
          // container is gone (the rep's own check only covers tasks it still holds).
          const again = work.Tasks.filter((t) => this.ranTasks.has(t.TaskGuid));
          const reply = this.rep.perform(again.length === 0 ? work : { ...work, Tasks: work.Tasks.filter((t) => !this.ranTasks.has(t.TaskGuid)) });
          if (reply.ok && reply.kind === 'perform') reply.failed.Tasks.push(...again);
          if (!reply.ok) throw new HttpError(409, reply.error);
          this.sync();
          return { status: 200, body: workToJSON((reply as Extract<Reply, { kind: 'perform'; ok: true }>).failed) };
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
      {
        method: 'POST',
        path: '/evacuate',
        handler: () => {
          this.rep.setEvacuating(true);
          this.o.log(`evacuating: no new work; the auctioneer moves ${this.rep.state.LRPs.length} instances away`);
          return { status: 202, body: {} };
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
          return { status: 200, body: reply.kind === 'bid' ? { bid: reply.bid } : {} };
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
      const env = { AUCTIONLAB_PROCESS_GUID: lrp.process_guid, AUCTIONLAB_INDEX: String(lrp.index), AUCTIONLAB_INSTANCE_GUID: lrp.instance_guid };
      const err = this.executor.start(lrp.instance_guid, templateOf(lrp.RootFs) ?? '', env, lrp.MemoryMB);
      if (err !== null) {
        this.o.log(`cannot start ${lrp.process_guid}/${lrp.index}: ${err}`);
        this.exited(lrp.instance_guid, { code: 127, signal: null, stopped: false });
      } else {
        this.rep.markLRPRunning(lrp.instance_guid);
        this.o.log(`started ${lrp.process_guid}/${lrp.index} (${lrp.instance_guid})`);
      }
    }
    for (const task of [...this.rep.state.Tasks]) {
      if (this.started.has(task.TaskGuid)) continue;
      this.started.add(task.TaskGuid);
      this.ranTasks.add(task.TaskGuid);
      const err = this.executor.start(task.TaskGuid, templateOf(task.RootFs) ?? '', { AUCTIONLAB_TASK_GUID: task.TaskGuid }, task.MemoryMB);
      if (err !== null) {
        this.o.log(`cannot start task ${task.TaskGuid}: ${err}`);
        this.finishTask(task.TaskGuid, true, err);
      } else {
        this.rep.markTaskRunning(task.TaskGuid);
        this.o.log(`started task ${task.TaskGuid}`);
      }
    }
  }

  private exited(guid: string, exit: Exit): void {
    if (exit.stopped) return;
    const lrp = this.rep.lrp(guid);
    if (lrp) {
      // A crash: the container goes (resources freed), the crash is reported until collected.
      this.rep.removeLRP(guid);
      this.started.delete(guid);
      this.crashes.set(guid, { lrp, crashedAt: Date.now(), exit });
      this.o.log(`crashed ${lrp.process_guid}/${lrp.index} (${exit.signal ?? `exit ${exit.code}`})`);
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
    if (this.rep.removeLRP(instanceGuid)) {
      this.executor.stop(instanceGuid);
      this.started.delete(instanceGuid);
      this.o.log(`stopped ${instanceGuid}`);
    }
  }

  private cancelTask(taskGuid: string): void {
    this.results.delete(taskGuid);
    if (this.rep.removeTask(taskGuid)) {
      this.executor.stop(taskGuid);
      this.started.delete(taskGuid);
      this.o.log(`cancelled task ${taskGuid}`);
    }
  }

  /** Stops every process (on shutdown). */
  async shutdown(): Promise<void> {
    await this.executor.stopAll();
  }

  /** The state the rep reports (for tests). */
  get state(): CellState {
    return this.rep.state;
  }
}
