// What a `results.json` holds, whichever command wrote it: the type schemas/results.schema.json is
// generated from (scripts/update-schemas.ts), so that tools reading results can check them.
import type { RunReport } from '../results/run-report.js';
import type { WorldSpec } from '../sim/scenario-types.js';
import type { CompareResultsOf } from './results.js';

/**
 * A scenario as run, as results.json holds it. Its events are left open here (`{at, kind, ...}`,
 * each kind's own fields: see the scenario schema): their type is built from the event kinds'
 * registry, which the schema generator does not follow.
 */
export type ScenarioAsRun = WorldSpec & { events: ({ at: number; kind: string } & Record<string, unknown>)[] };

/** A comparison's results.json (`compare`, `merge`). */
export type CompareResultsFile = CompareResultsOf<ScenarioAsRun>;

/** A `results.json`: a run's (`auctionlab run --out`) or a comparison's (`compare`, `merge`). */
export type ResultsFile = RunReport | CompareResultsFile;
