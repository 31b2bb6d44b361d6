"""PyTorch peers of bench/norm_test.go: LayerNorm and BatchNorm2d forward plus backward.

loss = LayerNorm(x).sum() over a 4096x1024 batch normalised along its rows
(torch.nn.LayerNorm(1024)), with x, the weight and the bias receiving gradients; and
loss = BatchNorm2d(x).sum() in training mode over a (64, 32, 26, 26) float32 batch
(torch.nn.BatchNorm2d(32)), the same. Imported by bench.py, which runs layer_norm(runner) and
batch_norm2d(runner).
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


def batch_norm2d(r):
    g = torch.Generator().manual_seed(1)
    n, c, h, w = 64, 32, 26, 26
    x = (torch.rand(n, c, h, w, generator=g) * 2 - 1).requires_grad_()
    bn = torch.nn.BatchNorm2d(c)

    def step():
        bn(x).sum().backward()
        x.grad = None
        bn.weight.grad = None
        bn.bias.grad = None

    r.run("BatchNorm2d", step, lambda ns: [(ns / (n * c * h * w), "ns/elem")])
