// The scenario's types, as the parser returns them. They are the simulator's input, so they live
// beside it (sim/scenario-types.ts, sim/scenario.ts, the event kinds in sim/events/); this is where
// readers of scenario files find them.
export type * from '../sim/scenario-types.js';
export type { Scenario } from '../sim/scenario.js';
export type { Distribution } from '../sim/distributions.js';
export type { CellSelector } from '../sim/events/selector.js';
export type { ScenarioEvent, EventKindName } from '../sim/events/registry.js';
export type { DeployEventBody } from '../sim/events/deploy.js';
export type { SlowCellBody } from '../sim/events/slow-cell.js';
export type { TaskEventBody } from '../sim/events/task.js';
export type { ConvergenceSettings } from '../core/convergence/states.js';
