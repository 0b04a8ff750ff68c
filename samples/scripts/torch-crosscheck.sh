#!/bin/sh
# Cross-checks a model against an independent implementation of the language on PyTorch
# autograd (nn_torch.py): the same random params and batch through `nabla eval` (generated
# double code) and through PyTorch, then every output, the loss and every gradient compared,
# and PyTorch's gradients checked against finite differences.
#
#   samples/scripts/torch-crosscheck.sh samples/models/layout.nn Layout
#
# NN_TORCH (default /work/shared/tools/nn_torch.py) and PYTHON (default /work/venv/bin/python,
# which has torch) may be set. Exits non-zero on the first disagreement.
set -eu
file=$1
model=$2
py=${PYTHON:-/work/venv/bin/python}
ref=${NN_TORCH:-/work/shared/tools/nn_torch.py}
nabla=$(dirname "$0")/../../nabla
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$py" "$ref" init "$file" --model "$model" --batch-size 4 --seed 1 --params "$out/p.npz" --batch "$out/b.npz"
"$nabla" eval "$file" --model "$model" --precision double --params "$out/p.npz" --batch "$out/b.npz" --out "$out/nabla.npz"
"$py" "$ref" eval "$file" --model "$model" --params "$out/p.npz" --batch "$out/b.npz" --out "$out/torch.npz" 2>/dev/null
"$py" "$ref" compare "$out/nabla.npz" "$out/torch.npz" --rtol 1e-9
"$py" "$ref" fdcheck "$file" --model "$model" 2>/dev/null | tail -1
