// The real cell's executor: runs LRP instances and tasks as OS processes from local templates,
// reports when they exit, stops them on request. Where cgroup v2 is available and writable, each
// process goes into its own cgroup with memory.max set to its declared memory.
//
// Each process is spawned detached: it leads its own session and process group, and every signal
// goes to the whole group, so what a template starts (`sh -c "python3 ..."`, background jobs) is
// stopped with it. A process started with setsid() or setpgid() by the workload itself escapes the
// group; only cgroups (or containers) could follow it.
//
// Children get an allow-listed environment, never the cell's own: the cell's environment holds
// AUCTIONLAB_TOKEN, the shared secret of the whole cluster.
//
// With a work dir, each running process has a record (pid and start time) there, so a cell that
// was killed finds and ends, at its next start, what it left running (see work-dir.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessTemplate, Templates } from './templates.js';
import { processStartTime } from './proc-stat.js';
import { groupAlive, guidHash, liveGroups, removeProcRecord, writeProcRecord } from './work-dir.js';

/** Where cgroup v2 is mounted. */
const CGROUP_ROOT = '/sys/fs/cgroup';

/**
 * Memory limits through cgroup v2: a group per cell under the executor's own cgroup, a child group
 * per process with `memory.max`. Null where the unified hierarchy or its memory controller is not
 * available or not writable (then resources are only accounted, not enforced).
 */
export class MemoryLimits {
  private constructor(private readonly dir: string) {}

