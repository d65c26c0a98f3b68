import seedrandom from 'seedrandom';

/** A seeded stream of random numbers. Each actor owns one, so adding an actor shifts no other. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [0, n). */
  int(n: number): number;
  /**
   * A copy that goes on from here with the same numbers, leaving this one where it is (to explain a
   * decision with the very numbers it will draw). Optional for streams made elsewhere.
   */
  fork?(): Rng;
}

/**
 * The stream for one actor, derived from the run's seed and the actor's name with seedrandom's
 * `tychei` generator (fast, good statistics, state that could be saved). seedrandom seeds it; the
 * stream then steps the same four words itself, number for number what `tychei(...).quick()` gives
 * (a test holds them together), because every stream is then one class: V8 inlines `next()` at
 * every call site instead of calling two closures per number and boxing each result (a thousand-cell
 * state fetch draws two thousand latencies).
 */
export function streamFor(seed: number, actor: string): Rng {
  const gen = seedrandom.tychei(`${seed}/${actor}`, { state: true });
  return new TycheIStream(gen.state());
}

/** Tyche-i (Neves and Araujo), as seedrandom's `tychei` steps it, from a seeded state. */
class TycheIStream implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(state: { a: number; b: number; c: number; d: number }) {
    this.a = state.a;
    this.b = state.b;
    this.c = state.c;
    this.d = state.d;
  }

  next(): number {
    let b = this.b;
    let c = this.c;
    let d = this.d;
    let a = this.a;
    b = (b << 25) ^ (b >>> 7) ^ c;
    c = (c - d) | 0;
    d = (d << 24) ^ (d >>> 8) ^ a;
    a = (a - b) | 0;
    this.b = b = (b << 20) ^ (b >>> 12) ^ c;
    this.c = c = (c - d) | 0;
    this.d = (d << 16) ^ (c >>> 16) ^ a;
    this.a = a = (a - b) | 0;
    return (a >>> 0) / 0x100000000;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  fork(): Rng {
    return new TycheIStream({ a: this.a, b: this.b, c: this.c, d: this.d });
  }
}

/** Shuffles `items` in place with the stream (Fisher-Yates) and returns it. */
export function shuffleInPlace<T>(rng: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = items[i] as T;
    items[i] = items[j] as T;
    items[j] = t;
  }
  return items;
}
