// One measured simulation in a child process of its own (bench/sim-stress-child.mjs on the built
// code), so its peak RSS (the kernel's maxrss) is the simulation's alone: what bench/sim-stress.ts,
// bench/sim-sweep.ts and bench/sim-x10.ts share.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The young-generation size the README recommends for runs at Diego's scale and above
 * (`NODE_OPTIONS=--max-semi-space-size=32`, "Runs at Diego's scale"): V8's default of 16 MiB a
 * semi-space lets more of a big run's short-lived objects into the old generation (bench/RESULTS.md,
 * #24 ninth step). A GC setting, not a heap cap.
 */
export const YOUNG_GENERATION_FLAGS: readonly string[] = ['--max-semi-space-size=32'];

/**
 * The heap the README gives diego-x10 ("Ten times Diego"): the hour holds about 2.3 GiB live, and in
 * Node's default limit here (4,144 MiB, set from the machine's memory) the collector works near the
 * limit (97 s against 82 s as a user runs it, 2026-12-06; smaller machines get a smaller default);
 * 6 GiB gives it room and keeps the peak RSS under the 8 GiB target (4.7 GiB measured). And a young generation of
 * 128 MiB a semi-space: at ten times a collection of the young generation comes every couple of
 * simulated seconds, so whatever lives a few simulated seconds (claims, starting containers, a
 * batch's work) was copied and promoted; the hour took 161-175 s with it against 174-186 s with 32
 * MiB (alternated, bench/RESULTS.md "#24, thirteenth step"). GC settings, not a cap on the run.
 */
export const X10_FLAGS: readonly string[] = ['--max-old-space-size=6144', '--max-semi-space-size=128'];

/** What a child reports. */
export interface Measured {
  wallMs: number;
  maxRssMiB: number;
  /** CPU time in user mode over the whole process, the collector's helper threads included (s). */
  userS: number;
  /** CPU time in the kernel (s): mostly page faults, the first touch of every page the heap grows into. */
  kernelS: number;
  /** Page faults (minor and major). */
  pageFaults: number;
  /** The most heap still in use after a forced collection (MiB): only from a `live` run. */
  liveMiB?: number;
  /** Wall time of each quarter of the simulated time (ms; the first includes the world's setup). */
  quartersMs: number[];
  /** Wall time after the last simulated millisecond: the run's summary (ms). */
  endMs: number;
  events: number;
  auctions: number;
  placed: number;
  failed: number;
  crashes: number;
  messages: number;
  desired: number;
  running: number;
  missing: number;
  /** The scenario's expectations, one line each (`converged: held (...)`). */
  expectations: string[];
  digest: string;
}

/**
 * One run for `minutes` simulated minutes of `file` (null: diego-stress-250k; another file is read
 * with the size limits lifted), with `nodeFlags`. `live` forces a collection at every tenth of the
 * run to read the live heap (its wall time is then not one to quote).
 */
export function child(minutes: number, file: string | null, nodeFlags: readonly string[] = [], live = false): Measured {
  const script = fileURLToPath(new URL('./sim-stress-child.mjs', import.meta.url));
  if (!existsSync('dist/src/sim.js')) throw new Error('the simulation benchmarks run the built code: run `npm run build` first');
  const args = [...nodeFlags, ...(live ? ['--expose-gc'] : []), script, String(minutes), ...(file === null ? [] : [file]), ...(live ? ['--live'] : [])];
  const out = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = out.stdout.trim().split('\n').pop() ?? '';
  if (out.status !== 0 || !line.startsWith('{')) throw new Error(`sim-stress child failed (${out.status ?? out.signal}): ${out.stderr.slice(-2000)}`);
  return JSON.parse(line) as Measured;
}

/** Live heap per desired instance (bytes), from a `live` run. */
export function liveBytesPerInstance(m: Measured): number {
  return ((m.liveMiB ?? 0) * 2 ** 20) / Math.max(1, m.desired);
}

/** Wall time per desired instance (ms). */
export function wallMsPerInstance(m: Measured): number {
  return m.wallMs / Math.max(1, m.desired);
}

/** Peak RSS per desired instance (bytes). */
export function rssBytesPerInstance(m: Measured): number {
  return (m.maxRssMiB * 2 ** 20) / Math.max(1, m.desired);
}

/** The run with the median wall time. */
export function median(runs: readonly Measured[]): Measured {
  const byWall = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return byWall[Math.floor((byWall.length - 1) / 2)] as Measured;
}

/** Where a run's time went, as a clause: CPU in user mode and in the kernel, and page faults. */
export function cpuSplit(m: Measured): string {
  return `CPU ${m.userS.toFixed(1)} s user + ${m.kernelS.toFixed(1)} s kernel, ${n(m.pageFaults)} page faults`;
}

/** A count with thousands separators. */
export const n = (x: number): string => Math.round(x).toLocaleString('en');

/** A bench argument read as a positive number (a whole one with `whole`), or one line and exit 2. */
export function positiveArg(value: string | undefined, fallback: number, what: string, whole = false): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x <= 0 || (whole && !Number.isInteger(x))) {
    process.stderr.write(`${what}: expected a positive ${whole ? 'whole ' : ''}number, got ${JSON.stringify(value)}\n`);
    process.exit(2);
  }
  return x;
}