  /** Sets up the cell's group, or returns why it cannot. */
  static open(cellId: string): MemoryLimits | string {
    try {
      if (!existsSync(join(CGROUP_ROOT, 'cgroup.controllers'))) return 'no cgroup v2 (unified hierarchy) at /sys/fs/cgroup';
      if (!readFileSync(join(CGROUP_ROOT, 'cgroup.controllers'), 'utf8').split(/\s+/).includes('memory')) return 'the cgroup v2 memory controller is not enabled';
      const own = readFileSync('/proc/self/cgroup', 'utf8').split('\n').find((l) => l.startsWith('0::'))?.slice(3).trim() ?? '/';
      const dir = join(CGROUP_ROOT, own, `auctionlab-${cellId.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'cgroup.subtree_control'), '+memory');
      return new MemoryLimits(dir);
    } catch (e) {
      return `cannot use cgroup v2 here: ${(e as Error).message}`;
    }
  }

  /**
   * Puts a process into its own group limited to `memoryMB`. Returns false if that failed. The
   * group is named like the log file (a hash for a guid that is not a plain name), so that no guid
   * (`.`, `..`, `memory.max`, 300 bytes) can name the cell's own group, its parent or a control file.
   */
  limit(name: string, pid: number, memoryMB: number): boolean {
    try {
      const g = join(this.dir, safeName(name));
      mkdirSync(g, { recursive: true });
      writeFileSync(join(g, 'memory.max'), String(memoryMB * 1024 * 1024));
      writeFileSync(join(g, 'cgroup.procs'), String(pid));
      return true;
    } catch {
      return false;
    }
  }

  /** Removes a process's group once it has exited. */
  release(name: string): void {
    try {
      rmdirSync(join(this.dir, safeName(name)));
    } catch {
      // Still populated or already gone: nothing to do.
    }
  }
}

/** Guids used as they are in file and cgroup names: short, and nothing a path could misread. */
const PLAIN_GUID = /^[A-Za-z0-9_-]{1,100}$/;

/**
 * A file-system-safe name for `guid`: the guid itself when it matches `[A-Za-z0-9_-]{1,100}`, else
 * `guid-<first 32 hex of sha256(guid)>`. Guids arrive over the network: one with `/` or `..` must
 * not name a path elsewhere, and one over ~250 bytes cannot be a file name at all.
 */
function safeName(guid: string): string {
  return PLAIN_GUID.test(guid) ? guid : `guid-${guidHash(guid)}`;
}

/**
 * The name of process `guid`'s log file in the log dir: `<guid>.log` for a guid of up to 100
 * letters, digits, `_` and `-` (what Diego's BBS accepts, so `logs/hello-1.log` stays readable),
 * else `guid-<first 32 hex digits of sha256(guid)>.log`.
 */
export function logFileName(guid: string): string {
  return `${safeName(guid)}.log`;
}

/**
 * The environment variables a process inherits from the cell, when set there: what programs
 * commonly need to run at all (find commands, a home, a locale, a time zone, a temp dir). Nothing
 * else of the cell's environment reaches a process unless named in
 * {@link ExecutorOptions.inheritEnv}; in particular not `AUCTIONLAB_TOKEN`.
 */
export const INHERITED_ENV: readonly string[] = Object.freeze(['PATH', 'HOME', 'LANG', 'LC_ALL', 'LC_CTYPE', 'TZ', 'TMPDIR']);

/** The shared secret: never passed on, even if an operator lists it in `inheritEnv`. */
const SECRET_ENV = 'AUCTIONLAB_TOKEN';

/** How a process ended. */
export interface Exit {
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  /** The signal that killed it, or null. */
  signal: string | null;
  /** Whether the executor stopped it on request (not a crash). */
  stopped: boolean;
}

/** Options for {@link Executor}. */
export interface ExecutorOptions {
  /** The cell's id (in each process's environment). */
  cellId: string;
  /** Templates by name. */
  templates: Templates;
  /**
   * Directory for one log file per process (stdout and stderr, appended), named by
   * {@link logFileName}; none: output is discarded.
   */
  logDir: string | null;
  /** Memory limits, when available. */
  limits: MemoryLimits | null;
  /**
   * The cell's work dir (see `work-dir.ts`), locked by the caller: each running process has a
   * record in `<workDir>/procs/`, removed when it ends. None (the default): no records.
   */
  workDir?: string | null;
  /**
   * Names of further environment variables passed from the cell to every process (beyond
   * {@link INHERITED_ENV}), when set. `AUCTIONLAB_TOKEN` is never passed.
   */
  inheritEnv?: readonly string[];
  /**
   * The user and group every process runs as (the cell must then run as root), or null: the cell's
   * own. A workload running as the cell's user can read the cell's environment and files through
   * /proc (`/proc/<cell pid>/environ`, the token file), whatever its own environment holds.
   */
  runAs?: { uid: number; gid: number } | null;
  /** Called once per process when it ends. */
  onExit: (guid: string, exit: Exit) => void;
}

/** One process the executor started, until its group is gone. */
interface Proc {
  readonly guid: string;
  readonly child: ChildProcess;
  /** Its pid, also its process group id; undefined when the spawn failed. */
  readonly pid: number | undefined;
  /** Its start time, to tell it from a later process with the same pid. */
  readonly startTime: string | null;
  /** Whether it is being stopped on request. */
  stopping: boolean;
  /** Whether the process itself has exited (and been reaped); its group may live on. */
  exited: boolean;
  /** The SIGKILL due at the end of a stop's grace period. */
  killTimer: ReturnType<typeof setTimeout> | null;
  /** Whether {@link Executor.finish} has run: its group is dealt with, its record removed. */
  finished: boolean;
}

/** How often {@link Executor.stopAll} checks whether a process group is gone. */
const POLL_MS = 50;
/** How long {@link Executor.stopAll} waits for a group to vanish after SIGKILL. */
const AFTER_KILL_MS = 1000;

/** Runs and stops processes by guid. */
export class Executor {
  private readonly procs = new Map<string, Proc>();
  /**
   * Processes that exited while being stopped but whose groups still had members: those get their
   * SIGKILL at the end of the grace period, as if the leader were still there.
   */
  private readonly lingering = new Set<Proc>();

  /** An executor for one cell. */
  constructor(private readonly o: ExecutorOptions) {}

  /** How many processes run. */
  get running(): number {
    return this.procs.size;
  }

  /** The pid of a running process (its process group's id), or null when it does not run. */
  pid(guid: string): number | null {
    const p = this.procs.get(guid);
    return p && !p.exited && p.pid !== undefined ? p.pid : null;
  }

  /**
   * Starts template `template` as process `guid` with `env` added; returns an error text if it
   * could not start (no such template, a log file or work dir that cannot be written, spawn
   * failure), in which case `onExit` is not called and nothing is left running. Never throws.
   */
  start(guid: string, template: string, env: Record<string, string>, memoryMB: number): string | null {
    const t: ProcessTemplate | undefined = this.o.templates.get(template);
    if (!t) return `no template ${JSON.stringify(template)} on cell ${this.o.cellId}`;
    if (this.procs.has(guid)) return null;
    const workDir = this.o.workDir ?? null;
    if (workDir !== null) {
      try {
        mkdirSync(join(workDir, 'procs'), { recursive: true, mode: 0o700 });
      } catch (e) {
        return `cannot use work dir ${workDir}: ${(e as Error).message}`;
      }
    }
    let out: number | 'ignore' = 'ignore';
    if (this.o.logDir) {
      try {
        mkdirSync(this.o.logDir, { recursive: true });
        out = openSync(join(this.o.logDir, logFileName(guid)), 'a');
      } catch (e) {
        return `cannot open a log file in ${this.o.logDir}: ${(e as Error).message}`;
      }
    }
    let child: ChildProcess;
    try {
      child = spawn(t.command, t.args, {
        env: this.environment(t, env),
        stdio: ['ignore', out, out],
        // Its own session and process group, so that signals to -pid reach all it starts.
        detached: true,
        ...(this.o.runAs ? { uid: this.o.runAs.uid, gid: this.o.runAs.gid } : {}),
      });
    } catch (e) {
      return `cannot start ${t.command}: ${(e as Error).message}`;
    } finally {
      if (typeof out === 'number') closeSync(out);
    }
    const pid = child.pid;
    const p: Proc = { guid, child, pid, startTime: pid === undefined ? null : processStartTime(pid), stopping: false, exited: false, killTimer: null, finished: false };
    if (workDir !== null && pid !== undefined) {
      try {
        writeProcRecord(workDir, { guid, pid, startTime: p.startTime });
      } catch (e) {
        // Unrecorded, it could not be found after a crash of the cell: do not run it at all.
        child.on('error', () => undefined);
        this.signal(p, 'SIGKILL');
        return `cannot record the process in ${workDir}: ${(e as Error).message}`;
      }
    }
    this.procs.set(guid, p);
    if (pid !== undefined) this.o.limits?.limit(guid, pid, memoryMB);
    let ended = false;
    const end = (code: number | null, signal: string | null) => {
      if (ended) return;
      ended = true;
      p.exited = true;
      this.procs.delete(guid);
      // What it started may still run. Stopped: let it have the rest of its grace period, then
      // SIGKILL. Otherwise (crashed or done) nothing should outlive it: SIGKILL now.
      if (p.stopping && p.killTimer !== null && pid !== undefined && groupAlive(pid)) this.lingering.add(p);
      else this.finish(p);
      this.o.onExit(guid, { code, signal, stopped: p.stopping });
    };
    // Only a failed spawn ends it here (e.g. the command does not exist); an 'error' from a failed
    // kill is followed by 'exit' or by nothing, as the process still runs.
    child.on('error', () => {
      if (pid === undefined) end(127, null);
    });
    child.on('exit', (code, signal) => end(code, signal));
    return null;
  }

  /** Stops a process: SIGTERM to its group, then SIGKILL after `graceMs`. No-op if it does not run. */
  stop(guid: string, graceMs = 5000): void {
    const p = this.procs.get(guid);
    if (!p) return;
    p.stopping = true;
    this.signal(p, 'SIGTERM');
    if (p.killTimer === null) {
      // A second stop keeps the first deadline.
      p.killTimer = setTimeout(() => this.expire(p), graceMs);
      p.killTimer.unref();
    }
  }

  /**
   * Stops every process and waits until each has exited and its process group is gone, at most
   * `graceMs` (SIGTERM first, then SIGKILL) plus up to a second. Groups still lingering from an
   * earlier stop are included. The executor can be used again afterwards.
   */
  async stopAll(graceMs = 3000): Promise<void> {
    const all = [...this.procs.values(), ...this.lingering];
    for (const p of all) if (!p.exited) this.stop(p.guid, graceMs);
    const deadline = Date.now() + graceMs;
    // Polled together, so one scan of /proc serves every group per round.
    let waiting = all;
    const poll = () => {
      const live = liveGroups(waiting.flatMap((p) => (p.exited && p.pid !== undefined ? [p.pid] : [])));
      waiting = waiting.filter((p) => !p.exited || (p.pid !== undefined && live.has(p.pid)));
    };
    poll();
    while (waiting.length > 0 && Date.now() < deadline) {
      await sleep(POLL_MS);
      poll();
    }
    if (waiting.length > 0) {
      for (const p of waiting) this.signal(p, 'SIGKILL');
      const killedAt = Date.now();
      while (waiting.length > 0 && Date.now() - killedAt < AFTER_KILL_MS) {
        await sleep(POLL_MS);
        poll();
      }
    }
    for (const p of all) if (p.exited) this.finish(p);
  }

  /** The grace period of a stop is over: SIGKILL the group; if the leader is gone, finish it. */
  private expire(p: Proc): void {
    p.killTimer = null;
    this.signal(p, 'SIGKILL');
    if (p.exited) this.finish(p);
  }

  /** The process has exited: SIGKILL what is left of its group, drop its record and cgroup. */
  private finish(p: Proc): void {
    if (p.finished) return;
    p.finished = true;
    if (p.killTimer !== null) clearTimeout(p.killTimer);
    p.killTimer = null;
    this.signal(p, 'SIGKILL');
    this.lingering.delete(p);
    const workDir = this.o.workDir ?? null;
    if (workDir !== null && p.pid !== undefined) removeProcRecord(workDir, p.guid, p.pid);
    this.o.limits?.release(p.guid);
  }

  /** Sends `sig` to the process's group (falling back to the process while it runs). */
  private signal(p: Proc, sig: NodeJS.Signals): void {
    if (p.pid === undefined) return;
    // Once the leader is reaped its pid stays reserved while its group has members; if a process
    // with that pid exists, the number was reused, so the group is empty and -pid is not ours.
    if (p.exited && existsSync(`/proc/${p.pid}`)) return;
    try {
      process.kill(-p.pid, sig);
      return;
    } catch {
      // ESRCH: the group is gone.
    }
    if (!p.exited) {
      try {
        p.child.kill(sig);
      } catch {
        // Already gone.
      }
    }
  }

  /** A process's environment: the allow-list from the cell's, the template's, the work's, the cell id. */
  private environment(t: ProcessTemplate, work: Record<string, string>): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of [...INHERITED_ENV, ...(this.o.inheritEnv ?? [])]) {
      const v = process.env[name];
      if (v !== undefined && name !== SECRET_ENV) env[name] = v;
    }
    return { ...env, ...t.env, ...work, AUCTIONLAB_CELL_ID: this.o.cellId };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
