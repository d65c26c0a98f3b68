// A CSV file read into checked rows with csv-parse: the columns a format needs, each value checked
// against its column's kind, and every problem one line naming the file, the line and the column.
import { CsvError, parse } from 'csv-parse/sync';

/** One column a format reads. */
export interface ColumnSpec {
  /** Its name in the header. */
  readonly name: string;
  /** `int`: a whole number; `string`: any text. */
  readonly kind: 'int' | 'string';
  /** Whether the header must have it (an optional column may be left out of the file altogether). */
  readonly required: boolean;
  /** Whether a row may leave it empty (it then reads as `undefined`). */
  readonly emptyOk?: boolean;
  /** Least value of an `int` column. */
  readonly min?: number;
  /** Greatest value of an `int` column. */
  readonly max?: number;
}

/** One row: its line in the file and its values by column name (`undefined`: empty or no such column). */
export interface CsvRow {
  /** The line the row ends on (1 is the header). */
  readonly line: number;
  /** The values. */
  readonly values: ReadonlyMap<string, string | number | undefined>;
  /** Each column's number in the file (1-based, from its header). */
  readonly columns: ReadonlyMap<string, number>;
}

/** Where a value is, as a problem line starts: `file:line: column (column k)`. */
export function cellRef(file: string, row: CsvRow, column: string): string {
  const k = row.columns.get(column);
  return `${file}:${row.line}: ${column} (column ${k ?? '?'})`;
}

/** Lines of problems, gathered across files, each `file:line: column (column k): expected ..., got ...`. */
export class ImportProblems {
  /** The lines, in the order found. */
  readonly lines: string[] = [];
  /** Adds one line. */
  add(line: string): void {
    this.lines.push(line);
  }
  /** Whether any was found. */
  get any(): boolean {
    return this.lines.length > 0;
  }
}

/** The largest file an importer reads (the full OpenB files are under 1 MiB). */
export const MAX_IMPORT_BYTES = 256 * 1024 * 1024;

/** A value as a problem line shows it: quoted, cut short, with control characters escaped. */
export function shown(value: string): string {
  const cut = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  // JSON escapes C0 controls; the rest of what would break a line are escaped after it.
  return escapeControls(JSON.stringify(cut));
}

/**
 * Reads CSV `text` (from `file`, for messages) with a header line. Columns not in `columns` are
 * ignored (traces add columns); a required one missing is one problem for the whole file. Returns
 * the rows that had no problem; a row with problems is left out and each of its problems said.
 */
export function readCsvTable(text: string, file: string, columns: readonly ColumnSpec[], problems: ImportProblems): CsvRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    // Any line ending, mixed too (a file edited on two systems): csv-parse otherwise takes the first line's for all.
    records = parse(text, { info: true, bom: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n', '\r'] }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    if (e instanceof CsvError) {
      problems.add(csvErrorLine(e, file));
      return [];
    }
    throw e;
  }
  const expectedHeader = columns.map((c) => c.name).join(', ');
  const head = records[0];
  if (head === undefined) {
    problems.add(`${file}: empty (expected a header line: ${expectedHeader})`);
    return [];
  }
  const at = new Map<string, number>();
  const wanted = new Set(columns.map((c) => c.name));
  let twice = false;
  head.record.forEach((name, k) => {
    const n = name.trim();
    const first = at.get(n);
    if (first === undefined) at.set(n, k);
    else if (wanted.has(n)) {
      // Which of the two would be read is a guess: said, not guessed.
      problems.add(`${file}:${head.info.lines}: column ${shown(n)} twice (columns ${first + 1} and ${k + 1})`);
      twice = true;
    }
  });
  if (twice) return [];
  const missing = columns.filter((c) => c.required && !at.has(c.name));
  for (const c of missing) problems.add(`${file}:${head.info.lines}: missing column ${shown(c.name)} (expected a header with: ${expectedHeader})`);
  if (missing.length > 0) return [];
  const rows: CsvRow[] = [];
  const numbers = new Map([...at].map(([name, k]) => [name, k + 1] as const));
  for (let i = 1; i < records.length; i++) {
    const { record, info } = records[i]!;
    const line = info.lines;
    if (record.length !== head.record.length) {
      problems.add(`${file}:${line}: expected ${head.record.length} fields (as the header has), got ${record.length}`);
      continue;
    }
    const values = new Map<string, string | number | undefined>();
    let ok = true;
    for (const c of columns) {
      const k = at.get(c.name);
      const raw = k === undefined ? '' : (record[k] as string).trim();
      const where = `${file}:${line}: ${c.name} (column ${k === undefined ? '?' : k + 1})`;
      if (raw === '') {
        if (c.emptyOk || k === undefined) values.set(c.name, undefined);
        else {
          problems.add(`${where}: expected ${expectation(c)}, got an empty field`);
          ok = false;
        }
        continue;
      }
      if (c.kind === 'string') {
        // A line break or other control character in a name would break every line it is printed on.
        if (hasControlCharacter(raw)) {
          problems.add(`${where}: expected text without line breaks or other control characters, got ${shown(raw)}`);
          ok = false;
          continue;
        }
        values.set(c.name, raw);
        continue;
      }
      const n = /^[+-]?\d+$/.test(raw) ? Number(raw) : NaN;
      if (!Number.isSafeInteger(n) || (c.min !== undefined && n < c.min) || (c.max !== undefined && n > c.max)) {
        problems.add(`${where}: expected ${expectation(c)}, got ${shown(raw)}`);
        ok = false;
        continue;
      }
      values.set(c.name, n);
    }
    if (ok) rows.push({ line, values, columns: numbers });
  }
  return rows;
}

