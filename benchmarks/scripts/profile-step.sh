#!/usr/bin/env bash
# Where a training step's time goes, two ways, for the performance issue's medium and large MLPs
# (784-256-128-10 and 784-1024-1024-10, B = 256; relu, or tanh with --act tanh):
#   1. `nabla bench --profile`: wall-clock time per phase of the step (each product, loop over
#      the batch, reduction, the SGD update) and the cost of one hand-off to the pool;
#   2. a JFR recording of the same `nabla bench` run, summarised by `jfr view hot-methods`
#      (CPU samples by method, on both threads).
#
#   benchmarks/scripts/profile-step.sh [--act tanh] [--seconds S] [--keep DIR]
#
# Prints Markdown (BENCHMARKS.md quotes it). --keep DIR leaves the .jfr recordings there for
# `jfr view` / JDK Mission Control. Never part of the build or CI.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
act=relu
seconds=5
keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --act) act="$2"; shift ;;
    --seconds) seconds="$2"; shift ;;
    --keep) keep="$2"; shift ;;
    *) echo "usage: $0 [--act relu|tanh] [--seconds S] [--keep DIR]" >&2; exit 2 ;;
  esac
  shift
done
jdk=$("$root/.ci/find-jdk")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
[[ -n "$keep" ]] && mkdir -p "$keep"

echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
for net in 784-256-128-10 784-1024-1024-10; do
  model="$out/$act-mlp-$net.nn"
  sed "s/relu(/$act(/g" "$root/benchmarks/models/mlp-$net.nn" >"$model"
  echo
  echo "### $net, B = 256, $act: \`nabla bench --profile\`"
  echo
  echo '```'
  "$root/nabla" bench "$model" --batch 256 --seconds "$seconds" --profile 2>/dev/null
  echo '```'
  jfr="$out/$act-$net.jfr"
  NABLA_JAVA_OPTS="-XX:StartFlightRecording=filename=$jfr,settings=profile" \
    "$root/nabla" bench "$model" --batch 256 --seconds "$seconds" >/dev/null 2>&1
  echo
  echo "### $net, B = 256, $act: JFR hot methods (warm-up and measurement)"
  echo
  echo '```'
  "$jdk/bin/jfr" view --width 160 hot-methods "$jfr" | sed '/^ *$/d' | head -28
  echo '```'
  [[ -n "$keep" ]] && cp "$jfr" "$keep/"
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
