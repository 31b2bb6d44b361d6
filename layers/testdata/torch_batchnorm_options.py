#!/usr/bin/python3
"""Reference values of PyTorch 1.13 for BatchNorm's options and num_batches_tracked.

Writes torch_batchnorm_options.json next to this file: for nn.BatchNorm1d and nn.BatchNorm2d with
affine=False and/or track_running_stats=False or momentum=None, the training inputs of several steps, the last
step's output and the gradient of loss = sum(output * r) for a fixed random r with respect to the
input (and the parameters, when affine), the buffers after the steps (running statistics and
num_batches_tracked, when tracked), the output and input gradient in evaluation mode after them,
and the state_dict's keys with their dtypes.

Run with the system interpreter: /usr/bin/python3 layers/testdata/torch_batchnorm_options.py
"""

import json
import os

import torch

torch.manual_seed(23)
F64 = torch.float64


def flat(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def rand(*shape):
    return torch.rand(*shape, dtype=F64) * 4 - 2


def grads(y, leaves):
    r = rand(*y.shape)
    (y * r).sum().backward()
    return r, [l.grad.clone() for l in leaves]


def case(name, cls, shape, affine, track, steps=3, momentum=0.1):
    c = shape[1]
    bn = cls(c, affine=affine, track_running_stats=track, momentum=momentum).to(F64)
    params = []
    if affine:
        with torch.no_grad():  # away from the ones and zeros of the initial state
            bn.weight.copy_(rand(c))
            bn.bias.copy_(rand(c))
        params = [bn.weight, bn.bias]
    bn.train()
    xs = [rand(*shape) for _ in range(steps)]
    for x in xs[:-1]:  # earlier steps: only the running statistics matter
        bn(x)
    x = xs[-1].clone().requires_grad_()
    y = bn(x)
    r, gs = grads(y, [x] + params)
    out = {
        "name": name, "shape": list(shape), "affine": affine, "track": track,
        "momentum": bn.momentum, "cumulative": bn.momentum is None, "eps": bn.eps,
        "train_inputs": [flat(v) for v in xs], "r": flat(r), "y": flat(y), "grad_x": flat(gs[0]),
        "state_dict": [[k, str(v.dtype).replace("torch.", "")] for k, v in bn.state_dict().items()],
    }
    if affine:
        out.update(weight=flat(bn.weight), bias=flat(bn.bias), grad_weight=flat(gs[1]), grad_bias=flat(gs[2]))
    if track:
        out.update(running_mean=flat(bn.running_mean), running_var=flat(bn.running_var),
                   num_batches_tracked=int(bn.num_batches_tracked))
    bn.eval()
    xe = rand(*shape).requires_grad_()
    ye = bn(xe)
    re, (gxe,) = grads(ye, [xe])
    out.update(eval_x=flat(xe), eval_r=flat(re), eval_y=flat(ye), eval_grad_x=flat(gxe))
    if track:  # evaluation leaves the buffers alone
        assert int(bn.num_batches_tracked) == steps
    return out


def main():
    out = {
        "torch": torch.__version__,
        "batch_norm": [
            case("1d_nc_no_affine", torch.nn.BatchNorm1d, (6, 3), False, True),
            case("2d_no_affine", torch.nn.BatchNorm2d, (3, 2, 4, 3), False, True),
            case("1d_ncl_no_stats", torch.nn.BatchNorm1d, (4, 3, 5), True, False),
            case("2d_no_stats", torch.nn.BatchNorm2d, (2, 3, 3, 2), True, False),
            case("1d_nc_neither", torch.nn.BatchNorm1d, (5, 4), False, False),
            case("2d_default", torch.nn.BatchNorm2d, (3, 2, 2, 3), True, True, steps=4),
            case("1d_cumulative", torch.nn.BatchNorm1d, (5, 3), True, True, steps=4, momentum=None),
            case("2d_cumulative", torch.nn.BatchNorm2d, (3, 2, 2, 3), False, True, steps=5, momentum=None),
        ],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_batchnorm_options.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
