import { InputError, type Problem } from './json/problems.js';
import type { Strategy, StrategySettings } from './strategy.js';

/**
 * Resolves a strategy's settings: defaults, overridden by `overrides`. Unknown names, values that
 * are not numbers, out of range or not whole where whole numbers are required are all reported at
 * once in an {@link InputError} whose paths are `<prefix>.<name>`.
 */
export function resolveSettings(
  strategy: Strategy,
  overrides: Readonly<Record<string, unknown>> = {},
  prefix = strategy.name,
): StrategySettings {
  const out: Record<string, number> = {};
  const problems: Problem[] = [];
  for (const spec of strategy.settings) out[spec.name] = spec.default;
  for (const [name, value] of Object.entries(overrides)) {
    const path = prefix === '' ? name : `${prefix}.${name}`;
    const spec = strategy.settings.find((s) => s.name === name);
    if (!spec) {
      const known = strategy.settings.map((s) => s.name);
      problems.push({
        path,
        message:
          known.length === 0
            ? `unknown setting (strategy ${strategy.name} has no settings)`
            : `unknown setting (expected one of: ${known.join(', ')})`,
      });
      continue;
    }
    const what = spec.integer ? 'a whole number' : 'a number';
    if (typeof value !== 'number' || !Number.isFinite(value) || (spec.integer && !Number.isInteger(value)) || value < spec.min || value > spec.max) {
      const range = spec.max === Number.MAX_SAFE_INTEGER || spec.max === Infinity ? `>= ${spec.min}` : `from ${spec.min} to ${spec.max}`;
      problems.push({ path, message: `expected ${what} ${range}, got ${JSON.stringify(value) ?? String(value)}` });
      continue;
    }
    out[name] = value;
  }
  if (problems.length > 0) throw new InputError(problems);
  return Object.freeze(out);
}
