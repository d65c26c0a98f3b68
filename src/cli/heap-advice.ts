// Whether a scenario's run will fit Node's heap, said before the run starts. A run that outgrows the
// heap does not fail cleanly: V8 collects over and over, then aborts the process with a native stack
// trace (diego-x10 with a 2 GiB limit: 49 s, then signal 6; bench/RESULTS.md, #24's thirty-seventh
// step). Node sets its default limit from the machine's memory (4,144 MiB on the project's 24 GiB VM,
// less on smaller machines and in containers), so the same command fits on one machine and not on
// the next; one line up front names the flag that makes it fit.
import { getHeapStatistics } from 'node:v8';
import { desiredInstances } from '../sim/scenario.js';
import type { Scenario } from '../scenario/types.js';

/**
 * Live heap a run holds per desired instance, rounded up from what the benchmarks measure on Diego's
 * stress mix with collections forced (1,117 bytes at 250,000 instances, 1,004 at 2,500,000:
 * `bench/sim-stress.ts`, `bench/sim-x10.ts`). Other mixes differ (fewer, larger apps cost less per
 * instance): an estimate, not a bound.
 */
export const LIVE_BYTES_PER_INSTANCE = 1_200;

/**
 * The share of the heap limit past which the estimate is called too close: diego-x10's hour, about
 * 2.4 GiB live in a 4,144 MiB limit (58%), ran 1.2 times as long as with room (97 s against 82 s);
 * closer, the collector's passes take over.
 */
export const HEAP_SHARE_ADVISED = 0.75;

const MIB = 1024 * 1024;

/**
 * The warning to print before a run of `what` (the scenario's file) with `instances` desired
 * instances under a heap limit of `heapLimitBytes`, or undefined when the estimate leaves the
 * collector room. The advised limit is
 * twice the estimate (room to collect), in whole GiB.
 */
export function heapAdvice(what: string, instances: number, heapLimitBytes: number): string | undefined {
  const liveBytes = instances * LIVE_BYTES_PER_INSTANCE;
  if (!(heapLimitBytes > 0) || liveBytes <= heapLimitBytes * HEAP_SHARE_ADVISED) return undefined;
  const advisedMiB = Math.ceil((2 * liveBytes) / (1024 * MIB)) * 1024;
  const mib = (bytes: number): string => Math.round(bytes / MIB).toLocaleString('en-US');
  return (
    `${what}: ${instances.toLocaleString('en-US')} desired instances, about ${mib(liveBytes)} MiB of live heap ` +
    `(${LIVE_BYTES_PER_INSTANCE.toLocaleString('en-US')} bytes each, estimated), near or past Node's heap limit of ${mib(heapLimitBytes)} MiB: ` +
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
 */
export function warnIfHeapTight(file: string, scenario: Pick<Scenario, 'apps'>): void {
  const line = heapAdvice(file, desiredInstances(scenario), heapLimitBytes());
  if (line !== undefined) process.stderr.write(`${line}\n`);
}
