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
