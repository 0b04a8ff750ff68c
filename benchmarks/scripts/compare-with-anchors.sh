#!/usr/bin/env bash
# Nabla against what a user would pick instead (PyTorch 2.x eager, torch.compile, JAX jit) on the
# performance issue's three MLPs, relu and tanh hidden layers, interleaved in rounds on this
# machine; prints one Markdown table (BENCHMARKS.md quotes it) with the ratio to the best
# anchor, the machine's measured sgemm peak (GemmBenchmark.ab) and each step's GFLOP/s
# (6 * B * sum(fan_in * fan_out) per step) and fraction of that peak; then a second table for
# the other models of anchors_bench.py that have a model file here (the LSTM of issue 17:
# benchmarks/models/lstm-t28-i28-h128.nn against `anchors_bench.py lstm`), GFLOP/s counted as
# anchors_bench.py counts them (3 * 2 * B * multiply-adds per instance).
#
#   benchmarks/scripts/compare-with-anchors.sh [--quick] [--rounds N] [--models LIST]
#
# --quick: one round of short runs, to try the script out (the figures are rough).
# --models: which benchmarks to run, comma-separated (default mlp,lstm,lenet,cnn): mlp (the MLP
#   table, relu and tanh), lstm, lenet and cnn (issue 16: LeNet-5 and the wider CNN at B = 64 on
#   1x28x28, benchmarks/models/lenet5-28.nn and cnn-32-64.nn against `anchors_bench.py lenet|cnn`).
# Variables:
#   ANCHORS_PYTHON  a Python with torch (and jax) installed
#                   (default: ../venv/bin/python next to this repository;
#                    make one with `python3 -m venv VENV && VENV/bin/pip install torch jax`)
#   ANCHORS_BENCH   the anchors script (default: ../shared/tools/anchors_bench.py next to it)
# A framework the Python cannot import is left out of the table (shown as "–").
# Progress goes to stderr, the table to stdout. Never part of the build or CI.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
rounds=3
quick=0
models=mlp,lstm,lenet,cnn
while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; rounds=1 ;;
    --rounds) rounds="$2"; shift ;;
    --models) models="$2"; shift ;;
    *) echo "usage: $0 [--quick] [--rounds N] [--models mlp,lstm,lenet,cnn]" >&2; exit 2 ;;
  esac
  shift
done
python="${ANCHORS_PYTHON:-$root/../venv/bin/python}"
anchors="${ANCHORS_BENCH:-$root/../shared/tools/anchors_bench.py}"
jdk=$(.ci/find-jdk)
# The non-MLP models: name of the anchors_bench.py command, model file, batch.
declare -A model_file=([lstm]=benchmarks/models/lstm-t28-i28-h128.nn
  [lenet]=benchmarks/models/lenet5-28.nn [cnn]=benchmarks/models/cnn-32-64.nn)
