// Question: how fast, and in how much memory, does the simulator run Diego's own scale target
// (diego-stress-250k: 250,000 instances on 1,250 cells, crashing apps, two fault drills) for one
// simulated hour? Target (#24): under 10 s of wall time and under 1 GiB of peak RSS without heap
// caps, the median of 3 runs: Node as the `auctionlab` command starts it (its young generation set
// on the executable's first line, no limit on the heap; see bench/sim-child.ts).
//
// Run: npx tsx bench/sim-stress.ts [simulated-minutes] [runs]   (defaults 60 and 3)
//
// Each measurement runs the built code (`npm run build` first; `npm run bench` does) in a child
// process of its own (bench/sim-child.ts), so its peak RSS (the kernel's maxrss) is the
// simulation's alone: `runs` times as a user starts it (no heap cap; median and spread
// shown, since this VM's timings swing from one run to the next), once with the old generation
// capped at HEAP_CAP_MB (`--max-old-space-size`, README "Runs at Diego's scale"), and once with a
// collection forced at every tenth of the run, which reads the heap still live: bytes per desired
// instance (peak RSS also holds the garbage Node lets pile up before it collects).
import { child, CLI_NODE_FLAGS, liveBytesPerInstance, median, n, positiveArg, rssBytesPerInstance, type Measured } from './sim-child.js';

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
  say(`node flags as the auctionlab command starts it: ${CLI_NODE_FLAGS.join(' ') || '(none)'}`);
  const plainRuns: Measured[] = [];
  for (let i = 0; i < Math.max(1, runs); i++) plainRuns.push(child(minutes, null));
  const plain = median(plainRuns);
  const line = (label: string, m: Measured) =>
    `${label}: wall ${(m.wallMs / 1000).toFixed(1)} s, ${(durationMs / m.wallMs).toFixed(1)} simulated seconds per wall second; ` +
    `peak RSS ${n(m.maxRssMiB)} MiB, ${n(rssBytesPerInstance(m))} bytes per desired instance`;
  say(line(`no heap cap, median of ${plainRuns.length}`, plain));
  say(`  runs: ${plainRuns.map((m) => `${(m.wallMs / 1000).toFixed(1)} s / ${n(m.maxRssMiB)} MiB`).join(', ')}`);
  const capped = child(minutes, null, [`--max-old-space-size=${HEAP_CAP_MB}`]);
  say(line(`heap capped at ${HEAP_CAP_MB} MiB (--max-old-space-size)`, capped));
  const live = child(minutes, null, [], true);
  say(`live heap at most ${n(live.liveMiB ?? 0)} MiB (a collection forced at every tenth of the run): ${n(liveBytesPerInstance(live))} bytes per desired instance`);
  const same = [...plainRuns, capped, live].every((m) => m.digest === plain.digest);
  say(`same run every time: ${same ? 'yes' : 'NO'} (digest ${plain.digest.slice(0, 12)})`);
  say(
    `  ${n(plain.events)} events, ${n(plain.auctions)} auctions, ${n(plain.placed)} placed, ${n(plain.failed)} failed, ` +
      `${n(plain.crashes)} crashes, ${n(plain.messages)} messages; ${n(plain.missing)} of ${n(plain.desired)} missing at the end`,
  );
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) run(positiveArg(process.argv[2], 60, 'bench/sim-stress.ts: simulated minutes'), positiveArg(process.argv[3], 3, 'bench/sim-stress.ts: runs', true));
