/**
 * auctionlab/testing: the convergence checks auctionlab runs on its own strategies, for yours.
 *
 * ```ts
 * import { checkStrategy } from 'auctionlab/testing';
 * const report = checkStrategy(myStrategy, { runs: 50 });
 * expect(report.ok).toBe(true);
 * ```
 * @packageDocumentation
 */
export { checkStrategy, DEFAULT_CHECK_RUNS, properties, scenarioProperty, stepThrough, type CheckOptions, type CheckReport, type PropertyResult, type StrategyProperty } from './check-strategy.js';
export { checkConverged, checkSafety, type Violation, type WorldView } from '../sim/invariants.js';
import * as arbitraries from './arbitraries.js';
import * as plans from './plan.js';

/** fast-check arbitraries for clusters, workloads and fault plans, to write properties of your own. */
export { arbitraries, plans };
export type { Action, FaultKind, Step } from './plan.js';
