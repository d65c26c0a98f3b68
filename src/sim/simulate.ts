import { resolveSettings } from '../core/settings.js';
import { DEFAULT_STRATEGY, findStrategy, STRATEGIES } from '../core/strategies/index.js';
import type { Strategy, StrategySettings } from '../core/strategy.js';
import { InputError } from '../core/json/problems.js';
import { jainIndex, maxMinusMin, zoneSkew } from '../metrics/balance.js';
import { distributionScore, memoryUsedPerCell } from '../metrics/distribution.js';
import { cellsNeeded, sortedCounts, strandedMemoryMB, utilisation, type Utilisation } from '../metrics/packing.js';
import { percentiles, type Percentiles } from '../metrics/percentiles.js';
import { snapshotPlacement, type PlacementSnapshot } from '../metrics/placement-snapshot.js';
import type { CellSelector, Scenario, ScenarioEvent } from '../scenario/types.js';
import type { SimCell } from './actors/cell.js';
import { sample } from './distributions.js';
import { appStatus, belongsTo, type AppStatus } from './status.js';
import { DEFAULT_STAGING, deployStep, stage, type Deploy } from './push.js';
import type { EventLows, RouteLow, RouteTable } from './routes.js';
import type { DesiredLRP } from './actors/bbs.js';
import type { AppSpec } from '../scenario/types.js';
import { World } from './world.js';

/** Options for {@link simulate}. */
export interface SimulateOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Overrides the scenario's strategy (a name or a strategy object). */
  strategy?: string | Strategy;
  /** Overrides (merged over) the scenario's strategy settings. */
  settings?: Readonly<Record<string, unknown>>;
  /** Overrides the scenario's duration (ms). */
  durationMs?: number;
  /** Runs simultaneous events in a seeded random order. */
  shuffleTies?: boolean;
  /** Receives the event log as JSON lines. */
  log?: (line: string) => void;
  /** Called with the fraction of simulated time done, about a hundred times. */
  onProgress?: (fraction: number) => void;
  /**
   * Makes every convergence pass read every ActualLRP, as Diego's does, instead of only the records
   * that can need it. Both give the same run and digest; tests compare them. Default false.
   */
  fullConvergence?: boolean;
  /** Apps whose status (`cf app`) to record at given times (ms); see {@link RunResult.status}. */
  status?: readonly { app: string; atMs: number }[];
}

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
  /** Wait from request to placement (ms). */
  waitMs: Percentiles;
  /** Each fault and how long until nothing desired was missing (ms; null if never within the run). */
  convergence: { kind: string; detail: string; at: number; convergedAfterMs: number | null }[];
  /** Desired instances and how many are missing at the end. */
  desiredAtEnd: number;
  /** Desired instances missing at the end. */
  missingAtEnd: number;
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
  /** Expectations declared by the scenario, checked. */
  expectations: ExpectationResult[];
  /** Time series. */
  series: Sample[];
  /** Where everything sits at the end of the run. */
  placement: PlacementSnapshot;
  /** The status of each app asked for with `status`, at its time, in time order. */
  status: AppStatus[];
}

function pickStrategy(s: string | Strategy): Strategy {
  if (typeof s !== 'string') return s;
  const found = findStrategy(s);
  if (!found) throw new InputError([{ path: 'strategy', message: `unknown strategy ${JSON.stringify(s)} (expected one of: ${[...STRATEGIES.keys()].join(', ')})` }]);
  return found;
}

/** A simulation set up and ready to advance, for tests and tools that watch it as it runs. */
export interface Simulation {
  /** The world: BBS, cells, auctioneers, network, kernel. */
  readonly world: World;
  /** Advances simulated time to `t` (ms), never past the duration. */
  runUntil(t: number): void;
  /** Runs to the end and returns the result. */
  finish(): RunResult;
}

/**
 * Runs a scenario in the deterministic simulator and returns its figures, time series and digest.
 * The same scenario, options and version give the same result and digest on any machine.
 */
export function simulate(scenario: Scenario, opts: SimulateOptions = {}): RunResult {
  return startSimulation(scenario, opts).finish();
}

