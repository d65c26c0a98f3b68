// Question: how does the simulator's cost grow with the cluster? diego-stress-250k scaled from its
// 1,250 cells to 12,500 (the cells and every app group's count times the factor, the drills' shares
// as they are), each run for the same simulated time in a child process of its own (Node's default
// heap): wall time per simulated hour, peak RSS, and live heap per desired instance (a second run
// with collections forced). #24 asks that the cost per instance grow by at most 1.5x from 1,250 to
// 12,500 cells. Beside each size's figures it prints its wall time by quarter of the simulated
// time, and the growth of each quarter's cost per instance: the first quarter (the world's setup,
// the first pushes) and the later ones (the same work on instances placed long before) grow
// differently (bench/RESULTS.md, #24 twenty-eighth step). Last, what one load at random costs within
// the first and the last size's live heap (bench/memory-footprint.ts): the growth the machine's
// memory alone gives a run that waits on loads.
//
// The default mode is diego-x10's: Diego's service times except the scheduler's scoring (at x10 the
// scenario is scenarios/diego-x10.yaml), so every size places everything it is asked to and the cost
// per instance compares like for like. `model` keeps the scheduler's modelled time too: Diego's
// modelled auctioneer then falls behind as the cluster grows (each auction scores every cell), so
// the larger runs place less of their work. `none` runs without any service time.
//
// A short run's wall time swings with this VM by a quarter from one run to the next, and the growth is
// a ratio of two of them: give `runs` (3 for #24's figure) and each size runs that many times, the
// sizes taking turns, and the median of each is compared (the spread is printed beside it). The
// first size then runs once more at the end, and each run of the last size is also compared with
// the first size's runs on either side of it (`paired`: the same spell of the machine).
//
// `heap`: `default` runs Node as it comes; `young` adds the young generation the README recommends
// for runs this size (--max-semi-space-size=32, YOUNG_GENERATION_FLAGS), at every size alike; `x10`
// gives every size diego-x10's flags (X10_FLAGS: a 6 GiB old generation, room for an hour at ten
// times, whose 2.3 GiB live sit near Node's default limit, and a young generation of 128 MiB a
// semi-space).
//
// Run: npx tsx bench/sim-sweep.ts [simulated-minutes] [factors] [unscored|model|none] [runs] [default|young|x10]   (defaults 60, 1,2,5,10, unscored, 1 and default; after `npm run build`)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { machineSpeed, speedLine } from './machine-speed.js';
import { footprintLatency, footprintLine, MAX_FOOTPRINT_MIB } from './memory-footprint.js';
import { child, cpuSplit, liveBytesPerInstance, median, n, positiveArg, rssBytesPerInstance, wallMsPerInstance, X10_FLAGS, YOUNG_GENERATION_FLAGS, type Measured } from './sim-child.js';

/** The service times of a sweep: diego-x10's (the scheduler's scoring untimed), Diego's whole model, or none. */
export type SweepMode = 'unscored' | 'model' | 'none';

const MODES: Record<SweepMode, string> = {
  unscored: "Diego's service times but the scheduler's scoring (as diego-x10)",
  model: "Diego's whole service-time model",
  none: 'serviceTime: none',
};

/** diego-stress-250k with its cells and app groups `factor` times as many, as YAML. */
export function scaled(factor: number, serviceTime: SweepMode = 'unscored'): string {
  const doc = parse(readFileSync('scenarios/diego-stress-250k.yaml', 'utf8')) as { description: string; cells: { count: number }[]; apps: { count: number }[]; serviceTime?: unknown };
  if (serviceTime === 'none') doc.serviceTime = 'none';
  if (serviceTime === 'unscored') doc.serviceTime = { scheduling: { perCell: 0, perInstance: 0 } };
  for (const c of doc.cells) c.count *= factor;
  for (const a of doc.apps) a.count *= factor;
  doc.description = `diego-stress-250k times ${factor}`;
  return stringify(doc);
}

