"""Writes torch_conv.json: PyTorch 1.13 values and gradients of the convolutions and pools, the
reference for ops/conv_torch_test.go.

Run from this folder with /usr/bin/python3 torch_conv.py. Each case draws its inputs and an upstream
gradient from a seeded generator in float64, runs the torch.nn.functional op, and records the
inputs, the output and the gradient of sum(output * upstream) with respect to every input.
"""
import json

import torch
import torch.nn.functional as F

torch.manual_seed(10)


def arr(t):
    return {"shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def case(name, op, params, shapes, fn):
    inputs = {k: torch.randn(*s, dtype=torch.float64, requires_grad=True) for k, s in shapes.items()}
    y = fn(**inputs)
    g = torch.randn(*y.shape, dtype=torch.float64)
    grads = torch.autograd.grad((y * g).sum(), list(inputs.values()))
    return {
        "name": name,
        "op": op,
        "params": params,
        "inputs": {k: arr(v) for k, v in inputs.items()},
        "upstream": arr(g),
        "output": arr(y),
        "grads": {k: arr(d) for k, d in zip(inputs, grads)},
    }


def conv2d(name, x, w, bias, stride, padding, dilation, groups):
    shapes = {"x": x, "weight": w}
    if bias:
        shapes["bias"] = [w[0]]
    p = dict(stride=stride, padding=padding, dilation=dilation, groups=groups)
    return case(name, "conv2d", p, shapes,
                lambda x, weight, bias=None: F.conv2d(x, weight, bias, stride, padding, dilation, groups))


def conv1d(name, x, w, bias, stride, padding, dilation, groups):
    shapes = {"x": x, "weight": w}
    if bias:
        shapes["bias"] = [w[0]]
    p = dict(stride=[stride], padding=[padding], dilation=[dilation], groups=groups)
    return case(name, "conv1d", p, shapes,
                lambda x, weight, bias=None: F.conv1d(x, weight, bias, stride, padding, dilation, groups))


def convt(name, x, w, stride, padding, output_padding, dilation, groups):
    shapes = {"x": x, "weight": w, "bias": [w[1] * groups]}
    p = dict(stride=stride, padding=padding, output_padding=output_padding, dilation=dilation, groups=groups)
    return case(name, "conv_transpose2d", p, shapes,
                lambda x, weight, bias: F.conv_transpose2d(x, weight, bias, stride, padding, output_padding, groups, dilation))


def maxpool(name, x, kernel, stride, padding, dilation):
    p = dict(kernel=kernel, stride=stride, padding=padding, dilation=dilation)
    return case(name, "max_pool2d", p, {"x": x},
                lambda x: F.max_pool2d(x, kernel, stride, padding, dilation))


def avgpool(name, x, kernel, stride, padding):
    p = dict(kernel=kernel, stride=stride, padding=padding)
    return case(name, "avg_pool2d", p, {"x": x},
                lambda x: F.avg_pool2d(x, kernel, stride, padding))


def adaptive(name, x, out):
    return case(name, "adaptive_avg_pool2d", dict(out=out), {"x": x},
                lambda x: F.adaptive_avg_pool2d(x, out))


def flatten(name, x, start):
    return case(name, "flatten", dict(start=start), {"x": x}, lambda x: torch.flatten(x, start))


cases = [
    conv2d("conv2d", [2, 3, 6, 6], [4, 3, 3, 3], True, [1, 1], [0, 0], [1, 1], 1),
    conv2d("conv2d stride 2 padding 1", [2, 2, 7, 6], [3, 2, 3, 3], True, [2, 2], [1, 1], [1, 1], 1),
    conv2d("conv2d dilation 2 no bias", [1, 2, 8, 7], [3, 2, 3, 3], False, [1, 1], [1, 1], [2, 2], 1),
    conv2d("conv2d rectangular", [2, 2, 6, 7], [3, 2, 2, 3], True, [2, 1], [1, 0], [1, 2], 1),
    conv2d("conv2d groups 2", [2, 4, 5, 5], [6, 2, 3, 3], True, [1, 1], [1, 1], [1, 1], 2),
    conv2d("conv2d depthwise", [2, 3, 6, 6], [3, 1, 3, 3], True, [1, 1], [1, 1], [1, 1], 3),
    conv2d("conv2d depthwise multiplier 2", [1, 3, 5, 6], [6, 1, 3, 3], False, [2, 2], [1, 1], [1, 1], 3),
    conv2d("conv2d 1x1", [2, 4, 3, 5], [3, 4, 1, 1], True, [1, 1], [0, 0], [1, 1], 1),
    conv2d("conv2d mnist-like", [2, 1, 10, 10], [4, 1, 3, 3], True, [1, 1], [0, 0], [1, 1], 1),
    conv1d("conv1d", [2, 3, 9], [4, 3, 3], True, 2, 1, 2, 1),
    conv1d("conv1d groups 3 no bias", [2, 3, 7], [6, 1, 2], False, 1, 0, 1, 3),
    convt("conv_transpose2d", [2, 3, 4, 4], [3, 2, 3, 3], [1, 1], [0, 0], [0, 0], [1, 1], 1),
    convt("conv_transpose2d stride 2 padding 1 output padding 1", [2, 2, 3, 4], [2, 3, 3, 3], [2, 2], [1, 1], [1, 1], [1, 1], 1),
    convt("conv_transpose2d groups 2 dilation 2", [1, 4, 3, 3], [4, 2, 2, 2], [1, 2], [0, 1], [0, 1], [2, 2], 2),
    convt("conv_transpose2d output padding from dilation", [1, 2, 3, 3], [2, 2, 2, 2], [1, 1], [1, 1], [1, 1], [2, 2], 1),
    maxpool("max_pool2d", [2, 3, 6, 6], [2, 2], [2, 2], [0, 0], [1, 1]),
    maxpool("max_pool2d padding 1 stride 2", [2, 2, 7, 6], [3, 3], [2, 2], [1, 1], [1, 1]),
    maxpool("max_pool2d dilation", [1, 2, 7, 8], [2, 3], [1, 2], [1, 1], [2, 1]),
    avgpool("avg_pool2d", [2, 3, 6, 6], [2, 2], [2, 2], [0, 0]),
    avgpool("avg_pool2d padding 1", [2, 2, 7, 6], [3, 3], [2, 1], [1, 1]),
    adaptive("adaptive_avg_pool2d 1x1", [2, 3, 5, 4], [1, 1]),
    adaptive("adaptive_avg_pool2d 3x2", [2, 2, 7, 5], [3, 2]),
    flatten("flatten 1", [2, 3, 2, 2], 1),
    flatten("flatten 2", [2, 3, 2, 2], 2),
]

with open("torch_conv.json", "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases}, f, indent=None)
    f.write("\n")
