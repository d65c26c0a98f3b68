// Readers of the scenario's field types (durations and distributions), shared by the scenario parser
// and the event kinds, with the parser's error style (field path, what was expected, what was got).
import type { Reader } from '../core/json/reader.js';
import { childPath, type JSONObject } from '../core/json/reader.js';
import type { Distribution } from './distributions.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;

/** Parses `250ms`, `30s`, `10m`, `1h`, `5m30s`, `1h30m` into milliseconds; undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (!DURATION.test(t)) return undefined;
  let ms = 0;
  for (const m of t.matchAll(PART)) ms += Number(m[1]) * (UNITS[m[2] as string] as number);
  return ms;
}

/** Reads a duration: milliseconds as a number, or a string such as `250ms`, `30s`, `10m`, `1h30m`. */
export function duration(r: Reader, value: unknown, path: string, fallback: number): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const ms = parseDuration(value);
    if (ms !== undefined) return ms;
  }
  r.fail(path, 'a duration such as 500ms, 30s, 10m, 1h30m (or milliseconds)', value);
  return fallback;
}

/** Reads the duration at `key` of `o` (a default when absent, unless required). */
export function durationField(r: Reader, o: JSONObject, key: string, path: string, fallback: number, required = false): number {
  const v = o[key];
  if (v === undefined) {
    if (required) r.fail(childPath(path, key), 'a duration such as 30s or 10m', v);
    return fallback;
  }
  return duration(r, v, childPath(path, key), fallback);
}

/** Reads a distribution: a duration (constant), `{constant}`, `{uniform: [min, max]}` or `{exponential: mean}`. */
export function distribution(r: Reader, value: unknown, path: string, fallback: Distribution): Distribution {
  if (typeof value === 'number' || typeof value === 'string') return { kind: 'constant', value: duration(r, value, path, 0) };
  const o = r.object(value, path, 'a duration, {constant: d}, {uniform: [min, max]} or {exponential: mean}');
  if (!o) return fallback;
  const keys = Object.keys(o);
  if (keys.length !== 1) {
    r.report(path, `expected exactly one of constant, uniform, exponential, got ${keys.length === 0 ? 'none' : keys.join(', ')}`);
    return fallback;
  }
  const p = childPath(path, keys[0] as string);
  if ('constant' in o) return { kind: 'constant', value: duration(r, o['constant'], p, 0) };
  if ('exponential' in o) return { kind: 'exponential', mean: duration(r, o['exponential'], p, 0) };
  if ('uniform' in o) {
    const u = o['uniform'];
    if (!Array.isArray(u) || u.length !== 2) {
      r.fail(p, 'a list [min, max]', u);
      return fallback;
    }
    const min = duration(r, u[0], childPath(p, 0), 0);
    const max = duration(r, u[1], childPath(p, 1), 0);
    if (max < min) r.report(p, `expected min <= max, got [${min}ms, ${max}ms]`);
    return { kind: 'uniform', min, max };
  }
  r.report(childPath(path, keys[0] as string), 'unknown distribution (expected constant, uniform or exponential)');
  return fallback;
}

