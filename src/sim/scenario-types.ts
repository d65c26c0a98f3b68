// The validated scenario's parts, every default filled in: what the simulated world is built from.
// The timed events are the event kinds' own types (events/registry.ts); `Scenario` joins the two.
import type { RebalancePolicyName } from '../core/rebalance/index.js';
import type { HealthCheckType } from '../core/health-check.js';
import type { ConvergenceSettings } from '../core/convergence/states.js';
import type { Distribution } from './distributions.js';

/** A group of identical cells. */
export interface CellGroup {
  /** How many cells. */
  count: number;
  /** Zones, assigned round-robin. */
  zones: string[];
  /** Memory per cell (MB). */
  memoryMB: number;
  /** Disk per cell (MB). */
  diskMB: number;
  /** Containers per cell. */
  containers: number;
  /** Stacks of the `preloaded` fixed-set rootfs provider. */
  stacks: string[];
  /** Whether the cell takes any docker image (`docker` arbitrary provider). */
  docker: boolean;
  /** Required placement tags (an isolation segment). */
  placementTags: string[];
  /** Optional placement tags. */
  optionalPlacementTags: string[];
  /** Volume drivers present. */
  volumeDrivers: string[];
  /** Proxy memory added to each LRP (MB). */
  proxyMemoryMB: number;
  /** Cell ids are `<prefix>-<n>`. */
  prefix: string;
  /** The cells' own ids, one per cell, instead of `<prefix>-<n>` (an imported trace's machine names). */
  ids?: string[];
  /** CPU per cell (millicores); absent: the cells do not account CPU, as Diego's do not. */
  cpuMilli?: number;
  /** GPU devices per cell (absent or 0: none). */
  gpus?: number;
  /** Their model. */
  gpuModel?: string;
}

/**
 * What a piece of work asks beyond memory and disk (auctionlab's dimensions; Diego's work asks none):
 * CPU, GPUs and the GPU models it may run on.
 */
export interface WorkResources {
  /** CPU (millicores). */
  cpuMilli?: number;
  /** GPU devices. */
  gpus?: number;
  /** Thousandths of each of those devices (1000, the default: whole devices; less: a share of one). */
  gpuMilli?: number;
  /** GPU models it may run on (any of them). */
  gpuModels?: string[];
}

/** How an app's instances crash: each start crashes with `probability`, `after` running that long. */
export interface CrashBehaviour {
  /** Chance that one start of an instance ends in a crash. */
  probability: number;
  /** Time from running to the crash. */
  after: Distribution;
}

/** A health check (Diego's linux-circus): the instance turns RUNNING only once it passes. */
/** What an instance's health check probes, as Cloud Foundry names its health check types. */
export type { HealthCheckType } from '../core/health-check.js';

/**
 * An instance's health checks, the simulated side of Diego's lifecycle (the executor runs them in
 * the container: a start check until the first pass, then a liveness check every interval; and, for
 * apps that have one, a readiness check that only decides routing).
 */
export interface HealthCheck {
  /** What it probes: `port` (a TCP connect to the app's port), `http` (a GET of `endpoint`), `process` (only that the process runs: no check to pass or fail). */
  type: HealthCheckType;
  /** The path an `http` check asks for (null for the other types). */
  endpoint: string | null;
  /** Time from the process starting to the check passing (none for `process`). */
  delay: Distribution;
  /** Chance that the check never passes; the instance then crashes instead of running (at `startTimeoutMs` when set, else when the check gives up). */
  failureProbability: number;
  /** A check not passed this long after the process started crashes the instance (ms; null: no limit). */
  startTimeoutMs: number | null;
  /** How often the liveness check runs once the instance is running (ms; executor's healthy monitoring interval, 30 s). */
  intervalMs: number;
  /** When the running instance stops answering its check (it then crashes at the check after); null: never. */
  liveness: { probability: number; after: Distribution } | null;
  /** Spells of not being ready: unroutable from the readiness check after one starts to the one after it ends; null: no readiness check. */
  readiness: { intervalMs: number; probability: number; after: Distribution; lasting: Distribution } | null;
}

/** Staging (`cf push`): a task that builds the droplet before the app is desired. */
export interface StagingSpec {
  /** Memory of the staging task (MB). */
  memoryMB: number;
  /** Disk of the staging task (MB). */
  diskMB: number;
  /** How long staging runs. */
  duration: Distribution;
  /** Chance that staging fails; the app is then never desired. */
  failureProbability: number;
}

