"""PyTorch peer of bench/conv_test.go's BenchmarkConv2d: loss = sum(conv2d(x, W) + b), forward
and backward, gradients for W and b and, past a network's first layer, for x. Same shapes as
convShapes in bench/conv_test.go; registered in bench.py.
"""
import torch
import torch.nn.functional as F

# name, batch, in, out, kernel, padding, height = width, input needs a gradient
SHAPES = [
    ("mnist1", 64, 1, 32, 3, 0, 28, False),
    ("mnist2", 64, 32, 64, 3, 0, 26, True),
    ("resnet56", 8, 64, 64, 3, 1, 56, True),
]


def conv2d(r):
    g = torch.Generator().manual_seed(30)
    for name, n, cin, cout, k, pad, hw, input_grad in SHAPES:
        o = hw + 2 * pad - k + 1
        flops = (3 if input_grad else 2) * 2.0 * n * cout * cin * k * k * o * o
        bound = 1 / (cin * k * k) ** 0.5
        for dname, dt in (("f64", torch.float64), ("f32", torch.float32)):
            x = torch.rand(n, cin, hw, hw, generator=g, dtype=torch.float64).to(dt)
            w = ((torch.rand(cout, cin, k, k, generator=g, dtype=torch.float64) * 2 - 1) * bound).to(dt).requires_grad_()
            b = ((torch.rand(cout, generator=g, dtype=torch.float64) * 2 - 1) * bound).to(dt).requires_grad_()
            if input_grad:
                x.requires_grad_()

            def step(x=x, w=w, b=b):
                F.conv2d(x, w, b, padding=pad).sum().backward()
                x.grad = None
                w.grad = None
                b.grad = None

            r.run("Conv2d/%s/%s" % (name, dname), step, lambda ns, flops=flops: [(flops / ns, "GFLOP/s")])
