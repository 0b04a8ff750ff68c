"""An LSTM and a GRU written in Nabla's language against torch.nn.LSTM and torch.nn.GRU.

Run by scripts/torch-rnn-equivalence.sh (which says how). For each of
scripts/torch-rnn/lstm.nn (two layers) and scripts/torch-rnn/gru.nn (initial state a param, a
loss at every step), this draws torch's module weights and a batch from the seed in float64,
computes the outputs, the batch-mean loss and every gradient with torch.nn's module and
autograd, writes the same weights under the model's param names (the gate order mapping
below) and the batch to .npz files, runs `nabla eval --precision double` on them (the
generated code: forward recurrence and backward recurrence over the adjoints) and compares
the two entry by entry.

Gate order mapping (torch keeps the gates stacked along the rows of its weight matrices):
  LSTM  weight_ih_l<k> [4H, I], weight_hh_l<k> [4H, H]: rows i, f, g, o (input gate, forget
        gate, cell candidate, output gate) -> Wx<k+1>, Wh<k+1>, the same rows in the same order;
        bias_ih_l<k> + bias_hh_l<k> -> b<k+1> (one bias: only their sum enters the gates, and
        its gradient is the gradient of each of them).
  GRU   weight_ih_l0 [3H, I], weight_hh_l0 [3H, H]: rows r, z, n (reset, update, new) -> Wx,
        Wh; bias_ih_l0 -> bx, bias_hh_l0 -> bh, kept apart because the reset gate multiplies
        the hidden part of the new gate with its bias: n = tanh(W_in x + b_in + r * (W_hn h +
        b_hn)); h' = (1 - z) n + z h. h0 (torch's initial state argument) -> the param h0.

Before asking Nabla, the script also evaluates the .nn files' step equations transliterated to
torch tensor code (explicit_lstm, explicit_gru) and checks them against torch.nn: that proves
the mapping itself, independently of Nabla. Needs only torch and numpy.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def uniform(gen, shape, scale):
    return (torch.rand(shape, generator=gen, dtype=torch.float64) * 2 - 1) * scale


def one_hot(gen, lead, k):
    labels = torch.randint(0, k, lead, generator=gen)
    return torch.nn.functional.one_hot(labels, k).to(torch.float64)


# ---- LSTM: scripts/torch-rnn/lstm.nn ---------------------------------------------------------

LSTM_DIMS = {"T": 6, "I": 5, "H": 4, "K": 3}


def lstm_case(gen, batch):
    T, I, H, K = (LSTM_DIMS[k] for k in "TIHK")
    lstm = torch.nn.LSTM(I, H, num_layers=2, batch_first=True).double()
    with torch.no_grad():
        for p in lstm.parameters():     # wider than torch's default U(-1/sqrt(H), 1/sqrt(H)):
            p.copy_(uniform(gen, p.shape, 0.8))   # gates well away from 0.5
    V = uniform(gen, (K, H), 0.8).requires_grad_()
    c = uniform(gen, (K,), 0.8).requires_grad_()
    xs = torch.randn((batch, T, I), generator=gen, dtype=torch.float64).requires_grad_()
    d = one_hot(gen, (batch,), K)
    ys = torch.randn((batch, T, H), generator=gen, dtype=torch.float64) * 0.5

    out, (hn, cn) = lstm(xs)                            # out [B, T, H]; hn, cn [2, B, H]
    z = out[:, -1] @ V.T + c
    per_instance = (-(d * torch.log_softmax(z, dim=-1)).sum(-1)
                    + 0.5 * ((out - ys) ** 2).sum((1, 2)))
    loss = per_instance.mean()                          # Nabla's batch-mean loss
    loss.backward()

    p = dict(lstm.named_parameters())
    params = {}
    for k in (0, 1):
        params[f"Wx{k + 1}"] = p[f"weight_ih_l{k}"]
        params[f"Wh{k + 1}"] = p[f"weight_hh_l{k}"]
        params[f"b{k + 1}"] = p[f"bias_ih_l{k}"] + p[f"bias_hh_l{k}"]
    params["V"], params["c"] = V, c
    expected = {
        "loss": loss,
        "hs2": out, "h1": hn[0], "c1": cn[0], "h2": hn[1], "c2": cn[1],
        "Y": torch.softmax(z, dim=-1),
        "grad_V": V.grad, "grad_c": c.grad, "grad_xs": xs.grad,
    }
    for k in (0, 1):
        expected[f"grad_Wx{k + 1}"] = p[f"weight_ih_l{k}"].grad
        expected[f"grad_Wh{k + 1}"] = p[f"weight_hh_l{k}"].grad
        # one bias for torch's two: its gradient is each of theirs (they are equal)
        check_same(f"torch's bias_ih_l{k}.grad and bias_hh_l{k}.grad",
                   p[f"bias_ih_l{k}"].grad, p[f"bias_hh_l{k}"].grad)
        expected[f"grad_b{k + 1}"] = p[f"bias_ih_l{k}"].grad
    batch_arrays = {"xs": xs, "d": d, "ys": ys}
    explicit = explicit_lstm({n: t.detach() for n, t in params.items()}, xs.detach(), H)
    return params, batch_arrays, expected, explicit


def explicit_lstm(p, xs, H):
    """lstm.nn's step equations, written out in torch: the hidden states and final states."""
    def layer(seq, Wx, Wh, b):
        h = torch.zeros(seq.shape[0], H, dtype=torch.float64)
        c = torch.zeros_like(h)
        hs = []
        for t in range(seq.shape[1]):
            z = seq[:, t] @ Wx.T + h @ Wh.T + b
            i, f = torch.sigmoid(z[:, 0:H]), torch.sigmoid(z[:, H:2 * H])
            g, o = torch.tanh(z[:, 2 * H:3 * H]), torch.sigmoid(z[:, 3 * H:])
            c = f * c + i * g
            h = o * torch.tanh(c)
            hs.append(h)
        return torch.stack(hs, 1), h, c
    hs1, h1, c1 = layer(xs, p["Wx1"], p["Wh1"], p["b1"])
    hs2, h2, c2 = layer(hs1, p["Wx2"], p["Wh2"], p["b2"])
    return {"hs2": hs2, "h1": h1, "c1": c1, "h2": h2, "c2": c2}


