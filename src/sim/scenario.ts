// The validated scenario: the world's description and its timed events.
import type { ScenarioEvent } from './events/registry.js';
import type { WorldSpec } from './scenario-types.js';

/** A complete, validated scenario with every default filled in. */
export interface Scenario extends WorldSpec {
  /** Timed events, in time order. */
  events: ScenarioEvent[];
}

/** Instances the scenario's apps desire in all (each group's count times its instances). */
export function desiredInstances(sc: Pick<WorldSpec, 'apps'>): number {
  return sc.apps.reduce((n, a) => n + a.count * a.instances, 0);
}
