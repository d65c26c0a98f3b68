import type { ScenarioFile } from './src/sim.ts';
export const t1: ScenarioFile = { cells: [{ count: 1 }], apps: null };
export const t2: ScenarioFile = { cells: [{ count: 1 }], events: null };
export const t3: ScenarioFile = { cells: [{ count: 1 }], tasks: null };
export const t4: ScenarioFile = { cells: [{ count: 1 }], apps: [{ name: 'a', push: true }] };
export const t5: ScenarioFile = { cells: [{ count: 1 }], apps: [{ name: 'a', push: false }] };
export const t6: ScenarioFile = { cells: [{ count: 1 }], apps: [{ name: 'a', push: null }] };
export const t7: ScenarioFile = { cells: [{ count: 1 }], apps: [{ name: 'a', crash: null }] };
export const t8: ScenarioFile = { cells: [{ count: 1 }], apps: [{ name: 'a', healthCheck: null }] };
export const t9: ScenarioFile = { cells: [{ count: 1 }], serviceTime: 'none' };
export const t10: ScenarioFile = { cells: [{ count: 1 }], settings: { a: 1 } };
export const t11: ScenarioFile = { cells: [{ count: 1 }], startup: null };
// type allows, loader refuses:
export const u1: ScenarioFile = { cells: [{ count: 1 }], apps: [{ name: 'a', crash: { after: null } }] };
export const u2: ScenarioFile = { cells: [{ count: 1 }], events: [{ at: '1m', kill: 5 }] };
export const u3: ScenarioFile = { cells: [{ count: 1 }], serviceTime: 'nonsense' as 'none' };
