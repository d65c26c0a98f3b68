// Whether a scenario's run will fit Node's heap, said before the run starts. A run that outgrows the
// heap does not fail cleanly: V8 collects over and over, then aborts the process with a native stack
// trace (diego-x10 under a 2 GiB limit: 49 s, then signal 6; bench/RESULTS.md, #24's thirty-seventh
// step). Node sets its default limit from the machine's memory (4,144 MiB on the project's 24 GiB VM,
// less on smaller machines and in containers), so the same command fits on one machine and not on
// the next; one line up front names the flag that makes it fit.
import { getHeapStatistics } from 'node:v8';
import { InstancePeaks } from '../scenario/instance-peaks.js';
import type { Scenario } from '../scenario/types.js';

/**
 * Live heap a run holds per instance, rounded up from what the benchmarks measure on Diego's stress
 * mix with collections forced (1,003-1,117 bytes from 250,000 to 2,500,000 instances:
 * `bench/sim-stress.ts`, `bench/sim-x10.ts`, `bench/sim-sweep.ts`). Other mixes differ (fewer, larger
 * apps cost less per instance; tasks are not counted): an estimate, not a bound.
 */
export const LIVE_BYTES_PER_INSTANCE = 1_200;

/** The heap to give a run per instance: twice what is live, room for the collector to work in. */
export const HEAP_BYTES_PER_INSTANCE = 2 * LIVE_BYTES_PER_INSTANCE;

/**
 * The share of the heap limit past which the estimate is called too close. diego-x10's estimate
 * (2,861 MiB) is 69% of Node's default 4,144 MiB here, and the hour finished, 1.18 times as long as
 * with room (97 s against 82 s); at 137% of a 2,096 MiB limit it aborted after 49 s. Three quarters
 * sits just above the case that finished; nothing between was measured.
 */
export const HEAP_SHARE_ADVISED = 0.75;

const MIB = 1024 * 1024;

/**
 * The warning to print before a run of `what` (the scenario's file) holding at most `instances`
 * instances under a heap limit of `limitBytes` (old and young generations, as V8 reports it), or
 * undefined when the estimate leaves the collector room. The advised `--max-old-space-size` is
 * {@link HEAP_BYTES_PER_INSTANCE} per instance, rounded up to whole GiB.
 */
export function heapAdvice(what: string, instances: number, limitBytes: number): string | undefined {
  const liveBytes = instances * LIVE_BYTES_PER_INSTANCE;
  if (!(limitBytes > 0) || liveBytes <= limitBytes * HEAP_SHARE_ADVISED) return undefined;
  const advisedMiB = Math.ceil((instances * HEAP_BYTES_PER_INSTANCE) / (1024 * MIB)) * 1024;
  const mib = (bytes: number): string => Math.round(bytes / MIB).toLocaleString('en-US');
  return (
    `${what}: ${instances.toLocaleString('en-US')} instances at the scenario's peak, about ${mib(liveBytes)} MiB of live heap ` +
    `(${LIVE_BYTES_PER_INSTANCE.toLocaleString('en-US')} bytes each, estimated), near or past Node's heap limit of ${mib(limitBytes)} MiB (old and young generations): ` +
    `the run may crawl or run out of memory; give it NODE_OPTIONS=--max-old-space-size=${advisedMiB}`
  );
}

/** This process's heap limit in bytes (Node's default or `--max-old-space-size`'s, plus the young generation). */
export function heapLimitBytes(): number {
  return getHeapStatistics().heap_size_limit;
}

/**
 * Prints {@link heapAdvice}'s line on stderr before `scenario` (from `file`) is simulated, when it
 * has one: `run`, `compare` (each worker thread has a heap of the same limit) and `check --scenario`.
 * The instances are counted as the size limit counts them: every app at its peak, `scale` events
 * included.
 */
export function warnIfHeapTight(file: string, scenario: Pick<Scenario, 'apps' | 'events'>): void {
  const line = heapAdvice(file, new InstancePeaks(scenario.apps, scenario.events).total(), heapLimitBytes());
  if (line !== undefined) process.stderr.write(`${line}\n`);
}

/** "1.2 KB": a byte count per instance as the help texts give it. */
export function kbText(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} KB`;
}
