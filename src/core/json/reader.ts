import { describeValue, InputError, type Problem } from './problems.js';

/** A plain JSON object. */
export type JSONObject = Record<string, unknown>;

/** Joins a parent path and a key into a field path (`a.b`, `a[3]`). */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

/** Options for reading one field. */
export interface FieldOptions<T> {
  /** Value to use when the field is absent (or null, for lists); without it the field is required. */
  default?: T;
}

/**
 * Reads untrusted JSON into typed values, collecting every problem with its field path instead of
 * stopping at the first. Each read returns a usable value (the default, or a neutral one) even when
 * it records a problem, so parsing goes on and reports everything in one pass.
 */
export class Reader {
  /** Problems found so far. */
  readonly problems: Problem[] = [];

  /** Records a problem: `expected <expected>, got <value>` at `path`. */
  fail(path: string, expected: string, value: unknown): void {
    const message =
      value === undefined ? `missing (expected ${expected})` : `expected ${expected}, got ${describeValue(value)}`;
    this.problems.push({ path, message });
  }

  /** Records a problem with a message of its own. */
  report(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  /** Throws an {@link InputError} if any problem was recorded. */
  throwIfProblems(): void {
    if (this.problems.length > 0) throw new InputError(this.problems);
  }

  /** Reads an object; records a problem and returns `undefined` if the value is not one. */
  object(value: unknown, path: string, expected = 'an object'): JSONObject | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, expected, value);
      return undefined;
    }
    return value as JSONObject;
  }

  /** Reads a list, mapping each element; `null` or absent counts as empty when a default is given. */
  list<T>(
    obj: JSONObject,
    key: string,
    path: string,
    each: (value: unknown, path: string) => T | undefined,
    opts: FieldOptions<T[]> = {},
  ): T[] {
    const p = childPath(path, key);
    const value = obj[key];
    if ((value === undefined || value === null) && opts.default !== undefined) return opts.default;
    if (!Array.isArray(value)) {
      this.fail(p, 'a list', value);
      return [];
    }
    const out: T[] = [];
    value.forEach((item, i) => {
      const v = each(item, childPath(p, i));
      if (v !== undefined) out.push(v);
    });
    return out;
  }

  /** Reads a string field. */
  string(obj: JSONObject, key: string, path: string, opts: FieldOptions<string> & { nonEmpty?: boolean } = {}): string {
    const p = childPath(path, key);
    const value = obj[key];
    if (value === undefined && opts.default !== undefined) return opts.default;
    const expected = opts.nonEmpty ? 'a non-empty string' : 'a string';
    if (typeof value !== 'string' || (opts.nonEmpty && value === '')) {
      this.fail(p, expected, value);
      return opts.default ?? '';
    }
    return value;
  }

  /** Reads a boolean field. */
  boolean(obj: JSONObject, key: string, path: string, opts: FieldOptions<boolean> = {}): boolean {
    const p = childPath(path, key);
    const value = obj[key];
    if (value === undefined && opts.default !== undefined) return opts.default;
    if (typeof value !== 'boolean') {
      this.fail(p, 'true or false', value);
      return opts.default ?? false;
    }
    return value;
  }

  /** Reads a whole-number field within [min, max]. */
  integer(
    obj: JSONObject,
    key: string,
    path: string,
    opts: FieldOptions<number> & { min?: number; max?: number } = {},
  ): number {
    const p = childPath(path, key);
    const value = obj[key];
    if (value === undefined && opts.default !== undefined) return opts.default;
    return this.integerValue(value, p, opts);
  }

  /** Checks that a bare value is a whole number within [min, max]. */
  integerValue(value: unknown, path: string, opts: { min?: number; max?: number } = {}): number {
    return this.numberValue(value, path, opts, true, undefined);
  }

  /** Reads a finite-number field within [min, max]. */
  number(
    obj: JSONObject,
    key: string,
    path: string,
    opts: FieldOptions<number> & { min?: number; max?: number } = {},
  ): number {
    const value = obj[key];
    if (value === undefined && opts.default !== undefined) return opts.default;
    return this.numberValue(value, childPath(path, key), opts, false, opts.default);
  }

  private numberValue(value: unknown, path: string, opts: { min?: number; max?: number }, whole: boolean, fallback: number | undefined): number {
    const min = opts.min ?? (whole ? Number.MIN_SAFE_INTEGER : -Number.MAX_VALUE);
    const max = opts.max ?? (whole ? Number.MAX_SAFE_INTEGER : Number.MAX_VALUE);
    const ok = typeof value === 'number' && (whole ? Number.isInteger(value) : Number.isFinite(value)) && value >= min && value <= max;
    if (!ok) {
      this.fail(path, describeRange(whole ? 'a whole number' : 'a number', min, max), value);
      return fallback ?? Math.min(Math.max(0, min), max);
    }
    return value;
  }

  /** Reads a list of strings; `null` or absent is an empty list. */
  strings(obj: JSONObject, key: string, path: string): string[] {
    return this.list(
      obj,
      key,
      path,
      (v, p) => {
        if (typeof v !== 'string') {
          this.fail(p, 'a string', v);
          return undefined;
        }
        return v;
      },
      { default: [] },
    );
  }

  /** Records a problem for every key of `obj` not in `known` (for files people write by hand). */
  rejectUnknown(obj: JSONObject, path: string, known: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!known.includes(key)) {
        this.report(childPath(path, key), `unknown field (expected one of: ${known.join(', ')})`);
      }
    }
  }
}

function describeRange(what: string, min: number, max: number): string {
  const lo = min > Number.MIN_SAFE_INTEGER && min > -Number.MAX_VALUE;
  const hi = max < Number.MAX_SAFE_INTEGER && max < Number.MAX_VALUE;
  if (lo && hi) return `${what} from ${min} to ${max}`;
  if (lo) return `${what} >= ${min}`;
  if (hi) return `${what} <= ${max}`;
  return what;
}
