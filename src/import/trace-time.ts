// Times in a trace's flags: seconds of the trace (its own unit), or text with units up to days.

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };
const TEXT = /^(?:\d+(?:\.\d+)?(?:s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(s|m|h|d)/g;

/** `3600`, `90s`, `115d`, `1d12h` as seconds; undefined if it is none of them. */
export function parseTraceTime(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t);
  if (!TEXT.test(t)) return undefined;
  let s = 0;
  for (const m of t.matchAll(PART)) s += Number(m[1]) * (UNITS[m[2] as string] as number);
  return s;
}

/** What a trace time is, in a problem's words. */
export const TRACE_TIME_SYNTAX = 'seconds of the trace, or a time such as 90s, 30m, 12h, 115d';
