import { isMainThread } from 'node:worker_threads';
import { readWorkResources } from './work-resource-schema.js';
import { resolveSettings } from '../core/settings.js';
import { scenarioSettingsFor } from './scenario-settings.js';
import { RunExplainer, type ExplainRequest } from './run-explainer.js';
import { TimelineRecorder } from '../metrics/placement-timeline.js';
import { DEFAULT_STRATEGY, findStrategy, STRATEGIES } from '../core/strategies/index.js';
import type { Strategy, StrategySettings } from '../core/strategy.js';
import { InputError } from '../core/json/problems.js';
import { desiredInstances, type Scenario } from './scenario.js';
import { findEventKind, type ScenarioEvent } from './events/registry.js';
import type { EventRun } from './events/kind.js';
import { sample } from './distributions.js';
import { appStatus, type AppStatus } from './status.js';
import type { AppSpec } from './scenario-types.js';
import { World } from './world.js';
import { desireMember } from './workload.js';
import { metricsOf } from '../results/run-metrics.js';
import { cellsOf, checkExpectations, placementOf, summarise, takeSample } from './summary.js';
import { SafetyChecker, safetyCheckpoints } from './safety-checks.js';

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
  /**
   * Checks Diego's safety properties as the run goes (at {@link Simulation.checkpoints}) and reports
   * the first that broke in {@link RunResult.safety}. Default: only when the scenario expects
   * `safe`; `auctionlab run` checks unless told not to. The checks read the world and change nothing.
   */
  safety?: boolean;
  /**
   * Explains auctions of Diego's strategy as the run goes (see {@link RunResult.explanations}):
   * instances by `<process guid>.<index>`, one example per failure reason, and/or every placement
   * for the report ({@link RunResult.placementReasons}). Reads only: the
   * run and its digest are the same.
   */
  explain?: ExplainRequest;
  /**
   * Records where everything sits over the run for the report's timeline ({@link RunResult.timeline}):
   * a frame at samples (at most {@link MAX_TIMELINE_FRAMES} of them, evenly) and just after each of
   * the first {@link MAX_TIMELINE_FRAMES} scenario events. Reads only: the run and its digest are the same.
   */
  timeline?: boolean;
}

/** The most regular frames a run's timeline holds, and the most event frames besides. */
export const MAX_TIMELINE_FRAMES = 60;

import type { RunResult, Sample } from '../results/run-result.js';
export type { DiegoMetrics, ExpectationResult, RunExplanation, RunResult, RunSummary, Sample } from '../results/run-result.js';
export type { ExplainRequest } from './run-explainer.js';
export { DIEGO_METRICS } from '../results/run-result.js';

function pickStrategy(s: string | Strategy): Strategy {
  if (typeof s !== 'string') return s;
  const found = findStrategy(s);
  if (!found) throw new InputError([{ path: 'strategy', message: `unknown strategy ${JSON.stringify(s)} (expected one of: ${[...STRATEGIES.keys()].join(', ')})` }]);
  return found;
}

/** A simulation set up and ready to advance, for tests and tools that watch it as it runs. */
export interface Simulation {
  /**
   * The world: BBS, cells, auctioneers, network, kernel. It is a `WorldView`, what
   * `auctionlab/testing`'s `checkSafety` and `checkConverged` read; its other members are the
   * simulator's internals, typed for auctionlab's own tests and tools, and may change in any release.
   */
  readonly world: World;
  /**
   * Advances simulated time to `t` (ms), never past the duration. A `t` that is not a number (or is
   * NaN) is refused with a RangeError: from JavaScript, `runUntil()` would otherwise have run every
   * status snapshot and safety check, and so nearly the whole run, without saying so.
   */
  runUntil(t: number): void;
  /** When the run checks safety (ms; see safety-checks.ts): `check` steps through the same times. */
  readonly checkpoints: readonly number[];
  /** Runs to the end and returns the result. */
  finish(): RunResult;
}

/**
 * Runs a scenario in the deterministic simulator and returns its figures, time series and digest.
 * The same scenario, options and version give the same result and digest on any machine.
 */
export function simulate(scenario: Scenario, opts: SimulateOptions = {}): RunResult {
  // A run to its end in one call hashes its digest in a worker thread when that pays (see
  // digestThreadPays); a simulation set up to be advanced step by step, which its caller may leave
  // unfinished, does not start one.
  const sim = setUp(scenario, opts, digestThreadPays(scenario));
  try {
    return sim.finish();
  } finally {
    sim.world.kernel.close();
  }
}

/**
 * Desired instances from which a run hashes its digest in a worker thread (see
 * KernelOptions.digestThread): the worker takes tens of ms to start and saves about a microsecond
 * per event and note, and a run of this size has over a hundred thousand (assumed break-even with
 * room to spare; the digest is the same either way).
 */
