import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageFolder } from '../io/package-folder.js';

/** The bundled scenarios' directory (`scenarios/` at the package root, from src or dist). */
export function bundledScenarioDir(): string {
  return packageFolder('scenarios', 'default.yaml');
}

/** Names of the bundled scenarios. */
export const BUNDLED_SCENARIOS = ['default', 'diego-cold-start', 'diego-stress-250k', 'rolling-upgrade', 'zone-outage', 'task-storm', 'push-storm', 'rolling-deploy', 'isolation-segments', 'alibaba-openb', 'rebalance-after-recovery'] as const;

/**
 * Bundled scenarios past the size limits (`SCENARIO_LIMITS`): run by name like the others, with
 * `--allow-large` (`loadScenarioFile(file, { allowLarge: true })` in code). `diego-x10` is ten times
 * Diego's scale target (2,500,000 instances on 12,500 cells).
 */
export const LARGE_BUNDLED_SCENARIOS = ['diego-x10'] as const;

/**
 * Resolves what a user typed: an existing file path as is, or a bundled scenario's name
 * (`zone-outage`) to its file.
 */
export function resolveScenarioPath(arg: string): string {
  if (existsSync(arg)) return arg;
  const named = join(bundledScenarioDir(), `${arg}.yaml`);
  return existsSync(named) ? named : arg;
}
