// The probe bench/memory-footprint.ts runs in a process of its own: what one load from memory that
// is in no cache costs when the loads fall anywhere within a footprint of a given size. Prints one
// JSON line: {"latencyNs": [ns for the first size, ...]}.
//
// node bench/memory-footprint-child.mjs <MiB>[,<MiB>...]
//
// A walk of dependent reads around a random cycle through every 64-byte line of a buffer of that
// size (each line named by the one before: no two loads share a line, and the next address is known
// only once the load before is done), the faster of two passes of four million loads. On this VM a
// load costs more the larger the footprint it falls in (bench/RESULTS.md, #24 twenty-ninth step:
// the caches' and the address translation's reach), which is what a simulation of ten times the
// instances meets when its hot paths read records scattered over ten times the heap.
import { performance } from 'node:perf_hooks';

const INTS_PER_LINE = 16; // 64 bytes of Int32
const STEPS = 4_000_000;

// Dependent loads around the cycle in `next` (each line's first slot names the next line's).
function walk(next) {
  let p = 0;
  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) p = next[p];
  const ns = ((performance.now() - t0) * 1e6) / STEPS;
  if (p === -1) console.log(p); // keeps the walk's result observable
  return ns;
}

// One random cycle through every line of a buffer of `mib` MiB (Sattolo's shuffle with a fixed
// generator: the same cycle every run).
function ring(mib) {
  const lines = Math.floor((mib * 2 ** 20) / 64);
  const order = new Int32Array(lines);
  for (let i = 0; i < lines; i++) order[i] = i;
  let x = 12345;
  for (let i = lines - 1; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % i;
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const next = new Int32Array(lines * INTS_PER_LINE);
  for (let i = 0; i < lines; i++) next[order[i] * INTS_PER_LINE] = order[(i + 1) % lines] * INTS_PER_LINE;
  return next;
}

const sizes = (process.argv[2] ?? '').split(',').map(Number);
if (sizes.length === 0 || sizes.some((s) => !Number.isFinite(s) || s < 1 || s > 16384)) {
  process.stderr.write(`bench/memory-footprint-child.mjs: sizes: expected MiB from 1 to 16384, comma-separated, got ${JSON.stringify(process.argv[2] ?? '')}\n`);
  process.exit(2);
}
const latencyNs = sizes.map((mib) => {
  const next = ring(mib);
  return Math.min(walk(next), walk(next));
});
console.log(JSON.stringify({ latencyNs }));
