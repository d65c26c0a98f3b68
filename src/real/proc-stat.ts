// What Linux's /proc says of a process: its state, process group and start time. The start time
// (field 22 of /proc/<pid>/stat) and the pid together name one process across pid reuse. Elsewhere
// than Linux every read is null.
import { readFileSync } from 'node:fs';

/** A process's state letter, process group and start time, from `/proc/<pid>/stat`. */
export interface Stat {
  /** State letter (R, S, D, Z, X, ...). */
  state: string;
  /** Process group id. */
  pgrp: number;
  /** Start time in clock ticks since boot (field 22), as a string. */
  startTime: string;
}

/**
 * The fields of `/proc/<pid>/stat` from field 3 (state) on, or null if the process does not exist or
 * the file cannot be read. Field 2 (comm) is in parentheses and may itself contain spaces and ')':
 * everything after the *last* ')' is fields 3 onwards, space-separated (field n is index n - 3).
 */
export function statFields(pid: number): string[] | null {
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  return text.slice(close + 1).trim().split(/\s+/);
}

/** Reads `/proc/<pid>/stat`, or null if the process does not exist or the file cannot be parsed. */
export function readStat(pid: number): Stat | null {
  const f = statFields(pid);
  if (f === null) return null;
  const state = f[0];
  const pgrp = Number(f[2]);
  const startTime = f[19]; // field 22
  if (state === undefined || !Number.isSafeInteger(pgrp) || startTime === undefined || !/^\d+$/.test(startTime)) return null;
  return { state, pgrp, startTime };
}

/**
 * Process `pid`'s start time (field 22 of `/proc/<pid>/stat`, clock ticks since boot, as a string),
 * or null if it does not exist or the file cannot be read or parsed. Together with the pid it
 * identifies a process across pid reuse.
 */
export function processStartTime(pid: number): string | null {
  return readStat(pid)?.startTime ?? null;
}

/** A zombie ('Z') or dead ('X') process has ended; it only waits for its parent to reap it. */
export function ended(state: string): boolean {
  return state === 'Z' || state === 'X';
}
