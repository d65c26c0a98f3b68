import { InputError } from '../core/json/problems.js';
import { resolveSettings } from '../core/settings.js';
import type { Strategy } from '../core/strategy.js';
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
