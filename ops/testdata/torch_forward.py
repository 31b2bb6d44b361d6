"""Writes torch_forward.json: forward-mode reference values from PyTorch 1.13 for
ops/torch_forward_test.go.

Every case names a function defined the same way in the Go test, its inputs, and what PyTorch
computes for it: the Jacobian-vector product by dual numbers (torch.autograd.forward_ad), the
Hessian-vector product and the Hessian (torch.autograd.functional.hvp and .hessian), or the
Jacobian by forward mode (torch.autograd.functional.jacobian, strategy="forward-mode").

Run from the repository root with torch 1.13: python3 ops/testdata/torch_forward.py
"""
import json
import os

import torch
import torch.autograd.forward_ad as fwAD
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
gen = torch.Generator().manual_seed(18)


def signed(*shape):
    return torch.rand(*shape, generator=gen) * 2 - 1


def positive(*shape):
    return torch.rand(*shape, generator=gen) * 1.5 + 0.5


def mlp(x, w1, b1, w2, b2):
    return torch.tanh(torch.sigmoid(x @ w1 + b1) @ w2 + b2)


def elementwise(a, b):
    # b > 0: it is a base of pow and log's operand
    return (F.softplus(a * b) + torch.exp(-a) / b + torch.log(b) * torch.erf(a)
            + torch.pow(b, a) + torch.abs(a) + torch.relu(a) + a ** 3)


def reductions(a):
    s = torch.softmax(a, dim=1)
    return torch.cumsum(s, dim=1) * torch.amax(a, dim=1, keepdim=True) + torch.logsumexp(a, dim=0)


def conv_pool(x, w, b):
    y = F.conv2d(x, w, b, padding=1)
    return F.max_pool2d(torch.relu(y), 2)


def grouped_conv(x, w):
    # two groups: gograd runs these through Im2col and MatMul, not the fused kernel
    return F.conv2d(x, w, None, stride=2, padding=1, groups=2)


IDX = [2, 0, 3, 2]


def indexing(a):
    picked = torch.index_select(a, 0, torch.tensor(IDX))
    return torch.where(picked > 0, picked, 0.5 * picked).transpose(0, 1)


def logistic(w, X, t):
    z = X @ w
    return torch.sum(F.softplus(z) - t * z) + 0.1 * torch.sum(w ** 4)


def wide(x, A):
    # R^3 -> R^9
    return torch.cat([torch.tanh(A @ x), x * x, torch.exp(0.5 * x)])


def xor_net(x, w1, b1, w2, b2, t):
    # the XOR benchmark's network: layers as torch.addmm (gograd's ops.Affine), the loss as
    # F.mse_loss (ops.SumSquaredDiff with c = 1/n, as losses.MSE)
    h = torch.sigmoid(torch.addmm(b1, x, w1))
    return F.mse_loss(torch.sigmoid(torch.addmm(b2, h, w2)), t)


def jvp_case(name, f, inputs, tangents):
    with fwAD.dual_level():
        duals = [fwAD.make_dual(p, t) for p, t in zip(inputs, tangents)]
        out = f(*duals)
        primal, tangent = fwAD.unpack_dual(out)
    return {"name": name, "kind": "jvp", "inputs": [enc(p) for p in inputs],
            "tangents": [enc(t) for t in tangents], "out": enc(primal), "out_tangent": enc(tangent)}


def enc(t):
    return {"shape": list(t.shape), "data": t.detach().reshape(-1).tolist()}


def main():
    cases = []
    x, w1, b1, w2, b2 = signed(4, 3), signed(3, 5), signed(5), signed(5, 2), signed(2)
    ins = [x, w1, b1, w2, b2]
    cases.append(jvp_case("mlp", mlp, ins, [signed(*p.shape) for p in ins]))
    a, b = signed(2, 3), positive(3)
    cases.append(jvp_case("elementwise", elementwise, [a, b], [signed(2, 3), signed(3)]))
    a = signed(3, 4)
    cases.append(jvp_case("reductions", reductions, [a], [signed(3, 4)]))
    ins = [signed(2, 2, 6, 6), signed(3, 2, 3, 3), signed(3)]
    cases.append(jvp_case("conv_pool", conv_pool, ins, [signed(*p.shape) for p in ins]))
    ins = [signed(1, 4, 5, 5), signed(2, 2, 3, 3)]
    cases.append(jvp_case("grouped_conv", grouped_conv, ins, [signed(*p.shape) for p in ins]))
    a = signed(4, 3)
    cases.append(jvp_case("indexing", indexing, [a], [signed(4, 3)]))

    w, X, t = signed(3), signed(5, 3), (torch.rand(5, generator=gen) > 0.5).double()
    v = signed(3)
    f = lambda w: logistic(w, X, t)
    _, hv = torch.autograd.functional.hvp(f, w, v)
    h = torch.autograd.functional.hessian(f, w)
    consts = [enc(X), enc(t)]
    cases.append({"name": "logistic", "kind": "hvp", "inputs": [enc(w)], "consts": consts,
                  "tangents": [enc(v)], "out_tangent": enc(hv)})
    cases.append({"name": "logistic", "kind": "hessian", "inputs": [enc(w)], "consts": consts,
                  "out": enc(h)})

    x, A = signed(3), signed(3, 3)
    j = torch.autograd.functional.jacobian(lambda x: wide(x, A), x, vectorize=True,
                                           strategy="forward-mode")
    cases.append({"name": "wide", "kind": "jacobian", "inputs": [enc(x)], "consts": [enc(A)],
                  "out": enc(j)})

    # Appended last, so that the cases above keep their random inputs.
    ins = [signed(4, 2), signed(2, 4), signed(4), signed(4, 1), signed(1), signed(4, 1)]
    cases.append(jvp_case("xor_net", xor_net, ins, [signed(*p.shape) for p in ins]))
    x, w1, b1, w2, b2, t = ins
    v = signed(2, 4)
    f = lambda w1: xor_net(x, w1, b1, w2, b2, t)
    _, hv = torch.autograd.functional.hvp(f, w1, v)
    h = torch.autograd.functional.hessian(f, w1).reshape(w1.numel(), w1.numel())  # as gograd's
    consts = [enc(x), enc(b1), enc(w2), enc(b2), enc(t)]
    cases.append({"name": "xor_net_w1", "kind": "hvp", "inputs": [enc(w1)], "consts": consts,
                  "tangents": [enc(v)], "out_tangent": enc(hv)})
    cases.append({"name": "xor_net_w1", "kind": "hessian", "inputs": [enc(w1)], "consts": consts,
                  "out": enc(h)})

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_forward.json")
    with open(path, "w") as fh:
        json.dump({"torch": torch.__version__, "cases": cases}, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
