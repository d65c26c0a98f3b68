// Question: how fast, and in how much memory, does the simulator run Diego's own scale target
// (diego-stress-250k: 250,000 instances on 1,250 cells, crashing apps, two fault drills) for one
// simulated hour? Target (#24): under 10 s of wall time and under 1 GiB of peak RSS without heap
// caps, the median of 3 runs: measured both with Node's defaults and with the young generation the
// README recommends for runs this size (`--max-semi-space-size=32`, not a cap).
//
// Run: npx tsx bench/sim-stress.ts [simulated-minutes] [runs]   (defaults 60 and 3)
//
// Each measurement runs the built code (`npm run build` first; `npm run bench` does) in a child
// process of its own (bench/sim-child.ts), so its peak RSS (the kernel's maxrss) is the
// simulation's alone: `runs` times with Node's defaults (median and spread shown, since this VM's
// timings swing from one run to the next), `runs` times with the README's young generation (taking
// turns with the first, so a drift of the VM's speed falls on both), once with that and the old
// generation capped at HEAP_CAP_MB (`--max-old-space-size`, README "Runs at Diego's scale"), and
// once with a collection forced at every tenth of the run, which reads the heap still live: bytes
// per desired instance (peak RSS also holds the garbage Node lets pile up before it collects).
import { machineSpeed, speedLine } from './machine-speed.js';
import { child, cpuSplit, liveBytesPerInstance, median, n, positiveArg, rssBytesPerInstance, type Measured, YOUNG_GENERATION_FLAGS } from './sim-child.js';

/** The old-generation cap the capped run uses (MiB). */
export const HEAP_CAP_MB = 768;

/** Runs the benchmark, prints its lines and returns them. */
export function run(minutes = 60, runs = 3): string[] {
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    console.log(s);
  };
  const durationMs = minutes * 60_000;
  say(`## sim-stress: diego-stress-250k for ${minutes} simulated minutes (target: 60 min in < 10 s wall, < 1 GiB peak RSS, no heap cap, median of 3)`);
  // The machine's speed before and after: the wall-time target is an absolute one, on a VM whose
  // speed swings by up to three times from day to day.
  say(speedLine(machineSpeed()));
  const plainRuns: Measured[] = [];
  const youngRuns: Measured[] = [];
  for (let i = 0; i < Math.max(1, runs); i++) {
    plainRuns.push(child(minutes, null));
    youngRuns.push(child(minutes, null, YOUNG_GENERATION_FLAGS));
  }
  const plain = median(plainRuns);
  const line = (label: string, m: Measured) =>
    `${label}: wall ${(m.wallMs / 1000).toFixed(1)} s, ${(durationMs / m.wallMs).toFixed(1)} simulated seconds per wall second; ` +
    `peak RSS ${n(m.maxRssMiB)} MiB, ${n(rssBytesPerInstance(m))} bytes per desired instance; ${cpuSplit(m)}`;
  const spread = (ms: readonly Measured[]) => `  runs: ${ms.map((m) => `${(m.wallMs / 1000).toFixed(1)} s / ${n(m.maxRssMiB)} MiB`).join(', ')}`;
  say(line(`Node's defaults, median of ${plainRuns.length}`, plain));
  say(spread(plainRuns));
  say(line(`${YOUNG_GENERATION_FLAGS.join(' ')} (README), median of ${youngRuns.length}`, median(youngRuns)));
  say(spread(youngRuns));
  const capped = child(minutes, null, [...YOUNG_GENERATION_FLAGS, `--max-old-space-size=${HEAP_CAP_MB}`]);
  say(line(`and the heap capped at ${HEAP_CAP_MB} MiB (--max-old-space-size)`, capped));
  const live = child(minutes, null, [], true);
  say(`live heap at most ${n(live.liveMiB ?? 0)} MiB (a collection forced at every tenth of the run): ${n(liveBytesPerInstance(live))} bytes per desired instance`);
  const same = [...plainRuns, ...youngRuns, capped, live].every((m) => m.digest === plain.digest);
  say(`same run every time: ${same ? 'yes' : 'NO'} (digest ${plain.digest.slice(0, 12)})`);
  say(
    `  ${n(plain.events)} events, ${n(plain.auctions)} auctions, ${n(plain.placed)} placed, ${n(plain.failed)} failed, ` +
      `${n(plain.crashes)} crashes, ${n(plain.messages)} messages; ${n(plain.missing)} of ${n(plain.desired)} missing at the end`,
  );
  say(speedLine(machineSpeed()));
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) run(positiveArg(process.argv[2], 60, 'bench/sim-stress.ts: simulated minutes'), positiveArg(process.argv[3], 3, 'bench/sim-stress.ts: runs', true));
