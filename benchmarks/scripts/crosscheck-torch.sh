#!/bin/bash
# Cross-checks nabla against an independent evaluator on PyTorch autograd: for each model,
# nabla eval (double) and nn_torch.py eval on the same random params and batch, compared entry
# by entry (loss, outputs, gradients).
#   benchmarks/scripts/crosscheck-torch.sh [MODEL.nn ...]   (default: compiler/src/test/resources/crosscheck/*.nn)
# PYTHON (default /work/venv/bin/python) needs torch and numpy; NN_TORCH (default
# /work/shared/tools/nn_torch.py) is the evaluator.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
python=${PYTHON:-/work/venv/bin/python}
nn_torch=${NN_TORCH:-/work/shared/tools/nn_torch.py}
models=("$@")
if [ ${#models[@]} -eq 0 ]; then
  models=("$root"/compiler/src/test/resources/crosscheck/*.nn)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0
for m in "${models[@]}"; do
  echo "== $m"
  "$python" "$nn_torch" init "$m" --batch-size 3 --seed 7 --params "$work/p.npz" --batch "$work/b.npz"
  "$python" "$nn_torch" eval "$m" --params "$work/p.npz" --batch "$work/b.npz" --out "$work/torch.npz" 2>/dev/null >/dev/null
  "$root/nabla" eval "$m" --params "$work/p.npz" --batch "$work/b.npz" --out "$work/nabla.npz" --precision double >/dev/null
  "$python" "$nn_torch" compare "$work/nabla.npz" "$work/torch.npz" --rtol 1e-9 --atol 1e-12 || failed=1
done
exit $failed
