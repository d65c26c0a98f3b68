/**
 * auctionlab/sim: the deterministic simulator of a Diego deployment, for people who study a
 * strategy over time (faults, pushes, convergence) rather than one auction.
 *
 * It runs scenarios: read one from a YAML or JSON file (or a bundled name), simulate it, read the
 * result's figures, time series and digest. The same scenario, options and version give the same
 * result on any machine.
 *
 * ```ts
 * import { loadScenarioFile, resolveScenarioPath, simulate } from 'auctionlab/sim';
 * const result = simulate(loadScenarioFile(resolveScenarioPath('zone-outage')), { strategy: 'diego', seed: 1 });
 * console.log(result.summary.missingAtEnd, result.digest);
 * ```
 *
 * The metric functions the summary is made of (`distributionScore`, `jainIndex`, `percentiles`, ...)
 * are pure functions of cell states and numbers and live in `auctionlab` itself.
 * @packageDocumentation
 */
// This entry sits at the root of src/ rather than in src/sim/ because it also re-exports scenario
// loading, which the layers place above the simulator (the scenario parser reads the simulator's
// event kinds; the simulator never reads files).
export { MAX_TIMELINE_FRAMES, simulate, startSimulation, type ExplainRequest, type SimulateOptions, type Simulation } from './sim/simulate.js';
export { DIEGO_METRICS, type DiegoMetrics, type ExpectationResult, type FaultRecovery, type PlacementReasons, type RunExplanation, type RunResult, type RunSummary, type SafetyReport, type Sample, type SummaryAt } from './results/run-result.js';
export { safetyCheckpoints } from './sim/safety-checks.js';
export type { EventLows, RouteLow } from './sim/routes.js';
export type { AppStatus, InstanceStatus } from './sim/status.js';
// The shapes of results that the metrics define: named here so that a result can be typed from this
// entry alone (the functions that compute them are in `auctionlab`).
export type { Percentiles } from './metrics/percentiles.js';
export type { Utilisation } from './metrics/packing.js';
export type { CellStatus, PlacementApp, PlacementCell, PlacementSnapshot } from './metrics/placement-snapshot.js';
export { TimelineRecorder, type CellChange, type PlacementTimeline } from './metrics/placement-timeline.js';

export type * from './scenario/types.js';
export { parseDuration, parseScenario, SCENARIO_LIMITS, type ParseOptions } from './scenario/parse.js';
export type { ScenarioFile } from './scenario/schema/scenario.js';
export { scenarioDocument } from './scenario/write.js';
export { loadScenarioFile, parseScenarioText, ScenarioFileError } from './scenario/load.js';
export { BUNDLED_SCENARIOS, LARGE_BUNDLED_SCENARIOS, bundledScenarioDir, resolveScenarioPath } from './scenario/bundled.js';
// The event kinds as users read them (names, docs, which are faults); the kinds' parsers and
// appliers are the simulator's own.
export { EVENT_KIND_INFO, FAULT_EVENT_KINDS, type EventKindInfo, type FaultEventKind } from './sim/events/registry.js';
export type { EventDocs } from './sim/events/kind.js';
// The metric registry: the compared figures with their names, units and directions.
export { formatMetric, metricsOf, metricTitle, RUN_METRICS, type MetricSource, type MetricSpec, type MetricUnit } from './results/run-metrics.js';
