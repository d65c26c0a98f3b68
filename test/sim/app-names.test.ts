import { describe, expect, it } from 'vitest';
import { belongsTo, versionless } from '../../src/sim/app-names.js';

describe("a scenario app's process guids", () => {
  it('the app, its group members and their deployed versions belong to it; an app whose name starts alike does not', () => {
    expect([belongsTo('web', 'web'), belongsTo('web-3', 'web'), belongsTo('web-3@v2', 'web'), belongsTo('web@v4', 'web')]).toEqual([true, true, true, true]);
    // diego-stress-250k has tiny and tiny-x4: a scale of tiny must not reach tiny-x4-7.
    expect([belongsTo('tiny-x4-7', 'tiny'), belongsTo('tiny-x4-7', 'tiny-x4'), belongsTo('web-api', 'web'), belongsTo('web-03', 'web')]).toEqual([false, true, false, false]);
    expect(versionless('web-3@v12')).toBe('web-3');
  });
});
