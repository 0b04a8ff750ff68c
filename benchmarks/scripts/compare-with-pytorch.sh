#!/usr/bin/env bash
# Nabla against PyTorch on this machine, side by side in one run: the JMH training steps of the
# issue's three MLPs and the 1024^3 products, then ../shared/tools/torch_reference.py on the
# same shapes, printed as one Markdown table with ratios (BENCHMARKS.md quotes its output).
#
#   benchmarks/scripts/compare-with-pytorch.sh [--quick]
#
# Needs Debian's python3-torch, run by /usr/bin/python3, and a real BLAS behind it: the package
# pulls in only the reference BLAS (libblas3), with which torch.mm reaches about 6 GFLOP/s;
# `apt-get install libopenblas0-pthread` gives it OpenBLAS. Never part of the build or CI.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
jdk=$(.ci/find-jdk)
tools="$root/../shared/tools"
python=/usr/bin/python3
quick=0
[[ "${1:-}" == "--quick" ]] && quick=1

if ! "$python" -c 'import torch' 2>/dev/null; then
  echo "compare-with-pytorch: $python cannot import torch (apt-get install python3-torch)" >&2
  exit 2
fi
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
if [[ "$blas" != *openblas* && "$blas" != *blis* && "$blas" != *mkl* ]]; then
  echo "compare-with-pytorch: warning: libblas.so.3 is $blas, not OpenBLAS/BLIS/MKL; PyTorch's figures will be far too slow (apt-get install libopenblas0-pthread)" >&2
fi

# Always rebuilt, so the figures are the working tree's (a few seconds when nothing changed).
if ! JAVA_HOME="$jdk" MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" \
    mvn -q -B -Dstyle.color=never -pl benchmarks -am package -DskipTests >"$root/benchmarks/target-build.log" 2>&1; then
  cat "$root/benchmarks/target-build.log" >&2
  exit 1
fi
rm -f "$root/benchmarks/target-build.log"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
iters=(-wi 5 -i 5 -w 1 -r 1)
[[ $quick == 1 ]] && iters=(-wi 2 -i 3 -w 1 -r 1)

echo "load before: $(uptime)" >&2
"$jdk/bin/java" -jar benchmarks/target/benchmarks.jar "TrainingStepBenchmark|GemmBenchmark" \
  -p n=1024 "${iters[@]}" -rf csv -rff "$out/nabla.csv" >"$out/jmh.log" 2>&1 \
  || { cat "$out/jmh.log" >&2; exit 1; }
for shape in 64-32-10:32 784-256-128-10:256 784-1024-1024-10:256; do
  # The same step with an SGD update, as PyTorch's includes one.
  ./nabla bench "benchmarks/models/mlp-${shape%:*}.nn" --batch "${shape#*:}" 2>/dev/null \
    | sed -n "s|^.* \([0-9.]*\) us/step.*|$shape \1|p" >>"$out/bench.txt"
done
torch() {
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$python" "$tools/torch_reference.py" "$@"
}
{
  torch mlp --sizes 64,32,10 --batch 32 --threads 2
  torch mlp --sizes 784,256,128,10 --batch 256 --threads 2
  torch mlp --sizes 784,1024,1024,10 --batch 256 --threads 2
  torch gemm --n 1024 --threads 2
} >"$out/torch.txt"
echo "load after: $(uptime)" >&2

"$python" - "$out/nabla.csv" "$out/torch.txt" "$out/bench.txt" <<'PY'
import csv, re, sys
nabla = {}
for row in csv.DictReader(open(sys.argv[1])):
    name = row["Benchmark"].rsplit(".", 1)[-1]
    key = row.get("Param: shape") or ""
    if name != "step":
        key = name
    nabla[key] = (float(row["Score"]), float(row["Score Error (99.9%)"] or 0), row["Unit"])
torch_steps, torch_gemm = {}, {}
for line in open(sys.argv[2]):
    m = re.search(r"mlp ([\d,]+) batch=(\d+): ([\d.]+) us/step", line)
    if m:
        torch_steps[m.group(1).replace(",", "-") + ":" + m.group(2)] = float(m.group(3))
    m = re.search(r"gemm (\d+) torch\.(float\d+): ([\d.]+) GFLOP/s", line)
    if m:
        torch_gemm[m.group(2)] = float(m.group(3))
bench = dict(line.split() for line in open(sys.argv[3]) if line.strip())
print("| network, batch | Nabla, JMH (forward + backward) | Nabla, `nabla bench` (+ SGD) | PyTorch (+ SGD) | PyTorch / `nabla bench` |")
print("| --- | --- | --- | --- | --- |")
for shape, t in torch_steps.items():
    score, err, unit = nabla[shape]
    us = score if unit.startswith("us") else score * 1000
    b = float(bench[shape])
    print(f"| {shape.replace(':', ', B = ')} | {us:,.1f} µs ± {err:,.1f} | {b:,.1f} µs | {t:,.1f} µs | **{t / b:.2f}x** |")
print()
print("| product, n = 1024 | Nabla GFLOP/s | PyTorch GFLOP/s | Nabla / PyTorch |")
print("| --- | --- | --- | --- |")
flops = 2 * 1024 ** 3
for name, dtype in (("ab", "float32"), ("abT", "float32"), ("aTb", "float32"), ("abDouble", "float64")):
    score, err, unit = nabla[name]
    gf = flops / (score * 1e-6) / 1e9
    print(f"| `{name}` ({dtype}) | {gf:.0f} | {torch_gemm[dtype]:.0f} | **{100 * gf / torch_gemm[dtype]:.0f}%** |")
PY
