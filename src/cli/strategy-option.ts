import { InputError } from '../core/json/problems.js';
import { resolveSettings } from '../core/settings.js';
import type { Strategy } from '../core/strategy.js';
import { DEFAULT_STRATEGY, findStrategy } from '../core/strategies/index.js';
import type { Scenario } from '../scenario/types.js';
import { scenarioSettingsFor } from '../sim/scenario-settings.js';
import { loadStrategy } from '../io/load-strategy.js';
import { CliError } from './cli-error.js';

/**
 * Loads a strategy named on the command line (a built-in name or a module path), turning problems
 * into a CliError that names where it came from: `--strategy` by default, or `what` (`check`'s
 * argument is `<strategy>`, not a flag).
 */
export async function strategyFrom(spec: string, what = '--strategy'): Promise<Strategy> {
  try {
    return await loadStrategy(spec);
  } catch (e) {
    if (e instanceof InputError) throw new CliError(e.problems.map((p) => `${what}: ${p.message}`));
    throw e;
  }
}

/** Checks `--set` values against `strategy`; problems name the flag and the setting. */
export function checkSetFlags(strategy: Strategy, set: Readonly<Record<string, number>>): void {
  try {
    resolveSettings(strategy, set, '');
  } catch (e) {
    if (e instanceof InputError) throw new CliError(e.problems.map((p) => `--set ${p.path}: ${p.message}`));
    throw e;
  }
}

/** Checks a scenario file's `settings:` against the strategy they belong to; problems name the file and the field. */
export function checkScenarioSettings(strategy: Strategy, settings: Readonly<Record<string, number>>, file: string): void {
  try {
    resolveSettings(strategy, settings, 'settings');
  } catch (e) {
    if (e instanceof InputError) throw new CliError(e.problems.map((p) => `${file}: ${p.path}: ${p.message}`));
    throw e;
  }
}

/**
 * The strategy a run uses (the flag's, else the scenario's built-in one; undefined for an unknown
 * name, which the simulator reports) and its resolved settings: the scenario's own (for the
 * strategy they name) under `--set`. The file's bad settings are the file's problem, `--set`'s the
 * flag's.
 */
export function runStrategy(flagged: Strategy | undefined, scenario: Pick<Scenario, 'strategy' | 'settings'>, set: Readonly<Record<string, number>> | undefined, file: string): { strategy: Strategy | undefined; settings: Record<string, number> } {
  const strategy = flagged ?? findStrategy(scenario.strategy ?? DEFAULT_STRATEGY);
  if (!strategy) return { strategy, settings: { ...scenario.settings, ...set } };
  const base = scenarioSettingsFor(strategy, scenario);
  checkScenarioSettings(strategy, base, file);
  if (set) checkSetFlags(strategy, set);
  return { strategy, settings: { ...resolveSettings(strategy, { ...base, ...set }) } };
}
