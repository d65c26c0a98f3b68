import type { AuctionExplanation } from '../core/explain/explanation.js';
import type { SummaryOfOutcome } from '../core/explain/summary.js';
// What a simulated run produces: its figures (the summary), its time series, its expectations and
// where everything sits at the end. The simulator writes these; compare, reports and results.json
// read them (so the report reads results, not the simulator's internals).
import type { Utilisation } from '../metrics/packing.js';
import type { Percentiles } from '../metrics/percentiles.js';
import type { PlacementSnapshot } from '../metrics/placement-snapshot.js';
import type { ResourceUse } from '../metrics/resource-use.js';
import type { PlacementTimeline } from '../metrics/placement-timeline.js';
import type { AppStatus } from './app-status.js';
import type { EventLows, RouteLow } from './route-lows.js';

/** One sample of the time series. */
export interface Sample {
  /** Simulated time (ms). */
  t: number;
  /** Desired instances. */
  desired: number;
  /** Desired instances running. */
  running: number;
  /** Desired instances not running. */
  missing: number;
  /** Instances running on live cells that nothing desires (extra indices, deleted apps, superseded copies). */
  extra: number;
  /** CRASHED instances. */
  crashed: number;
  /** Tasks waiting to be placed. */
  pendingTasks: number;
  /** Tasks running. */
  runningTasks: number;
  /** Memory in use over memory of live cells. */
  utilisation: number;
  /** CPU allocated over CPU of live cells that account CPU (only when some cell does). */
  cpuAllocation?: number;
  /** GPU thousandths allocated over those of live cells (only when some cell has GPUs). */
  gpuAllocation?: number;
  /** Messages sent so far. */
  messages: number;
  /** Median wait from request to placement over the placements since the previous sample (ms; null with none). */
  waitP50Ms: number | null;
  /** 99th percentile of the same waits (ms; null with none). */
  waitP99Ms: number | null;
  /** Diego's own metric names (metricz), as a Diego operator reads them on a dashboard. */
  diego: DiegoMetrics;
  /** Routable instances (running, health check passed, on a live cell), all apps. */
  routable: number;
  /** Routable instances per scenario app (the route emitter's routing table). */
  routes: Record<string, number>;
  /** Standard deviation of live cells' share of memory in use (0: all even; scenarios with `rebalance:` only). */
  loadSpread?: number;
  /** Live cells running no instance (scenarios with `rebalance:` only). */
  emptyCells?: number;
}

/**
 * The metrics Diego emits, under Diego's names, sampled with the series. Counters are cumulative
 * from the start of the run; durations are in ms of simulated time.
 */
export interface DiegoMetrics {
  /** LRP auctions placed so far. */
  AuctioneerLRPAuctionsStarted: number;
  /** LRP auctions failed so far. */
  AuctioneerLRPAuctionsFailed: number;
  /** Task auctions placed so far. */
  AuctioneerTaskAuctionsStarted: number;
  /** Task auctions failed so far. */
  AuctioneerTaskAuctionsFailed: number;
  /** How long the latest fetch of every cell's state took (ms). */
  AuctioneerFetchStatesDuration: number;
  /** Convergence passes so far. */
  ConvergenceLRPRuns: number;
  /** How long a convergence pass takes: 0, since the simulated converger takes no simulated time. */
  ConvergenceLRPDuration: number;
  /** Desired instances with no running instance. */
  LRPsMissing: number;
  /** Running instances nothing desires. */
  LRPsExtra: number;
  /** Desired instances running. */
  LRPsRunning: number;
  /** CRASHED instance records. */
  CrashedActualLRPs: number;
  /** Tasks waiting for placement. */
  TasksPending: number;
  /** Tasks running. */
  TasksRunning: number;
  /** Tasks COMPLETED and not yet deleted. */
  TasksCompleted: number;
}

