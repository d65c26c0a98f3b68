// The executor with real processes (Linux): a stop ends everything a process started, workloads see
// only an allow-listed environment (never the cluster's token), any guid gives a safe log file name,
// and each running process has a PID record in the work dir while it runs.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Executor, INHERITED_ENV, logFileName, type Exit, type ExecutorOptions } from '../../src/real/executor.js';
import { processStartTime } from '../../src/real/proc-stat.js';
import type { ProcessTemplate } from '../../src/real/templates.js';
import { eventually, liveMembers } from './support.js';

const hash = (guid: string) => createHash('sha256').update(guid, 'utf8').digest('hex').slice(0, 32);

const sh = (script: string, env: Record<string, string> = {}): ProcessTemplate => ({ command: 'sh', args: ['-c', script], env });


// Everything a test started, so that a failing test still leaves nothing behind.
const executors: Executor[] = [];
const groups: number[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(executors.splice(0).map((e) => e.stopAll(500)));
  for (const g of groups.splice(0)) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      // gone
    }
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'auctionlab-exec-test-'));
  dirs.push(d);
  return d;
}

function executor(templates: Record<string, ProcessTemplate>, o: Partial<ExecutorOptions> = {}): { exec: Executor; exits: Map<string, Exit> } {
  const exits = new Map<string, Exit>();
  const exec = new Executor({ cellId: 'c-test', templates: new Map(Object.entries(templates)), logDir: null, limits: null, onExit: (g, e) => exits.set(g, e), ...o });
  executors.push(exec);
  return { exec, exits };
}

/** The pid (= process group) the executor recorded for `guid` in `workDir`. */
function recordedPid(workDir: string, guid: string): number {
  const pid = (JSON.parse(readFileSync(join(workDir, 'procs', `${hash(guid)}.json`), 'utf8')) as { pid: number }).pid;
  groups.push(pid);
  return pid;
}

/**
 * Starts 's', a process whose background subshell ignores SIGTERM (its sleep inherits that), and
 * waits until it does: the subshell writes a file once its trap is set (on a loaded machine the
 * group can have all its members before the trap runs, and a stop then ends them all at once).
 */
async function startStubborn(workDir: string): Promise<{ exec: Executor; exits: Map<string, Exit>; pgid: number }> {
  const { exec, exits } = executor({ stubborn: sh('(trap "" TERM; : > "$OUT"; sleep 300) & sleep 300') }, { workDir });
  const ignoring = join(workDir, 'ignoring');
  expect(exec.start('s', 'stubborn', { OUT: ignoring }, 64)).toBeNull();
  const pgid = recordedPid(workDir, 's');
  expect(await eventually(() => liveMembers(pgid).length >= 3 && existsSync(ignoring))).toBe(true);
  return { exec, exits, pgid };
}

describe('the executor stops whole process groups', () => {
  it('stop() ends a process and the grandchildren it started (sh -c "sleep 300 & sleep 300")', async () => {
    const workDir = tempDir();
    const { exec, exits } = executor({ grand: sh('sleep 300 & sleep 300') }, { workDir });
    expect(exec.start('g1', 'grand', {}, 64)).toBeNull();
    const pgid = recordedPid(workDir, 'g1');
    // sh (or the sleep it execs) and the background sleep.
    expect(await eventually(() => liveMembers(pgid).length >= 2)).toBe(true);
    exec.stop('g1', 2000);
    expect(await eventually(() => liveMembers(pgid).length === 0)).toBe(true);
    expect(await eventually(() => exits.has('g1'))).toBe(true);
    expect(exits.get('g1')!.stopped).toBe(true);
    expect(exec.running).toBe(0);
  });

  it('stopAll() ends every group before it resolves', async () => {
    const workDir = tempDir();
    const { exec, exits } = executor({ grand: sh('sleep 300 & sleep 300') }, { workDir });
    expect(exec.start('a', 'grand', {}, 64)).toBeNull();
    expect(exec.start('b', 'grand', {}, 64)).toBeNull();
    const pgids = [recordedPid(workDir, 'a'), recordedPid(workDir, 'b')];
    expect(await eventually(() => pgids.every((g) => liveMembers(g).length >= 2))).toBe(true);
    await exec.stopAll(2000);
    for (const g of pgids) expect(liveMembers(g)).toEqual([]);
    expect(exec.running).toBe(0);
    expect([...exits.keys()].sort()).toEqual(['a', 'b']);
    expect(readdirSync(join(workDir, 'procs'))).toEqual([]);
  });

  it('a grandchild that ignores SIGTERM is killed at the end of the grace period, after its parent exited', async () => {
    const workDir = tempDir();
    const { exec, exits, pgid } = await startStubborn(workDir);
    // A grace period the checks below fit in even on a loaded machine (at 700 ms the suite beside a
    // busy CPU once noticed the leader's exit only after the grace period had ended).
    exec.stop('s', 3000);
    expect(await eventually(() => exits.has('s'))).toBe(true);
    // The leader went at SIGTERM; the stubborn one is still there, its record too.
    expect(liveMembers(pgid).length).toBeGreaterThan(0);
    expect(existsSync(join(workDir, 'procs', `${hash('s')}.json`))).toBe(true);
    expect(await eventually(() => liveMembers(pgid).length === 0, 8000)).toBe(true);
    expect(await eventually(() => !existsSync(join(workDir, 'procs', `${hash('s')}.json`)))).toBe(true);
  });

  it('stopAll() also waits out and kills what lingers from a stopped process', async () => {
    const workDir = tempDir();
    const { exec, pgid } = await startStubborn(workDir);
    exec.stop('s', 60_000);
    expect(await eventually(() => exec.running === 0)).toBe(true);
    // Something lingers for stopAll to wait out.
    expect(liveMembers(pgid).length).toBeGreaterThan(0);
    const t0 = Date.now();
    await exec.stopAll(500);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(liveMembers(pgid)).toEqual([]);
    expect(readdirSync(join(workDir, 'procs'))).toEqual([]);
  });

  it('when a process exits by itself, what it left in the background is killed', async () => {
    const workDir = tempDir();
    const { exec, exits } = executor({ leaver: sh('sleep 300 & echo $! > "$OUT"; exit 3') }, { workDir });
    const out = join(workDir, 'bg.pid');
    expect(exec.start('l', 'leaver', { OUT: out }, 64)).toBeNull();
    const pgid = recordedPid(workDir, 'l');
    expect(await eventually(() => exits.has('l'))).toBe(true);
    expect(exits.get('l')).toEqual({ code: 3, signal: null, stopped: false });
    expect(await eventually(() => liveMembers(pgid).length === 0)).toBe(true);
    expect(Number(readFileSync(out, 'utf8'))).toBeGreaterThan(0);
  });
});