/** Sets a scenario up in the simulator without running it. */
export function startSimulation(scenario: Scenario, opts: SimulateOptions = {}): Simulation {
  const seed = opts.seed ?? scenario.seed;
  const durationMs = opts.durationMs ?? scenario.durationMs;
  const strategy = pickStrategy(opts.strategy ?? scenario.strategy ?? DEFAULT_STRATEGY);
  // The scenario's settings belong to the scenario's strategy; another strategy starts from its defaults.
  const base = strategy.name === scenario.strategy ? scenario.settings : {};
  const settings: StrategySettings = resolveSettings(strategy, { ...base, ...opts.settings });
  const sc: Scenario = { ...scenario, seed, durationMs };
  const w = new World(sc, strategy, settings, {
    ...(opts.shuffleTies ? { shuffleTies: true } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.fullConvergence ? { fullConvergence: true } : {}),
  });
  const k = w.kernel;

  // Workload: apps (desired directly, or pushed: staged first), task streams, events.
  const routes = w.routes;
  const members: { app: AppSpec; n: number }[] = [];
  const hMember = k.register('workload.push', (i) => {
    const m = members[i];
    if (m) desireMember(w, routes, m.app, m.n);
  });
  const hApp = k.register('workload.desire', (i) => {
    const a = sc.apps[i];
    if (!a) return;
    // Spread over a window: one event per app of the group (a push storm); else all at once.
    if (a.over > 0 && a.count > 1) {
      for (let n = 0; n < a.count; n++) {
        members.push({ app: a, n });
        k.at(a.at + (a.over * n) / a.count, hMember, members.length - 1);
      }
    } else for (let n = 0; n < a.count; n++) desireMember(w, routes, a, n);
  });
  sc.apps.forEach((a, i) => k.at(a.at, hApp, i));
  const rngTasks = k.stream('workload/tasks');
  let taskSeq = 0;
  const hTask = k.register('workload.task', (i) => {
    const ts = sc.tasks[i];
    if (!ts) return;
    const guid = `${ts.name}-${taskSeq++}`;
    if (w.bbs.desireTask({ guid, memoryMB: ts.memoryMB, diskMB: ts.diskMB, rootfs: ts.rootfs, placementTags: ts.placementTags, duration: ts.duration })) w.requestTask(guid);
    const next = k.now + sample({ kind: 'exponential', mean: 1000 / ts.perSecond }, rngTasks);
    if (next <= ts.until) k.at(next, hTask, i);
  });
  sc.tasks.forEach((ts, i) => {
    if (ts.perSecond > 0) k.at(ts.from + sample({ kind: 'exponential', mean: 1000 / ts.perSecond }, rngTasks), hTask, i);
  });
  const rngEvents = k.stream('events');
  const deploys: Deploy[] = [];
  const hDeployStep = k.register('workload.deploy-step', (i) => {
    const d = deploys[i] as Deploy;
    if (!deployStep(w, d)) k.after(d.everyMs, d.handler, d.index);
  });
  const startDeploy = (e: Extract<ScenarioEvent, { kind: 'deploy' }>) => {
    for (const guid of appGuids(w, e.app)) {
      const d = w.bbs.desired.get(guid);
      if (!d) continue;
      const base = guid.replace(/@v\d+$/, '');
      const version = Number(/@v(\d+)$/.exec(guid)?.[1] ?? 1) + 1;
      const next = `${base}@v${version}`;
      const begin = () => {
        w.desire({ ...d, processGuid: next, instances: 0 });
        const dep: Deploy = { from: guid, to: next, target: d.instances, maxInFlight: e.step, everyMs: e.everyMs, style: e.style, handler: hDeployStep, index: deploys.length };
        deploys.push(dep);
        k.after(0, hDeployStep, dep.index);
        w.kernel.note('deploy', { from: guid, to: next, style: e.style });
      };
      // A new droplet is staged first; a failed staging leaves the old version running.
      if (e.stage) stage(w, { ...d, processGuid: next }, sc.apps.find((a) => a.name === routes.appOf(guid))?.staging ?? DEFAULT_STAGING, begin);
      else begin();
    }
  };
  const hEvent = k.register('workload.event', (i) => {
    const e = sc.events[i] as ScenarioEvent;
    routes.eventAt(describeEvent(e), k.now);
    if (e.kind === 'deploy') startDeploy(e);
    else applyEvent(w, e, rngEvents, routes);
  });
  sc.events.forEach((e, i) => k.at(e.at, hEvent, i));

  // Time series.
  const series: Sample[] = [];
  const waitsSeen = { n: 0 };
  const hSample = k.register('metrics.sample', () => {
    series.push(takeSample(w, waitsSeen, routes));
    if (k.now + sc.sampleIntervalMs <= durationMs) k.after(sc.sampleIntervalMs, hSample);
  });
  k.at(0, hSample);

  const runUntil = (t: number) => k.run(Math.min(t, durationMs));
  // Status snapshots are taken between kernel runs (no event of their own), so asking for one
  // leaves the event log and its digest unchanged.
  const wanted = [...(opts.status ?? [])].filter((q) => q.atMs <= durationMs).sort((a, b) => a.atMs - b.atMs);
  const status: AppStatus[] = [];
  const runTo = (until: number) => {
    while (wanted.length > 0 && (wanted[0] as { atMs: number }).atMs <= until) {
      const q = wanted.shift() as { app: string; atMs: number };
      k.run(q.atMs);
      status.push(appStatus(w, q.app));
    }
    k.run(until);
  };
  const finish = (): RunResult => {
    const step = Math.max(1, durationMs / 100);
    for (let t = Math.ceil(k.now / step) * step || step; ; t += step) {
      const until = Math.min(t, durationMs);
      runTo(until);
      opts.onProgress?.(until / durationMs);
      if (until >= durationMs) break;
    }
    if (series.length === 0 || (series[series.length - 1] as Sample).t !== k.now) series.push(takeSample(w, waitsSeen, routes));
    const summary = summarise(w, routes);
    return {
      scenario: sc.name,
      seed,
      strategy: strategy.name,
      settings: { ...settings },
      durationMs,
      digest: k.digest(),
      summary,
      expectations: checkExpectations(sc, summary),
      series,
      placement: placementOf(w),
      status,
    };
  };
  return { world: w, runUntil, finish };
}

