// The bad-input property test's scenario and its mutation (a value put at any path), shared with the
// rejection corpus (rejection-cases.ts), which records what the loader answers to a seeded sample.

/** A small valid scenario with a field of most kinds. */
export const VALID_SCENARIO = {
  duration: '1m',
  cells: [{ count: 2, zones: ['z1', 'z2'], memoryMB: 1024 }],
  apps: [{ name: 'web', instances: 2, crash: { probability: 0.5, after: { uniform: ['10s', '20s'] } } }],
  tasks: [{ name: 'job', perSecond: 1, duration: { exponential: '5s' } }],
  events: [{ at: '30s', kill: { ids: ['cell-00'] } }, { at: '40s', scale: { app: 'web', instances: 3 } }],
  expect: { converged: true },
};

/** Replaces the value at a random path of `doc` with `value`. */
export function mutateAt(doc: unknown, pick: number, value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string, unknown>;
  const slots: [Record<string, unknown> | unknown[], string | number][] = [];
  const walk = (x: unknown) => {
    if (Array.isArray(x)) {
      x.forEach((v, i) => {
        slots.push([x, i]);
        walk(v);
      });
    } else if (x && typeof x === 'object') {
      for (const [k, v] of Object.entries(x)) {
        slots.push([x as Record<string, unknown>, k]);
        walk(v);
      }
    }
  };
  walk(copy);
  const [holder, key] = slots[pick % slots.length]!;
  (holder as Record<string | number, unknown>)[key] = value;
  return copy;
}
