import { InputError } from '../core/json/problems.js';
import type { Strategy } from '../core/strategy.js';
import { loadStrategy } from '../io/load-strategy.js';
import { CliError } from './cli-error.js';

/** Loads `--strategy` (a built-in name or a module path), turning problems into a CliError. */
export async function strategyFrom(spec: string): Promise<Strategy> {
  try {
    return await loadStrategy(spec);
  } catch (e) {
    if (e instanceof InputError) throw new CliError(e.problems.map((p) => `--strategy: ${p.message}`));
    throw e;
  }
}
