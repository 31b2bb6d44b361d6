#!/usr/bin/python3
"""Reference values of the indexing operations (issue 11) from PyTorch 1.13.

Writes torch_index.json next to this file: for each case its inputs, its parameters, the output
of the operation and the gradient of sum(w * out) with respect to each input, where
w[i] = 1 + 0.1 i over the output in row-major order. Integer outputs (argmax, topk positions)
are given as "out_index". Everything is float64.

Run: /usr/bin/python3 ops/testdata/torch_index.py
"""

import json
import math
import os

import torch

torch.manual_seed(11)
DT = torch.float64


def rand(*shape):
    return torch.randn(*shape, dtype=DT)


def weights(n):
    return torch.tensor([1 + 0.1 * i for i in range(n)], dtype=DT)


CASES = []


def case(name, op, inputs, fn, **params):
    """Run fn on leaf copies of inputs and record the output and the weighted gradients."""
    leaves = [x.clone().requires_grad_(True) for x in inputs]
    out = fn(*leaves)
    rec = {
        "name": name,
        "op": op,
        "params": params,
        "inputs": [{"shape": list(x.shape), "data": x.flatten().tolist()} for x in inputs],
    }
    if isinstance(out, torch.Tensor) and out.dtype == torch.int64:
        rec["out_index"] = {"shape": list(out.shape), "data": out.flatten().tolist()}
        CASES.append(rec)
        return
    if isinstance(out, tuple):  # topk: (values, positions)
        rec["out_index"] = {"shape": list(out[1].shape), "data": out[1].flatten().tolist()}
        out = out[0]
    rec["out"] = {"shape": list(out.shape), "data": out.detach().flatten().tolist()}
    loss = (out.flatten() * weights(out.numel())).sum()
    grads = torch.autograd.grad(loss, leaves, allow_unused=True)
    rec["grads"] = [None if g is None else g.flatten().tolist() for g in grads]
    CASES.append(rec)


def ix(data):
    return torch.tensor(data, dtype=torch.int64)


# Gather and ScatterAdd (repeated positions, an index smaller than the operand).
gi = [[2, 0], [1, 1], [3, 3]]
case("gather ax1", "gather", [rand(3, 4)], lambda x: torch.gather(x, 1, ix(gi)), axis=1, index=sum(gi, []), index_shape=[3, 2])
gi0 = [[2, 0, 2, 1], [0, 0, 1, 2]]
case("gather ax0", "gather", [rand(3, 4)], lambda x: torch.gather(x, 0, ix(gi0)), axis=0, index=sum(gi0, []), index_shape=[2, 4])
case("scatter_add ax1", "scatter_add", [rand(3, 4), rand(3, 2)],
     lambda a, s: a.scatter_add(1, ix(gi), s), axis=1, index=sum(gi, []), index_shape=[3, 2])
case("scatter_add ax0", "scatter_add", [rand(3, 4), rand(2, 4)],
     lambda a, s: a.scatter_add(0, ix(gi0), s), axis=0, index=sum(gi0, []), index_shape=[2, 4])

# IndexSelect, the embedding lookup (a matrix of positions), IndexAdd, Take.
vi = [4, 0, 4, 2, 4]
case("index_select ax0", "index_select", [rand(5, 3)], lambda x: torch.index_select(x, 0, ix(vi)), axis=0, index=vi, index_shape=[5])
case("index_select ax1", "index_select", [rand(2, 5, 2)], lambda x: torch.index_select(x, 1, ix(vi)), axis=1, index=vi, index_shape=[5])
ei = [[1, 3, 1], [0, 4, 4]]
case("embedding", "index_select", [rand(5, 3)], lambda w: torch.nn.functional.embedding(ix(ei), w), axis=0, index=sum(ei, []), index_shape=[2, 3])
case("index_add ax0", "index_add", [rand(5, 3), rand(5, 3)], lambda a, s: a.index_add(0, ix(vi), s), axis=0, index=vi, index_shape=[5])
case("index_add ax1", "index_add", [rand(2, 5, 2), rand(2, 5, 2)], lambda a, s: a.index_add(1, ix(vi), s), axis=1, index=vi, index_shape=[5])
ti = [[11, 0], [5, 5]]
case("take", "take", [rand(3, 4)], lambda x: torch.take(x, ix(ti)), index=sum(ti, []), index_shape=[2, 2])


# General slicing. Negative steps, which torch's slicing lacks, go through index_select with the
# positions of Python's slice.indices.
def sliced(x, ranges):
    for axis, start, stop, step in ranges:
        sl = slice(start, stop, step)
        pos = list(range(*sl.indices(x.shape[axis])))
        x = torch.index_select(x, axis, ix(pos))
    return x


SLICES = [
    ("slice 1:6:2", [7], [[0, 1, 6, 2]]),
    ("slice -1::-3", [7], [[0, -1, None, -3]]),
    ("slice clamped", [7], [[0, -100, 100, 1]]),
    ("slice 2 axes", [4, 5], [[0, 1, None, 1], [1, 4, 0, -2]]),
    ("slice 3-d", [3, 4, 5], [[2, 0, None, 2], [0, -2, -1, 1]]),
]
for name, shape, rs in SLICES:
    case(name, "slice", [rand(*shape)], lambda x, rs=rs: sliced(x, rs), ranges=rs)