describe("a workload's environment", () => {
  const saved = { token: process.env['AUCTIONLAB_TOKEN'], extra: process.env['AUCTIONLAB_TEST_EXTRA'], other: process.env['AUCTIONLAB_TEST_OTHER'] };
  afterEach(() => {
    for (const [name, v] of [['AUCTIONLAB_TOKEN', saved.token], ['AUCTIONLAB_TEST_EXTRA', saved.extra], ['AUCTIONLAB_TEST_OTHER', saved.other]] as const) {
      if (v === undefined) delete process.env[name];
      else process.env[name] = v;
    }
  });

  it('holds only the allow-list, inheritEnv, the template env, the work env and the cell id; never the token', async () => {
    process.env['AUCTIONLAB_TOKEN'] = 'the-shared-secret-0123456789';
    process.env['AUCTIONLAB_TEST_EXTRA'] = 'extra-value';
    process.env['AUCTIONLAB_TEST_OTHER'] = 'other-value';
    const dir = tempDir();
    const out = join(dir, 'env.json');
    const dump = { command: process.execPath, args: ['-e', 'require("fs").writeFileSync(process.env.OUT, JSON.stringify(process.env))'], env: { OUT: out } };
    // Listing the token in inheritEnv does not pass it either.
    const { exec, exits } = executor({ dump }, { inheritEnv: ['AUCTIONLAB_TEST_EXTRA', 'AUCTIONLAB_TOKEN'] });
    expect(exec.start('t-env', 'dump', { AUCTIONLAB_TASK_GUID: 't-env' }, 64)).toBeNull();
    expect(await eventually(() => exits.has('t-env'))).toBe(true);
    expect(exits.get('t-env')!.code).toBe(0);
    const env = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
    expect(env['AUCTIONLAB_TOKEN']).toBeUndefined();
    expect(env['AUCTIONLAB_TEST_OTHER']).toBeUndefined();
    expect(env['PATH']).toBe(process.env['PATH']);
    expect(env['AUCTIONLAB_CELL_ID']).toBe('c-test');
    expect(env['AUCTIONLAB_TASK_GUID']).toBe('t-env');
    expect(env['OUT']).toBe(out);
    expect(env['AUCTIONLAB_TEST_EXTRA']).toBe('extra-value');
    const allowed = new Set([...INHERITED_ENV, 'AUCTIONLAB_TEST_EXTRA', 'OUT', 'AUCTIONLAB_TASK_GUID', 'AUCTIONLAB_CELL_ID']);
    expect(Object.keys(env).filter((k) => !allowed.has(k))).toEqual([]);
  });
});

