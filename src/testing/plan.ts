// A random plan of operations for the simulator, and its translation into a scenario file, so a
// failing plan can be replayed with `auctionlab run <file>`.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { readEventBody } from '../scenario/schema/events.js';
import type { PlanContext } from '../sim/events/kind.js';
import { ANY_EVENT_KINDS, FAULT_EVENT_KINDS, isFaultKind, type FaultEventKind } from '../sim/events/registry.js';

/**
 * One operation of a plan: an app desired (a scale if it already is), a scenario event of any kind
 * in the registry (its body as written in a scenario file), or time passing.
 */
export type Action =
  | { kind: 'desire'; app: number; instances: number; memoryMB: number }
  | { kind: 'cron'; schedule: string; concurrency: 'allow' | 'forbid' | 'replace'; durationS: number; deadlineS: number | null }
  | { kind: 'rebalance'; policy: 'greedy' | 'low-node-utilization'; everyS: number; moves: number; inFlightPerApp: number; floor: number; low: number; high: number }
  | { kind: 'event'; event: string; body: unknown; app?: string }
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
const TASKS = 10;
const ZONES = ['z1', 'z2', 'z3'];
const cellId = (c: number) => `cell-${String(c).padStart(2, '0')}`;
// The last app asks for the `gold` isolation segment: only the gold cell, which nothing else may use,
// can hold it (Diego's placement tags). A strategy that ignores constraints soon puts work where the
// tags forbid it.
const TAGGED_APP = APPS - 1;
const SEGMENT = 'gold';
const appName = (a: number) => `app${a}`;

/** The names a plan's events may use. */
const CONTEXT: PlanContext = {
  apps: Array.from({ length: APPS }, (_, i) => appName(i)),
  cells: Array.from({ length: CELLS }, (_, i) => cellId(i)),
  zones: ZONES,
  tasks: Array.from({ length: TASKS }, (_, i) => `task${i}`),
};

/** The fault kinds a plan may use (all by default): the event kinds that are faults, from the registry. */
export const FAULT_KINDS: readonly FaultKind[] = FAULT_EVENT_KINDS;

/** The name of an event kind that is a fault (`FAULT_EVENT_KINDS` of `auctionlab/sim`). */
export type FaultKind = FaultEventKind;

/**
 * Random plans: desires, every event kind that is not a fault (scales, deletes, tasks, cancels...),
 * and the given faults with the kinds that come with them (a kill brings recoveries), with time
 * passing. Each kind generates its own events (its `plan` in sim/events/).
 */
