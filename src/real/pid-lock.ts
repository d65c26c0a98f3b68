// A lock file held by a live process: `{"pid","startTime",...}`. A cell holds one in its work dir, an
// auctioneer one beside its journal, so that two of them never act on the same state. A lock whose
// process has ended (or whose pid now names another process) is stale and taken over.
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ended, processStartTime, readStat } from './proc-stat.js';

/** The lock files this process holds (a lock names a pid, and this pid is always "alive"). */
const heldHere = new Set<string>();

/**
 * Takes `file` as a lock for this process: writes `{"pid","startTime",...extra}` there unless it
 * names a live process (same pid and start time, not ended), in which case the answer is
 * `busy(pid)`. Only link(2) ever creates the file, and link fails if it exists, so of processes
 * taking the lock at once one wins. A stale lock is first moved aside under a name of our own; if
 * what was moved is no longer the stale lock that was read (another process took the lock over in
 * between), it is put back and the answer is busy. Returns an error text, or a handle whose release
 * removes the file if it is still ours.
 */
export function lockFile(file: string, extra: Record<string, string>, busy: (pid: number) => string): { release(): void } | string {
  const key = resolve(file);
  if (heldHere.has(key)) return busy(process.pid);
  const self = { pid: process.pid, startTime: processStartTime(process.pid), ...extra };
  const tmp = `${file}.${process.pid}.tmp`;
  const aside = `${file}.${process.pid}.stale`;
  try {
    writeFileSync(tmp, JSON.stringify(self), { mode: 0o600 });
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, file);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw e;
      }
      const seen = readOrNull(file);
      const holder = seen === null ? null : liveHolder(seen);
      if (holder !== null) return busy(holder);
      try {
        renameSync(file, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue; // someone else moved it: try again
        throw e;
      }
      const moved = readOrNull(aside);
      if (moved !== seen) {
        // A live lock taken between our read and our move: put it back, it is theirs.
        try {
          linkSync(aside, file);
        } catch {
          // Already replaced again: whoever holds it now wins.
        }
        rmQuietly(aside);
        const pid = moved === null ? null : liveHolder(moved);
        return busy(pid ?? 0);
      }
      rmQuietly(aside);
    }
  } catch (e) {
    return `cannot write ${file}: ${(e as Error).message}`;
  } finally {
    rmQuietly(tmp);
  }
  heldHere.add(key);
  let held = true;
  return {
    release(): void {
      if (!held) return;
      held = false;
      heldHere.delete(key);
      const r = parse(readOrNull(file));
      if (r && r['pid'] === self.pid && r['startTime'] === self.startTime) rmQuietly(file);
    },
  };
}

function readOrNull(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

function parse(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  try {
    const r = JSON.parse(text) as unknown;
    return typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The pid a lock's text names if that process still runs (same start time, not ended); else null. */
function liveHolder(text: string): number | null {
  const r = parse(text);
  if (r === null) return null; // malformed: stale
  const { pid, startTime } = r;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return null;
  if (startTime === null) {
    // Written where start times could not be read: the pid is all there is to go on.
    try {
      process.kill(pid, 0);
      return pid;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
    }
  }
  const now = readStat(pid);
  return now !== null && !ended(now.state) && now.startTime === startTime ? pid : null;
}

function rmQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing more to do.
  }
}
