import { expect, it } from 'vitest';
import { plural } from '../../src/results/plural.js';

it('a count with its noun', () => {
  expect([plural(0, 'run'), plural(1, 'point'), plural(2, 'seed')]).toEqual(['0 runs', '1 point', '2 seeds']);
});
