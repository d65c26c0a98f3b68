// A real cell's work directory: what lets a cell that died (SIGKILL, OOM, a crash) find and end the
// processes it left behind when it starts again. Layout:
//
//   <dir>/cell.pid            {"pid":N,"startTime":"...","cellId":"..."}: the cell that owns the dir
//   <dir>/procs/<h>.json      {"guid":"...","pid":N,"startTime":"..."|null}: one per running process,
//                             <h> = the first 32 hex digits of sha256(guid)
//
// A cell starts with lockWorkDir (one cell per dir), then reapLeftovers (before its executor runs
// anything), then hands the dir to its Executor, which writes and removes the procs/ records.
//
// Processes are identified by pid *and* start time (field 22 of /proc/<pid>/stat, in clock ticks
// since boot): pids are reused (pid_max is often 32768), so a pid alone could name an unrelated
// process by the time a cell restarts. Linux only (/proc); elsewhere start times read as null and
// nothing is ever killed on a null start time.
import { createHash } from 'node:crypto';
import {
  chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockFile } from './pid-lock.js';
import { ended, readStat } from './proc-stat.js';

/** The subdirectory of a work dir that holds one record per running process. */
const PROCS = 'procs';
/** The file in a work dir naming the cell that owns it. */
const CELL_PID = 'cell.pid';

/** What the executor records for each process it runs (`<workDir>/procs/<hash>.json`). */
export interface ProcRecord {
  /** The work's guid (instance guid or task guid). */
  guid: string;
  /** The process's pid, which is also its process group id (the executor spawns it detached). */
  pid: number;
  /** Its start time (field 22 of `/proc/<pid>/stat`), or null where it could not be read. */
  startTime: string | null;
}

/** What {@link reapLeftovers} found for one record. */
export interface Leftover {
  /** The recorded guid ('' when the record was malformed and had none). */
  guid: string;
  /** The recorded pid, or -1 for a malformed record (which is removed and never acted on). */
  pid: number;
  /** Whether its process group was sent SIGKILL. */
  killed: boolean;
}

/**
 * The first 32 hex digits of sha256(`guid`): a fixed-length, path-safe name for any guid (guids
 * arrive over the network and may be long, contain `/` or `..`, or be non-ASCII).
 */
export function guidHash(guid: string): string {
  return createHash('sha256').update(guid, 'utf8').digest('hex').slice(0, 32);
}

/**
 * The default work dir of cell `cellId`: `<os.tmpdir()>/auctionlab-cell-<cellId>`. The id is
 * validated by the caller; anything outside `[A-Za-z0-9_.-]` is still replaced with `_` so the
 * name can never leave the temp dir.
 */
export function defaultWorkDir(cellId: string): string {
  return join(tmpdir(), `auctionlab-cell-${cellId.replace(/[^A-Za-z0-9_.-]/g, '_')}`);
}

/**
 * Whether process group `pgid` still has a member that has not ended. `kill(-pgid, 0)` alone is not
 * enough: it also succeeds on zombies, and where init reaps orphans late or never (some containers
 * and VMs: seconds on the machine this was written on) a killed group's orphans stay zombies. So when the signal probe says the group
 * exists, `/proc` is scanned for a member that is not a zombie (without `/proc`, the probe decides).
 */
export function groupAlive(pgid: number): boolean {
  return liveGroups([pgid]).has(pgid);
}

/**
 * Which of process groups `pgids` still have a member that has not ended, as {@link groupAlive}
 * decides, with at most one scan of `/proc` for all of them.
 */
export function liveGroups(pgids: Iterable<number>): Set<number> {
  const live = new Set<number>();
  const unsure = new Set<number>();
  for (const pgid of pgids) {
    if (!Number.isSafeInteger(pgid) || pgid <= 1) continue;
    try {
      process.kill(-pgid, 0);
      unsure.add(pgid);
    } catch (e) {
      // EPERM: members exist that we may not signal.
      if ((e as NodeJS.ErrnoException).code === 'EPERM') live.add(pgid);
    }
  }
  if (unsure.size === 0) return live;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    for (const g of unsure) live.add(g);
    return live;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s !== null && unsure.has(s.pgrp) && !ended(s.state)) {
      live.add(s.pgrp);
      unsure.delete(s.pgrp);
      if (unsure.size === 0) break;
    }
  }
  return live;
}

