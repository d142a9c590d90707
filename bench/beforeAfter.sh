#!/usr/bin/env bash
# Runs the restructuring benches (poll, failover, burst, rebuild, bbb) on two checkouts back to back, the
# before side first each time, so both are measured in one sitting on the same box (issue 12's acceptance).
#   bash bench/beforeAfter.sh <before-checkout> <after-checkout> [out-dir]
# Each checkout needs its node_modules (e.g. `git worktree add --detach ../before <commit>` then `npm ci`).
set -u
before=$1 after=$2 out=${3:-/tmp/bench-before-after}
mkdir -p "$out"
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
run() { # side dir bench env...
  local side=$1 dir=$2 bench=$3; shift 3
  echo "=== $bench $side $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)" | tee -a "$out/summary.log"
  (cd "$dir" && env "$@" timeout 900 npm run -s "bench:$bench" >"$out/$bench-$side.log" 2>&1)
  echo "exit $?" >>"$out/summary.log"
  tail -25 "$out/$bench-$side.log" >>"$out/summary.log"
}
for bench in poll failover burst rebuild bbb; do
  case $bench in
    poll) envs=(BENCH_CYCLES=3) ;;
    failover) envs=(BENCH_MEETINGS=50) ;;
    burst) envs=(BENCH_CREATES=1000) ;;
    rebuild) envs=(BENCH_EVENTS=300000) ;;
    bbb) envs=(BENCH_SECONDS=6) ;;
  esac
  run before "$before" "$bench" "${envs[@]}"
  run after "$after" "$bench" "${envs[@]}"
done
echo "done $(date -u +%H:%M:%S); summary in $out/summary.log"
