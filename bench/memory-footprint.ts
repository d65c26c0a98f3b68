// Question: what does one load from memory in no cache cost on this machine when the loads fall
// within a footprint the size of a run's heap? A simulation's hot paths read each instance's
// records, touched once a minute or so and scattered over the heap: a run waiting on such loads
// costs more per instance at ten times the instances if each load does, apart from any code. The
// sweep (bench/sim-sweep.ts) prints the figure at its smallest and largest size's live heap beside
// the growth it measures. On this VM (bench/RESULTS.md, #24 twenty-ninth step) a load within
// 2.5 GiB cost 1.7 times one within 256 MiB.
//
// Run: npx tsx bench/memory-footprint.ts [MiB,MiB,...]   (default 16,64,256,1024,2560; the probe runs in a child of its own)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The sizes probed when none are given (MiB): from within the last-level cache to diego-x10's live heap. */
export const DEFAULT_FOOTPRINTS_MIB: readonly number[] = [16, 64, 256, 1024, 2560];

/** ns per load in no cache within each footprint of `mib` MiB, in a child process of its own. */
export function footprintLatency(mib: readonly number[]): number[] {
  const script = fileURLToPath(new URL('./memory-footprint-child.mjs', import.meta.url));
  const largest = Math.max(...mib);
  // The buffer, and the shuffle's order (a quarter of it), with room to spare.
  const heapMiB = Math.ceil(largest * 1.5) + 512;
  const out = spawnSync(process.execPath, [`--max-old-space-size=${heapMiB}`, script, mib.map((m) => Math.round(m)).join(',')], { encoding: 'utf8', maxBuffer: 1 << 16 });
  const line = out.stdout.trim().split('\n').pop() ?? '';
  if (out.status !== 0 || !line.startsWith('{')) throw new Error(`memory-footprint probe failed (${out.status ?? out.signal}): ${out.stderr.slice(-2000)}`);
  return (JSON.parse(line) as { latencyNs: number[] }).latencyNs;
}

/** The figures as one line: each footprint's cost per load, and the last's against the first's. */
export function footprintLine(mib: readonly number[], ns: readonly number[]): string {
  const each = mib.map((m, i) => `${(ns[i] as number).toFixed(0)} ns within ${Math.round(m).toLocaleString('en-US')} MiB`).join(', ');
  const growth = mib.length > 1 ? `; ${((ns[ns.length - 1] as number) / (ns[0] as number)).toFixed(2)}x from the first to the last` : '';
  return `a load from memory in no cache: ${each}${growth} (bench/memory-footprint.ts)`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = process.argv[2];
  const mib = arg === undefined ? DEFAULT_FOOTPRINTS_MIB : arg.split(',').map(Number);
  if (mib.length === 0 || mib.some((m) => !Number.isFinite(m) || m < 1 || m > 16384)) {
    process.stderr.write(`bench/memory-footprint.ts: sizes: expected MiB from 1 to 16384, comma-separated, got ${JSON.stringify(arg)}\n`);
    process.exit(2);
  }
  console.log(footprintLine(mib, footprintLatency(mib)));
}
