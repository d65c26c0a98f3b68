import { formatProblem, type InputError } from '../core/json/problems.js';

/** Exit codes: 0 ok, 1 a run failed (an invariant or expectation broke), 2 bad input. */
export const EXIT_OK = 0;
/** A run failed. */
export const EXIT_RUN_FAILED = 1;
/** Bad input: a file, a flag, a setting. */
export const EXIT_BAD_INPUT = 2;

/** An error the CLI reports as lines of text and an exit code, never a stack trace. */
export class CliError extends Error {
  /** Lines to print on stderr. */
  readonly lines: readonly string[];
  /** Exit code. */
  readonly exitCode: number;

  /** An error reported as `lines` on stderr with `exitCode` (bad input by default). */
  constructor(lines: readonly string[], exitCode = EXIT_BAD_INPUT) {
    super(lines.join('\n'));
    this.name = 'CliError';
    this.lines = lines;
    this.exitCode = exitCode;
  }
}

/** Turns an {@link InputError} into CLI lines prefixed by where the input came from (a file name). */
export function inputErrorLines(err: InputError, source: string): string[] {
  return err.problems.map((p) => `${source}: ${formatProblem(p)}`);
}
