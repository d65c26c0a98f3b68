// The default report directory stays one segment under reports/, whatever the scenario is named.
import { describe, expect, it } from 'vitest';
import { defaultReportDir } from '../../src/cli/report-dir.js';

describe('defaultReportDir', () => {
  it('keeps a scenario name that climbs or names a path inside reports/, as one segment', () => {
    expect(defaultReportDir('run', 'zone-outage')).toBe('reports/run-zone-outage');
    expect(defaultReportDir('run', '../../../../tmp/x')).toBe('reports/run-.._.._.._.._tmp_x');
    expect(defaultReportDir('compare', '/etc/passwd')).toBe('reports/compare-_etc_passwd');
    expect(defaultReportDir('diff', 'ü\n__proto__')).toBe('reports/diff-____proto__');
  });
});
