#!/bin/bash
# Cross-checks Nabla against an independent implementation of the language on PyTorch autograd
# (nn_torch.py): for each model, the same random params and batch go through `nabla eval` in
# double (the generated code) and through PyTorch in float64, and the loss, every output and
# every gradient are compared entry by entry (relative 1e-9, absolute 1e-12).
#
#   scripts/torch-crosscheck.sh [--fdcheck] [--seed N] [--batch-size N] [FILE.nn[:Model] ...]
#
# A file without `:Model` has every model in it checked. Without files, checks the models this
# script exists for: compiler/src/test/resources/crosscheck/*.nn (broadcasting, rank 4, softmax
# along axes, products of stacks), samples/models/layout.nn and samples/models/attention.nn.
# --fdcheck also checks PyTorch's own gradients against finite differences (nn_torch.py fdcheck).
# The params and the batch are drawn by nn_torch.py init with --seed (default 1) and
# --batch-size (default 4).
# PYTHON (default /work/venv/bin/python, which has torch and numpy) and NN_TORCH (default
# /work/shared/tools/nn_torch.py) may be set. Checks every model, then exits 1 if any disagreed.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
python=${PYTHON:-/work/venv/bin/python}
nn_torch=${NN_TORCH:-/work/shared/tools/nn_torch.py}

fdcheck=""
seed=1
batch=4
specs=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --fdcheck) fdcheck=1 ;;
    --seed) seed=$2; shift ;;
    --batch-size) batch=$2; shift ;;
    -*) echo "unknown option $1 (see the comment at the top of $0)" >&2; exit 2 ;;
    *) specs+=("$1") ;;
  esac
  shift
done
if [[ ${#specs[@]} -eq 0 ]]; then
  specs=("$root"/compiler/src/test/resources/crosscheck/*.nn "$root/samples/models/layout.nn"
    "$root/samples/models/attention.nn")
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=()

# Checks model $2 of file $1; returns non-zero on any failure or disagreement.
check() {
  local file=$1 model=$2
  "$python" "$nn_torch" init "$file" --model "$model" --batch-size "$batch" --seed "$seed" \
    --params "$work/p.npz" --batch "$work/b.npz" &&
    "$root/nabla" eval "$file" --model "$model" --precision double \
      --params "$work/p.npz" --batch "$work/b.npz" --out "$work/nabla.npz" >/dev/null &&
    "$python" "$nn_torch" eval "$file" --model "$model" \
      --params "$work/p.npz" --batch "$work/b.npz" --out "$work/torch.npz" >/dev/null 2>&1 &&
    "$python" "$nn_torch" compare "$work/nabla.npz" "$work/torch.npz" --rtol 1e-9 --atol 1e-12 &&
    if [[ -n "$fdcheck" ]]; then
      "$python" "$nn_torch" fdcheck "$file" --model "$model" 2>/dev/null | tail -1
    fi
}

for spec in "${specs[@]}"; do
  file=${spec%%:*}
  if [[ "$spec" == *:* ]]; then
    models=("${spec#*:}")
  else
    mapfile -t models < <(sed -n 's/^[[:space:]]*model[[:space:]]\+\([A-Za-z_][A-Za-z0-9_]*\).*/\1/p' "$file")
  fi
  for model in "${models[@]}"; do
    echo "== $file:$model"
    check "$file" "$model" || failed+=("$file:$model")
  done
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "disagreed or failed: ${failed[*]}" >&2
  exit 1
fi
echo "all agree with PyTorch"
