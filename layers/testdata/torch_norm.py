#!/usr/bin/python3
"""Reference values of PyTorch 1.13 for the normalisation layers of package layers.

Writes torch_norm.json next to this file: for each case the inputs, the parameters, the output,
and the gradients of loss = sum(output * r) for a fixed random r, all flattened row-major with
their shapes. BatchNorm cases also hold the running statistics after several training steps and
the output in evaluation mode after them.

Run with the system interpreter: /usr/bin/python3 layers/testdata/torch_norm.py
"""

import json
import os

import torch

torch.manual_seed(11)
F64 = torch.float64


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def rand(*shape, dt=F64):
    return (torch.rand(*shape, dtype=F64) * 4 - 2).to(dt)


def grads(y, leaves):
    r = rand(*y.shape, dt=y.dtype)
    (y * r).sum().backward()
    return r, [l.grad.clone() for l in leaves]


def layer_norm_case(name, shape, norm_shape, dt=F64):
    x = rand(*shape, dt=dt).requires_grad_()
    ln = torch.nn.LayerNorm(norm_shape).to(dt)
    with torch.no_grad():  # away from the ones and zeros of the initial state
        ln.weight.copy_(rand(*norm_shape, dt=dt))
        ln.bias.copy_(rand(*norm_shape, dt=dt))
    y = ln(x)
    r, (gx, gw, gb) = grads(y, [x, ln.weight, ln.bias])
    return {
        "name": name, "dtype": str(dt).replace("torch.", ""), "shape": list(shape),
        "norm_shape": list(norm_shape), "eps": ln.eps,
        "x": flat(x), "weight": flat(ln.weight), "bias": flat(ln.bias), "r": flat(r),
        "y": flat(y), "grad_x": flat(gx), "grad_weight": flat(gw), "grad_bias": flat(gb),
    }


def rms_norm_case(name, shape, norm_shape, eps):
    """torch 1.13 has no nn.RMSNorm: the formula of torch 2's, with its eps=None meaning the
    machine epsilon of the dtype."""
    x = rand(*shape).requires_grad_()
    w = rand(*norm_shape).requires_grad_()
    e = torch.finfo(F64).eps if eps is None else eps
    dims = tuple(range(-len(norm_shape), 0))
    y = x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + e) * w
    r, (gx, gw) = grads(y, [x, w])
    return {
        "name": name, "dtype": "float64", "shape": list(shape), "norm_shape": list(norm_shape),
        "eps": 0.0 if eps is None else eps,
        "x": flat(x), "weight": flat(w), "r": flat(r), "y": flat(y),
        "grad_x": flat(gx), "grad_weight": flat(gw),
    }


def batch_norm_case(name, cls, shape, steps=3):
    c = shape[1]
    bn = cls(c).to(F64)
    with torch.no_grad():
        bn.weight.copy_(rand(c))
        bn.bias.copy_(rand(c))
    bn.train()
    xs = [rand(*shape) for _ in range(steps)]
    for x in xs[:-1]:  # earlier steps: only the running statistics matter
        bn(x)
    x = xs[-1].clone().requires_grad_()
    y = bn(x)
    r, (gx, gw, gb) = grads(y, [x, bn.weight, bn.bias])
    bn.eval()
    xe = rand(*shape).requires_grad_()
    ye = bn(xe)
    re, (gxe,) = grads(ye, [xe])
    return {
        "name": name, "shape": list(shape), "momentum": bn.momentum, "eps": bn.eps,
        "weight": flat(bn.weight), "bias": flat(bn.bias),
        "train_inputs": [flat(v) for v in xs], "r": flat(r),
        "y": flat(y), "grad_x": flat(gx), "grad_weight": flat(gw), "grad_bias": flat(gb),
        "running_mean": flat(bn.running_mean), "running_var": flat(bn.running_var),
        "num_batches_tracked": int(bn.num_batches_tracked),
        "eval_x": flat(xe), "eval_r": flat(re), "eval_y": flat(ye), "eval_grad_x": flat(gxe),
    }


def main():
    out = {
        "torch": torch.__version__,
        "layer_norm": [
            layer_norm_case("rows", (3, 5), (5,)),
            layer_norm_case("two_axes", (2, 3, 4), (3, 4)),
            layer_norm_case("rows_f32", (4, 6), (6,), dt=torch.float32),
        ],
        "rms_norm": [
            rms_norm_case("rows_default_eps", (3, 5), (5,), None),
            rms_norm_case("two_axes_eps", (2, 3, 4), (3, 4), 1e-3),
        ],
        "batch_norm": [
            batch_norm_case("1d_nc", torch.nn.BatchNorm1d, (6, 3)),
            batch_norm_case("1d_ncl", torch.nn.BatchNorm1d, (4, 3, 5)),
            batch_norm_case("2d", torch.nn.BatchNorm2d, (3, 2, 4, 3)),
        ],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_norm.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
