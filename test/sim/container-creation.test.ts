// Work a cell's executor cannot create a container for (Diego's rep takes work on resources alone;
// Garden then fails a missing rootfs, volman a missing volume driver): the instance crashes, the task
// fails with the executor's reason, and the safety check names the broken placement.
import { describe, expect, it } from 'vitest';
import type { Strategy } from '../../src/index.js';
import { parseScenarioText, simulate } from '../../src/sim.js';
import { containerCreationFailure } from '../../src/sim/container-creation.js';
import ignoresConstraints from '../../examples/broken/ignores-constraints.js';

const linuxOnly = `seed: 1\nduration: 2m\nstartup: 1s\ncells: [{ count: 2, zones: [z1], memoryMB: 4096, diskMB: 8192, containers: 20 }]\n`;

describe('container creation on a cell that lacks what the work needs', () => {
  it('names the rootfs Garden cannot find, or the volume it cannot mount; tags alone do not stop it', () => {
    const cell = { RootFSProviders: { preloaded: { type: 'fixed_set', set: { cflinuxfs4: {} } } }, VolumeDrivers: [] as string[] } as never;
    expect(containerCreationFailure(cell, { RootFs: 'preloaded:windows2016', PlacementTags: [], VolumeDrivers: [] })).toBe('failed to create container: rootfs preloaded:windows2016 not found');
    expect(containerCreationFailure(cell, { RootFs: 'preloaded:cflinuxfs4', PlacementTags: [], VolumeDrivers: ['nfs'] })).toBe('failed to mount volume');
    expect(containerCreationFailure(cell, { RootFs: 'preloaded:cflinuxfs4', PlacementTags: ['gold'], VolumeDrivers: [] })).toBeNull();
  });

  it('a Windows instance on a Linux cell crashes at once, again and again; a Windows task fails with the reason; safety is broken', () => {
    const r = simulate(
      parseScenarioText(
        `${linuxOnly}apps: [{ name: win, instances: 1, rootfs: "preloaded:windows2016" }]\ntasks: [{ name: job, perSecond: 1, until: 3s, duration: 5s, rootfs: "preloaded:windows2016" }]\n`,
        'win.yaml',
      ),
      { strategy: ignoresConstraints as Strategy, safety: true },
    );
    expect(r.summary.crashes).toBeGreaterThan(1);
    expect(r.summary.missingAtEnd).toBe(1);
    expect(Object.keys(r.summary.taskFailures)).toEqual(['failed to create container: rootfs preloaded:windows2016 not found']);
    expect(r.safety?.violations[0]?.property).toBe('placement-constraints');
  });

  it("Diego's own auction never gets there: the instance fails its auction with the rootfs error", () => {
    const r = simulate(parseScenarioText(`${linuxOnly}apps: [{ name: win, instances: 1, rootfs: "preloaded:windows2016" }]\n`, 'win.yaml'), { safety: true });
    expect([r.summary.crashes, r.summary.placed]).toEqual([0, 0]);
    expect(Object.keys(r.summary.failuresByReason)).toEqual(['found no compatible cell for required rootfs']);
    expect(r.safety).toEqual({ checks: expect.any(Number), brokenAtMs: null, violations: [] });
  });
});
