import { describe, expect, it } from 'vitest';
import { explainDiegoBatch } from '../../src/core/explain/explain-diego.js';
import { formatExplanation } from '../../src/cli/format-explanation.js';
import { batchOf, cell, lrps } from '../support/fixtures.js';

const DIEGO = { startingContainerWeight: 0.25, binPackFirstFitWeight: 0, startingContainerCountMaximum: 0 };

describe('an explanation for people', () => {
  it('a tie says the seeded order chose; the score table lists the best cells first', () => {
    const [e] = explainDiegoBatch([cell('a'), cell('b'), cell('c', { Evacuating: true })], batchOf([lrps('web', 1)]), DIEGO, 1);
    const text = formatExplanation(e!);
    expect(text).toMatch(new RegExp(`  ${e!.placedOn} and ${e!.runnerUp!.cell} tied; the seeded tie order chose ${e!.placedOn}\\n`));
    expect(text).toContain('evacuating, left out: 1 cell: c');
  });

  it('only the best `top` cells are in the table; the rest are counted', () => {
    const cells = Array.from({ length: 8 }, (_, i) => cell(`c${i}`, { memory: 1000 + i }));
    const [e] = explainDiegoBatch(cells, batchOf([lrps('web', 1)]), DIEGO, 1);
    const text = formatExplanation(e!, 3);
    expect(text.split('\n').filter((l) => /^ {4}c\d/.test(l))).toHaveLength(3);
    expect(text).toContain('5 more cells scored, none lower');
  });
});