/** An event in a few words, for the route lows during it. */
function describeEvent(e: ScenarioEvent): string {
  switch (e.kind) {
    case 'kill':
    case 'recover':
    case 'evacuate':
      return `${e.kind} ${e.cells.kind === 'ids' ? e.cells.ids.join(',') : e.cells.kind === 'zone' ? `zone ${e.cells.zone}` : `${Math.round(e.cells.fraction * 100)}% of cells`}`;
    case 'partition':
    case 'heal':
      return `${e.kind} ${e.zone}`;
    case 'scale':
      return `scale ${e.app} to ${e.instances}`;
    case 'delete':
    case 'crash':
      return `${e.kind} ${e.app}`;
    case 'deploy':
      return `${e.style} deploy ${e.app}${e.stage ? ' (staged)' : ''}`;
    case 'killAuctioneer':
      return 'kill the active auctioneer';
    case 'task':
    case 'cancelTask':
      return `${e.kind} ${e.name}`;
  }
}

/** Desires member `n` of a scenario app group, through staging when the app is pushed. */
function desireMember(w: World, routes: RouteTable, a: AppSpec, n: number): void {
  const d: DesiredLRP = {
    processGuid: a.count === 1 ? a.name : `${a.name}-${n}`,
    app: a.name,
    instances: a.instances,
    memoryMB: a.memoryMB,
    diskMB: a.diskMB,
    rootfs: a.rootfs,
    placementTags: a.placementTags,
    volumeDrivers: a.volumeDrivers,
    crash: a.crash,
  };
  // Set after, not spread in: the same keys in the same order, without a spread per app.
  if (a.healthCheck) d.healthCheck = a.healthCheck;
  if (a.dropletMB > 0) d.startupExtraMs = (a.dropletMB / w.scenario.fileServerMBps) * 1000;
  const desire = () => {
    routes.addTarget(a.name, a.instances);
    w.desire(d);
  };
  if (a.staging) stage(w, d, a.staging, desire);
  else desire();
}

/** The cells an event selects: by id, by zone, or a seeded random fraction of those eligible. */
function select(w: World, sel: CellSelector, eligible: (c: SimCell) => boolean, rng: { int(n: number): number }): SimCell[] {
  if (sel.kind === 'ids') return sel.ids.map((id) => w.cellById.get(id)).filter((c): c is SimCell => c !== undefined && eligible(c));
  if (sel.kind === 'zone') return w.cells.filter((c) => c.zone === sel.zone && eligible(c));
  const pool = w.cells.filter(eligible);
  const want = Math.min(pool.length, Math.round(sel.fraction * w.cells.length));
  for (let i = 0; i < want; i++) {
    const j = i + rng.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j] as SimCell, pool[i] as SimCell];
  }
  return pool.slice(0, want);
}

const cellCount = (n: number): string => (n === 1 ? '1 cell' : `${n} cells`);

