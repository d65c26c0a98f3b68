// The probe bench/machine-speed.ts runs in a process of its own: the same fixed work every time, so
// two days' figures say how fast this VM was, apart from the code measured beside them. Prints one
// JSON line.
//
// node bench/machine-speed-child.mjs
//
// - cpuMs: a loop of integer arithmetic and Map reads and writes (no allocation that outlives it),
//   the kind of work the simulation's hot loops do; the fastest of three passes, so a moment of
//   contention within one pass does not set the figure.
// - firstTouchUs: what the kernel takes to give the process a page of memory it has not touched yet
//   (µs per 4 KiB page): a fresh 256 MiB buffer written once (one fault a page) less the same buffer
//   written again (no faults). On this VM that cost swings with the host (a 2 GiB first touch took
//   6.1-7.8 s one slow day, 9 ms the second time): every page of heap a run grows pays it.
// - latencyNs: one load from memory that is in no cache (ns): a walk of dependent reads around a
//   random cycle through 64 MiB, the fastest of three passes. A large simulation's hot paths are
//   mostly such reads (an instance's records, touched once a minute or so), and the host's other
//   tenants share the caches and the memory bus.
import { Buffer } from 'node:buffer';
import { performance } from 'node:perf_hooks';
import { shuffled, walkNs } from './dependent-walk.mjs';

const PAGE = 4096;
const TOUCH_BYTES = 256 * 2 ** 20;

function cpuPass() {
  const m = new Map();
  let s = 0;
  const t0 = performance.now();
  for (let i = 0; i < 30_000_000; i++) {
    const k = i & 0xffff;
    s = (s + (i % 7) + (m.get(k) ?? 0)) | 0;
    if ((i & 7) === 0) m.set(k, s & 0xff);
  }
  const ms = performance.now() - t0;
  if (s === 0.5) console.log(s); // keeps the loop's result observable
  return ms;
}

// One random cycle through every slot: each slot names the next one to read.
function cycle(n) {
  const order = shuffled(n);
  const next = new Int32Array(n);
  for (let i = 0; i < n; i++) next[order[i]] = order[(i + 1) % n];
  return next;
}

const cpuMs = Math.min(cpuPass(), cpuPass(), cpuPass());
const ring = cycle(1 << 24);
const latencyNs = Math.min(walkNs(ring, 4e6), walkNs(ring, 4e6), walkNs(ring, 4e6));
const buf = Buffer.allocUnsafeSlow(TOUCH_BYTES);
let t0 = performance.now();
buf.fill(1);
const first = performance.now() - t0;
t0 = performance.now();
buf.fill(2);
const again = performance.now() - t0;
const firstTouchUs = (Math.max(0, first - again) * 1000) / (TOUCH_BYTES / PAGE);
console.log(JSON.stringify({ cpuMs, latencyNs, firstTouchUs }));
