import fc from 'fast-check';
import { buildBatch, schedule, type Strategy } from '../index.js';
import { parseScenario, startSimulation, type Scenario, type Simulation } from '../sim.js';
import { checkConverged, checkSafety } from '../sim/invariants.js';
import { clusterArb, lrpRequestsArb, plainClusterArb, plainLRPRequestsArb, taskRequestsArb } from './arbitraries.js';
import { FAULT_KINDS, planArb, planToScenario, scenarioYAML, type FaultKind, type Step } from './plan.js';

/** Options for {@link checkStrategy}. */
export interface CheckOptions {
  /** Runs per property (default {@link DEFAULT_CHECK_RUNS}). */
  runs?: number;
  /** fast-check seed (default: random; printed in the report so a failure can be replayed). */
  seed?: number;
  /** Fault kinds the simulated plans may use (default all). */
  faults?: readonly FaultKind[];
  /** Longest plan, in steps (default 16). */
  maxSteps?: number;
  /**
   * A scenario of your own: also run it on random seeds, checking safety at every sample interval
   * and the scenario's own expectations at the end (property `scenario`).
   */
  scenario?: Scenario;
  /**
   * Called after each run of a property: runs done and runs in all over every property (shrinking
   * a failure runs more, counted as the property's last run), and the property running.
   */
  onProgress?: (done: number, total: number, property: string) => void;
}

/** One property's verdict. */
export interface PropertyResult {
  /** The property. */
  name: string;
  /** What it asserts, in one line. */
  description: string;
  /** Whether it held on every run. */
  ok: boolean;
  /** Runs made (until the first failure, shrinking aside). */
  runs: number;
  /** The fast-check seed and path that replay the failure. */
  seed: number;
  /** Replay path of the shrunk failure. */
  path?: string;
  /** What broke, in words. */
  error?: string;
  /** The shrunk counterexample as a scenario file (simulation properties). */
  scenario?: string;
  /** The shrunk counterexample as JSON (placement properties). */
  counterexample?: string;
}

/** The verdicts of {@link checkStrategy}. */
export interface CheckReport {
  /** The strategy checked. */
  strategy: string;
  /** Every property's verdict. */
  properties: PropertyResult[];
  /** Whether all held. */
  ok: boolean;
}

/** A property of a strategy, as `checkStrategy` runs it. */
export interface StrategyProperty {
  /** Short name. */
  name: string;
  /** What it asserts. */
  description: string;
  /** Builds the fast-check property for a strategy; throws to fail, with a message saying what broke. */
  property: (strategy: Strategy, opts: Required<Pick<CheckOptions, 'faults' | 'maxSteps'>>) => fc.IProperty<unknown[]> | fc.IProperty<[unknown, unknown, unknown, unknown]>;
  /** Turns a failing input into a scenario file (for simulation properties). */
  scenario?: (input: unknown) => string;
}

/**
 * Runs per property by default: enough that each broken example strategy is caught on every seed of
 * 1-20 (at 100, the double-placing one slipped through 9 seeds in 20), while a sound strategy's
 * check stays about 2 s.
 */
export const DEFAULT_CHECK_RUNS = 500;

function failed(message: string): never {
  throw new Error(message);
}

/**
 * Advances a simulation up to `until` through the times `run` checks safety at (just after each
 * scenario event and app arrival, at each sample: `Simulation.checkpoints` of `auctionlab/sim`), checking safety
 * each time; throws on a violation. A counterexample replayed with `auctionlab run` is checked at the
 * same times, so it breaks the same way.
 */
export function stepThrough(sim: Simulation, until: number): void {
  for (const time of sim.checkpoints) {
    if (time > until) break;
    sim.runUntil(time);
    const v = checkSafety(sim.world);
    if (v.length > 0) failed(`safety broken at ${sim.world.kernel.now} ms: ${v.map((x) => `${x.property}: ${x.detail}`).join('; ')}`);
  }
}

function planScenario(strategy: Strategy, steps: readonly Step[], seed: number, bigCell = false) {
  const { doc } = planToScenario(steps, seed, { bigCell });
  return { doc: { ...doc, strategy: strategy.name }, scenario: parseScenario(doc, 'check') };
}

/**
 * The properties a strategy must keep: the same ones auctionlab's own suite checks on its
 * built-in strategies (test/properties/README.md says why each holds in Diego).
 */