/** Diego's metric names, in the order the CSV lists them. */
export const DIEGO_METRICS: readonly (keyof DiegoMetrics)[] = [
  'AuctioneerLRPAuctionsStarted',
  'AuctioneerLRPAuctionsFailed',
  'AuctioneerTaskAuctionsStarted',
  'AuctioneerTaskAuctionsFailed',
  'AuctioneerFetchStatesDuration',
  'ConvergenceLRPRuns',
  'ConvergenceLRPDuration',
  'LRPsMissing',
  'LRPsExtra',
  'LRPsRunning',
  'CrashedActualLRPs',
  'TasksPending',
  'TasksRunning',
  'TasksCompleted',
];

/** A broken or kept expectation. */
export interface ExpectationResult {
  /** Which expectation. */
  name: string;
  /** Whether it held. */
  ok: boolean;
  /** What was seen. */
  detail: string;
}

/**
 * How one fault's displaced instances came back: those running or starting, as the BBS recorded them,
 * on what the fault hit (a killed, cut-off or drained cell; a crashed instance). Times are from the
 * fault (ms). Crash loops of other apps do not touch these figures.
 */
export interface FaultRecovery {
  /** What happened (`kill`, `evacuate`, `partition`, `killAuctioneer`, `crash`, `slowCell`). */
  kind: string;
  /** What it hit. */
  detail: string;
  /** When (ms). */
  at: number;
  /** Instances it displaced. */
  displaced: number;
  /** Of those, how many ran again within the run (elsewhere, or in place once their zone healed). */
  back: number;
  /** When the BBS first acted on a displaced instance (made it SUSPECT, evacuated, unclaimed it); null: never. */
  noticedAfterMs: number | null;
  /** Until each displaced instance that was placed again was claimed by a cell. */
  placedAfterMs: Percentiles;
  /** Until each displaced instance that came back was running again. */
  runningAfterMs: Percentiles;
  /** Displaced instances whose app was deleted or scaled below them before they came back. */
  noLongerDesired: number;
  /** Displaced instances still desired that had not run again by the end, by why (their record's state). */
  notBack: Record<string, number>;
  /** When the last displaced instance ran again (0: nothing displaced); null while some had not. */
  recoveredAfterMs: number | null;
}

/** What a run's safety checks found (see `safetyCheckpoints` of `auctionlab/sim` for when they run). */
export interface SafetyReport {
  /** Checks made. */
  checks: number;
  /** When the first check that broke ran (ms); null if none did. */
  brokenAtMs: number | null;
  /** What that check found (at most 20): the property and the records involved. */
  violations: { property: string; detail: string }[];
}

/**
 * Work the scenario says was already running when it was desired (`runningOn`: an imported
 * foundation), put on its cells without an auction; what could not be there was auctioned instead.
 */
export interface InitialPlacement {
  /** LRP instances that were running on their cells. */
  instances: number;
  /** Tasks that were running on their cells. */
  tasks: number;
  /** Instances and tasks that could not be on the cell named (full, down, draining, no such cell), auctioned instead. */
  refused: number;
  /** The first 20 of those, each with its cell and why. */
  refusals: string[];
}

/** What the auto-rebalancer did over a run (`rebalance:`; see sim/rebalancer.ts). */
export interface RebalanceSummary {
  /** Its policy. */
  policy: string;
  /** Intervals it looked at the cells (an auctioneer held the lock). */
  looks: number;
  /** Intervals it could not look: no auctioneer held the lock. */
  unled: number;
  /** Moves its policy proposed. */
  proposed: number;
  /** Moves started: the instance's copy made EVACUATING and a replacement asked for. */
  started: number;
  /** Moves done: the replacement ran and was routable, then the old copy stopped. */
  completed: number;
  /** Of those, replacements that landed on the cell the policy chose (policies that choose one). */
  onTarget: number;
  /** Replacements sent to a cell that refused them or did not answer, and auctioned instead. */
  fellBack: number;
  /**
   * Moves called off: no cell would take the replacement (its auction failed), it crashed, or it was
   * neither starting nor running by the evacuation timeout, and the old copy is the instance again;
   * or the index is no longer desired (scaled down, deleted), and the old copy is stopped.
   */
  calledOff: number;
  /** Moves whose old copy was lost (its cell died or was cut off) before its replacement ran. */
  lost: number;
  /** Moves still under way at the end. */
  inFlightAtEnd: number;
  /** Time from a move's start to its old copy stopped (ms; null with none done). */
  moveMs: Percentiles | null;
  /** Messages it sent (state fetches and replacements sent to their cells). */
  messages: number;
  /** Old copies stopped while their app had fewer routable instances than its floor (a fault took others meanwhile). */
  floorBroken: number;
  /** Mean over the run's samples of the spread of load (standard deviation of live cells' share of memory in use, 0 to 1). */
  loadSpreadMean: number;
  /** Live cells running no instance at the end. */
  emptyCellsAtEnd: number;
  /** Breaches of the safe dance (an old copy stopped before its replacement was routable, a move started below the floor): must stay empty. */
  problems: string[];
}