# ---- GRU: scripts/torch-rnn/gru.nn -----------------------------------------------------------

GRU_DIMS = {"T": 7, "I": 3, "H": 5, "K": 4}


def gru_case(gen, batch):
    T, I, H, K = (GRU_DIMS[k] for k in "TIHK")
    gru = torch.nn.GRU(I, H, batch_first=True).double()
    with torch.no_grad():
        for p in gru.parameters():
            p.copy_(uniform(gen, p.shape, 0.8))
    h0 = uniform(gen, (H,), 0.8).requires_grad_()
    V = uniform(gen, (K, H), 0.8).requires_grad_()
    c = uniform(gen, (K,), 0.8).requires_grad_()
    xs = torch.randn((batch, T, I), generator=gen, dtype=torch.float64).requires_grad_()
    ds = one_hot(gen, (batch, T), K)

    # torch's initial state is [layers, B, H]: the one param h0, expanded over the batch
    out, hn = gru(xs, h0.expand(1, batch, H))
    zs = out @ V.T + c                                  # [B, T, K]
    loss = (-(ds * torch.log_softmax(zs, dim=-1)).sum((1, 2))).mean()
    loss.backward()

    p = dict(gru.named_parameters())
    params = {"Wx": p["weight_ih_l0"], "Wh": p["weight_hh_l0"], "bx": p["bias_ih_l0"],
              "bh": p["bias_hh_l0"], "h0": h0, "V": V, "c": c}
    expected = {
        "loss": loss, "hs": out, "h": hn[0], "Y": torch.softmax(zs, dim=-1),
        "grad_Wx": p["weight_ih_l0"].grad, "grad_Wh": p["weight_hh_l0"].grad,
        "grad_bx": p["bias_ih_l0"].grad, "grad_bh": p["bias_hh_l0"].grad,
        "grad_h0": h0.grad, "grad_V": V.grad, "grad_c": c.grad, "grad_xs": xs.grad,
    }
    batch_arrays = {"xs": xs, "ds": ds}
    explicit = explicit_gru({n: t.detach() for n, t in params.items()}, xs.detach(), H)
    return params, batch_arrays, expected, explicit


