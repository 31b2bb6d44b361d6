"""PyTorch peer of bench/norm_test.go: LayerNorm forward plus backward.

loss = LayerNorm(x).sum() over a 4096x1024 batch normalised along its rows
(torch.nn.LayerNorm(1024)), with x, the weight and the bias receiving gradients.
Imported by bench.py, which runs layer_norm(runner).
"""

import torch


def layer_norm(r):
    g = torch.Generator().manual_seed(1)
    rows, cols = 4096, 1024
    for dname, dt in (("f64", torch.float64), ("f32", torch.float32)):
        x = (torch.rand(rows, cols, generator=g, dtype=torch.float64) * 2 - 1).to(dt).requires_grad_()
        ln = torch.nn.LayerNorm(cols).to(dt)

        def step(x=x, ln=ln):
            ln(x).sum().backward()
            x.grad = None
            ln.weight.grad = None
            ln.bias.grad = None

        r.run("LayerNorm/%dx%d/%s" % (rows, cols, dname), step, lambda ns: [(ns / (rows * cols), "ns/elem")])