function applyEvent(w: World, e: ScenarioEvent, rng: { int(n: number): number }, routes: RouteTable): void {
  switch (e.kind) {
    case 'kill': {
      const cells = select(w, e.cells, (c) => c.alive, rng);
      for (const c of cells) w.faultInjector.killCell(c);
      w.faultInjector.mark('kill', cellCount(cells.length));
      break;
    }
    case 'recover':
      for (const c of select(w, e.cells, (c) => !c.alive || c.evacuatingSince >= 0, rng)) w.faultInjector.recoverCell(c);
      break;
    case 'evacuate': {
      const cells = select(w, e.cells, (c) => c.alive && c.evacuatingSince < 0, rng);
      for (const c of cells) w.faultInjector.evacuate(c);
      w.faultInjector.mark('evacuate', cellCount(cells.length));
      break;
    }
    case 'partition':
      w.faultInjector.partition(e.zone);
      w.faultInjector.mark('partition', e.zone);
      break;
    case 'heal':
      w.faultInjector.heal(e.zone);
      break;
    case 'scale': {
      const guids = appGuids(w, e.app);
      for (const guid of guids) w.scale(guid, e.instances);
      const app = routes.appOf(e.app);
      routes.targets.set(app, e.instances * new Set(guids.map((g) => g.replace(/@v\d+$/, ''))).size);
      break;
    }
    case 'delete':
      for (const guid of appGuids(w, e.app)) w.deleteApp(guid);
      routes.targets.set(routes.appOf(e.app), 0);
      break;
    case 'killAuctioneer':
      w.killActiveAuctioneer();
      w.faultInjector.mark('killAuctioneer', 'active auctioneer');
      break;
    case 'deploy':
      break; // started by the caller, which keeps the deploy's state
    case 'task':
      if (w.bbs.desireTask({ guid: e.name, memoryMB: e.memoryMB, diskMB: e.diskMB, rootfs: e.rootfs, placementTags: [], duration: e.duration })) w.requestTask(e.name);
      break;
    case 'cancelTask':
      w.cancelTask(e.name);
      break;
    case 'crash':
      for (const guid of appGuids(w, e.app)) w.crashInstance(guid, e.index);
      break;
  }
}

/** The live guids of an app or app group by its scenario name (any deployed version included). */
function appGuids(w: World, name: string): string[] {
  return [...w.bbs.desired.keys()].filter((g) => belongsTo(g, name));
}

/** The cells at this moment, each with how it stands. */
function placementOf(w: World): PlacementSnapshot {
  return snapshotPlacement(
    w.cells.map((c) => ({
      state: c.rep.state,
      status: !c.alive ? 'dead' : w.network.isCut(c.zone) ? 'partitioned' : c.evacuatingSince >= 0 ? 'evacuating' : 'live',
    })),
  );
}

/** One sample; `waitsSeen` remembers how many wait times earlier samples covered. */
function takeSample(w: World, waitsSeen: { n: number }, routes: RouteTable): Sample {
  const { total: routable, byApp } = routes.sample(w.kernel.now);
  const waits = w.counters.waitTimesMs;
  const recent = waits.length > waitsSeen.n ? percentiles(waits.slice(waitsSeen.n)) : null;
  waitsSeen.n = waits.length;
  const crashed = w.bbs.crashed;
  let pendingTasks = 0;
  let runningTasks = 0;
  let completedTasks = 0;
  for (const t of w.bbs.tasks.values()) {
    if (t.state === 'PENDING') pendingTasks++;
    else if (t.state === 'RUNNING') runningTasks++;
    else if (t.state === 'COMPLETED') completedTasks++;
  }
  let used = 0;
  let total = 0;
  for (const c of w.cells) {
    if (!c.alive) continue;
    const s = c.rep.state;
    used += s.TotalResources.MemoryMB - s.AvailableResources.MemoryMB;
    total += s.TotalResources.MemoryMB;
  }
  const extra = w.extraInstances();
  return {
    t: w.kernel.now,
    desired: w.bbs.desiredInstances,
    running: w.bbs.runningDesired,
    missing: w.bbs.missing,
    extra,
    crashed,
    pendingTasks,
    runningTasks,
    utilisation: total > 0 ? used / total : 0,
    messages: w.network.messages,
    waitP50Ms: recent ? recent.p50 : null,
    waitP99Ms: recent ? recent.p99 : null,
    diego: {
      AuctioneerLRPAuctionsStarted: w.counters.lrpAuctionsStarted,
      AuctioneerLRPAuctionsFailed: w.counters.lrpAuctionsFailed,
      AuctioneerTaskAuctionsStarted: w.counters.taskAuctionsStarted,
      AuctioneerTaskAuctionsFailed: w.counters.taskAuctionsFailed,
      AuctioneerFetchStatesDuration: w.counters.fetchStatesDurationMs,
      ConvergenceLRPRuns: w.counters.convergenceRuns,
      ConvergenceLRPDuration: 0,
      LRPsMissing: w.bbs.missing,
      LRPsExtra: extra,
      LRPsRunning: w.bbs.runningDesired,
      CrashedActualLRPs: crashed,
      TasksPending: pendingTasks,
      TasksRunning: runningTasks,
      TasksCompleted: completedTasks,
    },
    routable,
    routes: byApp,
  };
}

