import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEventBody } from '../../../src/scenario/schema/events.js';
import { parseScenario, simulate } from '../../../src/sim.js';
import { ANY_EVENT_KINDS, EVENT_KINDS, FAULT_EVENT_KINDS, findEventKind } from '../../../src/sim/events/registry.js';
import { FAULT_KINDS, planArb, planToScenario, type FaultKind } from '../../../src/testing/plan.js';

const ctx = { apps: ['app0', 'app1'], cells: ['cell-00', 'cell-01'], zones: ['z1', 'z2'], tasks: ['task0'] };

describe('the event kind registry', () => {
  it('has one entry per name, each documented', () => {
    const names = EVENT_KINDS.map((k) => k.kind);
    expect(new Set(names).size).toBe(names.length);
    for (const k of ANY_EVENT_KINDS) {
      expect(findEventKind(k.kind)).toBe(k);
      expect(k.docs.what.length).toBeGreaterThan(0);
      expect(k.docs.effect.length).toBeGreaterThan(10);
    }
    expect(findEventKind('toString')).toBeUndefined();
    expect(findEventKind('__proto__')).toBeUndefined();
  });

  it('offers exactly the kinds that are faults to check --faults and the plans', () => {
    expect(FAULT_EVENT_KINDS).toEqual(ANY_EVENT_KINDS.filter((k) => k.fault).map((k) => k.kind));
    expect(FAULT_KINDS).toEqual(FAULT_EVENT_KINDS);
    expect(FAULT_KINDS).toContain('slowCell');
    expect(FAULT_KINDS).not.toContain('recover');
  });

  it('reads back, without a problem, every event its plan generates', () => {
    for (const k of ANY_EVENT_KINDS) {
      if (!k.plan) continue;
      for (const e of fc.sample(k.plan.arbitrary(fc, ctx), { numRuns: 30, seed: 5 })) {
        const { body, problems } = readEventBody(k, e.body, `events[0].${k.kind}`);
        expect(problems, `${k.kind}: ${JSON.stringify(e.body)}`).toEqual([]);
        expect(body).toBeDefined();
        if (e.app !== undefined) expect(k.appOf?.(body!)).toBe(e.app);
        expect(k.describe(body!)).not.toBe('');
      }
    }
  });

  it('generates only the faults asked for, with the kinds that come with them', () => {
    const kinds = (faults: readonly FaultKind[]) => {
      const seen = new Set<string>();
      for (const plan of fc.sample(planArb(faults, 30), { numRuns: 40, seed: 2 })) for (const s of plan) if (s.action.kind === 'event') seen.add(s.action.event);
      return seen;
    };
    const onlyKill = kinds(['kill']);
    expect(onlyKill.has('kill') && onlyKill.has('recover')).toBe(true);
    for (const f of ['partition', 'heal', 'evacuate', 'crash', 'slowCell', 'killAuctioneer']) expect(onlyKill.has(f)).toBe(false);
    const none = kinds([]);
    for (const f of FAULT_KINDS) expect(none.has(f)).toBe(false);
    expect(none.has('scale') && none.has('task')).toBe(true);
  });

  it("every plan's scenario parses, and events on apps the plan has not desired are left out", () => {
    fc.assert(
      fc.property(planArb(undefined, 16), fc.nat(100), (steps, seed) => {
        const s = parseScenario(planToScenario(steps, seed).doc, 'plan');
        for (const e of s.events) {
          const app = findEventKind(e.kind)?.appOf?.(e);
          if (app !== undefined) expect(s.apps.some((a) => a.name === app)).toBe(true);
        }
      }),
      { numRuns: 50, seed: 9 },
    );
  });
});

describe('faults', () => {
  it('every fault event is recorded for the recovery figures, a crash included', () => {
    const s = parseScenario(
      { duration: '2m', cells: [{ count: 3, zones: ['z1'] }], apps: [{ name: 'web', instances: 2 }], events: [{ at: '30s', crash: { app: 'web', index: 1 } }, { at: '40s', scale: { app: 'web', instances: 3 } }] },
      'faults',
    );
    const r = simulate(s);
    expect(r.summary.faults.map((f) => [f.kind, f.detail])).toEqual([['crash', 'web index 1']]);
  });

  it('a misspelt fault kind is an error, not a plan without that fault', () => {
    expect(() => planArb(['kil' as FaultKind])).toThrow('unknown fault kind "kil" (expected: kill, evacuate, partition, killAuctioneer, crash, slowCell)');
    expect(() => planArb(['recover' as FaultKind])).toThrow('unknown fault kind "recover"');
  });
});
