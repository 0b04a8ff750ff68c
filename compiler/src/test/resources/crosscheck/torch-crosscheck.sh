#!/bin/sh
# Cross-checks the rank-3/4 models of this directory against PyTorch autograd (float64):
# random params and batch from the shared reference evaluator, then `nabla eval` in double and
# the reference's `eval`, compared entry by entry (loss, outputs, every gradient).
#   compiler/src/test/resources/crosscheck/torch-crosscheck.sh [PYTHON] [NN_TORCH]
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../../.." && pwd)
python=${1:-/work/venv/bin/python}
torch=${2:-/work/shared/tools/nn_torch.py}
out=$(mktemp -d)
for model in "$here"/*.nn; do
  name=$(basename "$model" .nn)
  "$python" "$torch" init "$model" --batch-size 3 --seed 4 --params "$out/$name-p.npz" --batch "$out/$name-b.npz"
  "$python" "$torch" eval "$model" --params "$out/$name-p.npz" --batch "$out/$name-b.npz" --out "$out/$name-torch.npz"
  "$root/nabla" eval "$model" --precision double --params "$out/$name-p.npz" --batch "$out/$name-b.npz" \
    --out "$out/$name-nabla.npz"
  "$python" "$torch" compare "$out/$name-torch.npz" "$out/$name-nabla.npz" --rtol 1e-9
done
rm -rf "$out"
