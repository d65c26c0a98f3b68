// Question: does the simulator run ten times Diego's scale (scenarios/diego-x10.yaml: 2,500,000
// instances of the stress mix on 12,500 cells, the fault drill scaled) for one simulated hour in
// under 3 minutes of wall time and 8 GiB of peak RSS, and how many bytes of live heap does each
// desired instance cost?
//
// Run: npx tsx bench/sim-x10.ts [simulated-minutes] [node flags...]   (defaults 60 and X10_FLAGS; after `npm run build`)
//
// Two runs of the built code, each in a child process of its own (bench/sim-child.ts): one as a
// user starts it (with the heap the README tells them to give it), timed; one with a collection
// forced at every tenth of the simulated time (`--expose-gc`), which reads the heap still live.
import { machineSpeed, speedLine } from './machine-speed.js';
import { child, cpuSplit, liveBytesPerInstance, n, positiveArg, rssBytesPerInstance, X10_FLAGS } from './sim-child.js';

/** The scenario measured. */
export const X10_FILE = 'scenarios/diego-x10.yaml';

/** Runs the benchmark, prints its lines and returns them. */
export function run(minutes = 60, nodeFlags: readonly string[] = X10_FLAGS): string[] {
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    console.log(s);
  };
  const flags = nodeFlags.length > 0 ? nodeFlags.join(' ') : "Node's default heap";
  say(`## sim-x10: diego-x10 for ${minutes} simulated minutes, ${flags} (target: 60 min in < 3 min wall, < 8 GiB peak RSS)`);
  say(speedLine(machineSpeed()));
  const m = child(minutes, X10_FILE, nodeFlags);
  say(`wall ${(m.wallMs / 1000).toFixed(1)} s (${((m.wallMs / 1000) * (60 / minutes)).toFixed(1)} s per simulated hour), peak RSS ${n(m.maxRssMiB)} MiB (${n(rssBytesPerInstance(m))} bytes per desired instance); ${cpuSplit(m)}`);
  say(`  ${n(m.events)} events, ${n(m.auctions)} auctions, ${n(m.placed)} placed, ${n(m.crashes)} crashes, ${n(m.messages)} messages; ${n(m.running)} of ${n(m.desired)} desired running at the end`);
  for (const e of m.expectations) say(`  expect ${e}`);
  const l = child(minutes, X10_FILE, nodeFlags, true);
  say(`live heap at most ${n(l.liveMiB ?? 0)} MiB (a collection forced at every tenth of the run): ${n(liveBytesPerInstance(l))} bytes per desired instance; same run: ${l.digest === m.digest ? 'yes' : 'NO'} (digest ${m.digest.slice(0, 12)})`);
  say(speedLine(machineSpeed()));
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) run(positiveArg(process.argv[2], 60, 'bench/sim-x10.ts: simulated minutes'), process.argv.length > 3 ? process.argv.slice(3) : X10_FLAGS);
