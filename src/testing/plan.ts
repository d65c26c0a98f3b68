// A random plan of operations for the simulator, and its translation into a scenario file, so a
// failing plan can be replayed with `auctionlab run <file>`.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { restartDelayMs } from '../index.js';

/** One operation of a plan. */
export type Action =
  | { kind: 'desire'; app: number; instances: number; memoryMB: number }
  | { kind: 'scale'; app: number; instances: number }
  | { kind: 'delete'; app: number }
  | { kind: 'task'; task: number; memoryMB: number; durationS: number }
  | { kind: 'cancelTask'; task: number }
  | { kind: 'crash'; app: number; index: number }
  | { kind: 'kill'; cell: number }
  | { kind: 'recover'; cell: number }
  | { kind: 'evacuate'; cell: number }
  | { kind: 'partition'; zone: number }
  | { kind: 'heal'; zone: number }
  | { kind: 'killAuctioneer' }
  | { kind: 'advance' };

/** An operation and the simulated time that passes before it. */
export interface Step {
  /** Simulated time (ms) that passes before the action. */
  gapMs: number;
  /** The action. */
  action: Action;
}

const APPS = 4;
const CELLS = 6;
const ZONES = ['z1', 'z2', 'z3'];

/** The fault kinds a plan may use (all by default): the one list `check --faults` and the properties read. */
export const FAULT_KINDS = ['crash', 'kill', 'evacuate', 'partition', 'killAuctioneer'] as const;

/** One of {@link FAULT_KINDS}. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Random plans: desires, scales, deletes, tasks, cancels and the given faults, with time passing. */
export function planArb(faults: readonly FaultKind[] = FAULT_KINDS, maxSteps = 12): fc.Arbitrary<Step[]> {
  const app = fc.integer({ min: 0, max: APPS - 1 });
  const cell = fc.integer({ min: 0, max: CELLS - 1 });
  const zone = fc.integer({ min: 0, max: ZONES.length - 1 });
  const desire = fc.record({ kind: fc.constant('desire' as const), app, instances: fc.integer({ min: 1, max: 5 }), memoryMB: fc.constantFrom(64, 128, 256) });
  const task = fc.record({ kind: fc.constant('task' as const), task: fc.integer({ min: 0, max: 9 }), memoryMB: fc.constantFrom(64, 256), durationS: fc.integer({ min: 1, max: 60 }) });
  const actions: fc.WeightedArbitrary<Action>[] = [
    { arbitrary: desire, weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('scale' as const), app, instances: fc.integer({ min: 0, max: 6 }) }), weight: 2 },
    { arbitrary: fc.record({ kind: fc.constant('delete' as const), app }), weight: 1 },
    { arbitrary: task, weight: 3 },
    { arbitrary: fc.record({ kind: fc.constant('cancelTask' as const), task: fc.integer({ min: 0, max: 9 }) }), weight: 1 },
    { arbitrary: fc.constant({ kind: 'advance' as const }), weight: 1 },
  ];
  const fault = (arbitrary: fc.Arbitrary<Action>) => actions.push({ arbitrary, weight: 2 });
  if (faults.includes('crash')) fault(fc.record({ kind: fc.constant('crash' as const), app, index: fc.integer({ min: 0, max: 4 }) }));
  if (faults.includes('kill')) {
    fault(fc.record({ kind: fc.constant('kill' as const), cell }));
    fault(fc.record({ kind: fc.constant('recover' as const), cell }));
  }
  if (faults.includes('evacuate')) fault(fc.record({ kind: fc.constant('evacuate' as const), cell }));
  if (faults.includes('partition')) {
    fault(fc.record({ kind: fc.constant('partition' as const), zone }));
    fault(fc.record({ kind: fc.constant('heal' as const), zone }));
  }
  if (faults.includes('killAuctioneer')) actions.push({ arbitrary: fc.constant({ kind: 'killAuctioneer' as const }), weight: 1 });
  // Gaps of a few milliseconds often, so faults land in the middle of auctions (between a state
  // fetch and its perform), where races live; and long gaps, so time passes.
  const gap = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 5 }), weight: 1 }, { arbitrary: fc.integer({ min: 0, max: 40_000 }), weight: 2 });
  const step = (action: fc.Arbitrary<Action>) => fc.record({ gapMs: gap, action });
  // A few apps first, so the faults have something to hit; then anything.
  return fc
    .tuple(fc.array(step(desire), { minLength: 1, maxLength: 3 }), fc.array(step(fc.oneof(...actions)), { minLength: 1, maxLength: maxSteps }))
    .map(([first, rest]) => [...first, ...rest]);
}

/** Settings the liveness bound is computed from (the scenario below uses Diego's defaults). */
export const TIMINGS = {
  presenceTtlMs: 15_000,
  intervalMs: 30_000,
  staleUnclaimedMs: 30_000,
  timeoutMs: 10_000,
  startupMaxMs: 8_000,
  lockTtlMs: 15_000,
  lockRetryMs: 5_000,
};

