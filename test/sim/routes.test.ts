import { describe, expect, it } from 'vitest';
import { AppNumbers } from '../../src/core/rep/app-numbers.js';
import { RouteTable } from '../../src/sim/routes.js';

// A table for the apps `web` and `worker`, over a fresh table of app numbers with some guids numbered
// already (as the reps number every app they list).
function table(...numbered: string[]): { routes: RouteTable; apps: AppNumbers } {
  const apps = new AppNumbers();
  for (const g of numbered) apps.no(g);
  return { routes: new RouteTable(new Set(['web', 'worker']), apps), apps };
}

describe('RouteTable', () => {
  it('gives one handle per process guid, whatever number the caller holds for it', () => {
    const { routes, apps } = table('web-1', 'web-2');
    const h = routes.handle('web-2', apps.no('web-2'));
    expect(routes.handle('web-2')).toBe(h);
    // A wrong number (another guid's, one never given, none) finds the guid's own handle.
    expect(routes.handle('web-2', apps.no('web-1'))).toBe(h);
    expect(routes.handle('web-2', 99)).toBe(h);
    expect(routes.handle('web-2', -1)).toBe(h);
    expect(routes.handle('web-1')).not.toBe(h);
  });

  it('counts routable instances per guid, per scenario app and in all', () => {
    const { routes, apps } = table('web-1', 'web-2', 'worker');
    routes.changeAt(routes.handle('web-1', apps.no('web-1')), 1, 'web');
    routes.changeAt(routes.handle('web-2'), 1, 'web');
    routes.change('web-2', 1);
    routes.change('worker', 1);
    routes.change('worker', -1);
    expect(routes.routableOf('web-1')).toBe(1);
    expect(routes.routableOf('web-2')).toBe(2);
    expect(routes.routableOf('worker')).toBe(0);
    // A guid nobody numbered, and names like an object's own properties, have none routable.
    for (const g of ['never-seen', '__proto__', 'constructor', 'toString', '']) expect(routes.routableOf(g)).toBe(0);
    // Guids at zero are left out.
    expect([...routes.byGuid].sort()).toEqual([
      ['web-1', 1],
      ['web-2', 2],
    ]);
    // An app with no target and none routable is left out of a sample.
    expect(routes.sample(0)).toEqual({ total: 3, byApp: { web: 3 } });
  });

  it('numbers a guid it is the first to see, in the table the reps share', () => {
    const { routes, apps } = table();
    routes.change('__proto__', 1, 'web');
    expect(apps.find('__proto__')).toBe(0);
    expect(routes.routableOf('__proto__')).toBe(1);
    expect(routes.byGuid.get('__proto__')).toBe(1);
  });

  it('keeps counts for far more guids than it first has room for, numbered by others or by itself', () => {
    // The reps number 5,000 apps first; the table's counts grow past its first thousand as guids run,
    // and a count made before the table grew is still there after.
    const { routes, apps } = table(...Array.from({ length: 5000 }, (_, i) => `web-${i}`));
    routes.changeAt(routes.handle('web-0'), 1, 'web');
    expect(routes.routableOf('web-4999')).toBe(0);
    routes.changeAt(routes.handle('web-4999', apps.no('web-4999')), 1, 'web');
    routes.change('web-4999', 1);
    routes.change('web-1500', 1);
    routes.change('web-1500', -1);
    routes.change('worker-new', 1, 'worker');
    expect(routes.routableOf('web-4999')).toBe(2);
    expect(routes.routableOf('web-0')).toBe(1);
    expect(routes.routableOf('web-1500')).toBe(0);
    expect(routes.routableOf('worker-new')).toBe(1);
    expect(apps.find('worker-new')).toBe(5000);
    // A guid the reps numbered past the counts the table has room for has none routable (no count yet).
    for (let i = 0; i < 5000; i++) apps.no(`late-${i}`);
    expect(apps.find('late-4999')).toBeGreaterThanOrEqual(8192);
    expect(routes.routableOf('late-4999')).toBe(0);
    expect([...routes.byGuid].sort()).toEqual([
      ['web-0', 1],
      ['web-4999', 2],
      ['worker-new', 1],
    ]);
    expect(routes.sample(0)).toEqual({ total: 4, byApp: { web: 3, worker: 1 } });
  });
});
