// The probe bench/memory-footprint.ts runs in a process of its own: what one load from memory costs
// when the loads fall at random anywhere within a footprint of a given size. Prints one JSON line:
// {"latencyNs": [ns for the first size, ...]}.
//
// node bench/memory-footprint-child.mjs <MiB>[,<MiB>...]   (whole MiB, 1 to 8192)
//
// A walk of dependent reads along a random cycle through all the 64-byte lines of a buffer of that
// size (each line names the next: no two consecutive loads share a line, and the next address is
// known only once the load before is done), four million loads of it, the faster of two passes.
// Every page is written while the cycle is made, so no page fault falls in the timing; four million
// loads reach a tenth of the lines of 2.5 GiB, but lines spread over every page of it. A footprint
// within the caches gives a cache's latency; beyond them, a load from memory, which on this VM costs
// more the larger the footprint it falls in (bench/RESULTS.md, #24 twenty-ninth step: the caches'
// and the address translation's reach): what a simulation of ten times the instances meets when its
// hot paths read records scattered over ten times the heap.
import { shuffled, walkNs } from './dependent-walk.mjs';

const INTS_PER_LINE = 16; // 64 bytes of Int32
const STEPS = 4_000_000;
// Slot numbers are Int32s: 2^27 lines of 16 slots at most.
const MAX_MIB = 8192;

// One random cycle through every line of a buffer of `mib` MiB: the lines in a shuffled order (a
// fixed generator: the same cycle every run), each naming the next and the last the first. A line's
// first slot holds the next line's slot number, an Int32: hence at most 2^27 lines, 8 GiB.
function ring(mib) {
  const lines = Math.floor((mib * 2 ** 20) / 64);
  const order = shuffled(lines);
  const next = new Int32Array(lines * INTS_PER_LINE);
  for (let i = 0; i < lines; i++) next[order[i] * INTS_PER_LINE] = order[(i + 1) % lines] * INTS_PER_LINE;
  return next;
}

const arg = process.argv[2] ?? '';
const sizes = arg.split(',').map((s) => (/^[0-9]+$/.test(s) ? Number(s) : Number.NaN));
if (sizes.some((s) => !(s >= 1 && s <= MAX_MIB))) {
  process.stderr.write(`bench/memory-footprint-child.mjs: sizes: expected whole MiB from 1 to ${MAX_MIB}, comma-separated, got ${JSON.stringify(arg)}\n`);
  process.exit(2);
}
const latencyNs = sizes.map((mib) => {
  const next = ring(mib);
  return Math.min(walkNs(next, STEPS), walkNs(next, STEPS));
});
console.log(JSON.stringify({ latencyNs }));
