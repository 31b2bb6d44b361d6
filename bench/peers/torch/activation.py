"""PyTorch peer of bench/activation_test.go: GELU (exact, through erf) over the transformer
benchmark's hidden activations, a 2048x1024 float32 batch.

GELU/2048x1024/f32/fwd is the forward pass alone; GELU/2048x1024/f32/fwdbwd is the forward pass,
loss = sum, and the backward pass to x. Imported by bench.py, which runs gelu(runner).
"""

import torch
import torch.nn.functional as F


def gelu(r):
    g = torch.Generator().manual_seed(1)
    rows, cols = 2048, 1024
    x = torch.rand(rows, cols, generator=g) * 6 - 3

    def fwd():
        F.gelu(x)

    xg = x.clone().requires_grad_()

    def fwd_bwd():
        F.gelu(xg).sum().backward()
        xg.grad = None

    per_elem = lambda ns: [(ns / (rows * cols), "ns/elem")]
    r.run("GELU/%dx%d/f32/fwd" % (rows, cols), fwd, per_elem)
    r.run("GELU/%dx%d/f32/fwdbwd" % (rows, cols), fwd_bwd, per_elem)