export function planArb(faults: readonly FaultKind[] = FAULT_KINDS, maxSteps = 12): fc.Arbitrary<Step[]> {
  // Called from JavaScript too, where a misspelt name would silently mean no such fault.
  const unknown = faults.filter((f) => !isFaultKind(f));
  if (unknown.length > 0) throw new RangeError(`unknown fault kind ${unknown.map((f) => JSON.stringify(f)).join(', ')} (expected: ${FAULT_KINDS.join(', ')})`);
  const app = fc.integer({ min: 0, max: APPS - 1 });
  const desire = fc.record({ kind: fc.constant('desire' as const), app, instances: fc.integer({ min: 1, max: 5 }), memoryMB: fc.constantFrom(64, 128, 256) });
  // A recurring task from here to the end of the plan: its ticks meet the faults (an auctioneer's
  // death between a tick's desire and its record, a cell lost under a tick's task).
  const cron = fc.record({
    kind: fc.constant('cron' as const),
    schedule: fc.constantFrom('@every 7s', '@every 20s', '* * * * *'),
    concurrency: fc.constantFrom('allow' as const, 'forbid' as const, 'replace' as const),
    durationS: fc.integer({ min: 1, max: 30 }),
    deadlineS: fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }),
  });
  // The rebalancer from here to the end of the plan (the first such step starts it; later ones are
  // left out): its moves meet the faults (a cell lost under an old copy or its replacement).
  const rebalance = fc.record({
    kind: fc.constant('rebalance' as const),
    policy: fc.constantFrom('greedy' as const, 'low-node-utilization' as const),
    everyS: fc.constantFrom(2, 5, 30),
    moves: fc.integer({ min: 1, max: 6 }),
    inFlightPerApp: fc.integer({ min: 1, max: 3 }),
    floor: fc.constantFrom(0, 0.5, 0.8),
    low: fc.constantFrom(0.05, 0.1),
    high: fc.constantFrom(0.15, 0.3),
  });
  const actions: fc.WeightedArbitrary<Action>[] = [
    { arbitrary: desire, weight: 3 },
    { arbitrary: fc.constant({ kind: 'advance' as const }), weight: 1 },
    { arbitrary: cron, weight: 1 },
    { arbitrary: rebalance, weight: 1 },
  ];
  for (const k of ANY_EVENT_KINDS) {
    const plan = k.plan;
    if (!plan) continue;
    const asked = faults as readonly string[];
    const wanted = k.fault ? asked.includes(k.kind) : plan.with === undefined || asked.includes(plan.with);
    if (!wanted) continue;
    const arbitrary = plan.arbitrary(fc, CONTEXT).map((e): Action => ({ kind: 'event', event: k.kind, body: e.body, ...(e.app !== undefined ? { app: e.app } : {}) }));
    actions.push({ arbitrary, weight: plan.weight });
  }
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
  lockRetryMs: 1_000,
  repPollingMs: 30_000,
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
  let extra = 0;
  // Each kind adds what its events need (a crashed instance's backoff, the longest task, ...),
  // computed from the bodies as the scenario parser reads them.
  for (const k of ANY_EVENT_KINDS) {
    const plan = k.plan;
    if (!plan?.boundMs) continue;
    const bodies = steps.flatMap((s) => (s.action.kind === 'event' && s.action.event === k.kind ? [readEventBody(k, s.action.body, k.kind).body] : [])).filter((b): b is object => b !== undefined);
    if (bodies.length > 0) extra += plan.boundMs(bodies);
  }
  // A cron entry's last tick, at the end of the plan, runs its task to the end.
  const cronMs = Math.max(0, ...steps.map((s) => (s.action.kind === 'cron' ? s.action.durationS * 1000 : 0)));
  extra += cronMs;
  // Moves under way when the rebalancer stops finish: its replacement's start is in the bound; its
  // old copy stops at the next poll of its moves (Diego's evacuation poll, 10 s).
  if (steps.some((s) => s.action.kind === 'rebalance')) extra += 10_000;
  return t.presenceTtlMs + t.lockTtlMs + t.lockRetryMs + t.repPollingMs + 2 * t.intervalMs + t.staleUnclaimedMs + 2 * t.timeoutMs + 2 * t.startupMaxMs + extra;
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
  const desired = new Set<string>();
  const events: Record<string, unknown>[] = [];
  const cron: Record<string, unknown>[] = [];
  let rebalance: Record<string, unknown> | null = null;
  let auctioneerKills = 0;
  for (const s of steps) {
    t += s.gapMs;
    const a = s.action;
    const at = `${t}ms`;
    if (a.kind === 'desire') {
      const name = appName(a.app);
      if (desired.has(name)) events.push({ at, scale: { app: name, instances: a.instances } });
      else {
        desired.add(name);
        apps.push({ name, instances: a.instances, memoryMB: a.memoryMB, diskMB: a.memoryMB, at, ...(a.app === TAGGED_APP ? { placementTags: [SEGMENT] } : {}) });
      }
    } else if (a.kind === 'cron') {
      cron.push({ name: `cron${cron.length}`, schedule: a.schedule, concurrency: a.concurrency, duration: `${a.durationS}s`, memoryMB: 64, diskMB: 64, from: at, ...(a.deadlineS !== null ? { startingDeadline: `${a.deadlineS}s` } : {}) });
    } else if (a.kind === 'rebalance') {
      rebalance ??= { policy: a.policy, every: `${a.everyS}s`, from: at, movesPerInterval: a.moves, inFlightPerApp: a.inFlightPerApp, floor: a.floor, low: a.low, high: a.high };
    } else if (a.kind === 'event') {
      // An event on an app the plan has not desired yet is left out (the parser would reject it).
      if (a.app !== undefined && !desired.has(a.app)) continue;
      if (a.event === 'killAuctioneer') auctioneerKills++;
      events.push({ at, [a.event]: a.body });
    }
  }
  // A crash of an index the app never has would be refused by the parser (a typo in a file); a plan
  // that drew one simply leaves it out.
  const most = new Map<string, number>();
  for (const a of apps) most.set(a.name as string, a.instances as number);
  for (const e of events) {
    const s = e['scale'] as { app: string; instances: number } | undefined;
    if (s) most.set(s.app, Math.max(most.get(s.app) ?? 0, s.instances));
  }
  const kept = events.filter((e) => {
    const c = e['crash'] as { app: string; index: number } | undefined;
    return !c || c.index < (most.get(c.app) ?? 0);
  });
  events.length = 0;
  events.push(...kept);
  const endOfPlanMs = t + 1;
  // Recurring tasks stop ticking when the faults stop, so the run can settle.
  for (const c of cron) c['until'] = `${endOfPlanMs}ms`;
  // So does the rebalancer (its moves under way finish).
  if (rebalance !== null) rebalance['until'] = `${endOfPlanMs}ms`;
  // Faults stop: every cell back (dead or drained), every zone healed.
  events.push({ at: `${endOfPlanMs}ms`, recover: { fraction: 1 } });
  for (const z of ZONES) events.push({ at: `${endOfPlanMs}ms`, heal: z });
  const durationMs = endOfPlanMs + livenessBoundMs(steps);
  const doc = {
    description: 'a counterexample found by the convergence property tests',
    seed,
    duration: `${durationMs}ms`,
    // Safety is checked at every sample (and just after every event): every 5 s.
    sampleInterval: '5s',
    // One more auctioneer than the plan kills: a killed auctioneer stays down.
    auctioneers: auctioneerKills + 1,
    cells: [
      { count: CELLS, zones: ZONES, memoryMB: 4096, diskMB: 8192, containers: 40 },
      { count: 1, zones: ['z2'], memoryMB: 4096, diskMB: 8192, containers: 40, placementTags: [SEGMENT], prefix: SEGMENT },
      ...(cluster.bigCell ? [{ count: 1, zones: ['z1'], memoryMB: 65536, diskMB: 131072, containers: 4, prefix: 'big' }] : []),
    ],
    apps,
    ...(cron.length > 0 ? { cron } : {}),
    ...(rebalance !== null ? { rebalance } : {}),
    events,
  };
  return { doc, endOfPlanMs, durationMs };
}

/** The scenario as YAML. */
export function scenarioYAML(doc: Record<string, unknown>): string {
  return `# Replay: auctionlab run <this file>\n${stringify(doc)}`;
}