/** One or more identical apps (DesiredLRPs). */
export interface AppSpec extends WorkResources {
  /** Process guid, or prefix when `count` is over 1 (`<name>-<n>`). */
  name: string;
  /** How many such apps. */
  count: number;
  /** Instances of each. */
  instances: number;
  /** Memory per instance (MB). */
  memoryMB: number;
  /** Disk per instance (MB). */
  diskMB: number;
  /** Root file system URL. */
  rootfs: string;
  /** Placement tags. */
  placementTags: string[];
  /** Volume drivers. */
  volumeDrivers: string[];
  /** Crash behaviour (none when absent). */
  crash: CrashBehaviour | null;
  /** When the apps are desired, or pushed (ms). */
  at: number;
  /** The apps of the group are desired (or pushed) evenly over this window after `at` (ms; 0: all at once). */
  over: number;
  /** Health check before an instance counts as running (none: running as soon as it started). */
  healthCheck: HealthCheck | null;
  /** Droplet size (MB): each instance downloads it from the file server before it starts. */
  dropletMB: number;
  /** Pushed with `cf push`: staged by this task first (null: desired directly). */
  staging: StagingSpec | null;
  /**
   * Instances already running when the app is desired (an imported foundation): the cell of each
   * index in turn, null for one not running. Absent: none; every index is auctioned.
   */
  runningOn?: (string | null)[];
}

/** What each task of a stream or a cron entry is: its size, constraints and how long it runs. */
export interface TaskShape extends WorkResources {
  /** Memory per task (MB). */
  memoryMB: number;
  /** Disk per task (MB). */
  diskMB: number;
  /** Root file system URL. */
  rootfs: string;
  /** Placement tags. */
  placementTags: string[];
  /** How long a task runs. */
  duration: Distribution;
}

/** A stream of tasks arriving as a Poisson process. */
export interface TaskStream extends TaskShape {
  /** Task guid prefix. */
  name: string;
  /** Mean arrivals per second. */
  perSecond: number;
  /** First possible arrival (ms). */
  from: number;
  /** Last possible arrival (ms). */
  until: number;
}

/** What a cron entry does when a tick comes while its previous tick's task is still pending or running (Kubernetes CronJob's names). */
export type CronConcurrency = 'allow' | 'forbid' | 'replace';

/**
 * A recurring task (`cron:`), built only on Tasks: at each tick of its schedule one task is desired,
 * named for the entry and the tick (so a tick re-sent is rejected by the BBS, never run twice).
 */
export interface CronSpec extends TaskShape {
  /** The entry's name: its tasks are `<name>-<tick time>`. */
  name: string;
  /** The schedule as written: five cron fields, a nickname, or `@every <duration>`. */
  schedule: string;
  /** What a tick does while the previous tick's task is pending or running. */
  concurrency: CronConcurrency;
  /** A tick whose task has not started this long after its time is cancelled and counted missed (null: no deadline). */
  startingDeadlineMs: number | null;
  /** Completed tick tasks kept in the BBS; older ones are deleted. */
  historyLimit: number;
  /** A tick whose task started within this of its time is on time; later, late (ms). */
  lateAfterMs: number;
  /** Ticks from (ms; an `@every` period counts from here). */
  from: number;
  /** Ticks until (ms). */
  until: number;
}

/**
 * The auto-rebalancer (`rebalance:`): every interval it fetches the cells' states, its policy proposes
 * moves, and it carries out those its disruption budget allows by evacuation's safe dance.
 */
export interface RebalanceSpec {
  /** The policy: `none` (Diego today: nothing moves), `greedy` or `low-node-utilization`. */
  policy: RebalancePolicyName;
  /** How often it looks (ms). */
  everyMs: number;
  /** When it first looks (ms). */
  fromMs: number;
  /** When it stops looking (ms; moves under way still finish); null: at the end of the run. */
  untilMs: number | null;
  /** Moves it may start per interval. */
  movesPerInterval: number;
  /** Instances of one app it may have moving at once. */
  inFlightPerApp: number;
  /**
   * Share of an app's desired instances that must stay routable: a move starts only if the app keeps
   * that many routable with every moving instance (this one included) counted as gone.
   */
  floor: number;
  /** Low-node-utilization: a cell under this share of each of its memory, disk and containers in use is underused. */
  low: number;
  /** Low-node-utilization: a cell over this share of any of them is overused. */
  high: number;
}

