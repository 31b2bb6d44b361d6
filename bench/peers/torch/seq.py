"""PyTorch peers of bench/seq_test.go: an LSTM, a GRU and a pre-norm transformer block, one
training step's forward and backward each, in float32.

LSTMStep: torch.nn.LSTM(128, 256, batch_first=True) over a (32, 64, 128) batch, loss = sum of
the outputs at every step. GRUStep: torch.nn.GRU(128, 256, batch_first=True), the same.
TransformerStep: TransformerEncoderLayer(256, 4, 1024, dropout=0, activation="gelu",
batch_first=True, norm_first=True) with a causal mask over a (16, 128, 256) batch, loss = sum of
the outputs; TransformerForward: its forward pass and loss alone. Parameter gradients are cleared
after each step, as the Go benchmarks do. Imported by bench.py, which runs each function of
WORKLOADS with its runner.
"""

import torch


def _step(module, x, mask=None):
    params = list(module.parameters())

    def step():
        out = module(x) if mask is None else module(x, src_mask=mask)
        if isinstance(out, tuple):
            out = out[0]
        out.sum().backward()
        for p in params:
            p.grad = None

    return step


def _recurrent_step(r, name, cls):
    g = torch.Generator().manual_seed(1)
    batch, seq, inp, hidden = 32, 64, 128, 256
    x = torch.rand(batch, seq, inp, generator=g) * 2 - 1
    m = cls(inp, hidden, batch_first=True)
    r.run(name, _step(m, x), lambda ns: [(ns / (batch * seq), "ns/token")])


def lstm_step(r):
    _recurrent_step(r, "LSTMStep", torch.nn.LSTM)


def gru_step(r):
    _recurrent_step(r, "GRUStep", torch.nn.GRU)


def _transformer():
    g = torch.Generator().manual_seed(1)
    batch, seq, width = 16, 128, 256
    x = torch.rand(batch, seq, width, generator=g) * 2 - 1
    m = torch.nn.TransformerEncoderLayer(
        width, 4, 1024, dropout=0.0, activation="gelu", batch_first=True, norm_first=True
    )
    mask = torch.triu(torch.ones(seq, seq, dtype=torch.bool), 1)
    return m, x, mask, lambda ns: [(ns / (batch * seq), "ns/token")]


def transformer_step(r):
    m, x, mask, per_token = _transformer()
    r.run("TransformerStep", _step(m, x, mask), per_token)


def transformer_forward(r):
    """TransformerForward: TransformerStep's forward pass and loss alone, recorded for a backward
    pass that does not run."""
    m, x, mask, per_token = _transformer()

    def fwd():
        m(x, src_mask=mask).sum()

    r.run("TransformerForward", fwd, per_token)


WORKLOADS = (lstm_step, gru_step, transformer_step, transformer_forward)
