// The auctioneer's request checks on their own: own fields only, Diego's guid rule, bounded numbers
// with messages that name the field, and which start requests Diego's auctioneer drops.
import { describe, expect, it } from 'vitest';
import { field, guid, lrpRequestProblem, screenStartRequests, tags, taskRequestProblem, templateName, wholeNumber } from '../../src/real/auctioneer-requests.js';
import { shown } from '../../src/real/names.js';
import type { LRPStartRequest, TaskStartRequest } from '../../src/core/model/requests.js';

const lrp = (over: Partial<LRPStartRequest> = {}): LRPStartRequest => ({ process_guid: 'web', domain: 'd', indices: [0], PlacementTags: [], VolumeDrivers: [], RootFs: 'template:x', MemoryMB: 1, DiskMB: 0, MaxPids: 0, ...over });
const task = (over: Partial<TaskStartRequest> = {}): TaskStartRequest => ({ TaskGuid: 't', Domain: 'd', PlacementTags: [], VolumeDrivers: [], RootFs: 'template:x', MemoryMB: 1, DiskMB: 0, MaxPids: 0, ...over });

describe('auctioneer request checks', () => {
  it('reads own fields only: a body never reaches Object.prototype', () => {
    const o = JSON.parse('{"__proto__":{"instances":3},"a":1}') as Record<string, unknown>;
    expect(field(o, 'instances')).toBeUndefined();
    expect(field(o, 'toString')).toBeUndefined();
    expect(field(o, 'a')).toBe(1);
    expect(() => wholeNumber(o, 'instances', 0)).toThrow('instances: expected a whole number from 0 to 2147483647, got nothing');
  });

  it('shows values in one short line, numbers as JavaScript writes them', () => {
    expect(shown(JSON.parse('1e400'))).toBe('Infinity');
    expect(shown('x'.repeat(200))).toHaveLength(80);
    expect(shown(undefined)).toBe('nothing');
    expect(() => wholeNumber({ n: 1.5 }, 'n', 0, undefined, 10)).toThrow('n: expected a whole number from 0 to 10, got 1.5');
  });

  it("guids as Diego's BBS takes them ([A-Za-z0-9_-]{1,128}); prototype names are ordinary", () => {
    for (const ok of ['web', '__proto__', 'constructor', 'a-b_C9', 'x'.repeat(128)]) expect(guid(ok, 'name')).toBe(ok);
    for (const bad of ['', '..', 'a.b', 'é', 'x'.repeat(129), 'a b', 7, null]) expect(() => guid(bad, 'name'), String(bad)).toThrow(/^name: expected a guid/);
    expect(templateName('cflinuxfs4', 't')).toBe('cflinuxfs4');
    expect(() => templateName('../x', 't')).toThrow(/^t: expected a template name/);
    expect(() => tags({ placementTags: Array.from({ length: 65 }, () => 'a') }, 'placementTags')).toThrow(/at most 64/);
  });

  it("screens out what Diego's auctioneer drops (empty guid, domain or rootfs, no indices, negative sizes), keeping body indices", () => {
    const body = [{ process_guid: 'ok', domain: 'd', indices: [0], RootFs: 'template:x' }, { process_guid: '', domain: 'd', indices: [0], RootFs: 'x' }, { process_guid: 'a', domain: '', indices: [0], RootFs: 'x' }, { process_guid: 'b', domain: 'd', indices: [], RootFs: 'x' }, { process_guid: 'c', domain: 'd', indices: [0] }, { process_guid: 'e', domain: 'd', indices: [0], RootFs: 'x', MemoryMB: -1 }, 'not an object'];
    const s = screenStartRequests(body, 'lrp');
    expect(s.kept).toEqual([{ index: 0, value: body[0] }, { index: 6, value: 'not an object' }]);
    expect(s.dropped.map((d) => [d.guid, d.problem.split(':')[0]])).toEqual([['', 'process_guid'], ['a', 'domain'], ['b', 'indices'], ['c', 'RootFs'], ['e', 'MemoryMB, DiskMB and MaxPids']]);
    expect(screenStartRequests([{ TaskGuid: 't', Domain: '', RootFs: 'x' }], 'task').dropped).toEqual([{ guid: 't', problem: 'Domain: expected a non-empty domain' }]);
    expect(screenStartRequests({ not: 'a list' }, 'task')).toEqual({ kept: [], dropped: [] });
  });

  it('refuses what the BBS refuses after parsing: guids off the pattern, indices past the cap', () => {
    expect(lrpRequestProblem(lrp())).toBeNull();
    expect(lrpRequestProblem(lrp({ process_guid: '..' }))).toMatch(/^process_guid/);
    expect(lrpRequestProblem(lrp({ indices: [10_000] }))).toMatch(/^indices/);
    expect(lrpRequestProblem(lrp({ indices: Array.from({ length: 10_001 }, () => 0) }))).toMatch(/^indices/);
    expect(taskRequestProblem(task())).toBeNull();
    expect(taskRequestProblem(task({ TaskGuid: 'a/b' }))).toMatch(/^TaskGuid/);
  });
});
