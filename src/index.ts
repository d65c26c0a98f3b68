/**
 * auctionlab: Diego's auction core as a library, for people who place work on cells or write a
 * strategy of their own.
 *
 * `schedule()` runs one auction in memory over Diego-shaped cell states; the model types use
 * Diego's JSON names; strategies are sans-I/O protocols that any driver (in memory, simulator,
 * HTTP) can run; Diego's convergence rules are pure functions; the metrics are pure functions of
 * cell states. It does no I/O. The simulator is `auctionlab/sim`, the strategy checks
 * `auctionlab/testing`, the reports `auctionlab/report`.
 *
 * ```ts
 * import { parseScheduleInput, schedule } from 'auctionlab';
 * const result = schedule(parseScheduleInput(JSON.parse(batchJson)), { strategy: 'diego', seed: 1 });
 * ```
 * @packageDocumentation
 */
// The scheduler's data structures (the cluster snapshot, its scratch arrays, the placement index),
// the helpers built on the snapshot (the filtered strategies' chooser kit, the snapshot commit), the
// hashes and the batch's symbol slots are internals: they change with the optimisations and are not
// exported. `referenceScheduleBatch` stays: it is Diego's loop written plainly, over the public
// types, and an oracle for a Diego variant of one's own.
export type { CellState, LRP, Task } from './core/model/cell-state.js';
export type { PlacementConstraint, ResourceRequest, Resources } from './core/model/resources.js';
export type { RootFSProvider, RootFSProviders, RootFSURL } from './core/model/rootfs.js';
export { matchRootFS, parseRootFS } from './core/model/rootfs.js';
export type { LRPStartRequest, TaskStartRequest, Work } from './core/model/requests.js';
export { emptyCellState, type EmptyCellSpec } from './core/model/empty-cell.js';
export type { Auction, AuctionBatch, LRPAuction, TaskAuction } from './core/model/auctions.js';

export { InputError, formatProblem, type Problem } from './core/json/problems.js';
export type { JSONObject } from './core/json/reader.js';
export { cellStateToJSON, lrpToJSON, parseCellState, taskToJSON } from './core/json/cell-state-json.js';
export {
  lrpStartRequestToJSON,
  parseLRPStartRequests,
  parseTaskStartRequests,
  parseWork,
  taskStartRequestToJSON,
  workToJSON,
} from './core/json/requests-json.js';
export { parseScheduleInput } from './core/json/schedule-input.js';

export {
  ALL_PROBLEMS,
  ERR_CELL_COMMUNICATION,
  ERR_INFLIGHT_LIMIT,
  ERR_ROOTFS,
  ERR_VOLUME_DRIVERS,
  EVERY_PROBLEM,
  gpuModelMismatch,
  insufficientResources,
  placementTagMismatch,
  PROBLEM_CONTAINERS,
  PROBLEM_CPU,
  PROBLEM_DISK,
  PROBLEM_GPU,
  PROBLEM_MEMORY,
  problemNames,
  type ResourceProblems,
} from './core/errors.js';
export { extraProblems, filterError, filterStage, FilterStage, matchGpuModel, matchPlacementTags, matchVolumeDrivers, resourceProblems, type ExtraRequest } from './core/filters.js';
export { gpuAsk, gpuFree, gpusFit, pickGpus, WHOLE_GPU, type GpuAsk } from './core/model/gpus.js';
export { copyResources } from './core/model/copy-resources.js';
export { LOCALITY_OFFSET, lrpScoreTerms, resourceScore, scoreLRP, scoreTask, taskScoreTerms, type ScoreTerms, type ScoreWeights } from './core/scoring.js';
export { explainDiegoBatch } from './core/explain/explain-diego.js';
export { explainByMessages, MESSAGES_RULE } from './core/explain/explain-by-messages.js';
export type { AuctionDecider, AuctionExplanation, ExplainedOutcome, CellVerdict, FilterName, ZoneStep } from './core/explain/explanation.js';
export { summarizeExplanation, type ExplanationSummary, type SummaryOfOutcome, type VerdictGroup, type VerdictOf } from './core/explain/summary.js';
export { buildBatch, lrpAuctionId, type BuildBatchOptions, type BuiltBatch } from './core/batch.js';
export { placementOrder } from './core/placement-order.js';