describe('log files', () => {
  it('are named by the guid when it is plain, else by its hash', () => {
    expect(logFileName('hello-1')).toBe('hello-1.log');
    expect(logFileName('a'.repeat(100))).toBe(`${'a'.repeat(100)}.log`);
    for (const g of ['a'.repeat(101), '../x', 'é', 'a.b', '', '..']) expect(logFileName(g)).toBe(`guid-${hash(g)}.log`);
  });

  it('a 300-character guid, or one with ../ and non-ASCII, starts and logs to the hashed name inside the log dir', async () => {
    const root = tempDir();
    const logDir = join(root, 'logs');
    const { exec, exits } = executor({ hello: sh('echo hello from $AUCTIONLAB_CELL_ID') }, { logDir });
    const long = 'x'.repeat(300);
    const odd = '../../escape/é-guid';
    expect(exec.start(long, 'hello', {}, 64)).toBeNull();
    expect(exec.start(odd, 'hello', {}, 64)).toBeNull();
    expect(await eventually(() => exits.size === 2)).toBe(true);
    expect(readdirSync(logDir).sort()).toEqual([`guid-${hash(long)}.log`, `guid-${hash(odd)}.log`].sort());
    expect(readFileSync(join(logDir, `guid-${hash(odd)}.log`), 'utf8')).toBe('hello from c-test\n');
    expect(readdirSync(root)).toEqual(['logs']);
  });

  it('a log dir that cannot be created is an error from start(), and nothing runs', async () => {
    const root = tempDir();
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const marker = join(root, 'ran');
    const workDir = join(root, 'work');
    const { exec, exits } = executor({ touch: sh('touch "$MARKER"; sleep 300', { MARKER: marker }) }, { logDir: join(file, 'logs'), workDir });
    const err = exec.start('w1', 'touch', {}, 64);
    expect(typeof err).toBe('string');
    expect(err).toContain(join(file, 'logs'));
    expect(exec.running).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(marker)).toBe(false);
    expect(exits.size).toBe(0);
    expect(readdirSync(join(workDir, 'procs'))).toEqual([]);
  });

  it('a work dir that cannot be created is an error from start(), and nothing runs', async () => {
    const root = tempDir();
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    const marker = join(root, 'ran');
    const { exec, exits } = executor({ touch: sh('touch "$MARKER"; sleep 300', { MARKER: marker }) }, { workDir: join(file, 'work') });
    expect(typeof exec.start('w1', 'touch', {}, 64)).toBe('string');
    expect(exec.running).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(existsSync(marker)).toBe(false);
    expect(exits.size).toBe(0);
  });
});

describe('PID records in the work dir', () => {
  it('are written at start (guid, pid, start time) and removed when the process ends, before onExit', async () => {
    const workDir = tempDir();
    const file = (g: string) => join(workDir, 'procs', `${hash(g)}.json`);
    const seenAtExit = new Map<string, boolean>();
    const exec = new Executor({
      cellId: 'c-test', logDir: null, limits: null, workDir,
      // `exec`: the process is the whole group. A shell that forks its sleep leaves the sleep behind
      // for a moment after a stop, and the executor rightly keeps the record while anything of the
      // group may run: that made this test fail now and then under load.
      templates: new Map([['sleeper', sh('exec sleep 300')], ['quick', sh('exit 0')]]),
      onExit: (g) => seenAtExit.set(g, existsSync(file(g))),
    });
    executors.push(exec);
    const guid = 'inst-1/../é';
    expect(exec.start(guid, 'sleeper', {}, 64)).toBeNull();
    const rec = JSON.parse(readFileSync(file(guid), 'utf8')) as { guid: string; pid: number; startTime: string | null };
    groups.push(rec.pid);
    expect(rec.guid).toBe(guid);
    expect(rec.startTime).toMatch(/^\d+$/);
    expect(processStartTime(rec.pid)).toBe(rec.startTime);
    expect(readdirSync(join(workDir, 'procs'))).toEqual([`${hash(guid)}.json`]);
    exec.stop(guid, 2000);
    // Generous waits: the whole suite runs beside this on two cores.
    expect(await eventually(() => seenAtExit.has(guid), 15_000), 'the stopped process exited').toBe(true);
    expect(seenAtExit.get(guid), 'its record was gone when onExit ran').toBe(false);

    expect(exec.start('task-1', 'quick', {}, 64)).toBeNull();
    expect(await eventually(() => seenAtExit.has('task-1'), 15_000), 'the quick process exited').toBe(true);
    expect(seenAtExit.get('task-1'), 'its record was gone when onExit ran').toBe(false);
    expect(readdirSync(join(workDir, 'procs'))).toEqual([]);
  });

  it('a command that does not exist is reported through onExit (127), without a record', async () => {
    const workDir = tempDir();
    const { exec, exits } = executor({ missing: { command: 'auctionlab-no-such-command', args: [], env: {} } }, { workDir });
    expect(exec.start('m', 'missing', {}, 64)).toBeNull();
    expect(await eventually(() => exits.has('m'))).toBe(true);
    expect(exits.get('m')!.code).toBe(127);
    expect(readdirSync(join(workDir, 'procs'))).toEqual([]);
  });
});
