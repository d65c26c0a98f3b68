import seedrandom from 'seedrandom';

/** A seeded stream of random numbers. Each actor owns one, so adding an actor shifts no other. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** A whole number in [0, n). */
  int(n: number): number;
}

/**
 * The stream for one actor, derived from the run's seed and the actor's name with seedrandom's
 * `tychei` generator (fast, good statistics, state that could be saved).
 */
export function streamFor(seed: number, actor: string): Rng {
  const gen = seedrandom.tychei(`${seed}/${actor}`);
  return {
    next: () => gen.quick(),
    int: (n: number) => Math.floor(gen.quick() * n),
  };
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
