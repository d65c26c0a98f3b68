// Question: how fast is this machine right now? The simulation benchmarks' targets are wall times,
// and this VM's speed swings from day to day by up to three times on the same code (bench/RESULTS.md:
// diego-cold-start in 0.43 s on fast days, 1.0-1.3 s on slow ones). Each of them prints this line
// beside its figures, so a figure can be read against the machine it was measured on: a fixed CPU
// loop's time, a load from memory in no cache, and what the kernel takes to hand over a page of
// memory not touched before (which a run pays for every page of heap it grows into; on slow days
// that is 10 µs or more a page).
//
// Run: npx tsx bench/machine-speed.ts   (the probe runs in a child of its own: bench/machine-speed-child.mjs)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The probe's two figures. */
export interface MachineSpeed {
  /** A fixed loop of arithmetic and Map reads and writes, the fastest of three passes (ms). */
  cpuMs: number;
  /** One load from memory in no cache, by a walk of dependent reads over 64 MiB (ns). */
  latencyNs: number;
  /** The kernel's cost of a first touch of memory (µs per 4 KiB page). */
  firstTouchUs: number;
}

/** Runs the probe in a child process of its own. */
export function machineSpeed(): MachineSpeed {
  const script = fileURLToPath(new URL('./machine-speed-child.mjs', import.meta.url));
  const out = spawnSync(process.execPath, [script], { encoding: 'utf8', maxBuffer: 1 << 16 });
  const line = out.stdout.trim().split('\n').pop() ?? '';
  if (out.status !== 0 || !line.startsWith('{')) throw new Error(`machine-speed probe failed (${out.status ?? out.signal}): ${out.stderr.slice(-2000)}`);
  return JSON.parse(line) as MachineSpeed;
}

/** The probe's figures as one line, for a benchmark's output. */
export function speedLine(m: MachineSpeed): string {
  return `this machine now: CPU probe ${m.cpuMs.toFixed(0)} ms (bench/machine-speed.ts; lower is faster), memory latency ${m.latencyNs.toFixed(0)} ns, first touch of memory ${m.firstTouchUs.toFixed(1)} µs per 4 KiB page`;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(speedLine(machineSpeed()));
