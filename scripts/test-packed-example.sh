#!/usr/bin/env bash
# Follows examples/ci/README.md as a user would, on a copy of examples/ci in a temporary directory
# outside this repository: auctionlab packed into the project's vendor/ (`npm pack` builds it), a
# plain `npm install`, `npm test` and `npm run check`. Then the published surface beyond the
# example: the report entry, the simulator entry, the bin. Needs the npm registry (for vitest).
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
project="$work/my-scheduler"

# The README's steps.
cp -r examples/ci "$project"
mkdir "$project/vendor"
npm pack --silent --pack-destination "$project/vendor" >/dev/null
cd "$project"
npm install --no-audit --no-fund >/dev/null
npm test
npm run check -- --runs 10 --seed 1

# The report entry and its shipped drawing code: a run report from the installed package.
npx auctionlab run default --duration 2m --out "$work/out" --report --csv >/dev/null
test -s "$work/out/report.html" && test -s "$work/out/cells.csv"
node --input-type=module -e "import('auctionlab/report').then((m) => { if (typeof m.writeReport !== 'function') process.exit(1); })"
# The simulator entry, with a bundled scenario found inside the installed package; the core entry
# no longer carries the simulator.
node --input-type=module -e "
const sim = await import('auctionlab/sim');
const core = await import('auctionlab');
const r = sim.simulate(sim.loadScenarioFile(sim.resolveScenarioPath('default')), { durationMs: 60000 });
if (!/^[0-9a-f]{64}\$/.test(r.digest) || typeof core.schedule !== 'function' || 'simulate' in core) process.exit(1);
"
echo "examples/ci installed as its README says and passed; auctionlab/sim, auctionlab/report and run --report work"
