// The real cell's executor: runs LRP instances and tasks as OS processes from local templates,
// reports when they exit, stops them on request. Where cgroup v2 is available and writable, each
// process goes into its own cgroup with memory.max set to its declared memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessTemplate, Templates } from './templates.js';

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

  /** Puts a process into its own group limited to `memoryMB`. Returns false if that failed. */
  limit(name: string, pid: number, memoryMB: number): boolean {
    try {
      const g = join(this.dir, name.replace(/[^A-Za-z0-9_.-]/g, '_'));
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
      rmdirSync(join(this.dir, name.replace(/[^A-Za-z0-9_.-]/g, '_')));
    } catch {
      // Still populated or already gone: nothing to do.
    }
  }
}

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
  /** Directory for one log file per process (stdout and stderr); none: output is discarded. */
  logDir: string | null;
  /** Memory limits, when available. */
  limits: MemoryLimits | null;
  /** Called once per process when it ends. */
  onExit: (guid: string, exit: Exit) => void;
}

/** Runs and stops processes by guid. */
export class Executor {
  private readonly procs = new Map<string, { child: ChildProcess; stopping: boolean }>();

  /** An executor for one cell. */
  constructor(private readonly o: ExecutorOptions) {}

  /** How many processes run. */
  get running(): number {
    return this.procs.size;
  }

  /**
   * Starts template `template` as process `guid` with `env` added; returns an error text if it
   * could not start (no such template, spawn failure), in which case `onExit` is not called.
   */
  start(guid: string, template: string, env: Record<string, string>, memoryMB: number): string | null {
    const t: ProcessTemplate | undefined = this.o.templates.get(template);
    if (!t) return `no template ${JSON.stringify(template)} on cell ${this.o.cellId}`;
    if (this.procs.has(guid)) return null;
    let out: number | 'ignore' = 'ignore';
    if (this.o.logDir) {
      mkdirSync(this.o.logDir, { recursive: true });
      out = openSync(join(this.o.logDir, `${guid.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`), 'a');
    }
    let child: ChildProcess;
    try {
      child = spawn(t.command, t.args, {
        env: { ...process.env, ...t.env, ...env, AUCTIONLAB_CELL_ID: this.o.cellId },
        stdio: ['ignore', out, out],
      });
    } catch (e) {
      return `cannot start ${t.command}: ${(e as Error).message}`;
    } finally {
      if (typeof out === 'number') closeSync(out);
    }
    const entry = { child, stopping: false };
    this.procs.set(guid, entry);
    if (child.pid !== undefined) this.o.limits?.limit(guid, child.pid, memoryMB);
    let ended = false;
    const end = (code: number | null, signal: string | null) => {
      if (ended) return;
      ended = true;
      this.procs.delete(guid);
      this.o.limits?.release(guid);
      this.o.onExit(guid, { code, signal, stopped: entry.stopping });
    };
    child.on('error', () => end(127, null)); // e.g. the command does not exist
    child.on('exit', (code, signal) => end(code, signal));
    return null;
  }

  /** Stops a process: SIGTERM, then SIGKILL after `graceMs`. No-op if it does not run. */
  stop(guid: string, graceMs = 5000): void {
    const p = this.procs.get(guid);
    if (!p) return;
    p.stopping = true;
    p.child.kill('SIGTERM');
    const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
    timer.unref();
    p.child.once('exit', () => clearTimeout(timer));
  }

  /** Stops every process and waits for them to end (at most `graceMs` plus a little). */
  async stopAll(graceMs = 3000): Promise<void> {
    const waits = [...this.procs.entries()].map(([guid, p]) => new Promise<void>((resolve) => {
      if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
      p.child.once('exit', () => resolve());
      this.stop(guid, graceMs);
    }));
    await Promise.all(waits);
  }
}
