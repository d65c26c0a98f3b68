/** One thing wrong with an input: where (a field path such as `cells[3].Zone`) and what. */
export interface Problem {
  /** Field path from the document root, e.g. `cells[3].AvailableResources.MemoryMB`; empty for the root. */
  path: string;
  /** What was expected and what was found, e.g. `expected a whole number >= 0, got "lots"`. */
  message: string;
}

/**
 * Thrown when an input (a batch, a cell state, a scenario) is not valid. It carries every problem
 * found, each with its field path, so a caller can print one precise line per problem.
 */
export class InputError extends Error {
  /** Every problem found, in document order. */
  readonly problems: readonly Problem[];

  /** An error listing `problems`, one per line in its message. */
  constructor(problems: readonly Problem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'InputError';
    this.problems = problems;
  }
}

/** Formats a problem as `path: message` (or just the message at the root). */
export function formatProblem(p: Problem): string {
  return p.path === '' ? p.message : `${p.path}: ${p.message}`;
}

/** Describes a JSON value briefly for an error message: `"lots"`, `1.5`, `null`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const s = value.length > 40 ? `${value.slice(0, 37)}...` : value;
      return JSON.stringify(s);
    }
    case 'number':
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}
