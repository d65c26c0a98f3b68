import { describe, expect, it } from 'vitest';
import { loadScenarioFile, resolveScenarioPath, simulate } from '../../src/sim.js';

const zoneOutage = () => loadScenarioFile(resolveScenarioPath('zone-outage'));

describe('explanations during a run', () => {
  it('explain every auction an instance went through, changing nothing of the run', () => {
    const plain = simulate(zoneOutage(), { seed: 1 });
    const end = zoneOutage().durationMs;
    const explained = simulate(zoneOutage(), { seed: 1, explain: { instances: [{ id: 'web-0.0' }, { id: 'web-1.2' }] }, status: [{ app: 'web', atMs: end }] });
    expect(explained.digest).toBe(plain.digest);
    expect(plain.explanations).toBeUndefined();
    const list = explained.explanations!;
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(new Set(list.map((x) => x.explanation.id))).toEqual(new Set(['web-0.0', 'web-1.2']));
    // Each in time order, and the last one of an instance names the cell it ends on (no fault moves it after).
    for (let i = 1; i < list.length; i++) expect(list[i]!.atMs).toBeGreaterThanOrEqual(list[i - 1]!.atMs);
    for (const id of ['web-0.0', 'web-1.2']) {
      const last = list.filter((x) => x.explanation.id === id).at(-1)!;
      const [guid, index] = [id.slice(0, id.lastIndexOf('.')), Number(id.slice(id.lastIndexOf('.') + 1))];
      const at = explained.status[0]!.instances.find((x) => x.processGuid === guid && x.index === index && x.presence === 'ORDINARY');
      expect(last.explanation.placedOn).toBe(at?.cell);
    }
  });

  it.each(['nomad', 'kubernetes', 'round-robin'])('%s: explained with a fork of the auctioneer\'s stream, so the explanation decides as the run did', (strategy) => {
    const end = zoneOutage().durationMs;
    const ids = ['web-0.0', 'web-3.1', 'single-5.0'];
    const plain = simulate(zoneOutage(), { seed: 2, strategy });
    const r = simulate(zoneOutage(), { seed: 2, strategy, explain: { instances: ids.map((id) => ({ id })) }, status: [{ app: 'web', atMs: end }, { app: 'single', atMs: end }] });
    expect(r.digest).toBe(plain.digest);
    for (const id of ids) {
      const last = r.explanations!.filter((x) => x.explanation.id === id).at(-1)!;
      expect(last.explanation.strategy).toBe(strategy);
      const [guid, index] = [id.slice(0, id.lastIndexOf('.')), Number(id.slice(id.lastIndexOf('.') + 1))];
      const at = r.status.flatMap((s) => s.instances).find((x) => x.processGuid === guid && x.index === index && x.presence === 'ORDINARY');
      expect(last.explanation.placedOn).toBe(at?.cell);
    }
  });

  it('with a time, only the last auction at or before it', () => {
    const r = simulate(zoneOutage(), { seed: 1, explain: { instances: [{ id: 'web-0.0', atMs: 60_000 }] } });
    expect(r.explanations).toHaveLength(1);
    expect(r.explanations![0]!.atMs).toBeLessThanOrEqual(60_000);
  });

  it('one example per failure reason', () => {
    const s = loadScenarioFile(resolveScenarioPath('isolation-segments'));
    const r = simulate(s, { seed: 1, explain: { failures: true } });
    const reasons = r.explanations!.map((x) => x.explanation.reason);
    expect(reasons.length).toBeGreaterThan(0);
    expect(new Set(reasons).size).toBe(reasons.length);
    for (const x of r.explanations!) expect(x.explanation.placedOn).toBeNull();
  });
});
