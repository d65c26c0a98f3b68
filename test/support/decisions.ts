// What a schedule() call decided, by auction id: the cell the scheduler chose (work a cell turned
// down at commit included: the scheduler still chose it) and the reasons of the other failures.
import type { ScheduleResult } from '../../src/index.js';

/** The scheduler's decisions of a schedule() result, by auction id (`process_guid.index` or task guid). */
export function decisionsOf(r: ScheduleResult): { decided: Map<string, string>; failed: Map<string, string> } {
  const decided = new Map<string, string>();
  for (const c of r.cells) {
    for (const x of c.lrps) decided.set(`${x.process_guid}.${x.index}`, c.cell_id);
    for (const x of c.tasks) decided.set(x.TaskGuid, c.cell_id);
  }
  const failed = new Map<string, string>();
  for (const f of r.failures) {
    const id = f.kind === 'lrp' ? `${f.process_guid}.${f.index}` : f.TaskGuid;
    // Work the rep turned down at commit was still decided by the scheduler (proxy memory).
    const m = /^rejected by cell (.+) at commit$/.exec(f.reason);
    if (m) decided.set(id, m[1]!);
    else failed.set(id, f.reason);
  }
  return { decided, failed };
}
