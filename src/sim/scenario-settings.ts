// Which strategy a scenario's `settings:` belong to: the one its `strategy:` names. The simulator,
// `compare` and `run --print-scenario` all ask this, by the strategy's name (a module whose
// strategy is named `diego` takes a diego scenario's settings, as the simulator gives them).
import type { Strategy } from '../core/strategy.js';
import type { Scenario } from './scenario.js';

/** The settings `scenario` gives `strategy`: its `settings:` when it names that strategy, else none. */
export function scenarioSettingsFor(strategy: Pick<Strategy, 'name'>, scenario: Pick<Scenario, 'strategy' | 'settings'>): Readonly<Record<string, number>> {
  return strategy.name === scenario.strategy ? scenario.settings : {};
}
