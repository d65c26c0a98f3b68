import { resolveScenarioPath } from '../scenario/bundled.js';
import { loadScenarioFile, ScenarioFileError } from '../scenario/load.js';
import { MAX_DURATION_MS, parseDuration, SCENARIO_LIMITS } from '../scenario/parse.js';
import type { Scenario } from '../scenario/types.js';
import { CliError } from './cli-error.js';

/** Loads a `<scenario>` argument (a file or a bundled name); problems become one line each. */
export function scenarioFrom(arg: string, flags: { allowLarge?: boolean } = {}): { file: string; scenario: Scenario } {
  const file = resolveScenarioPath(arg);
  try {
    return { file, scenario: loadScenarioFile(file, { allowLarge: flags.allowLarge === true }) };
  } catch (e) {
    if (e instanceof ScenarioFileError) throw new CliError(e.lines);
    throw e;
  }
}

/** Parses a `--duration` value, or returns undefined when the flag was not given; over a day needs `--allow-large`. */
export function durationFrom(value: string | undefined, flags: { allowLarge?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new CliError([`--duration: expected a duration such as 90s, 10m or 1h30m, got ${JSON.stringify(value)}`]);
  if (ms > MAX_DURATION_MS) throw new CliError([`--duration: expected at most 30 days (720h), got ${value}`]);
  if (ms > SCENARIO_LIMITS.durationMs && flags.allowLarge !== true) throw new CliError([`--duration: expected at most 24h, got ${value} (--allow-large lifts this limit)`]);
  return ms;
}

/** The `--allow-large` flag's help (run, compare and check take it). */
export const ALLOW_LARGE_HELP = `accept a scenario past the size limits (${n(SCENARIO_LIMITS.cells)} cells, ${n(SCENARIO_LIMITS.instances)} instances, ${n(SCENARIO_LIMITS.tasks)} tasks, ${n(SCENARIO_LIMITS.events)} events, 24h simulated); give Node's heap about 2 KB per instance`;

function n(x: number): string {
  return x.toLocaleString('en-US');
}
