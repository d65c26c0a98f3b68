import { describe, expect, it } from 'vitest';
import { coefficientOfVariation, distributionScore } from '../../src/index.js';
import { cell } from '../support/fixtures.js';

describe('distribution score', () => {
  it('is the population standard deviation over the mean', () => {
    // values 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population sd 2
    expect(coefficientOfVariation([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(0.4, 12);
  });

  it('is 0 for no cells, equal cells or empty cells', () => {
    expect(coefficientOfVariation([])).toBe(0);
    expect(coefficientOfVariation([3, 3, 3])).toBe(0);
    expect(distributionScore([cell('a'), cell('b')])).toBe(0);
  });

  it('reads memory used as total minus available', () => {
    const a = cell('a', { memory: 100 });
    const b = cell('b', { memory: 100 });
    b.AvailableResources.MemoryMB = 50; // used 0 and 50: mean 25, sd 25
    expect(distributionScore([a, b])).toBeCloseTo(1, 12);
  });
});
