import { readTextFile } from '../io/read-text.js';
import { basename, extname } from 'node:path';
import { parseDocument } from 'yaml';
import { InputError } from '../core/json/problems.js';
import { parseScenario, type ParseOptions } from './parse.js';
import type { Scenario } from './types.js';

/** A scenario file that could not be read or parsed: one message per problem, each naming the file. */
export class ScenarioFileError extends Error {
  /** Lines to show: `file: path: problem`. */
  readonly lines: readonly string[];

  /** An error for `file` with these problem lines. */
  constructor(lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'ScenarioFileError';
    this.lines = lines;
  }
}

/** Parses scenario text (YAML, of which JSON is a subset) from a file named `file`. */
export function parseScenarioText(text: string, file: string, options: ParseOptions = {}): Scenario {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioFileError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
        // The parser's pretty message repeats the position and ends with a colon before its code
        // frame (on the next lines): one line, the position said once.
        const first = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?\s*$/, '');
        return `${file}: invalid ${extname(file) === '.json' ? 'JSON' : 'YAML'}${where}: ${first}`;
      }),
    );
  }
  const name = basename(file, extname(file));
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (e) {
    // Some documents parse but cannot be built, e.g. an alias to an anchor that does not exist.
    throw new ScenarioFileError([`${file}: invalid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`]);
  }
  try {
    return parseScenario(value, name, options);
  } catch (e) {
    if (e instanceof InputError) throw new ScenarioFileError(e.problems.map((p) => `${file}: ${p.path === '' ? '' : `${p.path}: `}${p.message}`));
    throw e;
  }
}

/** Reads and validates a scenario file (`.yaml`, `.yml` or `.json`). */
export function loadScenarioFile(file: string, options: ParseOptions = {}): Scenario {
  const read = readTextFile(file);
  if ('reason' in read) throw new ScenarioFileError([`${file}: cannot read: ${read.reason}`]);
  return parseScenarioText(read.text, file, options);
}