/**
 * How long after the last fault the system must have converged: a vanished cell is noticed after
 * the presence TTL; a pass runs within the interval; an instance whose auction was lost is retried
 * once stale; an auction may wait a state-fetch timeout; a container takes its start-up time; a
 * crashed instance waits out its backoff and then the next pass; a dead auctioneer's lease lapses
 * and a standby retries; plus the longest task. Each term is a setting, so the bound follows them.
 */
export function livenessBoundMs(steps: readonly Step[]): number {
  const t = TIMINGS;
  const crashes = new Map<string, number>();
  let longestTask = 0;
  for (const s of steps) {
    if (s.action.kind === 'crash') {
      const k = `${s.action.app}.${s.action.index}`;
      crashes.set(k, (crashes.get(k) ?? 0) + 1);
    }
    if (s.action.kind === 'task') longestTask = Math.max(longestTask, s.action.durationS * 1000);
  }
  const maxCrashes = Math.max(0, ...crashes.values());
  const backoff = restartDelayMs(maxCrashes);
  return t.presenceTtlMs + t.lockTtlMs + t.lockRetryMs + 2 * t.intervalMs + t.staleUnclaimedMs + 2 * t.timeoutMs + 2 * t.startupMaxMs + (Number.isFinite(backoff) ? backoff : 0) + longestTask;
}

/** Shapes of cluster a plan runs on. */
export interface PlanCluster {
  /**
   * Add one cell with much more memory than the others but only 4 containers: a strategy that
   * ignores the container limit keeps aiming at it. Capacity in all still suffices.
   */
  bigCell?: boolean;
}

/** Translates a plan into a scenario document: faults stop after the last step, then it runs for the bound. */
export function planToScenario(steps: readonly Step[], seed: number, cluster: PlanCluster = {}): { doc: Record<string, unknown>; endOfPlanMs: number; durationMs: number } {
  let t = 0;
  const apps: Record<string, unknown>[] = [];
  const desired = new Set<number>();
  const events: Record<string, unknown>[] = [];
  let auctioneerKills = 0;
  const cellId = (c: number) => `cell-${String(c).padStart(2, '0')}`;
  for (const s of steps) {
    t += s.gapMs;
    const a = s.action;
    const at = `${t}ms`;
    switch (a.kind) {
      case 'desire':
        if (desired.has(a.app)) events.push({ at, scale: { app: `app${a.app}`, instances: a.instances } });
        else {
          desired.add(a.app);
          apps.push({ name: `app${a.app}`, instances: a.instances, memoryMB: a.memoryMB, diskMB: a.memoryMB, at });
        }
        break;
      case 'scale':
        if (desired.has(a.app)) events.push({ at, scale: { app: `app${a.app}`, instances: a.instances } });
        break;
      case 'delete':
        if (desired.has(a.app)) events.push({ at, delete: `app${a.app}` });
        break;
      case 'crash':
        if (desired.has(a.app)) events.push({ at, crash: { app: `app${a.app}`, index: a.index } });
        break;
      case 'task':
        events.push({ at, task: { name: `task${a.task}`, memoryMB: a.memoryMB, diskMB: a.memoryMB, duration: `${a.durationS}s` } });
        break;
      case 'cancelTask':
        events.push({ at, cancelTask: `task${a.task}` });
        break;
      case 'kill':
        events.push({ at, kill: { ids: [cellId(a.cell)] } });
        break;
      case 'recover':
        events.push({ at, recover: { ids: [cellId(a.cell)] } });
        break;
      case 'evacuate':
        events.push({ at, evacuate: { ids: [cellId(a.cell)] } });
        break;
      case 'partition':
        events.push({ at, partition: ZONES[a.zone] });
        break;
      case 'heal':
        events.push({ at, heal: ZONES[a.zone] });
        break;
      case 'killAuctioneer':
        auctioneerKills++;
        events.push({ at, killAuctioneer: true });
        break;
      case 'advance':
        break;
    }
  }
  const endOfPlanMs = t + 1;
  // Faults stop: every cell back (dead or drained), every zone healed.
  events.push({ at: `${endOfPlanMs}ms`, recover: { fraction: 1 } });
  for (const z of ZONES) events.push({ at: `${endOfPlanMs}ms`, heal: z });
  const durationMs = endOfPlanMs + livenessBoundMs(steps);
  const doc = {
    description: 'a counterexample found by the convergence property tests',
    seed,
    duration: `${durationMs}ms`,
    sampleInterval: '10s',
    // One more auctioneer than the plan kills: a killed auctioneer stays down.
    auctioneers: auctioneerKills + 1,
    cells: [
      { count: CELLS, zones: ZONES, memoryMB: 4096, diskMB: 8192, containers: 40 },
      ...(cluster.bigCell ? [{ count: 1, zones: ['z1'], memoryMB: 65536, diskMB: 131072, containers: 4, prefix: 'big' }] : []),
    ],
    apps,
    events,
  };
  return { doc, endOfPlanMs, durationMs };
}

/** The scenario as YAML. */
export function scenarioYAML(doc: Record<string, unknown>): string {
  return `# Replay: auctionlab run <this file>\n${stringify(doc)}`;
}
