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

  it('CPU and GPUs: the ask says them, a cell short of them says by how much, and scoreCpu shows its term and rule', () => {
    const gpu = (id: string, free: number[]) =>
      cell(id, { TotalResources: { MemoryMB: 1024, DiskMB: 1024, Containers: 10, CpuMilli: 4000, GpuMilli: free.map(() => 1000) }, AvailableResources: { MemoryMB: 1024, DiskMB: 1024, Containers: 10, CpuMilli: 500, GpuMilli: free } });
    const ask = lrps('infer', 1, 64, { CpuMilli: 400, GpuCount: 1, GpuMilli: 600 });
    const [e] = explainDiegoBatch([gpu('a', [1000]), gpu('b', [300])], batchOf([ask]), { ...DIEGO, scoreCpu: 1 }, 1);
    const text = formatExplanation(e!);
    expect(text).toContain('one container, 400 millicores CPU, 1 GPU (600 thousandths of it))');
    expect(text).toContain('no room (gpu): 1 cell: b (0 of 1 GPUs with 600 thousandths free)');
    expect(text).toContain('score = (memory + disk + containers + cpu) / 4');
    expect(text).toMatch(/ cpu {2}starting/);
    const [f] = explainDiegoBatch([gpu('a', [300])], batchOf([lrps('big', 1, 64, { CpuMilli: 900 })]), DIEGO, 1);
    expect(formatExplanation(f!)).toContain('a (500 of 900 millicores CPU)');
  });
});
