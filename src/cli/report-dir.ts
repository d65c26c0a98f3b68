// Where `--report` writes when no `--out` is given: `reports/<kind>-<scenario>`, the scenario's name
// made safe as one path segment (a name is the file's own text: `../../etc` must not climb out).
import { join } from 'node:path';

/** The default directory of a command's report: `reports/<kind>-<scenario name>`, one segment. */
export function defaultReportDir(kind: 'run' | 'compare' | 'diff', scenario: string): string {
  return join('reports', `${kind}-${scenario.replace(/[^A-Za-z0-9._-]/g, '_')}`);
}
