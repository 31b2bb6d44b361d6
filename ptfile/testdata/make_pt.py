"""Writes dtypes.pt and dtypes.json for ptfile/read_test.go: a state_dict (torch.save of
PyTorch 1.13) with a tensor of every storage type, a transposed (non-contiguous) view, a view at
an offset into a shared storage, a scalar and an empty tensor; the .json gives each tensor's
shape and row-major values as torch reports them. Run with /usr/bin/python3 from this folder.
"""
import json
from collections import OrderedDict

import torch

base = torch.arange(12, dtype=torch.float64).reshape(3, 4) / 8 - 0.5
state = OrderedDict()
for dt in (torch.float64, torch.float32, torch.float16, torch.bfloat16, torch.int64, torch.int32,
           torch.int16, torch.int8, torch.uint8, torch.bool):
    state[str(dt).replace("torch.", "")] = (base * 8 + 4).to(dt) if not dt.is_floating_point else base.to(dt)
state["transposed"] = base.t()  # strides (1, 4)
shared = torch.arange(10, dtype=torch.float32)
state["shared_all"] = shared
state["shared_view"] = shared[3:9].view(2, 3)  # offset 3 into the same storage
state["scalar"] = torch.tensor(2.5)
state["empty"] = torch.zeros(0, 3)
torch.save(state, "dtypes.pt")

truth = OrderedDict()
for k, v in state.items():
    vals = v.contiguous().reshape(-1)
    truth[k] = {"shape": list(v.shape),
                "values": [repr(float(x)) for x in vals.double()] if v.is_floating_point() else [int(x) for x in vals.long()]}
with open("dtypes.json", "w") as f:
    json.dump(truth, f, indent=1)
