import { readTextFile } from '../io/read-text.js';
import { InputError } from '../core/json/problems.js';
import { CliError, inputErrorLines } from './cli-error.js';

/** Reads and parses a JSON file; a missing file or bad JSON becomes one precise {@link CliError}. */
export function readJSONFile(file: string): unknown {
  const read = readTextFile(file);
  if ('reason' in read) throw new CliError([`${file}: cannot read: ${read.reason}`]);
  const text = read.text;
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliError([`${file}: invalid JSON${locate(text, (e as Error).message)}`]);
  }
}

/** Runs a parser over a file's JSON, turning its {@link InputError} into lines naming the file. */
export function parseJSONFile<T>(file: string, parse: (value: unknown) => T): T {
  const value = readJSONFile(file);
  try {
    return parse(value);
  } catch (e) {
    if (e instanceof InputError) throw new CliError(inputErrorLines(e, file));
    throw e;
  }
}

// Node's messages say "at position N" (or "line L column C" in newer versions); turn either into
// "at line L, column C: <reason>".
function locate(text: string, message: string): string {
  // One line: some of Node's messages quote the text around the problem, newlines and all.
  const reason = message.replace(/\s*in JSON at position \d+.*$/s, '').replace(/\s*\(line \d+ column \d+\)$/, '').replace(/\s+/g, ' ');
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return ` at line ${lc[1]}, column ${lc[2]}: ${reason}`;
  const pos = /position (\d+)/.exec(message);
  if (pos) {
    const at = Number(pos[1]);
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const column = at - before.lastIndexOf('\n');
    return ` at line ${line}, column ${column}: ${reason}`;
  }
  if (text.trim() === '') return ': the file is empty';
  return `: ${reason}`;
}
