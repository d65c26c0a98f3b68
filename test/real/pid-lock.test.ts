// The pid lock an auctioneer takes beside its journal (and a cell in its work dir): one holder at a
// time, a stale lock taken over, a lock held by a live process never.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lockFile } from '../../src/real/pid-lock.js';
import { processStartTime } from '../../src/real/proc-stat.js';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});
const busy = (pid: number) => `busy: ${pid}`;
const file = () => join(mkdtempSync(join(tmpdir(), 'auctionlab-pid-lock-')), 'state.lock');

describe('lockFile', () => {
  it('takes a free lock, refuses a second taker in this process, and release frees it', () => {
    const f = file();
    const a = lockFile(f, { role: 'test' }, busy);
    expect(typeof a).toBe('object');
    expect(JSON.parse(readFileSync(f, 'utf8'))).toEqual({ pid: process.pid, startTime: processStartTime(process.pid), role: 'test' });
    expect(lockFile(f, {}, busy)).toBe(`busy: ${process.pid}`);
    (a as { release(): void }).release();
    expect(existsSync(f)).toBe(false);
    const b = lockFile(f, {}, busy);
    expect(typeof b).toBe('object');
    (b as { release(): void }).release();
  });

  it('refuses a lock a live process holds; takes over one whose process ended or whose pid was reused', async () => {
    const f = file();
    const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)'], { stdio: 'ignore' });
    children.push(c);
    const pid = c.pid!;
    writeFileSync(f, JSON.stringify({ pid, startTime: processStartTime(pid) }));
    expect(lockFile(f, {}, busy)).toBe(`busy: ${pid}`);
    // The same pid with another start time is another process: the lock is stale.
    writeFileSync(f, JSON.stringify({ pid, startTime: '1' }));
    const taken = lockFile(f, {}, busy);
    expect(typeof taken).toBe('object');
    expect(JSON.parse(readFileSync(f, 'utf8')).pid).toBe(process.pid);
    (taken as { release(): void }).release();
    // Garbage is stale too; and release never removes a lock that is no longer ours.
    writeFileSync(f, 'garbage');
    const again = lockFile(f, {}, busy) as { release(): void };
    writeFileSync(f, JSON.stringify({ pid, startTime: processStartTime(pid) }));
    again.release();
    expect(existsSync(f)).toBe(true);
  });

  it('a lock that cannot be written is an error text, not a throw', () => {
    expect(lockFile(join(file(), 'no-such-dir', 'x.lock'), {}, busy)).toMatch(/^cannot write /);
  });
});
