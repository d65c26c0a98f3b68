// When a run checks Diego's safety properties (`run` does by default; `check` steps through the same
// times, so a counterexample replayed with `run` breaks at the same check): just after each scenario
// event and each app group's arrival, at every sample, and at the end. A check reads the whole world
// (about 1 µs per instance), so in scenarios of more than 10,000 instances it runs at every k-th
// sample only, k = instances / 10,000 rounded up.
import { desiredInstances, type Scenario } from './scenario.js';
import { checkSafety, type Violation, type WorldView } from './invariants.js';
import type { SafetyReport } from '../results/run-result.js';

/** Instances per sample of checking: above this many, samples are skipped in proportion. */
const INSTANCES_PER_CHECK = 10_000;

/** The times (ms, sorted, distinct, within the duration) at which a run checks safety. */
export function safetyCheckpoints(sc: Scenario, durationMs: number): number[] {
  const times = new Set<number>();
  const within = (t: number) => t >= 0 && t <= durationMs;
  // Just after: the event is applied and anything it set off at the same instant has run.
  for (const e of sc.events) if (within(e.at + 1)) times.add(e.at + 1);
  for (const a of sc.apps) if (within(a.at + 1)) times.add(a.at + 1);
  const instances = desiredInstances(sc);
  const every = sc.sampleIntervalMs * Math.max(1, Math.ceil(instances / INSTANCES_PER_CHECK));
  for (let t = every; t <= durationMs; t += every) times.add(t);
  times.add(durationMs);
  return [...times].sort((a, b) => a - b);
}

/** Runs the checks of one run and keeps the first that broke (the run goes on; later checks are skipped). */
export class SafetyChecker {
  private checks = 0;
  private broken: { atMs: number; violations: Violation[] } | null = null;

  /** Checks the world now, unless a check already broke. */
  check(w: WorldView, nowMs: number): void {
    if (this.broken !== null) return;
    this.checks++;
    const v = checkSafety(w);
    if (v.length > 0) this.broken = { atMs: nowMs, violations: v.slice(0, 20) };
  }

  /** What the checks found. */
  report(): SafetyReport {
    return { checks: this.checks, brokenAtMs: this.broken?.atMs ?? null, violations: this.broken?.violations ?? [] };
  }
}