export const DIGEST_THREAD_MIN_INSTANCES = 20_000;

// Whether a run is large enough for the digest's worker thread, and runs in the process's main
// thread (a worker of a pool, such as compare's, already shares the cores with the others).
function digestThreadPays(sc: Scenario): boolean {
  return isMainThread && desiredInstances(sc) >= DIGEST_THREAD_MIN_INSTANCES;
}

/** Sets a scenario up in the simulator without running it. */
export function startSimulation(scenario: Scenario, opts: SimulateOptions = {}): Simulation {
  return setUp(scenario, opts, false);
}

function setUp(scenario: Scenario, opts: SimulateOptions, digestThread: boolean): Simulation {
  const seed = opts.seed ?? scenario.seed;
  const durationMs = opts.durationMs ?? scenario.durationMs;
  const strategy = pickStrategy(opts.strategy ?? scenario.strategy ?? DEFAULT_STRATEGY);
  // The scenario's settings belong to the scenario's strategy; another strategy starts from its defaults.
  const base = scenarioSettingsFor(strategy, scenario);
  const settings: StrategySettings = resolveSettings(strategy, { ...base, ...opts.settings });
  const sc: Scenario = { ...scenario, seed, durationMs };
  const w = new World(sc, strategy, settings, {
    ...(opts.shuffleTies ? { shuffleTies: true } : {}),
    ...(opts.log ? { log: opts.log } : {}),
    ...(opts.fullConvergence ? { fullConvergence: true } : {}),
    ...(digestThread ? { digestThread: true } : {}),
  });
  // A logged run's story says each winner's score and runner-up (within the explainer's budget).
  if (opts.explain || opts.log) w.explainer = new RunExplainer({ ...opts.explain, ...(opts.log ? { story: true } : {}) });
  const k = w.kernel;

  // Workload: apps (desired directly, or pushed: staged first), task streams, events.
  const routes = w.routes;
  // Pushed apps are numbered in the order their groups are desired (the push event's argument):
  // each group holds a range of numbers, so member i is (the group whose range holds it, i - start)
  // with no record per member (diego-x10 pushes two million). Each member's event is scheduled when
  // the one before runs, in the place in the order of events it would have had if all were scheduled
  // when the group was desired (`place`: the first of those places; -1: all were scheduled then):
  // two million events waiting in the queue made every other event's way through it slower.
  const pushed: { start: number; app: AppSpec; place: number }[] = [];
  const memberAt = (a: AppSpec, n: number) => a.at + (a.over * n) / a.count;
  let members = 0;
  const hMember = k.register('workload.push', (i) => {
    let lo = 0;
    let hi = pushed.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((pushed[mid] as { start: number }).start <= i) lo = mid;
      else hi = mid - 1;
    }
    const g = pushed[lo];
    if (!g || i < g.start || i >= g.start + g.app.count) return;
    const n = i - g.start;
    if (g.place >= 0 && n + 1 < g.app.count) k.atReserved(memberAt(g.app, n + 1), hMember, i + 1, 0, g.place + n + 1);
    desireMember(w, routes, g.app, n);
  });
  const hApp = k.register('workload.desire', (i) => {
    const a = sc.apps[i];
    if (!a) return;
    // Spread over a window: one event per app of the group (a push storm); else all at once.
    if (a.over > 0 && a.count > 1) {
      // One member for each n below count (a whole number in any scenario read from a file).
      const size = Math.ceil(a.count);
      const place = k.reserveOrder(size);
      pushed.push({ start: members, app: a, place });
      if (place >= 0) k.atReserved(memberAt(a, 0), hMember, members, 0, place);
      else for (let n = 0; n < size; n++) k.at(memberAt(a, n), hMember, members + n);
      members += size;
    } else for (let n = 0; n < a.count; n++) desireMember(w, routes, a, n);
  });
  sc.apps.forEach((a, i) => k.at(a.at, hApp, i));
  const rngTasks = k.stream('workload/tasks');
  let taskSeq = 0;
  const hTask = k.register('workload.task', (i) => {
    const ts = sc.tasks[i];
    if (!ts) return;
    const guid = `${ts.name}-${taskSeq++}`;
    if (w.bbs.tasks.desire({ guid, memoryMB: ts.memoryMB, diskMB: ts.diskMB, rootfs: ts.rootfs, placementTags: ts.placementTags, duration: ts.duration, ...readWorkResources(ts) })) w.requestTask(guid);
    const next = k.now + sample({ kind: 'exponential', mean: 1000 / ts.perSecond }, rngTasks);
    if (next <= ts.until) k.at(next, hTask, i);
  });
  sc.tasks.forEach((ts, i) => {
    if (ts.perSecond > 0) k.at(ts.from + sample({ kind: 'exponential', mean: 1000 / ts.perSecond }, rngTasks), hTask, i);
  });
  // The report's timeline, when asked: frames evenly over the run, and at events.
  const timeline = opts.timeline ? new TimelineRecorder() : null;
  const frameEveryMs = Math.max(sc.sampleIntervalMs, Math.ceil(durationMs / MAX_TIMELINE_FRAMES));
  let nextFrameAt = 0;
  let eventFrames = 0;

  // Events: each carried out by its kind (events/), which keeps what it needs for the run.
  const kindState = new Map<string, unknown>();
  const run: EventRun = {
    w,
    rng: k.stream('events'),
    state<T>(kind: string, make: () => T): T {
      if (!kindState.has(kind)) kindState.set(kind, make());
      return kindState.get(kind) as T;
    },
  };
  const hEvent = k.register('workload.event', (i) => {
    const e = sc.events[i] as ScenarioEvent;
    const kind = findEventKind(e.kind);
    if (!kind) throw new Error(`unknown event kind ${e.kind}`);
    routes.eventAt(kind.describe(e), k.now);
    const hit = kind.apply(e, run);
    // A fault is recorded after it is done, for the time the cluster takes to be whole again.
    if (kind.fault) w.faultInjector.mark(e.kind, hit ?? kind.describe(e));
    // The moment of the event on the timeline (a kill's cells dead, a partition's cells cut off).
    if (timeline && eventFrames < MAX_TIMELINE_FRAMES) {
      eventFrames++;
      timeline.addCells(k.now, cellsOf(w));
    }
  });
  sc.events.forEach((e, i) => k.at(e.at, hEvent, i));

  // Time series.
  const series: Sample[] = [];
  const waitsSeen = { n: 0 };
  const hSample = k.register('metrics.sample', () => {
    series.push(takeSample(w, waitsSeen, routes));
    if (timeline && k.now >= nextFrameAt) {
      timeline.addCells(k.now, cellsOf(w));
      nextFrameAt = k.now + frameEveryMs;
    }
    if (k.now + sc.sampleIntervalMs <= durationMs) k.after(sc.sampleIntervalMs, hSample);
  });
  k.at(0, hSample);

  // Through runTo (below), so status snapshots and safety checks due before `t` are taken on time.
  const runUntil = (t: number) => {
    if (typeof t !== 'number' || Number.isNaN(t)) throw new RangeError(`runUntil: expected a time in ms, got ${String(t)}`);
    runTo(Math.min(t, durationMs));
  };
  // Status snapshots and safety checks are taken between kernel runs (no event of their own), so
  // asking for them leaves the event log and its digest unchanged.
  const wanted = [...(opts.status ?? [])].filter((q) => q.atMs <= durationMs).sort((a, b) => a.atMs - b.atMs);
  const status: AppStatus[] = [];
  const checkpoints = safetyCheckpoints(sc, durationMs);
  const checker = opts.safety ?? sc.expect.safe !== null ? new SafetyChecker() : null;
  let nextCheck = 0;
  const runTo = (until: number) => {
    for (;;) {
      const q = wanted[0];
      const c = checker !== null ? checkpoints[nextCheck] : undefined;
      const at = Math.min(q?.atMs ?? Infinity, c ?? Infinity);
      if (at > until) break;
      k.run(at);
      // A snapshot and a check at the same instant: the snapshot first (both only read).
      if (q !== undefined && q.atMs === at) {
        wanted.shift();
        status.push(appStatus(w, q.app));
      } else {
        nextCheck++;
        checker?.check(w, at);
      }
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
    const placement = placementOf(w);
    if (timeline && timeline.lastAt() !== k.now) timeline.add(k.now, placement);
    const safety = checker?.report() ?? null;
    return {
      scenario: sc.name,
      seed,
      strategy: strategy.name,
      settings: { ...settings },
      durationMs,
      digest: k.digest(),
      summary,
      metrics: metricsOf({ summary, durationMs }),
      expectations: checkExpectations(sc, summary, safety),
      series,
      placement,
      status,
      safety,
      ...((opts.explain?.instances || opts.explain?.failures) && w.explainer ? { explanations: w.explainer.results(), ...(w.explainer.stoppedEarly ? { explanationsStopped: true } : {}) } : {}),
      ...(opts.explain?.placements && w.explainer ? { placementReasons: w.explainer.placementReasons(placement, strategy.name) } : {}),
      ...(timeline ? { timeline: timeline.timeline() } : {}),
    };
  };
  return { world: w, runUntil, checkpoints, finish };
}

