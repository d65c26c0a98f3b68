#!/usr/bin/env bash
# Times `auctionlab run <scenario>` at this checkout against the same run at an earlier commit, both
# built here and run alternately in the same session, and prints each median and the ratio (this /
# that). For "normal runs are not slower" after a change: run it with the commit before the change.
#   bash bench/against-commit.sh <commit> [scenario=diego-cold-start] [runs=5] [extra run flags...]
# Needs the npm registry (npm ci in a temporary worktree). The digests of both runs are printed too:
# a change that claims to change no behaviour must print the same digest twice.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: bench/against-commit.sh <commit> [scenario] [runs] [run flags...]}
scenario=${2:-diego-cold-start}
runs=${3:-5}
shift $(( $# < 3 ? $# : 3 ))
work=$(mktemp -d)
trap 'git worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/base" "$base" >/dev/null 2>&1
(cd "$work/base" && npm ci --no-audit --no-fund >/dev/null 2>&1 && npm run build >/dev/null 2>&1)
npm run build >/dev/null 2>&1
time_run() { # dir [flags] -> wall ms and digest
  local dir=$1 t0 t1 out
  shift
  t0=$(date +%s%N)
  out=$(node "$dir/dist/src/cli/main.js" run "$scenario" --no-safety "$@" | grep '^Digest:')
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) ${out#Digest: }"
}
here=(); there=()
for i in $(seq 1 "$runs"); do
  r=$(time_run "$work/base" "$@"); there+=("${r%% *}"); dthere=${r#* }
  r=$(time_run "." "$@"); here+=("${r%% *}"); dhere=${r#* }
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
mh=$(median "${here[@]}"); mt=$(median "${there[@]}")
echo "run $scenario --no-safety $*, $runs runs each, alternated:"
echo "  at $(git rev-parse --short "$base"): median ${mt} ms (runs: ${there[*]}), digest ${dthere:0:16}"
echo "  here ($(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')): median ${mh} ms (runs: ${here[*]}), digest ${dhere:0:16}"
awk -v a="$mh" -v b="$mt" 'BEGIN { printf "  ratio here / there: %.3f\n", a / b }'
