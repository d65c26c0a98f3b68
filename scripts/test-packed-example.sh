#!/usr/bin/env bash
# Installs examples/ci as a user would, against this package as `npm pack` builds it, and runs its
# test: the published surface (exports, the auctionlab/testing subpath, the bin) must work outside
# this repository. Needs the npm registry (for vitest).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm run build >/dev/null
tarball=$(npm pack --silent --pack-destination "$work" | tail -n 1)
cp -r examples/ci/. "$work/project"
cd "$work/project"
npm install --no-audit --no-fund --save-dev "$work/$tarball" "vitest@$(node -p "require('$root/node_modules/vitest/package.json').version")" >/dev/null
npx vitest run
npx auctionlab check ./my-strategy.js --runs 10 --seed 1
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
echo "packed package: auctionlab/sim, auctionlab/report and run --report work"