export { DIEGO_DEFAULTS, type DiegoSettings, type ScheduledBatch, type ScheduledFailure, type ScheduledPlacement } from './core/scheduler/diego-scheduler.js';
export { referenceScheduleBatch, type AuctionTrace } from './core/scheduler/reference-scheduler.js';

export type { Ack, Inbox, Outbox, Refusal, Reply, Request, RequestKind } from './core/protocol/messages.js';
export type {
  AuctionOutcome,
  AuctionProtocol,
  Failure,
  Placement,
  SettingSpec,
  Strategy,
  StrategyContext,
  StrategySettings,
} from './core/strategy.js';
export { resolveSettings } from './core/settings.js';
export { DEFAULT_STRATEGY, findStrategy, STRATEGIES } from './core/strategies/index.js';
export { diegoStrategy, rejectedAtCommit, STATE_FETCH_ATTEMPTS } from './core/strategies/diego.js';
export { ERR_NO_RESERVATION, randomStrategy } from './core/strategies/random.js';
export { bestFitStrategy } from './core/strategies/best-fit.js';
export { firstFitStrategy } from './core/strategies/first-fit.js';
export { roundRobinStrategy } from './core/strategies/round-robin.js';
export { worstFitStrategy } from './core/strategies/worst-fit.js';
export { adaptivePercentage, feasibleToFind, kubernetesStrategy } from './core/strategies/kubernetes.js';
export { nomadLimit, nomadStrategy } from './core/strategies/nomad.js';
export { sparrowStrategy } from './core/strategies/sparrow.js';
export { BIDDING_SETTINGS, makeBidding, multiplex, type Algorithm, type AuctionEnv, type Sub, type SubResult, type Unit } from './core/strategies/bidding.js';
export { allRebidStrategy } from './core/strategies/all-rebid.js';
export { allReserveStrategy } from './core/strategies/all-reserve.js';
export { compareToPercentileStrategy } from './core/strategies/compare-to-percentile.js';
export { pickAmongBestStrategy } from './core/strategies/pick-among-best.js';
export { pickBestStrategy } from './core/strategies/pick-best.js';
export { reserveNBestStrategy } from './core/strategies/reserve-n-best.js';
export { failAll, fetchStates, type Fetched } from './core/strategies/protocol-steps.js';
export { ERR_CELL_ID_MISMATCH, LRPHandle, MemoryRep, STARTING_STATE, type RepHandler } from './core/rep/memory-rep.js';
export { driveInMemory, ERR_NO_SUCH_CELL, type DriveResult } from './core/driver/in-memory.js';
export { shuffleInPlace, streamFor, type Rng } from './core/random.js';

export {
  schedule,
  type CellPlacements,
  type PlacedLRP,
  type PlacedTask,
  type PlacementFailure,
  type ScheduleCounters,
  type ScheduleInput,
  type ScheduleOptions,
  type ScheduleResult,
} from './core/schedule.js';

export { CRASH_RESET_AFTER_MS, crashCountAfterCrash, mayRestart, MAX_CRASHES, restartDelayMs } from './core/convergence/crash-restart.js';
export {
  decideLRPGroup,
  decideTask,
  LRP_ACTION,
  TASK_ACTION,
  type LRPGroupView,
  type LRPRecordView,
  type TaskDecision,
  type TaskLimits,
  type TaskRecordView,
} from './core/convergence/decide.js';
export {
  CONVERGENCE_DEFAULTS,
  ERR_TASK_CANCELLED,
  ERR_TASK_CELL_DISAPPEARED,
  ERR_TASK_CONTAINER_GONE,
  ERR_TASK_NOT_STARTED,
  lrpTransitionAllowed,
  taskTransitionAllowed,
  type ConvergenceSettings,
  type LRPPresence,
  type LRPState,
  type TaskState,
} from './core/convergence/states.js';

// The metrics: pure functions of cell states and numbers, for a schedule() result as much as for a
// simulated run (whose summary is made of them; its result types are in auctionlab/sim).
export { coefficientOfVariation, distributionScore, memoryUsedPerCell } from './metrics/distribution.js';
export { percentile, percentiles, type Percentiles } from './metrics/percentiles.js';
export { jainIndex, maxMinusMin, zoneSkew, type ZoneSkew } from './metrics/balance.js';
export { cellsNeeded, commonLRPSize, failuresByReason, sortedCounts, strandedMemoryMB, utilisation, type Utilisation } from './metrics/packing.js';