/** What one cron entry's ticks came to (`cron:` in the scenario). */
export interface CronSummary {
  /** The entry. */
  name: string;
  /** Its schedule as written. */
  schedule: string;
  /** Its concurrency policy. */
  concurrency: string;
  /** Ticks that came due within the run. */
  ticks: number;
  /** Ticks whose task was desired (one each). */
  created: number;
  /** Of those, started (RUNNING). */
  started: number;
  /** Started within the entry's lateAfter of the tick. */
  onTime: number;
  /** Started later than that. */
  late: number;
  /** From each started tick to its task's start (ms). */
  latenessMs: Percentiles;
  /** Ticks that never ran: due while no auctioneer held the lock and past the deadline or not the latest, or their task not started within the deadline (cancelled). */
  missed: number;
  /** Ticks the `forbid` policy held back until a later tick replaced them (the previous tick's task still pending or running). */
  skipped: number;
  /** Ticks with no task yet when the run ended (held back by forbid, waiting for an auctioneer to hold the lock, or their record on its way). */
  waiting: number;
  /** Tasks cancelled by the `replace` policy for a newer tick. */
  replaced: number;
  /** Ticks sent again whose task the BBS already had, and refused: each would have been a second run. */
  duplicatesRejected: number;
  /** Tick tasks completed successfully. */
  succeeded: number;
  /** Tick tasks that failed (cancelled, their cell lost, not placed), by reason. */
  failures: Record<string, number>;
}

/** The figures of a run. */
export interface RunSummary {
  /** Auction batches run. */
  auctions: number;
  /** Auctions (instances and tasks) placed. */
  placed: number;
  /** Auctions failed. */
  failed: number;
  /** Failures by reason. */
  failuresByReason: Record<string, number>;
  /** Placed but never confirmed by the cell. */
  unconfirmed: number;
  /** Diego's distribution score over live cells at the end. */
  distributionScore: number;
  /** Balance at the end, over live cells: memory spread (MB), Jain's index of memory used, per-app zone skew. */
  balance: { memorySpreadMB: number; jainIndex: number; zoneSkewMax: number; zoneSkewMean: number };
  /** Packing at the end, over live cells: utilisation, stranded memory, cells needed if compacted, live cells. */
  packing: { utilisation: Utilisation; strandedMemoryMB: number; cellsNeeded: number; liveCells: number };
  /** CPU and GPU figures at the end, over live cells: only when the cluster carries CPU or GPUs. */
  resources?: ResourceUse;
  /** Work already running when it was desired (only when the scenario has some: `runningOn`). */
  initial?: InitialPlacement;
  /** Each cron entry's ticks (only when the scenario has cron entries). */
  cron?: CronSummary[];
  /** What the auto-rebalancer did (scenarios with `rebalance:` only). */
  rebalance?: RebalanceSummary;
  /** Wait from request to placement (ms). */
  waitMs: Percentiles;
  /** Each fault and how the instances it displaced came back. */
  faults: FaultRecovery[];
  /** Desired instances and how many are missing at the end. */
  desiredAtEnd: number;
  /** Desired instances missing at the end (not running, whatever the reason). */
  missingAtEnd: number;
  /**
   * Of those, instances of apps that crash: their record has crashed since it was last placed and
   * waits out its restart backoff or is being restarted (Diego counts them in `CrashedActualLRPs`
   * or as UNCLAIMED records, never in `LRPsMissing`).
   */
  crashingAtEnd: number;
  /** Instances running that nothing desires, at the end. */
  extraAtEnd: number;
  /** Tasks completed successfully. */
  tasksCompleted: number;
  /** Tasks failed, by reason. */
  taskFailures: Record<string, number>;
  /** Tasks that ran more than once (Diego: never). */
  tasksRunTwice: number;
  /** Crashes. */
  crashes: number;
  /** Instances stopped by evacuation. */
  evictions: number;
  /** Messages between auctioneers and cells. */
  messages: number;
  /** Messages lost. */
  messagesLost: number;
  /** Round trips on auctions' critical paths. */
  rounds: number;
  /** State transitions the BBS rejected. */
  rejectedTransitions: number;
  /** Events processed. */
  events: number;
  /** Per scenario app: its lowest routable share once it had first been whole (apps never whole are absent). */
  routes: Record<string, RouteLow>;
  /** Per scenario event: each app's lowest routable share from that event to the next. */
  routesDuringEvents: EventLows[];
}