/** What a run must show at its end; a broken expectation makes the run fail (exit 1). */
export interface Expectations {
  /** Every fault's instances back, and at the end nothing missing (but crashing apps' instances) and nothing extra. */
  converged: boolean | null;
  /** Diego's safety properties held at every check of the run (the run then checks them). */
  safe: boolean | null;
  /** No task ran twice. */
  noTaskRanTwice: boolean | null;
  /** At most this many desired instances missing at the end. */
  maxMissingAtEnd: number | null;
  /** At most this many auctions failed in all. */
  maxFailedAuctions: number | null;
  /** Every app keeps at least this fraction of its instances routable once it first had them all (0-1). */
  routableFloor: number | null;
}

/**
 * How long Diego's own work takes (ms; fractions allowed). Every figure is a scenario setting; see
 * scenarios/README.md for the source of each default.
 */
export interface ServiceTimes {
  /** The auctioneer's scheduling, per auction of a batch. */
  schedulingPerAuctionMs: number;
  /** ... plus, per auction, this much per cell it scores (Diego scans every cell). */
  schedulingPerCellMs: number;
  /** ... plus, per auction, this much per instance or task already on the cells (Diego scans each cell's instances). */
  schedulingPerInstanceMs: number;
  /** A cell's write to the BBS (claiming an instance, reporting it running): from the request to the record changed. */
  bbsWriteMs: number;
  /** A rep allocating one container of the work a Perform (or a 2014-style claim) hands it, before it replies. */
  repAllocationMs: number;
  /** A convergence pass, whatever it reads. */
  convergenceFixedMs: number;
  /** ... plus this much per record it reads (one per desired instance and per task). */
  convergencePerRecordMs: number;
}

/** Network behaviour between auctioneers and cells. */
export interface NetworkSpec {
  /** One-way latency of a message. */
  latency: Distribution;
  /** Chance that a message is lost. */
  loss: number;
  /** How long a sender waits for a reply (Diego: 10 s). */
  timeoutMs: number;
}

/** A validated scenario without its timed events: what the simulated world is built from. */
export interface WorldSpec {
  /** Name (the file's name by default). */
  name: string;
  /** What it shows. */
  description: string;
  /** Seed of the run. */
  seed: number;
  /** Simulated duration (ms). */
  durationMs: number;
  /** Metrics sampling interval (ms). */
  sampleIntervalMs: number;
  /** Strategy name. */
  strategy: string;
  /** Strategy settings (checked against the strategy when the run starts). */
  settings: Record<string, number>;
  /** Cells. */
  cells: CellGroup[];
  /** Container start-up time. */
  startup: Distribution;
  /** File server bandwidth per download (MB/s): an instance waits dropletMB / this before starting. */
  fileServerMBps: number;
  /** Network. */
  network: NetworkSpec;
  /** Number of auctioneers (one active, the rest on standby). */
  auctioneers: number;
  /** Auctioneer lock TTL (ms; Diego 15 s). */
  lockTtlMs: number;
  /** How often an auctioneer asks for the lock (ms; Diego 1 s: locket.SQLRetryInterval). */
  lockRetryMs: number;
  /** Convergence timings. */
  convergence: ConvergenceSettings;
  /** How long Diego's own work takes; null: no time at all (`serviceTime: none`, pure-algorithm studies). */
  serviceTime: ServiceTimes | null;
  /**
   * Whether a convergence pass also runs at once when a cell's presence disappears (older Diego, whose
   * BBS watched consul cell registrations). Current Diego: false, only the periodic pass.
   */
  convergeOnCellLoss: boolean;
  /** How long a draining cell keeps instances whose replacement has not started (ms; 600 s). */
  evacuationTimeoutMs: number;
  /** How often a draining cell checks its replacements (ms; 10 s). */
  evacuationPollMs: number;
  /** How often a rep compares its containers with the BBS and stops those it no longer records (ms; Diego 30 s). */
  repPollingMs: number;
  /** How often a rep refreshes its presence (ms; Diego 5 s: locket.RetryInterval). */
  presenceRefreshMs: number;
  /** How long a cell cut off from the BBS keeps its presence after its last refresh (ms; Diego 15 s). */
  presenceTtlMs: number;
  /** Apps. */
  apps: AppSpec[];
  /** Task streams. */
  tasks: TaskStream[];
  /** Recurring tasks (absent in scenarios made before cron entries existed: none). */
  cron?: CronSpec[];
  /** The auto-rebalancer (absent: none, as in Diego; scenarios made before it existed have none). */
  rebalance?: RebalanceSpec;
  /** Expectations. */
  expect: Expectations;
}