declare -A model_batch=([lstm]=64 [lenet]=64 [cnn]=64)
run_mlp=0
others=()
for m in ${models//,/ }; do
  if [[ $m == mlp ]]; then
    run_mlp=1
  elif [[ -n ${model_file[$m]:-} ]]; then
    others+=("$m")
  else
    echo "compare-with-anchors: unknown model '$m' (known: mlp ${!model_file[*]})" >&2
    exit 2
  fi
done

if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "compare-with-anchors: $python cannot import torch (set ANCHORS_PYTHON to a venv with torch and jax)" >&2
  exit 2
fi
[[ -f "$anchors" ]] || { echo "compare-with-anchors: no $anchors (set ANCHORS_BENCH)" >&2; exit 2; }
frameworks=torch,torch-compile
if "$python" -c 'import jax' 2>/dev/null; then
  frameworks+=,jax
else
  echo "compare-with-anchors: warning: $python cannot import jax; JAX is left out" >&2
fi

# Always rebuilt, so the figures are the working tree's (quick when nothing changed).
log=$(mktemp)
if ! JAVA_HOME="$jdk" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
    mvn -q -B -Dstyle.color=never -pl benchmarks -am package -DskipTests >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
rm -f "$log"
./nabla --version >/dev/null   # builds the CLI now rather than inside the first timed run

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The tanh networks are the relu ones with every relu( replaced.
for f in benchmarks/models/mlp-*.nn; do
  cp "$f" "$out/relu-$(basename "$f")"
  sed 's/relu(/tanh(/g' "$f" >"$out/tanh-$(basename "$f")"
done

if [[ $quick == 1 ]]; then
  jmh=(-wi 1 -i 2 -w 1 -r 1)
  bench=(--warmup 2 --seconds 1)
  model_warmup=2
else
  jmh=(-wi 3 -i 5 -w 1 -r 1)
  bench=(--warmup 5 --seconds 3)
  # The LSTM and the convolutional steps take 4-16 ms: in 5 s C2 has not compiled all of their
  # kernels (the CNN still allocated 15 KB a step, boxed vectors of interpreted Vector API code,
  # and was slower), so they warm up for 15 s.
  model_warmup=15
fi

# One `nabla bench` of FILE at batch BATCH [with WARMUP seconds of warm-up]: prints "MICROSECONDS
# BYTES ROUNDTRIP" (per step; the cache line round trip between the two cores after the run, in
# ns, or - : which cores the host gave the run, BENCHMARKS.md); fails (the caller stops the
# script) if the bench failed.
nabla_step() {
  local out line trip args=("${bench[@]}")
  [[ -n ${3:-} ]] && args[1]=$3 # bench is (--warmup S --seconds S)
  out=$(./nabla bench "$1" --batch "$2" "${args[@]}" 2>&1)
  line=$(grep 'us/step' <<<"$out") \
    || { echo "compare-with-anchors: nabla bench failed on $1" >&2; exit 1; }
  trip=$(sed -n 's|^a cache line from one core to another and back: \([0-9]*\) ns$|\1|p' <<<"$out")
  echo "$(sed -n 's|.* \([0-9.]*\) us/step, \([0-9]*\) bytes allocated.*|\1 \2|p' <<<"$line") ${trip:--}"
}

shapes=(64-32-10:32 784-256-128-10:256 784-1024-1024-10:256)
for ((r = 1; r <= rounds; r++)); do
  echo "round $r/$rounds, load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  echo "load $r $(cut -d' ' -f1 /proc/loadavg)" >>"$out/results.txt"
  "$jdk/bin/java" -jar benchmarks/target/benchmarks.jar 'GemmBenchmark\.ab$' -p n=256,1024 \
    "${jmh[@]}" -rf csv -rff "$out/gemm-$r.csv" >"$out/jmh.log" 2>&1 \
    || { cat "$out/jmh.log" >&2; exit 1; }
  for act in relu tanh; do
    (( run_mlp )) || break
    for shape in "${shapes[@]}"; do
      net=${shape%:*} batch=${shape#*:}
      # Alternate who goes first, so neither always runs on a machine the other just warmed.
      order=(nabla anchors)
      (( r % 2 == 0 )) && order=(anchors nabla)
      for who in "${order[@]}"; do
        if [[ $who == nabla ]]; then
          step=$(nabla_step "$out/$act-mlp-$net.nn" "$batch") || exit 1
          echo "nabla $act $net $batch $step" >>"$out/results.txt"
        else
          steps=()
          if [[ $quick == 1 ]]; then
            steps=(--steps 20)
            [[ $net == 64-32-10 ]] && steps=(--steps 500)
          fi
          "$python" "$anchors" mlp --sizes "${net//-/,}" --batch "$batch" --act "$act" \
            --threads 2 --frameworks "$frameworks" "${steps[@]}" 2>"$out/anchors.err" \
            | sed -n "s|^anchor \([^ ]*\) mlp .*: \([0-9.]*\) us/step.*|anchor $act $net $batch \1 \2|p" >>"$out/results.txt" \
            || { cat "$out/anchors.err" >&2; exit 1; }
        fi
      done
      echo "  $act $net done" >&2
    done
  done
  for m in "${others[@]}"; do
    batch=${model_batch[$m]}
    order=(nabla anchors)
    (( r % 2 == 0 )) && order=(anchors nabla)
    for who in "${order[@]}"; do
      if [[ $who == nabla ]]; then
        step=$(nabla_step "${model_file[$m]}" "$batch" "$model_warmup") || exit 1
        echo "nabla-model $m $batch $step" >>"$out/results.txt"
      else
        steps=()
        [[ $quick == 1 ]] && steps=(--steps 10)
        "$python" "$anchors" "$m" --batch "$batch" --threads 2 --frameworks "$frameworks" "${steps[@]}" 2>"$out/anchors.err" \
          | sed -n "s|^anchor \([^ ]*\) $m .*: \([0-9.]*\) us/step.*|anchor-model $m $batch \1 \2|p" >>"$out/results.txt" \
          || { cat "$out/anchors.err" >&2; exit 1; }
      fi
    done
    echo "  $m done" >&2
  done
done
echo "done, load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

"$python" - "$out" "$rounds" "$run_mlp" "${others[@]}" <<'PY'
import csv, glob, statistics, sys
out, rounds, run_mlp, others = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4:]
peaks = {}          # n -> [GFLOP/s per round]
for path in sorted(glob.glob(f"{out}/gemm-*.csv")):
    for row in csv.DictReader(open(path)):
        n = int(row["Param: n"])
        us = float(row["Score"])
        peaks.setdefault(n, []).append(2 * n ** 3 / (us * 1e-6) / 1e9)
peak = max(statistics.median(v) for v in peaks.values())
times, allocs, loads, versions = {}, {}, [], set()
trips = {}          # (act, net) -> [round trip ns or "-" per Nabla run]
# model times: (model, batch, who) -> [us]; model allocations: model -> {bytes}
mtimes, mallocs = {}, {}

def framework(version):
    return version.split("-")[0] + ("-compile" if version.endswith("-compile") else "")

for line in open(f"{out}/results.txt"):
    f = line.split()
    if f[0] == "load":
        loads.append(float(f[2]))
    elif f[0] == "nabla":
        times.setdefault((f[1], f[2], int(f[3]), "Nabla"), []).append(float(f[4]))
        allocs.setdefault((f[1], f[2]), set()).add(int(f[5]))
        trips.setdefault((f[1], f[2]), []).append(f[6] if len(f) > 6 else "-")
    elif f[0] == "anchor":
        versions.add(f[4])
        times.setdefault((f[1], f[2], int(f[3]), framework(f[4])), []).append(float(f[5]))
    elif f[0] == "nabla-model":
        mtimes.setdefault((f[1], int(f[2]), "Nabla"), []).append(float(f[3]))
        mallocs.setdefault(f[1], set()).add(int(f[4]))
    elif f[0] == "anchor-model":
        versions.add(f[3])
        mtimes.setdefault((f[1], int(f[2]), framework(f[3])), []).append(float(f[4]))
names = {"torch": "PyTorch", "torch-compile": "torch.compile", "jax": "JAX"}
versions = sorted(versions)

def fmt(us):
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.1f} µs"

def cell(v):
    if not v:
        return "–"
    m = statistics.median(v)
    return fmt(m) if len(v) == 1 else f"{fmt(m)} ({fmt(min(v))}–{fmt(max(v))})"

print(f"sgemm peak (`GemmBenchmark.ab`, 2 threads, median of {rounds} round(s)): "
      + ", ".join(f"n = {n}: {statistics.median(v):.0f} GFLOP/s" for n, v in sorted(peaks.items()))
      + f"; peak = {peak:.0f} GFLOP/s.")
print(f"Anchors: {', '.join(versions)}. Load average (1 min) at the start of each round: "
      + ", ".join(f"{l:.2f}" for l in loads) + ".")
if run_mlp:
    print()
    print("Median of the rounds (range in parentheses); ratio = best anchor's median / Nabla's median "
          "(above 1: Nabla is faster); GFLOP/s = 6 · B · Σ fan_in · fan_out per step.")
    print()
    print("| network, batch | hidden | Nabla | PyTorch | torch.compile | JAX | Nabla / best anchor | Nabla GFLOP/s (% of peak) | best anchor GFLOP/s (% of peak) | Nabla bytes allocated per step |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for act in ("relu", "tanh"):
        for net, batch in (("64-32-10", 32), ("784-256-128-10", 256), ("784-1024-1024-10", 256)):
            sizes = list(map(int, net.split("-")))
            flops = 6 * batch * sum(a * b for a, b in zip(sizes, sizes[1:]))
            key = lambda who: times.get((act, net, batch, who), [])
            nabla = key("Nabla")
            anchors = {w: statistics.median(key(w)) for w in names if key(w)}
            row = [f"{net}, B = {batch}", act, cell(nabla)] + [cell(key(w)) for w in names]
            if nabla and anchors:
                best = min(anchors, key=anchors.get)
                n = statistics.median(nabla)
                gn, ga = flops / n / 1e3, flops / anchors[best] / 1e3
                row += [f"**{anchors[best] / n:.2f}x** (vs {names[best]})",
                        f"{gn:.0f} ({100 * gn / peak:.0f}%)", f"{ga:.0f} ({100 * ga / peak:.0f}%)"]
            else:
                row += ["–", "–", "–"]
            row.append(", ".join(map(str, sorted(allocs.get((act, net), [])))) or "–")
            print("| " + " | ".join(row) + " |")
    print()
    print("A cache line's round trip between the two cores after each Nabla run, in ns, in round order "
          "(about 55-140: the host ran both virtual CPUs in one L3 domain; about 400: not, and the split "
          "steps are slower; BENCHMARKS.md, \"Why the medium step was bimodal\"): "
          + "; ".join(f"{net} {act}: {', '.join(trips[(act, net)])}" for act in ("relu", "tanh")
                      for net, _ in (("64-32-10", 32), ("784-256-128-10", 256), ("784-1024-1024-10", 256))
                      if (act, net) in trips) + ".")

# Per-instance multiply-adds of the other models, as anchors_bench.py counts them.
MACS = {"lstm": 28 * 4 * 128 * (28 + 128) + 128 * 10, "lenet": 416_520, "cnn": 4_241_152}
DESC = {"lstm": "LSTM T = 28, input 28, hidden 128, dense 10",
        "lenet": "LeNet-5 on 1x28x28 (conv 5x5 6, 16; 400-120-84-10)",
        "cnn": "CNN on 1x28x28 (conv 3x3 32, 64; 3136-128-10)"}
if others:
    print()
    print("Median of the rounds (range in parentheses); ratio = best anchor's median / Nabla's median "
          "(above 1: Nabla is faster); GFLOP/s = 3 · 2 · B · multiply-adds per instance (anchors_bench.py's count).")
    print()
    print("| model, batch | Nabla | PyTorch | torch.compile | JAX | Nabla / best anchor | Nabla GFLOP/s (% of peak) | best anchor GFLOP/s (% of peak) | Nabla bytes allocated per step |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for m in others:
        batch = next((b for (mm, b, _) in mtimes if mm == m), None)
        key = lambda who: mtimes.get((m, batch, who), [])
        flops = 6 * (batch or 0) * MACS[m]
        nabla = key("Nabla")
        anchors = {w: statistics.median(key(w)) for w in names if key(w)}
        row = [f"{DESC[m]}, B = {batch}", cell(nabla)] + [cell(key(w)) for w in names]
        if nabla and anchors:
            best = min(anchors, key=anchors.get)
            n = statistics.median(nabla)
            gn, ga = flops / n / 1e3, flops / anchors[best] / 1e3
            row += [f"**{anchors[best] / n:.2f}x** (vs {names[best]})",
                    f"{gn:.0f} ({100 * gn / peak:.0f}%)", f"{ga:.0f} ({100 * ga / peak:.0f}%)"]
        else:
            row += ["–", "–", "–"]
        row.append(", ".join(map(str, sorted(mallocs.get(m, [])))) or "–")
        print("| " + " | ".join(row) + " |")
PY