/** Everything a run produced. */
export interface RunResult {
  /** Scenario name. */
  scenario: string;
  /** Seed. */
  seed: number;
  /** Strategy. */
  strategy: string;
  /** Resolved strategy settings. */
  settings: Record<string, number>;
  /** Simulated duration (ms). */
  durationMs: number;
  /** SHA-256 of the event log. */
  digest: string;
  /** Figures. */
  summary: RunSummary;
  /** The compared figures by key, as the metric registry (run-metrics.ts) reads them off the summary. */
  metrics: Record<string, number>;
  /** Expectations declared by the scenario, checked. */
  expectations: ExpectationResult[];
  /** Time series. */
  series: Sample[];
  /** Where everything sits at the end of the run. */
  placement: PlacementSnapshot;
  /** The status of each app asked for with `status`, at its time, in time order. */
  status: AppStatus[];
  /** What the safety checks found; null when the run did not check (see `SimulateOptions.safety`). */
  safety: SafetyReport | null;
  /** With `SimulateOptions.explain`: the auctions explained, in time order (absent otherwise). */
  explanations?: RunExplanation[];
  /** Whether explaining failures stopped at its budget before the run ended. */
  explanationsStopped?: boolean;
  /** With `SimulateOptions.explain.placements`: why each instance on the final map is there, for the report. */
  placementReasons?: PlacementReasons;
  /** With `SimulateOptions.timeline`: where everything sat over the run, for the report's timeline. */
  timeline?: PlacementTimeline;
}

/** An auction's summarised explanation and when its batch was scheduled. */
export interface SummaryAt {
  /** When its batch was scheduled (ms of simulated time). */
  atMs: number;
  /** The explanation, summarised (the best cells, the others grouped by why); its strategy and rule are the run's, in {@link PlacementReasons}. */
  why: SummaryOfOutcome;
  /** Its auctioneer stopped before it reported the outcome; the cell had been sent the work and started it. */
  unreported?: boolean;
}

/** Why each instance on a run's final map is where it is, for the report's click-through. */
export interface PlacementReasons {
  /** The strategy that decided. */
  strategy: string;
  /** How it ranks cells (the explanations' rule). */
  rule: string;
  /** By instance (`<process guid>.<index>`): the auction that put it on its cell. */
  instances: Record<string, SummaryAt>;
  /** Instances on the map whose placing auction was not explained (its batch did not fit the budget). */
  unexplained: number;
  /** Instances explained but left out, past the most a report keeps. */
  overCap: number;
  /** Auctions in batches skipped because they did not fit what was left of the budget. */
  skippedAuctions: number;
  /** The budget of work (in the explainer's units). */
  budget: number;
  /** One example per failure reason (Diego's error text), when one was explained. */
  failures: Record<string, SummaryAt>;
}

/** One auction of a run, explained (`run --explain`). */
export interface RunExplanation {
  /** When its batch was scheduled (ms of simulated time). */
  atMs: number;
  /** The explanation. */
  explanation: AuctionExplanation;
}
