// Durations as people write them (`250ms`, `30s`, `1h30m`): shared by scenario files, the CLI and
// the real cells' templates file.

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration's text: one or more numbers with a unit (`1h30m`, `2.5s`), as a regular expression's source. */
export const DURATION_TEXT = '(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h))+';
const DURATION = new RegExp(`^${DURATION_TEXT}$`);
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Parses `250ms`, `30s`, `10m`, `1h`, `5m30s`, `1h30m` into milliseconds; undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!DURATION.test(t)) return undefined;
  let ms = 0;
  for (const m of t.matchAll(PART)) ms += Number(m[1]) * (UNITS[m[2] as string] as number);
  return ms;
}