// csv-parse's error in the house's words: the file, the line, the column (1-based) and what was expected.
function csvErrorLine(e: CsvError, file: string): string {
  const at = e as CsvError & { lines?: number; index?: number };
  const where = `${file}${at.lines !== undefined ? `:${at.lines}` : ''}${at.index !== undefined ? `: column ${at.index + 1}` : ''}`;
  const said: Record<string, string> = {
    CSV_QUOTE_NOT_CLOSED: 'expected a closing quote (a quoted field runs to the end of the file)',
    INVALID_OPENING_QUOTE: 'expected a quote only at the start of a field',
    CSV_INVALID_CLOSING_QUOTE: 'expected a comma or the end of the line after a closing quote',
  };
  return `${where}: ${said[e.code] ?? shown(e.message)}`;
}

// C0, DEL and C1 controls, and the line and paragraph separators: YAML breaks a line at U+0085,
// U+2028 and U+2029 as at a newline, so a name holding one would end a comment line early.
function isControl(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029;
}

/** Whether `text` holds a line break, tab or other control character (C0, DEL, C1, U+2028, U+2029). */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (isControl(text.charCodeAt(i))) return true;
  return false;
}

/** `text` with each control character (as {@link hasControlCharacter} counts them) written `\uXXXX`: safe on one line of a comment. */
export function escapeControls(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += isControl(c) ? `\\u${c.toString(16).padStart(4, '0')}` : text[i];
  }
  return out;
}

function expectation(c: ColumnSpec): string {
  if (c.kind === 'string') return 'a value';
  if (c.min !== undefined && c.max !== undefined) return `a whole number from ${c.min} to ${c.max}`;
  if (c.min !== undefined) return `a whole number >= ${c.min}`;
  return 'a whole number';
}

/**
 * The rows whose `column` names something not named on an earlier row; each repeat is one problem
 * (`duplicate <what> "x" (first on line n)`) and is left out.
 */
export function uniqueRows(rows: readonly CsvRow[], file: string, column: string, what: string, problems: ImportProblems): CsvRow[] {
  const seen = new Map<string, number>();
  return rows.filter((row) => {
    const name = row.values.get(column) as string;
    const first = seen.get(name);
    if (first !== undefined) {
      problems.add(`${cellRef(file, row, column)}: duplicate ${what} ${shown(name)} (first on line ${first})`);
      return false;
    }
    seen.set(name, row.line);
    return true;
  });
}

/** `A|B` as a list of GPU models (empty text: none). */
export function modelList(spec: string | undefined): string[] {
  return spec === undefined || spec === '' ? [] : spec.split('|').map((s) => s.trim());
}

/** A problem for the first of `wanted` no cell has (`where`: the file, line and column; `owners`: what has models). */
export function checkModels(wanted: readonly string[], models: ReadonlySet<string>, where: string, owners: string, problems: ImportProblems): void {
  const unknown = wanted.find((m) => !models.has(m));
  if (unknown !== undefined) problems.add(`${where}: unknown GPU model ${shown(unknown)} (the ${owners} have: ${[...models].sort().join(', ') || 'none'})`);
}
