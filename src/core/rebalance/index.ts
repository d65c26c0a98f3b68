// The rebalancing policies by name. `none` is Diego today: no rebalancer runs at all.
import { greedy } from './greedy.js';
import { lowNodeUtilization } from './low-node-utilization.js';
import type { RebalancePolicy } from './policy.js';

export { greedy } from './greedy.js';
export { lowNodeUtilization } from './low-node-utilization.js';
export type { MoveBudget, RebalanceMove, RebalancePolicy, RebalanceSettings } from './policy.js';

/** The names a scenario's `rebalance.policy` takes: `none` (Diego today) and each policy's. */
export const REBALANCE_POLICY_NAMES = ['none', 'greedy', 'low-node-utilization'] as const;

/** A name of {@link REBALANCE_POLICY_NAMES}. */
export type RebalancePolicyName = (typeof REBALANCE_POLICY_NAMES)[number];

/** The policies that act, by name (`none` has none). */
export const REBALANCE_POLICIES: ReadonlyMap<string, RebalancePolicy> = new Map([
  [greedy.name, greedy],
  [lowNodeUtilization.name, lowNodeUtilization],
]);
