#!/usr/bin/python3
"""Reference values of layers.Embedding from PyTorch 1.13's nn.Embedding.

Writes torch_embedding.json next to this file. A table of 6 rows of dimension 3 with padding
row 2 looks up a (2, 4) batch of positions with repeats and padding; the loss is
sum(w * out) with w[i] = 1 + 0.1 i over the output in row-major order. Recorded: the table, the
positions, the output, the table's gradient, and the table after one optim.SGD step of lr 0.1,
dense (sparse=False) and sparse (sparse=True), which must agree.

Run: /usr/bin/python3 layers/testdata/torch_embedding.py
"""

import json
import os

import torch

torch.manual_seed(11)
V, D, PAD, LR = 6, 3, 2, 0.1
idx = torch.tensor([[1, 2, 5, 1], [0, 1, 2, 3]])
init = torch.randn(V, D, dtype=torch.float64)
init[PAD] = 0


def run(sparse):
    emb = torch.nn.Embedding(V, D, padding_idx=PAD, sparse=sparse, dtype=torch.float64)
    with torch.no_grad():
        emb.weight.copy_(init)
    opt = torch.optim.SGD(emb.parameters(), lr=LR)
    out = emb(idx)
    w = torch.tensor([1 + 0.1 * i for i in range(out.numel())], dtype=torch.float64)
    loss = (out.flatten() * w).sum()
    loss.backward()
    grad = emb.weight.grad.to_dense() if sparse else emb.weight.grad
    opt.step()
    return out.detach(), grad, emb.weight.detach().clone()


out, grad, dense_after = run(False)
out_s, grad_s, sparse_after = run(True)
assert torch.equal(out, out_s) and torch.allclose(grad, grad_s) and torch.allclose(dense_after, sparse_after)
rec = {
    "torch": torch.__version__,
    "v": V, "d": D, "padding": PAD, "lr": LR,
    "weight": init.flatten().tolist(),
    "index": idx.flatten().tolist(), "index_shape": list(idx.shape),
    "out": out.flatten().tolist(), "out_shape": list(out.shape),
    "grad": grad.flatten().tolist(),
    "after_sgd": dense_after.flatten().tolist(),
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_embedding.json")
with open(path, "w") as f:
    json.dump(rec, f)
    f.write("\n")
print("wrote", path)
