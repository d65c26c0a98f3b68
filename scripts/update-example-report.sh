#!/usr/bin/env bash
# Regenerates the committed example report in reports/example/ from the bundled default scenario:
# four strategies on three seeds (smaller than `npm start`'s nine on five), with its CSV tables.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
rm -rf reports/example
node dist/src/cli/main.js compare default --strategies diego,random,first-fit,worst-fit --seeds 3 --jobs 1 --out reports/example --report --csv
