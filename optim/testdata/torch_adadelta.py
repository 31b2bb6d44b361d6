"""Writes torch_adadelta.json: parameters after each of five steps of
torch.optim.Adadelta and torch.optim.Adagrad (PyTorch 1.13), in float64 and
float32, fed fixed gradients, with the final state. optim's tests replay
the same gradients and compare.

Run: /usr/bin/python3 optim/testdata/torch_adadelta.py
"""
import json
import os

import torch

torch.manual_seed(0)
p0 = torch.randn(2, 3, dtype=torch.float64)
grads = [torch.randn(2, 3, dtype=torch.float64) for _ in range(5)]

cases = [
    ("Adadelta", torch.optim.Adadelta, {"lr": 1.0}, {}),
    ("Adadelta", torch.optim.Adadelta, {"lr": 0.5, "rho": 0.95, "eps": 1e-5, "weight_decay": 0.1}, {}),
    ("Adagrad", torch.optim.Adagrad, {"lr": 0.01}, {}),
    ("Adagrad", torch.optim.Adagrad, {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.1,
                                       "initial_accumulator_value": 0.2, "eps": 1e-8}, {}),
]
out = {"torch": torch.__version__, "p0": p0.flatten().tolist(), "shape": list(p0.shape),
       "grads": [g.flatten().tolist() for g in grads], "cases": []}
for name, cls, cfg, _ in cases:
    for dtype in (torch.float64, torch.float32):
        p = torch.nn.Parameter(p0.clone().to(dtype))
        opt = cls([p], **cfg)
        steps = []
        for g in grads:
            p.grad = g.clone().to(dtype)
            opt.step()
            steps.append(p.detach().to(torch.float64).flatten().tolist())
        st = opt.state[p]
        state = {k: (v.to(torch.float64).flatten().tolist()
                     if torch.is_tensor(v) and v.dim() > 0 else [float(v)])
                 for k, v in st.items()}
        out["cases"].append({"optimizer": name, "config": cfg,
                             "dtype": "float64" if dtype == torch.float64 else "float32",
                             "steps": steps, "state": state})

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_adadelta.json"), "w") as f:
    json.dump(out, f, indent=1)
