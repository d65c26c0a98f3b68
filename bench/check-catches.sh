#!/bin/bash
# How often `auctionlab check` catches each examples/broken strategy at the default budget over
# seeds 1-20, and how long a sound strategy's check takes. Run `npm run build` first.
cd "$(dirname "$0")/.."
now() { date +%s%N; }
for ex in ignores-container-limit double-place ignores-constraints; do
  caught=0; missed=""; t0=$(now)
  for seed in $(seq 1 20); do
    if node dist/src/cli/main.js check ./examples/broken/$ex.js --seed $seed --out "$(mktemp -d)" > /dev/null 2>&1; then missed="$missed $seed"; else caught=$((caught+1)); fi
  done
  t1=$(now)
  echo "$ex: caught $caught/20 (missed:$missed) in $(( (t1 - t0) / 1000000 )) ms"
done
t0=$(now); node dist/src/cli/main.js check diego --seed 1 > /dev/null; t1=$(now); echo "check diego: $(( (t1 - t0) / 1000000 )) ms"
