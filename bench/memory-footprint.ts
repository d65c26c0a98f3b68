// Question: what does one load from memory cost on this machine when the loads fall at random within
// a footprint the size of a run's heap? A simulation's hot paths read each instance's records,
// touched once a minute or so and scattered over the heap: a run waiting on such loads costs more
// per instance at ten times the instances if each load does, apart from any code. The sweep
// (bench/sim-sweep.ts) prints the figure at its first and last size's live heap beside the growth
// it measures. On this VM (bench/RESULTS.md, #24 twenty-ninth step) a load within 2.5 GiB cost 1.7
// times one within 256 MiB. (A footprint the caches hold gives a cache's latency, not memory's.)
//
// Run: npx tsx bench/memory-footprint.ts [MiB,MiB,...]   (whole MiB, 1 to 8192; default 16,64,256,1024,2560; the probe runs in a child of its own)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The sizes probed when none are given (MiB): from about the last-level cache's size to diego-x10's live heap. */
export const DEFAULT_FOOTPRINTS_MIB: readonly number[] = [16, 64, 256, 1024, 2560];

/** The largest footprint the probe walks (MiB): its slot numbers are Int32s. */
export const MAX_FOOTPRINT_MIB = 8192;

/**
 * ns per load at random within each footprint of `mib` MiB (rounded to whole MiB, 1 to
 * {@link MAX_FOOTPRINT_MIB}), in a child process of its own (its buffers are typed arrays, outside
 * the V8 heap: no heap flag needed).
 */
export function footprintLatency(mib: readonly number[]): number[] {
  const sizes = mib.map((m) => Math.round(m));
  if (sizes.length === 0 || sizes.some((m) => !(m >= 1 && m <= MAX_FOOTPRINT_MIB))) throw new RangeError(`memory-footprint: sizes must be 1 to ${MAX_FOOTPRINT_MIB} MiB, got ${JSON.stringify(mib)}`);
  const script = fileURLToPath(new URL('./memory-footprint-child.mjs', import.meta.url));
  const out = spawnSync(process.execPath, [script, sizes.join(',')], { encoding: 'utf8', maxBuffer: 1 << 16 });
  const line = out.stdout.trim().split('\n').pop() ?? '';
  if (out.status !== 0 || !line.startsWith('{')) throw new Error(`memory-footprint probe failed (${out.status ?? out.signal}): ${out.stderr.slice(-2000)}`);
  return (JSON.parse(line) as { latencyNs: number[] }).latencyNs;
}

/** The figures as one line: each footprint's cost per load, and the last's against the first's. */
export function footprintLine(mib: readonly number[], ns: readonly number[]): string {
  const each = mib.map((m, i) => `${(ns[i] as number).toFixed(0)} ns within ${Math.round(m).toLocaleString('en-US')} MiB`).join(', ');
  const growth = mib.length > 1 ? `; ${((ns[ns.length - 1] as number) / (ns[0] as number)).toFixed(2)}x from the first to the last` : '';
  return `one load at random: ${each}${growth} (bench/memory-footprint.ts)`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = process.argv[2];
  const mib = arg === undefined ? DEFAULT_FOOTPRINTS_MIB : arg.split(',').map((s) => (/^[0-9]+$/.test(s) ? Number(s) : Number.NaN));
  if (mib.some((m) => !(m >= 1 && m <= MAX_FOOTPRINT_MIB))) {
    process.stderr.write(`bench/memory-footprint.ts: sizes: expected whole MiB from 1 to ${MAX_FOOTPRINT_MIB}, comma-separated, got ${JSON.stringify(arg)}\n`);
    process.exit(2);
  }
  console.log(footprintLine(mib, footprintLatency(mib)));
}
