import type { ScheduleInput } from '../schedule.js';
import { readCellState } from './cell-state-json.js';
import { Reader } from './reader.js';
import { readLRPStartRequest, readTaskStartRequest } from './requests-json.js';

/**
 * Parses a batch file for `schedule`: an object with `cells` (rep `/state` replies), `lrps` (LRP start
 * requests) and `tasks` (task start requests), in Diego's JSON. `lrps` and `tasks` may be left out. Every problem is reported
 * at once in an {@link InputError}, each with its field path.
 */
export function parseScheduleInput(value: unknown): ScheduleInput {
  const r = new Reader();
  const o = r.object(value, '', 'an object {"cells": [...], "lrps": [...], "tasks": [...]}');
  if (!o) {
    r.throwIfProblems();
    return { cells: [] };
  }
  r.rejectUnknown(o, '', ['cells', 'lrps', 'tasks']);
  const cells = r.list(o, 'cells', '', (v, p) => readCellState(r, v, p));
  const lrps = r.list(o, 'lrps', '', (v, p) => readLRPStartRequest(r, v, p), { default: [] });
  const tasks = r.list(o, 'tasks', '', (v, p) => readTaskStartRequest(r, v, p), { default: [] });
  const seen = new Map<string, number>();
  cells.forEach((c, i) => {
    const first = seen.get(c.cell_id);
    if (first !== undefined) r.report(`cells[${i}].cell_id`, `duplicate cell id ${JSON.stringify(c.cell_id)} (also cells[${first}])`);
    else seen.set(c.cell_id, i);
  });
  r.throwIfProblems();
  return { cells, lrps, tasks };
}
