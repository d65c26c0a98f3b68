import { InputError } from '../core/json/problems.js';
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