export const properties: readonly StrategyProperty[] = [
  {
    name: 'placement-accounting',
    description: 'in one auction, no cell is over-committed and every auction ends placed or failed with a reason, exactly once',
    property: (strategy) =>
      fc.property(fc.oneof(clusterArb(), plainClusterArb()), fc.oneof(lrpRequestsArb, plainLRPRequestsArb), taskRequestsArb, fc.nat(1000), (cells, l, t, seed) => {
        const r = schedule({ cells, lrps: l, tasks: t }, { strategy, seed });
        r.statesAfter.forEach((s) => {
          const a = s.AvailableResources;
          if (a.MemoryMB < 0 || a.DiskMB < 0 || a.Containers < 0) failed(`${s.cell_id} over-committed: ${JSON.stringify(a)}`);
        });
        const { batch } = buildBatch(l, t, { seed });
        const expected = [...batch.lrps.map((a) => a.id), ...batch.tasks.map((a) => `task:${a.id}`)].sort();
        const placed = r.cells.flatMap((c) => [...c.lrps.map((x) => `${x.process_guid}.${x.index}`), ...c.tasks.map((x) => `task:${x.TaskGuid}`)]);
        const fails = r.failures.map((f) => (f.kind === 'lrp' ? `${f.process_guid}.${f.index}` : `task:${f.TaskGuid}`));
        const got = [...placed, ...fails].sort();
        if (JSON.stringify(got) !== JSON.stringify(expected)) failed(`auctions not each resolved exactly once: expected ${expected.join(' ')}, got ${got.join(' ')}`);
        for (const f of r.failures) if (f.reason === '') failed('an auction failed without a reason');
      }),
  },
  {
    name: 'simulated-safety-and-liveness',
    description: 'under random operations and faults: safety just after every event and at every sample, and convergence within the bound once faults stop',
    property: (strategy, o) =>
      fc.property(planArb(o.faults, o.maxSteps), fc.nat(10_000), fc.boolean(), (steps, seed, bigCell) => {
        const { scenario } = planScenario(strategy, steps, seed, bigCell);
        const sim = startSimulation(scenario, { strategy });
        stepThrough(sim, scenario.durationMs);
        sim.finish();
        const left = checkConverged(sim.world);
        if (left.length > 0) failed(`not converged ${scenario.durationMs} ms in: ${left.join('; ')}`);
      }),
    scenario: (input) => {
      const [steps, seed, bigCell] = input as [Step[], number, boolean];
      // The property it broke, as expectations: its replay with `run` fails the same way. Safety, and
      // convergence as the property judges it: nothing missing at the end (crash-looping instances
      // included, which `converged` alone excuses) and nothing extra.
      return scenarioYAML({ ...planToScenario(steps, seed, { bigCell }).doc, expect: { safe: true, converged: true, maxMissingAtEnd: 0 } });
    },
  },
  {
    name: 'determinism',
    description: 'the same scenario and seed give the same digest',
    property: (strategy, o) =>
      fc.property(planArb(o.faults, Math.min(o.maxSteps, 8)), fc.nat(10_000), (steps, seed) => {
        const { scenario } = planScenario(strategy, steps, seed);
        const a = startSimulation(scenario, { strategy }).finish().digest;
        const b = startSimulation(scenario, { strategy }).finish().digest;
        if (a !== b) failed(`two runs of one scenario gave digests ${a} and ${b}`);
      }),
    scenario: (input) => {
      const [steps, seed] = input as [Step[], number];
      return scenarioYAML(planToScenario(steps, seed).doc);
    },
  },
];

/** The `scenario` property: a user's scenario on random seeds, safe throughout, expectations kept. */
export function scenarioProperty(scenario: Scenario): StrategyProperty {
  return {
    name: 'scenario',
    description: `scenario ${scenario.name} on random seeds: safety just after every event and at every sample, its expectations at the end`,
    property: (strategy) =>
      fc.property(fc.nat(2 ** 31 - 1), (seed) => {
        const sim = startSimulation(scenario, { strategy, seed });
        // The times `run` checks at (just after each event, at each sample), so a seed that breaks
        // here breaks there too.
        for (const t of sim.checkpoints) {
          sim.runUntil(t);
          const v = checkSafety(sim.world);
          if (v.length > 0) failed(`safety broken at ${t} ms with seed ${seed}: ${v.map((x) => `${x.property}: ${x.detail}`).join('; ')}`);
        }
        const broken = sim.finish().expectations.filter((e) => !e.ok);
        if (broken.length > 0) failed(`expectations broken with seed ${seed}: ${broken.map((e) => `${e.name} (${e.detail})`).join('; ')}`);
      }),
  };
}

/**
 * Checks a strategy against auctionlab's safety, liveness and determinism properties with
 * fast-check and returns a verdict per property, with the seed, the replay path and the shrunk
 * counterexample of any failure (a scenario file for the simulated ones).
 */
export function checkStrategy(strategy: Strategy, opts: CheckOptions = {}): CheckReport {
  const seed = opts.seed ?? Math.floor(Math.random() * 2 ** 31);
  const o = { faults: opts.faults ?? FAULT_KINDS, maxSteps: opts.maxSteps ?? 16 };
  const all = opts.scenario ? [...properties, scenarioProperty(opts.scenario)] : properties;
  const runs = opts.runs ?? DEFAULT_CHECK_RUNS;
  const results = all.map((p, k): PropertyResult => {
    const property = p.property(strategy, o) as fc.IProperty<unknown[]>;
    const report = opts.onProgress;
    let done = 0;
    const counted: fc.IProperty<unknown[]> = !report
      ? property
      : {
          isAsync: () => false,
          generate: (mrng, runId) => property.generate(mrng, runId),
          shrink: (value) => property.shrink(value),
          runBeforeEach: () => property.runBeforeEach(),
          runAfterEach: () => property.runAfterEach(),
          run(v) {
            const out = property.run(v);
            done = Math.min(runs, done + 1);
            report(k * runs + done, all.length * runs, p.name);
            return out;
          },
        };
    const details = fc.check(counted, { numRuns: runs, seed });
    if (!details.failed) return { name: p.name, description: p.description, ok: true, runs: details.numRuns, seed };
    const input = details.counterexample;
    const error = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    return {
      name: p.name,
      description: p.description,
      ok: false,
      runs: details.numRuns,
      seed,
      path: details.counterexamplePath ?? '',
      error,
      ...(p.scenario && input ? { scenario: p.scenario(input) } : { counterexample: JSON.stringify(input) }),
    };
  });
  return { strategy: strategy.name, properties: results, ok: results.every((r) => r.ok) };
}
