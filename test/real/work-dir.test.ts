// The work dir with real processes (Linux): a restarted cell kills what its previous life left
// running, and only that (pid and start time must both match); one cell per work dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processStartTime } from '../../src/real/proc-stat.js';
import { defaultWorkDir, groupAlive, guidHash, liveGroups, lockWorkDir, reapLeftovers, removeProcRecord, writeProcRecord } from '../../src/real/work-dir.js';
import { eventually, liveMembers } from './support.js';

const children: ChildProcess[] = [];
const groups: number[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const g of groups.splice(0)) {
    try {
      process.kill(-g, 'SIGKILL');
    } catch {
      // gone
    }
  }
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'auctionlab-workdir-test-'));
  dirs.push(d);
  return d;
}

/** A detached `sh -c "sleep 300 & sleep 300"`, as the executor of a previous life would have left it. */
async function leftover(): Promise<number> {
  const c = spawn('sh', ['-c', 'sleep 300 & sleep 300'], { detached: true, stdio: 'ignore' });
  children.push(c);
  const pid = c.pid!;
  groups.push(pid);
  expect(await eventually(() => liveMembers(pid).length >= 2)).toBe(true);
  return pid;
}

/** A plain child that stays up (not detached). */
function sleeper(): number {
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
  children.push(c);
  return c.pid!;
}

