import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiReports, entryPoints } from '../scripts/api-report.js';

// The committed API reports (api/*.api.md) are what API Extractor makes of the built entry points
// (`npm test` builds first): a change to what users can import fails here until `npm run api`
// rewrites the reports, so it shows up in review.
describe('API reports', () => {
  it('are up to date for every entry point (run `npm run api` after changing what an entry exports)', () => {
    const reports = apiReports('check');
    expect(reports.map((r) => [r.report, r.changed, r.problems])).toEqual(reports.map((r) => [r.report, false, []]));
  });

  it('exist for the four entry points and nothing else', () => {
    expect(entryPoints().map((e) => e.subpath)).toEqual(['.', './sim', './testing', './report']);
    expect(readdirSync('api').filter((f) => f.endsWith('.api.md')).sort()).toEqual([
      'auctionlab-report.api.md',
      'auctionlab-sim.api.md',
      'auctionlab-testing.api.md',
      'auctionlab.api.md',
    ]);
  });
});
