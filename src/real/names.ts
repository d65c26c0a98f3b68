// What the real backend accepts as a name, and how it shows a value in a one-line message.
// Process and task guids follow Diego's BBS (bbs `models/desired_lrp.go` and `models/task.go`:
// `^[a-zA-Z0-9_-]+$`), capped here at 128 characters (they name files and URLs).

/** A process or task guid as Diego's BBS accepts it, at most 128 characters. */
export const GUID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** Whether `v` is a process or task guid ({@link GUID_PATTERN}). */
export function isGuid(v: unknown): v is string {
  return typeof v === 'string' && GUID_PATTERN.test(v);
}

/** Most instances one app may desire on real cells (every index is tracked and listed). */
export const MAX_INSTANCES = 10_000;

/**
 * A value as an error message shows it: JSON, cut to `max` characters; numbers JSON cannot write
 * (1e400 parses as Infinity) as JavaScript writes them; undefined as "nothing".
 */
export function shown(v: unknown, max = 80): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return String(v);
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > max ? `${s.slice(0, max - 3)}...` : s;
}
