// The validated scenario: the world's description and its timed events.
import type { ScenarioEvent } from './events/registry.js';
import type { WorldSpec } from './scenario-types.js';

/** A complete, validated scenario with every default filled in. */
export interface Scenario extends WorldSpec {
  /** Timed events, in time order. */
  events: ScenarioEvent[];
}
