#!/usr/bin/python3
"""Reference values of PyTorch 1.13 for the sequence layers of package layers.

Writes torch_seq.json next to this file. Each case holds the input x, the initial states (if
any), every parameter under its PyTorch name (values and shape, in torch's layout), the outputs,
and the gradients of loss = sum_i sum(output_i * r_i) for fixed random r_i with respect to x, the
initial states and every parameter. Everything is float64 and flattened row-major.

Run with the system interpreter: /usr/bin/python3 layers/testdata/torch_seq.py
"""

import json
import os

import torch

torch.manual_seed(12)
F64 = torch.float64


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def rand(*shape):
    return torch.rand(*shape, dtype=F64) * 2 - 1


def finish(module, inputs, outputs):
    """Backpropagates sum(out * r) over the outputs and packs a case."""
    rs = [rand(*o.shape) for o in outputs]
    sum((o * r).sum() for o, r in zip(outputs, rs)).backward()
    return {
        "inputs": [{"data": flat(x), "shape": list(x.shape), "grad": flat(x.grad)} for x in inputs],
        "params": [
            {"name": n, "data": flat(p), "shape": list(p.shape), "grad": flat(p.grad)}
            for n, p in module.named_parameters()
        ],
        "outputs": [{"data": flat(o), "shape": list(o.shape), "r": flat(r)} for o, r in zip(outputs, rs)],
    }


def recurrent_case(kind, input_size, hidden, layers, batch, seq, with_state):
    cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
    m = cls(input_size, hidden, layers, batch_first=True).to(F64)
    x = rand(batch, seq, input_size).requires_grad_()
    inputs = [x]
    if with_state:
        h0 = rand(layers, batch, hidden).requires_grad_()
        inputs.append(h0)
        if kind == "lstm":
            c0 = rand(layers, batch, hidden).requires_grad_()
            inputs.append(c0)
            out, (h, c) = m(x, (h0, c0))
            outputs = [out, h, c]
        else:
            out, h = m(x, h0)
            outputs = [out, h]
    else:
        out, state = m(x)
        outputs = [out] + (list(state) if kind == "lstm" else [state])
    case = finish(m, inputs, outputs)
    case.update(kind=kind, input=input_size, hidden=hidden, layers=layers)
    return case


def mha_case(name, embed, heads, batch, lq, lk, self_attn, causal, pad_lengths):
    m = torch.nn.MultiheadAttention(embed, heads, batch_first=True).to(F64)
    with torch.no_grad():  # biases away from their initial zeros
        m.in_proj_bias.copy_(rand(3 * embed))
        m.out_proj.bias.copy_(rand(embed))
    q = rand(batch, lq, embed).requires_grad_()
    if self_attn:
        inputs = [q]
        k = v = q
    else:
        k = rand(batch, lk, embed).requires_grad_()
        v = rand(batch, lk, embed).requires_grad_()
        inputs = [q, k, v]
    attn_mask = torch.triu(torch.ones(lq, lk, dtype=torch.bool), 1) if causal else None
    kpm = None
    if pad_lengths:
        kpm = torch.arange(lk)[None, :] >= torch.tensor(pad_lengths)[:, None]
    out, _ = m(q, k, v, key_padding_mask=kpm, attn_mask=attn_mask, need_weights=False)
    case = finish(m, inputs, [out])
    case.update(name=name, embed=embed, heads=heads, self_attn=self_attn, causal=causal, pad_lengths=pad_lengths or [])
    return case


def block_case(name, width, heads, hidden, batch, seq, causal):
    m = torch.nn.TransformerEncoderLayer(
        width, heads, hidden, dropout=0.0, activation="gelu", batch_first=True, norm_first=True
    ).to(F64)
    with torch.no_grad():  # every parameter away from its initial value
        for p in m.parameters():
            p.copy_(rand(*p.shape))
    x = rand(batch, seq, width).requires_grad_()
    mask = torch.triu(torch.ones(seq, seq, dtype=torch.bool), 1) if causal else None
    out = m(x, src_mask=mask)
    case = finish(m, [x], [out])
    case.update(name=name, embed=width, heads=heads, hidden=hidden, causal=causal)
    return case


cases = {
    "recurrent": [
        recurrent_case("lstm", 3, 4, 2, 2, 5, True),
        recurrent_case("lstm", 3, 4, 1, 2, 3, False),
        recurrent_case("gru", 3, 4, 2, 2, 5, True),
        recurrent_case("gru", 2, 3, 1, 3, 4, False),
        recurrent_case("rnn", 3, 4, 2, 2, 4, True),
    ],
    "mha": [
        mha_case("self causal", 4, 2, 2, 5, 5, True, True, None),
        mha_case("cross padded", 6, 3, 2, 3, 4, False, False, [4, 2]),
    ],
    "block": [
        block_case("pre-norm causal", 4, 2, 8, 2, 5, True),
        block_case("pre-norm", 6, 3, 5, 2, 3, False),
    ],
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_seq.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, **cases}, f, indent=None)
print("wrote", out)