/**
 * Whether group `pgid`, whose leader (started at `startTime`) has ended, still has a member that is
 * the work `guid` left behind: one started no earlier than the leader, whose environment carries the
 * work's guid as the executor set it (`AUCTIONLAB_INSTANCE_GUID` or `AUCTIONLAB_TASK_GUID`). Linux
 * does not reuse a number as a pid while a process group of that number has members, so such a
 * member proves the group is the one recorded. A member that cleared its environment is not found.
 */
function orphanedMembers(pgid: number, guid: string, startTime: string): boolean {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return false;
  }
  const marks = [`AUCTIONLAB_INSTANCE_GUID=${guid}`, `AUCTIONLAB_TASK_GUID=${guid}`];
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const st = readStat(Number(name));
    if (st === null || st.pgrp !== pgid || ended(st.state) || Number(st.startTime) < Number(startTime)) continue;
    let env: string[];
    try {
      env = readFileSync(`/proc/${name}/environ`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (marks.some((m) => env.includes(m))) return true;
  }
  return false;
}

/** SIGKILLs process group `pgid` (never a single process); false if it could not be signalled. */
function killGroupOnly(pgid: number): boolean {
  try {
    process.kill(-pgid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/** SIGKILLs process group `pid`, falling back to the process alone; false if neither could be signalled. */
function killGroup(pid: number): boolean {
  // Not a group leader (a record from an older executor) or already gone: try the process.
  if (killGroupOnly(pid)) return true;
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/** `<workDir>/procs/<guidHash(guid)>.json`. */
function recordPath(workDir: string, guid: string): string {
  return join(workDir, PROCS, `${guidHash(guid)}.json`);
}

/**
 * Writes process `r`'s record in `<workDir>/procs/` (a temporary file renamed into place, so a
 * crash never leaves half a record). Creates `procs/` if needed. Throws on failure: the executor
 * then refuses the start, since a process without a record could not be found after a crash.
 */
export function writeProcRecord(workDir: string, r: ProcRecord): void {
  mkdirSync(join(workDir, PROCS), { recursive: true, mode: 0o700 });
  const path = recordPath(workDir, r.guid);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ guid: r.guid, pid: r.pid, startTime: r.startTime }), { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Removes `guid`'s record if it is still the one for process `pid` (the same guid may have been
 * started again, with a new record, while the old process group lingered). Never throws: a record
 * left behind only makes the next start check a pid and start time that no longer match.
 */
export function removeProcRecord(workDir: string, guid: string, pid: number): void {
  const path = recordPath(workDir, guid);
  try {
    const r = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown };
    if (r.pid === pid) unlinkSync(path);
  } catch {
    // Missing or unreadable: nothing of ours to remove.
  }
}

function parseRecord(text: string): ProcRecord | { guid: string } {
  let r: unknown;
  try {
    r = JSON.parse(text);
  } catch {
    return { guid: '' };
  }
  if (typeof r !== 'object' || r === null) return { guid: '' };
  const { guid, pid, startTime } = r as Record<string, unknown>;
  const g = typeof guid === 'string' ? guid : '';
  if (typeof guid !== 'string' || typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 1) return { guid: g };
  if (startTime !== null && (typeof startTime !== 'string' || !/^\d+$/.test(startTime))) return { guid: g };
  return { guid, pid, startTime };
}

/**
 * Ends what a previous life of the cell left running, from the records in `<dir>/procs/`. For each
 * record: if process `pid` exists and its start time equals the recorded one, its process group
 * is sent SIGKILL (falling back to the process alone); if no start time was recorded, or the pid
 * now names another process, nothing is signalled. Either way the record
 * is removed. A malformed record is removed and reported with pid -1, killed false. Leftover
 * temporary files from an interrupted write are removed.
 *
 * A group whose leader has already exited is killed only when a remaining member started no earlier
 * than the leader and carries the work's guid in its environment (see orphanedMembers): Linux does
 * not reuse a pid while a group of that number has members, so such a member proves the group ours.
 *
 * Synchronous; call it after {@link lockWorkDir} and before the executor starts anything, since it
 * would otherwise kill this life's own processes. Returns one entry per record found ([] when there
 * is no `procs/`). Never throws.
 */
export function reapLeftovers(dir: string): Leftover[] {
  const procs = join(dir, PROCS);
  let names: string[];
  try {
    names = readdirSync(procs);
  } catch {
    return [];
  }
  const found: Leftover[] = [];
  for (const name of names.sort()) {
    const path = join(procs, name);
    if (name.endsWith('.tmp')) {
      rmQuietly(path);
      continue;
    }
    if (!name.endsWith('.json')) continue;
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // A directory or unreadable file under a .json name: treat it as malformed.
      rmQuietly(path);
      found.push({ guid: '', pid: -1, killed: false });
      continue;
    }
    const r = parseRecord(text);
    if (!('pid' in r)) {
      rmQuietly(path);
      found.push({ guid: r.guid, pid: -1, killed: false });
      continue;
    }
    const now = readStat(r.pid);
    // Never ourselves, whatever a record says.
    const self = r.pid === process.pid;
    const leaderOurs = r.startTime !== null && now !== null && !ended(now.state) && now.startTime === r.startTime;
    const orphaned = !self && !leaderOurs && r.startTime !== null && (now === null || ended(now.state)) && orphanedMembers(r.pid, r.guid, r.startTime);
    // Only a living leader of ours may be signalled alone; a group whose leader is gone is signalled
    // as a group or not at all (the bare pid may by now be someone else's).
    const killed = !self && (leaderOurs ? killGroup(r.pid) : orphaned ? killGroupOnly(r.pid) : false);
    rmQuietly(path);
    found.push({ guid: r.guid, pid: r.pid, killed });
  }
  return found;
}

function rmQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone, or a directory: nothing more to do.
  }
}


