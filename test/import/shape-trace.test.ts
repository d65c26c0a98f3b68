import { describe, expect, it } from 'vitest';
import { LEFT_OUT, type RawWork, shapeTrace } from '../../src/import/shape-trace.js';
import type { TraceCell } from '../../src/import/trace.js';

const cell = (id: string, gpuModel?: string): TraceCell => ({ id, zone: 'z1', memoryMB: 1024, diskMB: 1024, containers: 10, ...(gpuModel ? { gpus: 1, gpuModel } : {}) });
const work = (name: string, arrivalS: number, departureS: number | null, over: Partial<RawWork> = {}): RawWork => ({ name, kind: 'lrp', instances: 1, arrivalS, departureS, memoryMB: 64, diskMB: 0, ...over });

describe('shaping a trace', () => {
  it('leaves out (and counts) work that would leave the moment it arrives once time is scaled', () => {
    const { trace, report } = shapeTrace('t', [cell('a')], [work('short', 1000, 1001), work('long', 1000, 9000)], { timeScale: 0.0002 });
    expect(trace.work.map((w) => w.name)).toEqual(['long']);
    expect(report.leftOut).toEqual({ [LEFT_OUT.instant]: 1 });
    expect(shapeTrace('t', [cell('a')], [work('short', 1000, 1001)], { timeScale: 0.0002, departures: false }).trace.work).toHaveLength(1);
  });

  it('with --cells, leaves out (and counts) work asking for GPU models no kept machine has', () => {
    const machines = [cell('t1', 'T4'), cell('t2', 'T4'), cell('t3', 'T4'), cell('v1', 'V100')];
    const items = Array.from({ length: 40 }, (_, i) => work(`p${i}`, i, null, { gpus: 1, gpuModels: ['V100'] }));
    for (let seed = 0; seed < 8; seed++) {
      const { trace, report } = shapeTrace('t', machines, items, { cells: 1, seed });
      const kept = new Set(trace.cells.map((c) => c.gpuModel));
      if (!kept.has('V100')) expect(trace.work).toEqual([]);
      expect(trace.work.length + Object.values(report.leftOut).reduce((a, b) => a + b, 0)).toBe(40);
    }
  });
});
