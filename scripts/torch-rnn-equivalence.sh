#!/bin/bash
# An LSTM and a GRU written in the language (scripts/torch-rnn/lstm.nn, gru.nn) against
# torch.nn.LSTM and torch.nn.GRU with the same weights: the outputs (every step's hidden state,
# the final states), the batch-mean loss and every gradient (params and the input sequence),
# entry by entry, to a relative 1e-6 in double (`nabla eval --precision double`, the generated
# code, against PyTorch's float64 modules and autograd). The gate order mapping is in
# scripts/torch_rnn_equivalence.py and docs/language.md ("Checked against PyTorch").
#
#   scripts/torch-rnn-equivalence.sh [--seed N] [--batch-size N]
#
# PYTHON (default /work/venv/bin/python; needs torch 2.x and numpy, never a build dependency)
# may be set. Exits 1 if anything disagrees or a command fails.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
python=${PYTHON:-/work/venv/bin/python}
exec "$python" "$root/scripts/torch_rnn_equivalence.py" --nabla "$root/nabla" "$@"