describe('processStartTime', () => {
  it("reads field 22 of /proc/<pid>/stat, even when the command name holds spaces and ')'", async () => {
    const before = processStartTime(process.pid);
    expect(before).toMatch(/^\d+$/);
    const c = spawn(process.execPath, ['-e', 'require("fs").writeFileSync("/proc/self/comm", "a) b (c) 1 2"); setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
    children.push(c);
    const pid = c.pid!;
    const st = processStartTime(pid);
    expect(st).toMatch(/^\d+$/);
    expect(await eventually(() => readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('a) b (c) 1 2'))).toBe(true);
    expect(processStartTime(pid)).toBe(st);
    // Our own start time comes before our child's.
    expect(BigInt(st!)).toBeGreaterThanOrEqual(BigInt(before!));
  });

  it('is null for a pid that does not exist or is not a pid', () => {
    expect(processStartTime(4_194_304 + 1)).toBeNull(); // above the largest possible pid_max
    for (const p of [0, -1, 1.5, Number.NaN]) expect(processStartTime(p)).toBeNull();
  });
});

describe('groupAlive', () => {
  it('is true while a group has a live member, false once it is killed (zombies do not count)', async () => {
    const pgid = await leftover();
    expect(groupAlive(pgid)).toBe(true);
    expect(liveGroups([pgid, 4_194_305]).has(pgid)).toBe(true);
    process.kill(-pgid, 'SIGKILL');
    expect(await eventually(() => !groupAlive(pgid))).toBe(true);
    expect(liveMembers(pgid)).toEqual([]);
  });
});

describe('reapLeftovers', () => {
  it("kills a previous life's process group (grandchildren too) when pid and start time match, and removes the record", async () => {
    const dir = tempDir();
    const pid = await leftover();
    writeProcRecord(dir, { guid: 'old-1', pid, startTime: processStartTime(pid) });
    expect(reapLeftovers(dir)).toEqual([{ guid: 'old-1', pid, killed: true }]);
    expect(await eventually(() => liveMembers(pid).length === 0)).toBe(true);
    expect(readdirSync(join(dir, 'procs'))).toEqual([]);
  });

  it('does not kill a process whose start time differs (a reused pid) or was not recorded; a malformed record does not throw', async () => {
    const dir = tempDir();
    const pid = await leftover();
    const st = processStartTime(pid)!;
    writeProcRecord(dir, { guid: 'reused', pid, startTime: String(BigInt(st) + 1n) });
    writeProcRecord(dir, { guid: 'unknown-start', pid, startTime: null });
    writeFileSync(join(dir, 'procs', 'garbage.json'), '{not json');
    writeFileSync(join(dir, 'procs', 'wrong-shape.json'), JSON.stringify({ guid: 'w', pid: 'x' }));
    writeFileSync(join(dir, 'procs', 'init.json'), JSON.stringify({ guid: 'init', pid: 1, startTime: processStartTime(1) }));
    writeFileSync(join(dir, 'procs', `${guidHash('x')}.json.123.tmp`), '{"gu');
    const found = reapLeftovers(dir);
    expect(found).toHaveLength(5);
    expect(found).toEqual(expect.arrayContaining([
      { guid: 'reused', pid, killed: false },
      { guid: 'unknown-start', pid, killed: false },
      { guid: '', pid: -1, killed: false },
      { guid: 'w', pid: -1, killed: false },
      { guid: 'init', pid: -1, killed: false },
    ]));
    expect(readdirSync(join(dir, 'procs'))).toEqual([]);
    await new Promise((r) => setTimeout(r, 200));
    expect(liveMembers(pid).length).toBeGreaterThanOrEqual(2);
    process.kill(-pid, 'SIGKILL');
    expect(await eventually(() => liveMembers(pid).length === 0)).toBe(true);
  });

  it('reports a process that has ended as not killed, and a dir without procs/ as nothing', async () => {
    const dir = tempDir();
    expect(reapLeftovers(dir)).toEqual([]);
    expect(reapLeftovers(join(dir, 'missing'))).toEqual([]);
    const c = spawn('sh', ['-c', 'exit 0'], { stdio: 'ignore' });
    const pid = c.pid!;
    const st = processStartTime(pid);
    await new Promise((r) => c.once('exit', r));
    writeProcRecord(dir, { guid: 'gone', pid, startTime: st ?? '1' });
    expect(reapLeftovers(dir)).toEqual([{ guid: 'gone', pid, killed: false }]);
  });

  it("kills what a work left in its group after its lead process ended, found by the work's guid in its environment; a stranger's group is left alone", async () => {
    const dir = tempDir();
    // The leader exits after a moment, leaving its background sleep in the group (as when a killed
    // cell's workload forks and its main process ends before the cell comes back).
    const spawnGroup = (env: Record<string, string>) => {
      const c = spawn('sh', ['-c', 'sleep 300 & sleep 0.3'], { detached: true, stdio: 'ignore', env: { ...process.env, ...env } });
      children.push(c);
      groups.push(c.pid!);
      return { pid: c.pid!, startTime: processStartTime(c.pid!), exited: new Promise((r) => c.once('exit', r)) };
    };
    const ours = spawnGroup({ AUCTIONLAB_TASK_GUID: 'leaver-1' });
    const stranger = spawnGroup({ SOMETHING: 'else' });
    await Promise.all([ours.exited, stranger.exited]);
    expect(liveMembers(ours.pid)).toHaveLength(1);
    writeProcRecord(dir, { guid: 'leaver-1', pid: ours.pid, startTime: ours.startTime });
    writeProcRecord(dir, { guid: 'stranger-1', pid: stranger.pid, startTime: stranger.startTime });
    const found = reapLeftovers(dir);
    expect(found.find((f) => f.guid === 'leaver-1')).toEqual({ guid: 'leaver-1', pid: ours.pid, killed: true });
    expect(found.find((f) => f.guid === 'stranger-1')).toEqual({ guid: 'stranger-1', pid: stranger.pid, killed: false });
    expect(await eventually(() => liveMembers(ours.pid).length === 0)).toBe(true);
    expect(liveMembers(stranger.pid)).toHaveLength(1);
  });

  it('removeProcRecord removes a record only for the pid it names', () => {
    const dir = tempDir();
    writeProcRecord(dir, { guid: 'g', pid: 1234, startTime: '5' });
    removeProcRecord(dir, 'g', 999);
    expect(existsSync(join(dir, 'procs', `${guidHash('g')}.json`))).toBe(true);
    removeProcRecord(dir, 'g', 1234);
    expect(readdirSync(join(dir, 'procs'))).toEqual([]);
    removeProcRecord(dir, 'g', 1234); // gone: no throw
  });
});

describe('lockWorkDir', () => {
  it('creates the dir (0700) and cell.pid with our pid and start time; release removes it', () => {
    const dir = join(tempDir(), 'a', 'work');
    const lock = lockWorkDir(dir, 'cell-1');
    if (typeof lock === 'string') throw new Error(lock);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(join(dir, 'cell.pid'), 'utf8'))).toEqual({ pid: process.pid, startTime: processStartTime(process.pid), cellId: 'cell-1' });
    lock.release();
    expect(existsSync(join(dir, 'cell.pid'))).toBe(false);
    lock.release(); // idempotent
  });

  it('refuses a dir whose cell.pid names a live process with the same start time', () => {
    const dir = tempDir();
    const pid = sleeper();
    const holder = JSON.stringify({ pid, startTime: processStartTime(pid), cellId: 'other' });
    writeFileSync(join(dir, 'cell.pid'), holder);
    const lock = lockWorkDir(dir, 'cell-1');
    expect(lock).toBe(`another cell runs with work dir ${dir} (pid ${pid}); stop it or pass another --work-dir`);
    expect(readFileSync(join(dir, 'cell.pid'), 'utf8')).toBe(holder);
  });

  it('replaces a stale cell.pid: another start time (pid reused), a process that has ended, or garbage', async () => {
    const pid = sleeper();
    const c = spawn('sh', ['-c', 'exit 0'], { stdio: 'ignore' });
    const gonePid = c.pid!;
    const goneStart = processStartTime(gonePid) ?? '1';
    await new Promise((r) => c.once('exit', r));
    for (const stale of [
      JSON.stringify({ pid, startTime: String(BigInt(processStartTime(pid)!) + 1n), cellId: 'old' }),
      JSON.stringify({ pid: gonePid, startTime: goneStart, cellId: 'old' }),
      'garbage',
    ]) {
      const dir = tempDir();
      writeFileSync(join(dir, 'cell.pid'), stale);
      const lock = lockWorkDir(dir, 'cell-1');
      if (typeof lock === 'string') throw new Error(lock);
      expect((JSON.parse(readFileSync(join(dir, 'cell.pid'), 'utf8')) as { pid: number }).pid).toBe(process.pid);
      lock.release();
    }
  });

  it('refuses a second cell in this process until the first releases', () => {
    const dir = tempDir();
    const first = lockWorkDir(dir, 'cell-1');
    if (typeof first === 'string') throw new Error(first);
    expect(lockWorkDir(dir, 'cell-2')).toMatch(/another cell in this process runs with work dir/);
    first.release();
    const second = lockWorkDir(dir, 'cell-2');
    if (typeof second === 'string') throw new Error(second);
    second.release();
  });

  it('returns an error for a regular file, a path under one or a symlink, and closes a dir writable by others', () => {
    const root = tempDir();
    writeFileSync(join(root, 'f'), '');
    expect(lockWorkDir(join(root, 'f', 'work'), 'c')).toMatch(/^cannot use work dir /);
    expect(lockWorkDir(join(root, 'f'), 'c')).toMatch(/^cannot use work dir /);
    // A symlink (say, planted in /tmp by another user) is not followed.
    mkdirSync(join(root, 'real'));
    symlinkSync(join(root, 'real'), join(root, 'link'));
    expect(lockWorkDir(join(root, 'link'), 'c')).toBe(`work dir ${join(root, 'link')} is not a directory`);
    const dir2 = join(root, 'open2');
    const l1 = lockWorkDir(dir2, 'c');
    if (typeof l1 === 'string') throw new Error(l1);
    l1.release();
    chmodSync(dir2, 0o777);
    const l2 = lockWorkDir(dir2, 'c');
    if (typeof l2 === 'string') throw new Error(l2);
    expect(statSync(dir2).mode & 0o022).toBe(0);
    l2.release();
  });
});

describe('defaultWorkDir', () => {
  it('is auctionlab-cell-<id> in the temp dir, with nothing that could leave it', () => {
    expect(defaultWorkDir('cell-1')).toBe(join(tmpdir(), 'auctionlab-cell-cell-1'));
    expect(defaultWorkDir('a/../b c')).toBe(join(tmpdir(), 'auctionlab-cell-a_.._b_c'));
  });
});
