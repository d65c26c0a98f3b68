// A lock file held by a live process: `{"pid","startTime",...}`. A cell holds one in its work dir, an
// auctioneer one beside its journal, so that two of them never act on the same state. A lock whose
// process has ended (or whose pid now names another process) is stale and taken over.
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { ended, processStartTime, readStat } from './proc-stat.js';

/**
 * Takes `file` as a lock for this process: writes `{"pid","startTime",...extra}` there unless it
 * names a live process (same pid and start time, not ended, not this one), in which case the answer
 * is `busy(pid)`. Of two processes taking a fresh lock at once only one wins (link(2) fails if the
 * file exists); a stale lock is replaced atomically. Returns an error text, or a handle whose
 * release removes the file if it is still ours.
 */
export function lockFile(file: string, extra: Record<string, string>, busy: (pid: number) => string): { release(): void } | string {
  const self = { pid: process.pid, startTime: processStartTime(process.pid), ...extra };
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(self), { mode: 0o600 });
    try {
      linkSync(tmp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = liveHolder(file);
      if (holder !== null) return busy(holder);
      renameSync(tmp, file); // stale: replace it atomically
    }
  } catch (e) {
    return `cannot write ${file}: ${(e as Error).message}`;
  } finally {
    rmQuietly(tmp);
  }
  let held = true;
  return {
    release(): void {
      if (!held) return;
      held = false;
      try {
        const r = JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown; startTime?: unknown };
        if (r.pid === self.pid && r.startTime === self.startTime) unlinkSync(file);
      } catch {
        // Gone or replaced: not ours to remove.
      }
    },
  };
}

/** The pid in lock file `file` if that process still runs (same start time, not ended, not us); else null. */
function liveHolder(file: string): number | null {
  let r: unknown;
  try {
    r = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null; // unreadable or malformed: stale
  }
  if (typeof r !== 'object' || r === null) return null;
  const { pid, startTime } = r as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid) return null;
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
