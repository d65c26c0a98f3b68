import { describe, expect, it } from 'vitest';
import { matchRootFS } from '../../src/core/model/rootfs.js';
import { initialCells } from '../../src/sim/initial-cells.js';
import type { CellGroup } from '../../src/sim/scenario-types.js';

const group = (prefix: string, count: number, stacks: string[], docker: boolean): CellGroup => ({
  prefix,
  count,
  zones: ['z1', 'z2'],
  memoryMB: 1024,
  diskMB: 1024,
  containers: 10,
  stacks,
  docker,
  placementTags: [],
  optionalPlacementTags: [],
  volumeDrivers: [],
  proxyMemoryMB: 0,
});

describe('initialCells', () => {
  it("gives a group's cells one frozen providers object, each group its own, offering the group's stacks", () => {
    const cells = initialCells([group('a', 3, ['cflinuxfs4'], true), group('b', 2, ['cflinuxfs3'], false)]);
    expect(cells.map((c) => c.cell_id)).toEqual(['a-00', 'a-01', 'a-02', 'b-00', 'b-01']);
    const [a0, a1, a2, b0, b1] = cells.map((c) => c.RootFSProviders);
    expect(a1).toBe(a0);
    expect(a2).toBe(a0);
    expect(b1).toBe(b0);
    expect(b0).not.toBe(a0);
    expect(Object.isFrozen(a0)).toBe(true);
    expect(a0).toEqual({ preloaded: { type: 'fixed_set', set: { cflinuxfs4: {} } }, docker: { type: 'arbitrary' } });
    expect(b0).toEqual({ preloaded: { type: 'fixed_set', set: { cflinuxfs3: {} } } });
    expect(matchRootFS(a0!, 'docker:///x')).toBe(true);
    expect(matchRootFS(b0!, 'docker:///x')).toBe(false);
    expect(matchRootFS(b0!, 'preloaded:cflinuxfs3')).toBe(true);
  });
});
