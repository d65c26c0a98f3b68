// A scenario's auto-rebalancer (`rebalance:`): its schema and reader. The policies are
// core/rebalance/; the actor that carries their moves out is sim/rebalancer.ts.
import { Type } from '@sinclair/typebox';
import { childPath, Reader } from '../../core/json/reader.js';
import { integer, number, object, say, withDefaults } from '../../core/json/schema-says.js';
import { REBALANCE_POLICY_NAMES, type RebalancePolicyName } from '../../core/rebalance/index.js';
import { durationMs, durationSchema } from '../../sim/field-schemas.js';
import type { RebalanceSpec } from '../../sim/scenario-types.js';

/** The `rebalance:` entry. */
export const rebalanceSchema = object(
  {
    policy: say(
      Type.Unsafe<RebalancePolicyName>({
        type: 'string',
        enum: [...REBALANCE_POLICY_NAMES],
        description: 'none (Diego today: nothing moves), greedy (most loaded cell to least loaded), low-node-utilization (the Kubernetes descheduler: overused cells give instances, the auction places them).',
      }),
      { expected: (v) => (typeof v === 'string' || v === undefined ? REBALANCE_POLICY_NAMES.join(', ').replace(/, (?=[^,]*$)/, ' or ') : 'a string') },
    ),
    every: Type.Optional(durationSchema({ default: '30s', description: 'How often the rebalancer looks at the cells (assumed: Diego has no rebalancer).' })),
    from: Type.Optional(durationSchema({ default: '0s', description: 'When it first looks.' })),
    until: Type.Optional(durationSchema({ description: 'When it stops looking; moves under way still finish (default: the end of the run).' })),
    movesPerInterval: Type.Optional(integer({ min: 0, max: 100_000, default: 10, description: 'Moves it may start per interval.' })),
    inFlightPerApp: Type.Optional(integer({ min: 1, max: 100_000, default: 1, description: 'Instances of one app moving at once.' })),
    floor: Type.Optional(number({ min: 0, max: 1, default: 0.5, description: "Share of an app's desired instances kept routable: a move starts only if that many stay routable with every moving instance counted as gone." })),
    low: Type.Optional(number({ min: 0, max: 1, default: 0.2, description: "low-node-utilization: a cell under this share of each of its memory, disk and containers in use is underused (the descheduler's thresholds)." })),
    high: Type.Optional(number({ min: 0, max: 1, default: 0.5, description: "low-node-utilization: a cell over this share of any of them is overused (the descheduler's targetThresholds)." })),
  },
  { expected: 'a rebalancer {policy, every, movesPerInterval, ...}', description: 'The auto-rebalancer (none when absent, as in Diego).' },
);

/** A checked `rebalance:` entry as the simulator takes it. */
export function readRebalance(r: Reader, value: unknown, path: string): RebalanceSpec {
  const o = withDefaults(rebalanceSchema, value);
  const everyMs = durationMs(o.every, 30_000);
  // A rebalancer looking more often than it can hear back from the cells would pile up its fetches.
  if (everyMs < 1000) r.report(childPath(path, 'every'), `expected a duration of at least 1s, got ${everyMs}ms`);
  const untilMs = o.until === undefined ? null : durationMs(o.until, 0);
  if (untilMs !== null && untilMs < durationMs(o.from, 0)) r.report(childPath(path, 'until'), `expected a time at or after from, got ${untilMs}ms`);
  // Said of both (either may be its default: ajv fills defaults in before the reader looks).
  if (typeof o.low === 'number' && typeof o.high === 'number' && o.low > o.high) r.report(path, `expected low at most high, got low ${o.low} and high ${o.high} (defaults 0.2 and 0.5)`);
  return {
    policy: o.policy,
    everyMs,
    fromMs: durationMs(o.from, 0),
    untilMs,
    movesPerInterval: o.movesPerInterval!,
    inFlightPerApp: o.inFlightPerApp!,
    floor: o.floor!,
    low: o.low!,
    high: o.high!,
  };
}

/**
 * A scenario's rebalancer with another policy (`run --rebalance`, `compare --rebalance`): its own
 * settings kept, or every setting at its default when it has none.
 */
export function withRebalancePolicy(spec: RebalanceSpec | undefined, policy: RebalancePolicyName): RebalanceSpec {
  return spec !== undefined ? { ...spec, policy } : readRebalance(new Reader(), { policy }, 'rebalance');
}

/** A `--rebalance` value as a policy name, or the line that says what was expected. */
export function rebalancePolicyOf(flag: string, value: string): RebalancePolicyName | { error: string } {
  const name = REBALANCE_POLICY_NAMES.find((n) => n === value.trim());
  return name ?? { error: `${flag}: expected ${REBALANCE_POLICY_NAMES.join(', ').replace(/, (?=[^,]*$)/, ' or ')}, got ${JSON.stringify(value)}` };
}
