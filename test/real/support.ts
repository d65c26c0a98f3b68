// Helpers shared by the tests of the real backend (test/real/*.test.ts): processes on Linux, polling,
// HTTP on loopback and the built CLI. Each test file keeps its own list of what it started and
// cleans it up itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Pids of the processes in group `pgid` that have not ended (zombies excluded: init may reap orphans late). */
export function liveMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const f = stat.slice(stat.lastIndexOf(')') + 1).trim().split(/\s+/);
    if (Number(f[2]) === pgid && f[0] !== 'Z' && f[0] !== 'X') out.push(Number(name));
  }
  return out;
}

/**
 * Polls `ok` every `everyMs` until it holds (true) or `ms` have passed (false), for `expect(...).toBe(true)`.
 * An error thrown by `ok` ends the wait with that error.
 */
export async function eventually(ok: () => boolean | Promise<boolean>, ms = 5000, everyMs = 25): Promise<boolean> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) return false;
    await sleep(everyMs);
  }
  return true;
}

/** Polls `ok` every 50 ms until it holds; throws `timed out` after `ms`. */
export async function waitFor(ok: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  if (!(await eventually(ok, ms, 50))) throw new Error('timed out');
}

/**
 * Polls `probe` every `everyMs` until it gives a value other than undefined; returns that value and the
 * time it took. An error from `probe` counts as "not yet" (and is named in the timeout error).
 */
export async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>, everyMs = 200): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < ms) {
    try {
      const v = await probe();
      if (v !== undefined) return { value: v, ms: Date.now() - t0 };
    } catch (e) {
      last = e;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (${String(last)})` : ''}`);
}

/** A request with a JSON content type; the status and the parsed body (null when empty). */
export async function json<T = { error?: string }>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) } });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** A request with `body` as JSON (none when undefined); the status and the parsed body ({} when empty). */
export async function call(url: string, method: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** How {@link startCli} starts the CLI. */
export interface StartCliOptions {
  /** The test file's list of what it started: the process is added to it, for the file's own cleanup. */
  children: ChildProcess[];
  /** In a process group of its own, so that {@link sigkill} with `group` ends it and all it started. */
  detached?: boolean;
  /** Variables added to this process's environment for the CLI. */
  env?: Record<string, string>;
}

/** A started CLI: its process, the URL it listens on, and what it wrote to stderr so far. */
export interface StartedCli {
  /** The CLI's process. */
  proc: ChildProcess;
  /** The URL from its `listening on` line. */
  url: string;
  /** Its stderr so far. */
  log: () => string;
}

/**
 * Starts the built CLI (`dist/src/cli/main.js <args>`); resolves once it prints `listening on <url>`,
 * rejects if it exits first or has not printed it within 15 s.
 */
export function startCli(args: string[], options: StartCliOptions): Promise<StartedCli> {
  const { children, detached = false, env } = options;
  const proc = spawn(process.execPath, ['dist/src/cli/main.js', ...args], { detached, stdio: ['ignore', 'pipe', 'pipe'], ...(env ? { env: { ...process.env, ...env } } : {}) });
  children.push(proc);
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no listen line from ${args.join(' ')}: ${err}`)), 15_000);
    proc.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, url: m[1]!, log: () => err });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code}: ${err}`));
    });
  });
}

/** SIGKILLs `p`, or with `group` its whole process group (a detached start); a process already gone is no error. */
export function sigkill(p: ChildProcess, group = false): void {
  try {
    process.kill(group ? -(p.pid as number) : (p.pid as number), 'SIGKILL');
  } catch {
    // already gone
  }
}