/**
 * Makes `dir` (recursively, mode 0o700) this cell's work dir: writes `<dir>/cell.pid` with this
 * process's pid, start time and `cellId`. Returns an error text instead if another live process
 * holds it (a `cell.pid` whose pid exists, has not ended and has the recorded start time), if
 * another cell in this process holds it, or if the dir cannot be used: it must be a directory owned
 * by this user and not writable by group or others, since whoever can write `procs/` can choose
 * what a restarting cell kills. A stale or malformed `cell.pid` is replaced. `release()` removes
 * `cell.pid` if it is still ours; call it at shutdown (a cell that dies without it leaves a stale
 * file, which the next lock replaces). Never throws.
 *
 * Two cells started at the same instant against a stale `cell.pid` can both win; the lock guards
 * against the operator mistake of two cells on one dir, not against that race.
 */
export function lockWorkDir(dir: string, cellId: string): { release(): void } | string {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const problem = privateDirProblem(dir);
    if (problem !== null) return problem;
    mkdirSync(join(dir, PROCS), { recursive: true, mode: 0o700 });
    const procsProblem = privateDirProblem(join(dir, PROCS));
    if (procsProblem !== null) return procsProblem;
  } catch (e) {
    return `cannot use work dir ${dir}: ${(e as Error).message}`;
  }
  return lockFile(join(dir, CELL_PID), { cellId }, (pid) =>
    pid === process.pid ? `another cell in this process runs with work dir ${dir}; pass another --work-dir` : `another cell runs with work dir ${dir} (pid ${pid}); stop it or pass another --work-dir`,
  );
}

/** Why `dir` must not be a work dir, or null: see {@link lockWorkDir}. */
function privateDirProblem(dir: string): string | null {
  const st = lstatSync(dir);
  if (!st.isDirectory()) return `work dir ${dir} is not a directory`;
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid) return `work dir ${dir} belongs to another user (uid ${st.uid})`;
  if ((st.mode & 0o022) !== 0) {
    // Ours but too open (e.g. created by hand with the default umask): close it rather than refuse.
    chmodSync(dir, st.mode & 0o777 & ~0o022);
  }
  return null;
}