/** Runs the sweep and prints a line per size, then the growth of the cost per instance. */
export function run(minutes = 60, factors: readonly number[] = [1, 2, 5, 10], serviceTime: SweepMode = 'unscored', runs = 1, nodeFlags: readonly string[] = []): void {
  const dir = mkdtempSync(join(tmpdir(), 'auctionlab-sweep-'));
  try {
    const again = factors.length > 1 ? `; of ${runs + 1} for x${factors[0]}, which runs once more at the end, its median the lower middle` : '';
    const each = runs > 1 ? `, median of ${runs} timed runs per size (the sizes taking turns${again})` : '';
    const heap = nodeFlags.length > 0 ? `node ${nodeFlags.join(' ')}` : "Node's default heap";
    console.log(`## sim-sweep: diego-stress-250k scaled, ${minutes} simulated minutes each, ${heap}, ${MODES[serviceTime]}${each}`);
    console.log(speedLine(machineSpeed()));
    const files = factors.map((factor) => {
      const file = join(dir, `x${factor}.yaml`);
      writeFileSync(file, scaled(factor, serviceTime));
      return file;
    });
    // The sizes take turns, so a slow spell of the machine falls on every size alike; with more than
    // one run, the first size runs once more at the end, so that every run of the others has a run
    // of the first on either side of it (see pairedGrowth).
    const timed: Measured[][] = factors.map(() => []);
    for (let r = 0; r < runs; r++) files.forEach((file, i) => (timed[i] as Measured[]).push(child(minutes, file, nodeFlags)));
    if (runs > 1 && files.length > 1) (timed[0] as Measured[]).push(child(minutes, files[0] as string, nodeFlags));
    const rows: { factor: number; m: Measured; rssMiB: number; live: Measured; quartersMs: number[]; endMs: number }[] = [];
    factors.forEach((factor, i) => {
      const all = timed[i] as Measured[];
      const m = median(all);
      const rssMiB = medianOf(all.map((x) => x.maxRssMiB));
      const live = child(minutes, files[i] as string, nodeFlags, true);
      // Each quarter's median over the runs, and the run's end's.
      const quartersMs = [0, 1, 2, 3].map((q) => medianOf(all.map((x) => x.quartersMs[q] ?? 0)));
      const endMs = medianOf(all.map((x) => x.endMs));
      rows.push({ factor, m, rssMiB, live, quartersMs, endMs });
      const perHour = (m.wallMs / 1000) * (60 / minutes);
      const walls = all.map((x) => x.wallMs / 1000).sort((a, b) => a - b);
      const spread = runs > 1 ? ` (${(walls[0] as number).toFixed(1)}-${(walls[walls.length - 1] as number).toFixed(1)})` : '';
      console.log(
        `x${factor}: ${n(1250 * factor)} cells, ${n(m.desired)} desired (${n(m.running)} running at the end): ` +
          `${(m.wallMs / 1000).toFixed(1)} s wall${spread} (${perHour.toFixed(1)} s per simulated hour), peak RSS ${n(rssMiB)} MiB, ` +
          `live heap at most ${n(live.liveMiB ?? 0)} MiB; per desired instance ${n(liveBytesPerInstance(live))} bytes of live heap and ${(wallMsPerInstance(m) * 1000).toFixed(1)} µs of wall; ${cpuSplit(m)}`,
      );
      console.log(`  by quarter of the simulated time: ${quartersMs.map((ms) => (ms / 1000).toFixed(1)).join(' / ')} s, then ${(endMs / 1000).toFixed(1)} s for the run's end${runs > 1 ? ' (medians)' : ''}`);
    });
    const first = rows[0];
    const last = rows[rows.length - 1];
    if (first && last && last !== first) {
      const paired = pairedGrowth(timed[0] as Measured[], timed[rows.length - 1] as Measured[]);
      const live = liveBytesPerInstance(last.live) / liveBytesPerInstance(first.live);
      const rss = rssBytesPerInstance({ ...last.m, maxRssMiB: last.rssMiB }) / rssBytesPerInstance({ ...first.m, maxRssMiB: first.rssMiB });
      console.log(
        `growth per instance from x${first.factor} to x${last.factor}: wall ${(wallMsPerInstance(last.m) / wallMsPerInstance(first.m)).toFixed(2)}x, live heap ${live.toFixed(2)}x, peak RSS ${rss.toFixed(2)}x (target: within 1.5x)`,
      );
      if (paired.length > 0) {
        const ratios = paired.map((x) => `${x.toFixed(2)}x`).join(', ');
        console.log(`  paired (each x${last.factor} run against the mean of the x${first.factor} runs just before and after it): ${ratios}; median ${medianOf(paired).toFixed(2)}x`);
      }
      // Which part of the run grows: the first quarter (setup, the first placements) against the
      // later ones (the same work on instances placed long ago: bench/RESULTS.md, #24 twenty-eighth step).
      const growth = (msOf: (r: (typeof rows)[number]) => number) => `${(msOf(last) / Math.max(1, last.m.desired) / (msOf(first) / Math.max(1, first.m.desired))).toFixed(2)}x`;
      const byQuarter = [0, 1, 2, 3].map((q) => growth((r) => r.quartersMs[q] as number)).join(', ');
      console.log(`  its wall by quarter of the simulated time: ${byQuarter}; the run's end ${growth((r) => r.endMs)}`);
      // What the machine's memory alone charges: a load within the last size's live heap against one
      // within the first's. A run that waits on such loads grows per instance by up to this much
      // however its code is laid out (bench/RESULTS.md, #24 twenty-ninth step). (The probe walks
      // at most 8 GiB; a larger heap is left out.)
      const heaps = [first.live.liveMiB ?? 0, last.live.liveMiB ?? 0];
      if (heaps.every((h) => h >= 1 && h <= MAX_FOOTPRINT_MIB)) console.log(`  ${footprintLine(heaps, footprintLatency(heaps))}`);
    }
    console.log(speedLine(machineSpeed()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The growth of the wall time per desired instance from the first size to another, one figure per
 * run of the other: that run against the mean of the first size's runs just before and after it
 * (`first` holds one run more than `other`, taken in turns: first[0], other[0], first[1], ...,
 * other[k], first[k + 1]). This VM's speed drifts by a quarter within minutes, and a ratio of the two
 * sizes' medians can pair a fast spell of one with a slow spell of the other; a run and its
 * neighbours share the spell. Empty unless the runs are so taken.
 */
export function pairedGrowth(first: readonly Measured[], other: readonly Measured[]): number[] {
  if (other.length === 0 || first.length !== other.length + 1) return [];
  return other.map((m, k) => wallMsPerInstance(m) / ((wallMsPerInstance(first[k] as Measured) + wallMsPerInstance(first[k + 1] as Measured)) / 2));
}

// The middle value (the lower middle of an even count).
function medianOf(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] as number;
}

if (import.meta.url === `file://${process.argv[1]}`) run(
    positiveArg(process.argv[2], 60, 'bench/sim-sweep.ts: simulated minutes'),
    (process.argv[3] ?? '1,2,5,10').split(',').map((f) => positiveArg(f, 1, 'bench/sim-sweep.ts: factors', true)),
    sweepMode(process.argv[4]),
    positiveArg(process.argv[5], 1, 'bench/sim-sweep.ts: runs', true),
    heapFlags(process.argv[6]),
  );

function heapFlags(arg: string | undefined): readonly string[] {
  if (arg === undefined || arg === 'default') return [];
  if (arg === 'young') return YOUNG_GENERATION_FLAGS;
  if (arg === 'x10') return X10_FLAGS;
  process.stderr.write(`bench/sim-sweep.ts: heap: expected default, young or x10, got ${JSON.stringify(arg)}\n`);
  process.exit(2);
}

function sweepMode(arg: string | undefined): SweepMode {
  if (arg === undefined) return 'unscored';
  if (Object.hasOwn(MODES, arg)) return arg as SweepMode;
  process.stderr.write(`bench/sim-sweep.ts: mode: expected one of ${Object.keys(MODES).join(', ')}, got ${JSON.stringify(arg)}\n`);
  process.exit(2);
}
