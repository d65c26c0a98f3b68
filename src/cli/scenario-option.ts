import { resolveScenarioPath } from '../scenario/bundled.js';
import { loadScenarioFile, ScenarioFileError } from '../scenario/load.js';
import { durationProblem, parseDuration, sampleIntervalFloorMs, SCENARIO_LIMITS } from '../scenario/parse.js';
import { durationText } from '../sim/field-writers.js';
import type { Scenario } from '../scenario/types.js';
import { rebalancePolicyOf, withRebalancePolicy } from '../scenario/schema/rebalance.js';
import { CliError } from './cli-error.js';
import { HEAP_BYTES_PER_INSTANCE, kbText } from './heap-advice.js';

/**
 * Loads a `<scenario>` argument (a file or a bundled name); problems become one line each. `rebalance`
 * (run's `--rebalance`) puts the scenario's rebalancer on that policy.
 */
export function scenarioFrom(arg: string, flags: { allowLarge?: boolean; rebalance?: string } = {}): { file: string; scenario: Scenario } {
  const file = resolveScenarioPath(arg);
  try {
    const scenario = loadScenarioFile(file, { allowLarge: flags.allowLarge === true });
    if (flags.rebalance === undefined) return { file, scenario };
    const policy = rebalancePolicyOf('--rebalance', flags.rebalance);
    if (typeof policy === 'object') throw new CliError([policy.error]);
    return { file, scenario: { ...scenario, rebalance: withRebalancePolicy(scenario.rebalance, policy) } };
  } catch (e) {
    if (e instanceof ScenarioFileError) throw new CliError(e.lines);
    throw e;
  }
}

/**
 * Parses a `--duration` value for a run of `scenario`, or returns undefined when the flag was not
 * given. The same bounds as a file's duration hold: over a day needs `--allow-large`, never over 30
 * days, and at most 100,000 samples at the scenario's sample interval.
 */
export function durationFrom(value: string | undefined, scenario: Pick<Scenario, 'sampleIntervalMs'>, flags: { allowLarge?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined || ms <= 0) throw new CliError([`--duration: expected a duration such as 90s, 10m or 1h30m, got ${JSON.stringify(value)}`]);
  const wrong = durationProblem(ms, flags.allowLarge === true, value);
  if (wrong !== null) throw new CliError([`--duration: ${wrong}`]);
  if (scenario.sampleIntervalMs < sampleIntervalFloorMs(ms)) {
    const most = durationText(scenario.sampleIntervalMs * 100_000);
    throw new CliError([`--duration: expected at most ${most} (100,000 samples at the scenario's sampleInterval of ${durationText(scenario.sampleIntervalMs)}), got ${JSON.stringify(value)}`]);
  }
  return ms;
}

/** The scenario's events a run ending at `endMs` carries out, and those it cuts off (a shorter `--duration`). */
export function eventsWithin(scenario: Pick<Scenario, 'events'>, endMs: number): { kept: Scenario['events']; cut: Scenario['events'] } {
  return { kept: scenario.events.filter((e) => e.at <= endMs), cut: scenario.events.filter((e) => e.at > endMs) };
}

/** The `--allow-large` flag's help (run, compare and check take it). */
export const ALLOW_LARGE_HELP = `accept a scenario past the size limits (${n(SCENARIO_LIMITS.cells)} cells, ${n(SCENARIO_LIMITS.instances)} instances, ${n(SCENARIO_LIMITS.tasks)} tasks, ${n(SCENARIO_LIMITS.events)} events, ${durationText(SCENARIO_LIMITS.durationMs)} simulated); give Node's heap about ${kbText(HEAP_BYTES_PER_INSTANCE)} per instance (NODE_OPTIONS=--max-old-space-size=<MiB>; run, compare and check warn when a scenario comes near the limit)`;

function n(x: number): string {
  return x.toLocaleString('en-US');
}
