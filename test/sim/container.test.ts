import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SimCell } from '../../src/sim/actors/cell.js';
import { LRPHandle } from '../../src/core/rep/memory-rep.js';
import { Container, newContainer } from '../../src/sim/container.js';

// The container only keeps its cell; no cell method is called here.
const cell = { id: 'cell-1' } as unknown as SimCell;
const FACTS = ['unready', 'startDrawn', 'gone', 'running'] as const;

describe('Container', () => {
  it('starts as a fresh object literal did: no timers, no facts, its kind as made', () => {
    const lrp = new Container(7, cell, 'lrp', 'web', 2, 'web-2-guid', undefined);
    const task = new Container(8, cell, 'task', '', 0, 'task-guid', undefined);
    expect([lrp.kind, task.kind]).toEqual(['lrp', 'task']);
    for (const c of [lrp, task]) {
      expect([c.timer, c.crashTimer, c.livenessTimer, c.readyTimer, c.app, c.route]).toEqual([-1, -1, -1, -1, '', -1]);
      expect(FACTS.map((f) => c[f])).toEqual([false, false, false, false]);
    }
    expect([lrp.id, lrp.cell.id, lrp.processGuid, lrp.index, lrp.guid]).toEqual([7, 'cell-1', 'web', 2, 'web-2-guid']);
    // An LRP's container is its rep's handle on the instance (naming nothing until the rep hands it over).
    expect(lrp.handle).toBe(lrp);
    expect([lrp.at, task.handle]).toEqual([-1, null]);
  });

  it('is made by newContainer exactly as by its constructor: the same fields in the same order, the same prototype', () => {
    for (const kind of ['lrp', 'task'] as const) {
      const made = new Container(3, cell, kind, 'web', 1, 'web-1-guid', undefined);
      const literal = newContainer(3, cell, kind, 'web', 1, 'web-1-guid', undefined);
      // A field added to LRPHandle or Container and not to the literal (or in another order) fails here.
      expect(Object.keys(literal)).toEqual(Object.keys(made));
      expect({ ...literal }).toEqual({ ...made });
      expect(Object.getPrototypeOf(literal)).toBe(Container.prototype);
      expect(literal).toBeInstanceOf(LRPHandle);
      expect(literal.kind).toBe(kind);
      expect(literal.handle).toBe(kind === 'lrp' ? literal : null);
      literal.running = true;
      literal.gone = true;
      expect([literal.running, literal.gone, literal.unready, literal.kind]).toEqual([true, true, false, kind]);
    }
  });

  it('keeps each yes/no fact apart from the others and from its kind, through any writes', () => {
    const write = fc.record({ fact: fc.constantFrom(...FACTS), value: fc.boolean() });
    fc.assert(
      fc.property(fc.constantFrom('lrp' as const, 'task' as const), fc.array(write, { maxLength: 40 }), (kind, writes) => {
        // Made either way (the executor's literal, or the class's constructor).
        for (const c of [newContainer(1, cell, kind, 'p', 0, 'g', undefined), new Container(1, cell, kind, 'p', 0, 'g', undefined)]) {
          const model: Record<(typeof FACTS)[number], boolean> = { unready: false, startDrawn: false, gone: false, running: false };
          for (const { fact, value } of writes) {
            c[fact] = value;
            model[fact] = value;
            expect(FACTS.map((f) => c[f])).toEqual(FACTS.map((f) => model[f]));
            expect(c.kind).toBe(kind);
          }
        }
      }),
    );
  });
});
