import { resolveScenarioPath } from '../scenario/bundled.js';
import { loadScenarioFile, ScenarioFileError } from '../scenario/load.js';
import { parseDuration } from '../scenario/parse.js';
import type { Scenario } from '../scenario/types.js';
import { CliError } from './cli-error.js';

/** Loads a `<scenario>` argument (a file or a bundled name); problems become one line each. */
export function scenarioFrom(arg: string): { file: string; scenario: Scenario } {
  const file = resolveScenarioPath(arg);
  try {
    return { file, scenario: loadScenarioFile(file) };
  } catch (e) {
    if (e instanceof ScenarioFileError) throw new CliError(e.lines);
    throw e;
  }
}

/** Parses a `--duration` value, or returns undefined when the flag was not given. */
export function durationFrom(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new CliError([`--duration: expected a duration such as 90s, 10m or 1h30m, got ${JSON.stringify(value)}`]);
  return ms;
}
