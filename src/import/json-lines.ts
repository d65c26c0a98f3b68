// JSON lines as cfdot prints them (one compact object per line: Go's encoding/json of a BBS model),
// or one JSON array of such objects (`cfdot ... | jq -s`), read into objects each with where it came
// from; and the typed reads of their fields, every problem one line naming the file, the line and the
// field path.
import { hasControlCharacter, type ImportProblems, shown } from './csv-table.js';

/** One object of a JSON-lines file and where it is (`file:line`, or `file: item k` in an array). */
export interface JsonRecord {
  /** Where it is, as a problem line starts. */
  readonly where: string;
  /** Its line in the file (the array's first line for an item of an array). */
  readonly line: number;
  /** The object. */
  readonly value: Readonly<Record<string, unknown>>;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// A JSON value in a few characters, for a problem line: a list or an object by its kind (one nested
// thousands deep would overflow the stack of JSON.stringify), a string quoted and cut short.
function brief(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return v.length === 0 ? 'an empty list' : 'a list';
  if (typeof v === 'object' && v !== null) return 'an object';
  if (typeof v === 'string') return shown(v);
  return String(v);
}

/**
 * Reads `text` (from `file`, for messages) as JSON lines, or as one JSON array. A line that is not a
 * JSON object is one problem and is left out; blank lines are skipped.
 */
export function readJsonLines(text: string, file: string, problems: ImportProblems): JsonRecord[] {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trimStart().startsWith('[')) return readJsonArray(body, file, problems);
  const out: JsonRecord[] = [];
  const lines = body.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] as string).trim();
    if (raw === '') continue;
    const where = `${file}:${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch {
      problems.add(`${where}: expected a JSON object (cfdot prints one per line), got ${shown(raw)}`);
      continue;
    }
    if (!isObject(v)) {
      problems.add(`${where}: expected a JSON object (cfdot prints one per line), got ${brief(v)}`);
      continue;
    }
    out.push({ where, line: i + 1, value: v });
  }
  return out;
}

function readJsonArray(body: string, file: string, problems: ImportProblems): JsonRecord[] {
  const line = body.slice(0, body.length - body.trimStart().length).split(/\r\n|\n|\r/).length;
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch (e) {
    problems.add(`${file}: expected JSON lines or one JSON array of objects (${(e as Error).message.replace(/\s+/g, ' ').slice(0, 80)})`);
    return [];
  }
  if (!Array.isArray(v)) {
    problems.add(`${file}: expected JSON lines or one JSON array of objects`);
    return [];
  }
  const out: JsonRecord[] = [];
  v.forEach((item: unknown, k) => {
    const where = `${file}: item ${k + 1}`;
    if (!isObject(item)) problems.add(`${where}: expected a JSON object, got ${brief(item)}`);
    else out.push({ where, line, value: item });
  });
  return out;
}

/** A field of an object by name, own properties only (a file naming `__proto__` gets no prototype). */
export function own(o: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(o, key) ? o[key] : undefined;
}

/** The typed reads of one record's fields: each bad field is one problem, and `ok` turns false. */
export class FieldReader {
  /** False once a field was bad. */
  ok = true;

  /** A reader of `rec`'s fields, its problems added to `problems`. */
  constructor(
    private readonly rec: JsonRecord,
    private readonly problems: ImportProblems,
  ) {}

  private bad(path: string, expected: string, got: unknown): void {
    this.ok = false;
    this.problems.add(`${this.rec.where}: ${path}: expected ${expected}, got ${brief(got)}`);
  }

  /** A name: a non-empty string without control characters (`required` false: absent or empty reads as ''). */
  name(o: Readonly<Record<string, unknown>>, key: string, path: string, required = true): string {
    const v = own(o, key);
    if ((v === undefined || v === '') && !required) return '';
    if (typeof v !== 'string' || v === '' || hasControlCharacter(v)) {
      this.bad(path, 'a non-empty string without control characters', v);
      return '';
    }
    return v;
  }

  /** A whole number from `min` to `max` (`dflt`: what an absent field reads as; none: required). */
  int(o: Readonly<Record<string, unknown>>, key: string, path: string, min: number, max: number, dflt?: number): number {
    const v = own(o, key);
    if (v === undefined && dflt !== undefined) return dflt;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
      this.bad(path, `a whole number from ${min} to ${max}`, v);
      return dflt ?? min;
    }
    return v;
  }

  /** A list of names (absent or null: empty). */
  names(o: Readonly<Record<string, unknown>>, key: string, path: string): string[] {
    const v = own(o, key);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.bad(path, 'a list of strings', v);
      return [];
    }
    const out: string[] = [];
    v.forEach((x: unknown, k) => {
      if (typeof x !== 'string' || x === '' || hasControlCharacter(x)) this.bad(`${path}[${k}]`, 'a non-empty string without control characters', x);
      else out.push(x);
    });
    return out;
  }

  /** A list of objects (absent or null: empty). */
  objects(o: Readonly<Record<string, unknown>>, key: string, path: string): Readonly<Record<string, unknown>>[] {
    const v = own(o, key);
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      this.bad(path, 'a list of objects', v);
      return [];
    }
    const out: Record<string, unknown>[] = [];
    v.forEach((x: unknown, k) => {
      if (isObject(x)) out.push(x);
      else this.bad(`${path}[${k}]`, 'an object', x);
    });
    return out;
  }

  /** An object (absent: `undefined`, or a problem when `required`). */
  object(o: Readonly<Record<string, unknown>>, key: string, path: string, required: boolean): Readonly<Record<string, unknown>> | undefined {
    const v = own(o, key);
    if (v === undefined && !required) return undefined;
    if (!isObject(v)) {
      this.bad(path, 'an object', v);
      return undefined;
    }
    return v;
  }

  /**
   * One of an enum's names, as a string (any case) or as the enum's number, its place in `names`
   * (Go's encoding/json writes a protobuf enum either way, by version); absent: `dflt`, or a problem
   * when none.
   */
  oneOf<T extends string>(o: Readonly<Record<string, unknown>>, key: string, path: string, names: readonly T[], dflt?: T): T | undefined {
    const v = own(o, key);
    if (v === undefined && dflt !== undefined) return dflt;
    // '' holds the place of a number the enum has but no valid record carries (a task's Invalid, 0).
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < names.length && names[v] !== '') return names[v];
    if (typeof v === 'string' && v !== '') {
      const found = names.find((n) => n.toLowerCase() === v.toLowerCase());
      if (found !== undefined) return found;
    }
    this.bad(path, `one of ${names.filter((n) => n !== '').join(', ')}`, v);
    return undefined;
  }
}