function summarise(w: World, routes: RouteTable): RunSummary {
  const c = w.counters;
  const live = w.cells.filter((x) => x.alive).map((x) => x.rep.state);
  const used = memoryUsedPerCell(live);
  const skew = zoneSkew(live, { byApp: false });
  const extra = w.extraInstances();
  return {
    auctions: c.auctions,
    placed: c.placed,
    failed: c.failed,
    failuresByReason: sortedCounts(c.failuresByReason),
    unconfirmed: c.unconfirmed,
    distributionScore: distributionScore(live),
    balance: { memorySpreadMB: maxMinusMin(used), jainIndex: jainIndex(used), zoneSkewMax: skew.max, zoneSkewMean: skew.mean },
    packing: { utilisation: utilisation(live), strandedMemoryMB: strandedMemoryMB(live), cellsNeeded: cellsNeeded(live), liveCells: live.length },
    waitMs: percentiles(c.waitTimesMs),
    convergence: w.faults.map((f) => ({
      kind: f.kind,
      detail: f.detail,
      at: f.at,
      convergedAfterMs: f.convergedAt !== null ? f.convergedAt - f.at : f.sawMissing ? null : 0,
    })),
    desiredAtEnd: w.bbs.desiredInstances,
    missingAtEnd: w.bbs.missing,
    extraAtEnd: extra,
    tasksCompleted: w.bbs.tasksSucceeded,
    taskFailures: Object.fromEntries(w.bbs.taskFailures),
    tasksRunTwice: w.bbs.tasksRunTwice,
    crashes: c.crashes,
    evictions: c.evictions,
    messages: w.network.messages,
    messagesLost: w.network.lost,
    rounds: c.rounds,
    rejectedTransitions: w.bbs.rejectedTransitions,
    events: w.kernel.events,
    routes: Object.fromEntries([...routes.lows].sort((a, b) => (a[0] < b[0] ? -1 : 1))),
    routesDuringEvents: routes.events,
  };
}

function checkExpectations(sc: Scenario, s: RunSummary): ExpectationResult[] {
  const out: ExpectationResult[] = [];
  const e = sc.expect;
  if (e.converged !== null) {
    const ok = (s.missingAtEnd === 0 && s.extraAtEnd === 0) === e.converged;
    out.push({ name: 'converged', ok, detail: `${s.missingAtEnd} missing, ${s.extraAtEnd} extra at the end` });
  }
  if (e.noTaskRanTwice !== null) out.push({ name: 'noTaskRanTwice', ok: (s.tasksRunTwice === 0) === e.noTaskRanTwice, detail: `${s.tasksRunTwice} tasks ran twice` });
  if (e.maxMissingAtEnd !== null) out.push({ name: 'maxMissingAtEnd', ok: s.missingAtEnd <= e.maxMissingAtEnd, detail: `${s.missingAtEnd} missing at the end (at most ${e.maxMissingAtEnd})` });
  if (e.maxFailedAuctions !== null) out.push({ name: 'maxFailedAuctions', ok: s.failed <= e.maxFailedAuctions, detail: `${s.failed} failed auctions (at most ${e.maxFailedAuctions})` });
  if (e.routableFloor !== null) {
    const floor = e.routableFloor;
    const lows = Object.entries(s.routes);
    const worst = lows.reduce<[string, RouteLow] | null>((m, x) => (m === null || x[1].minFraction < m[1].minFraction ? x : m), null);
    const below = lows.filter(([, l]) => l.minFraction < floor);
    out.push({
      name: 'routableFloor',
      ok: below.length === 0,
      detail: worst
        ? `lowest: ${worst[0]} ${worst[1].minRoutable}/${worst[1].target} routable (${(100 * worst[1].minFraction).toFixed(0)}%) at ${(worst[1].atMs / 60_000).toFixed(1)} min; floor ${(100 * floor).toFixed(0)}%${below.length ? `; below it: ${below.map(([a]) => a).join(', ')}` : ''}`
        : 'no app was ever fully routable',
    });
  }
  return out;
}