def explicit_gru(p, xs, H):
    """gru.nn's step equations, written out in torch: the hidden states and the final state."""
    h = p["h0"].expand(xs.shape[0], H)
    hs = []
    for t in range(xs.shape[1]):
        gx = xs[:, t] @ p["Wx"].T + p["bx"]
        gh = h @ p["Wh"].T + p["bh"]
        r = torch.sigmoid(gx[:, 0:H] + gh[:, 0:H])
        z = torch.sigmoid(gx[:, H:2 * H] + gh[:, H:2 * H])
        n = torch.tanh(gx[:, 2 * H:] + r * gh[:, 2 * H:])
        h = (1 - z) * n + z * h
        hs.append(h)
    return {"hs": torch.stack(hs, 1), "h": h}


# ---- comparing ------------------------------------------------------------------------------

def as_np(t):
    return (t.detach() if torch.is_tensor(t) else torch.as_tensor(t)).numpy().astype(np.float64)


def worst(a, b):
    """The largest |a - b| relative to max(|b|, 1e-12) over the entries, and whether every entry
    is within rtol 1e-6 (with atol 1e-12 for entries near 0)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return float("inf"), False
    diff = np.abs(a - b)
    rel = diff / np.maximum(np.abs(b), 1e-12)
    return (float(rel.max()) if rel.size else 0.0), bool(np.all(diff <= 1e-6 * np.abs(b) + 1e-12))


def check_same(what, a, b):
    err, ok = worst(as_np(a), as_np(b))
    if not ok:
        raise SystemExit(f"{what} differ (worst relative {err:.1e})")


def compare(label, got, expected):
    """Prints one line per entry; returns the names that disagree or are missing."""
    bad = []
    for name, want in expected.items():
        if name not in got:
            print(f"  {name:10s} missing from {label}")
            bad.append(name)
            continue
        have = np.asarray(got[name], dtype=np.float64)
        err, ok = worst(have, as_np(want))
        print(f"  {name:10s} {str(list(have.shape)):14s} worst relative difference {err:.1e}"
              f"{'' if ok else '  DISAGREES'}")
        if not ok:
            bad.append(name)
    return bad


def run_case(name, case, model_file, seed, batch, nabla, work):
    gen = torch.Generator().manual_seed(seed)
    params, batch_arrays, expected, explicit = case(gen, batch)
    print(f"== {os.path.relpath(model_file, ROOT)}: torch.nn.{name} (seed {seed}, batch {batch})")
    print(" the .nn step equations in torch against torch.nn:")
    bad = compare("the explicit equations", {k: as_np(v) for k, v in explicit.items()},
                  {k: expected[k] for k in explicit})
    pfile, bfile, ofile = (os.path.join(work, f"{name}-{w}.npz") for w in ("params", "batch", "nabla"))
    np.savez(pfile, **{k: as_np(v) for k, v in params.items()})
    np.savez(bfile, **{k: as_np(v) for k, v in batch_arrays.items()})
    cmd = [nabla, "eval", model_file, "--precision", "double", "--params", pfile, "--batch", bfile,
           "--out", ofile]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        print(f" nabla eval failed (exit {r.returncode}):\n{r.stderr.strip()}")
        return bad + ["nabla eval"]
    with np.load(ofile) as f:
        got = {k: f[k] for k in f.files}
    print(" nabla eval --precision double against torch.nn and autograd:")
    return bad + compare("nabla eval's output", got, expected)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch-size", type=int, default=4)
    ap.add_argument("--nabla", default=os.path.join(ROOT, "nabla"))
    args = ap.parse_args()
    torch.set_default_dtype(torch.float64)
    failed = []
    with tempfile.TemporaryDirectory() as work:
        for name, case, file in (("LSTM", lstm_case, "lstm.nn"), ("GRU", gru_case, "gru.nn")):
            bad = run_case(name, case, os.path.join(HERE, "torch-rnn", file), args.seed,
                           args.batch_size, args.nabla, work)
            if bad:
                failed.append(f"{file} ({', '.join(bad)})")
    if failed:
        print("disagreed or failed: " + "; ".join(failed), file=sys.stderr)
        return 1
    print("LSTM and GRU agree with torch.nn to 1e-6")
    return 0


if __name__ == "__main__":
    sys.exit(main())