# The same with torch's own slicing where it applies (positive steps).
case("slice torch [1:, ::2]", "slice", [rand(4, 5)], lambda x: x[1:, ::2], ranges=[[0, 1, None, 1], [1, 0, None, 2]])

# Rearrangements.
case("flip all", "flip", [rand(2, 3, 4)], lambda x: torch.flip(x, [0, 1, 2]), axes=[])
case("flip 0,-1", "flip", [rand(2, 3, 4)], lambda x: torch.flip(x, [0, -1]), axes=[0, -1])
for ax in range(3):
    case("cumsum ax%d" % ax, "cumsum", [rand(2, 3, 4)], lambda x, ax=ax: torch.cumsum(x, ax), axis=ax)
case("stack ax1", "stack", [rand(2, 3), rand(2, 3)], lambda a, b: torch.stack([a, b, a], 1), axis=1)
case("split [2,0,3] piece 2", "split", [rand(2, 5)], lambda x: torch.split(x, [2, 0, 3], 1)[2], axis=1, sizes=[2, 0, 3], piece=2)
case("chunk 7/3 piece 2", "chunk", [rand(7, 2)], lambda x: torch.chunk(x, 3, 0)[2], axis=0, n=3, piece=2)
case("chunk 5/4 count", "chunk_count", [rand(5)], lambda x: torch.cat(torch.chunk(x, 4, 0)), axis=0, n=4, count=len(torch.chunk(torch.zeros(5), 4, 0)))
case("squeeze", "squeeze", [rand(1, 3, 1)], lambda x: torch.squeeze(x), axes=[])
case("squeeze ax0,1", "squeeze", [rand(1, 3, 1)], lambda x: torch.squeeze(torch.squeeze(x, 1), 0), axes=[0, 1])
case("unsqueeze -1", "unsqueeze", [rand(2, 3)], lambda x: torch.unsqueeze(x, -1), axis=-1)
case("expand", "expand", [rand(3, 1)], lambda x: x.expand(2, -1, 4), shape=[2, -1, 4])
case("repeat", "repeat", [rand(2, 3)], lambda x: x.repeat(2, 1, 2), reps=[2, 1, 2])
case("tile", "tile", [rand(2, 3)], lambda x: torch.tile(x, (3,)), reps=[3])
case("roll -5", "roll", [rand(3, 4)], lambda x: torch.roll(x, -5, 1), shift=-5, axis=1)
case("roll 2 ax0", "roll", [rand(3, 4)], lambda x: torch.roll(x, 2, 0), shift=2, axis=0)
case("tril 0", "tril", [rand(2, 3, 4)], lambda x: torch.tril(x, 0), k=0)
case("tril -1", "tril", [rand(4, 3)], lambda x: torch.tril(x, -1), k=-1)
case("triu 1", "triu", [rand(3, 4)], lambda x: torch.triu(x, 1), k=1)
case("masked_fill", "masked_fill", [rand(3, 4)], lambda x: x.masked_fill(x > 0, -2.0), value=-2.0)

# Positions: argmax, argmin, topk.
am = rand(3, 4)
am[1, 2] = am[1, 0] = 5.0  # a tie: the first position wins
case("argmax ax1", "argmax", [am], lambda x: torch.argmax(x, 1), axis=1)
case("argmin ax0", "argmin", [rand(3, 4)], lambda x: torch.argmin(x, 0), axis=0)
case("topk 2 ax1", "topk", [rand(3, 5)], lambda x: torch.topk(x, 2, 1), k=2, axis=1)
case("topk 3 ax0", "topk", [rand(4, 2)], lambda x: torch.topk(x, 3, 0), k=3, axis=0)

# Statistics and norms.
case("var c1", "var", [rand(3, 4)], lambda x: torch.var(x, (0, 1), correction=1), correction=1, axes=[])
case("var c0 ax1", "var", [rand(3, 4)], lambda x: torch.var(x, (1,), correction=0), correction=0, axes=[1])
case("std c1 ax0,2", "std", [rand(2, 3, 4)], lambda x: torch.std(x, (0, 2), correction=1), correction=1, axes=[0, 2])
case("std c2 ax1", "std", [rand(3, 4)], lambda x: torch.std(x, (1,), correction=2), correction=2, axes=[1])
case("norm 1 ax1", "norm", [rand(3, 4)], lambda x: torch.linalg.vector_norm(x, 1, 1), p="1", axes=[1])
case("norm 2", "norm", [rand(3, 4)], lambda x: torch.linalg.vector_norm(x, 2), p="2", axes=[])
case("norm inf ax0", "norm", [rand(3, 4)], lambda x: torch.linalg.vector_norm(x, math.inf, 0), p="inf", axes=[0])

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_index.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": CASES}, f, indent=None, separators=(",", ":"))
    f.write("\n")
print("wrote %d cases to %s" % (len(CASES), out))
