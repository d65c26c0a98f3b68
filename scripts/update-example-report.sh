#!/usr/bin/env bash
# Regenerates the committed example report in reports/example/ from the bundled default scenario:
# four strategies on three seeds (smaller than `npm start`'s nine on five), with its CSV tables.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run build --silent
# Everything but the screenshots (scripts/example-screenshots.ts makes those).
mkdir -p reports/example && find reports/example -type f ! -name '*.png' -delete
node dist/src/cli/main.js compare default --strategies diego,random,first-fit,worst-fit --seeds 3 --jobs 1 --out reports/example --report --csv
