// Question: how many events per second does the simulator's event queue sustain in the classic
// "hold" pattern (pop the earliest event, push one a random time later) at 1k, 100k and 1M pending
// events (2.5M: one per instance at ten times Diego's scale), and what do typed arrays buy over a
// textbook heap of event objects?
//
// Run: npx tsx bench/kernel-hold.ts
import { streamFor } from '../src/index.js';
import { EventQueue } from '../src/sim/kernel/event-queue.js';
import { bestOf } from './timing.js';

interface Ev {
  time: number;
  seq: number;
  handler: number;
  a: number;
}

/** The baseline: a binary heap of event objects ordered by (time, seq), one allocation per push. */
class ObjectHeap {
  private h: Ev[] = [];
  private seq = 0;
  get size(): number {
    return this.h.length;
  }
  push(time: number, handler: number, a: number): void {
    const e = { time, seq: this.seq++, handler, a };
    const h = this.h;
    let i = h.length;
    h.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (less(h[p] as Ev, e)) break;
      h[i] = h[p] as Ev;
      i = p;
    }
    h[i] = e;
  }
  pop(): Ev | undefined {
    const h = this.h;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= h.length) break;
        const r = l + 1;
        const c = r < h.length && less(h[r] as Ev, h[l] as Ev) ? r : l;
        if (!less(h[c] as Ev, last)) break;
        h[i] = h[c] as Ev;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}

function less(x: Ev, y: Ev): boolean {
  return x.time < y.time || (x.time === y.time && x.seq < y.seq);
}

const OPS = 2_000_000;
// Random delays drawn once, so the timing measures the queue and not the random generator.
const DELAYS = (() => {
  const rng = streamFor(1, 'hold');
  return Float64Array.from({ length: 1 << 20 }, () => rng.next() * 1000);
})();
const MASK = DELAYS.length - 1;

function holdTyped(pending: number): number {
  const q = new EventQueue(pending);
  for (let i = 0; i < pending; i++) q.push(DELAYS[i & MASK] as number, 0, i, 0);
  return bestOf(2, () => {
    for (let i = 0; i < OPS; i++) {
      q.pop();
      q.push(q.popTime + (DELAYS[i & MASK] as number), 0, i, 0);
    }
  }).ms;
}

function holdObjects(pending: number): number {
  const q = new ObjectHeap();
  for (let i = 0; i < pending; i++) q.push(DELAYS[i & MASK] as number, 0, i);
  return bestOf(2, () => {
    for (let i = 0; i < OPS; i++) {
      const e = q.pop() as Ev;
      q.push(e.time + (DELAYS[i & MASK] as number), 0, i);
    }
  }).ms;
}

/** Runs the benchmark, prints its lines and returns them. */
export function run(): string[] {
  const lines: string[] = [];
  const say = (s: string) => {
    lines.push(s);
    console.log(s);
  };
  say(`## kernel-hold: pop one event, push one, ${(OPS / 1e6).toFixed(0)}M times, best of 3 (target >= 3 M events/s at 100k pending)`);
  for (const pending of [1_000, 100_000, 1_000_000, 2_500_000]) {
    const typed = holdTyped(pending);
    const objects = holdObjects(pending);
    say(
      `  ${pending.toLocaleString('en').padStart(9)} pending: typed-array heap ${(OPS / typed / 1000).toFixed(2)} M events/s, ` +
        `object heap ${(OPS / objects / 1000).toFixed(2)} M events/s: ratio ${(objects / typed).toFixed(2)}x`,
    );
  }
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) run();
