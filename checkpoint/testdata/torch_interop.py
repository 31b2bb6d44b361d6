"""Fixtures for checkpoint/torch_interop_test.go: PyTorch 1.13 models whose weights gograd loads.

Run from this folder with /usr/bin/python3 (Debian's python3-torch). For a small MLP and a small
CNN, trained a few steps so that no weight is at its initial value, in float32 and float64, it
writes the state_dict as torch_interop_NET_DTYPE.safetensors (written by hand with struct and
json: the safetensors package is not needed), .pt (torch.save) and .npz (numpy.savez), and fixed inputs with
torch's outputs in torch_interop_NET_DTYPE_io.npz (arrays "x" and "y").

With an argument DIR, it checks the other direction instead: it loads the files a Go test wrote
to DIR (see check below) into the same torch models and compares outputs.
"""
import json
import struct
import sys

import numpy as np
import torch
from torch import nn


def mlp():
    return nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))


def cnn():
    return nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(36, 5))


NETS = {"mlp": (mlp, (5, 4)), "cnn": (cnn, (3, 2, 6, 6))}
DTYPES = {"f32": torch.float32, "f64": torch.float64}
SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float64: "F64"}


def save_safetensors(path, state):
    header, blobs, at = {"__metadata__": {"format": "pt"}}, [], 0
    for name, t in state.items():
        b = t.detach().contiguous().numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": SAFETENSORS_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [at, at + len(b)]}
        blobs.append(b)
        at += len(b)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    header.pop("__metadata__", None)
    np_types = {"F32": "<f4", "F64": "<f8", "I64": "<i8"}
    out = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        a = np.frombuffer(data[8 + n + b : 8 + n + end], dtype=np_types[e["dtype"]]).reshape(e["shape"])
        out[name] = torch.from_numpy(a.copy())
    return out


def trained(net, in_shape, dtype):
    torch.manual_seed(7)
    m = NETS[net][0]().to(dtype)
    opt = torch.optim.SGD(m.parameters(), lr=0.1)
    for _ in range(3):
        x = torch.randn(in_shape, dtype=dtype)
        loss = (m(x) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return m


def fixtures():
    for net, (_, in_shape) in NETS.items():
        for dname, dtype in DTYPES.items():
            m = trained(net, in_shape, dtype).eval()
            base = f"torch_interop_{net}_{dname}"
            state = m.state_dict()
            save_safetensors(base + ".safetensors", state)
            torch.save(state, base + ".pt")
            np.savez(base + ".npz", **{k: v.numpy() for k, v in state.items()})
            torch.manual_seed(11)
            x = torch.randn(in_shape, dtype=dtype)
            with torch.no_grad():
                y = m(x)
            np.savez(base + "_io.npz", x=x.numpy(), y=y.numpy())


def check(folder):
    """Loads DIR/NET_DTYPE.{safetensors,npz} (written by gograd's Save) into torch with
    load_state_dict(strict=True) and compares torch's outputs on DIR/NET_DTYPE_io.npz's x with
    gograd's y: to 1e-6 in float32 and 1e-12 in float64."""
    for net, (make, _) in NETS.items():
        for dname, dtype in DTYPES.items():
            io = np.load(f"{folder}/{net}_{dname}_io.npz")
            x, y = torch.from_numpy(io["x"]), torch.from_numpy(io["y"])
            for ext in ("safetensors", "npz"):
                path = f"{folder}/{net}_{dname}.{ext}"
                if ext == "npz":
                    state = {k: torch.from_numpy(v) for k, v in np.load(path).items()}
                else:
                    state = load_safetensors(path)
                m = make().to(dtype).eval()
                m.load_state_dict(state, strict=True)
                with torch.no_grad():
                    got = m(x)
                tol = 1e-6 if dtype == torch.float32 else 1e-12
                err = (got - y).abs().max().item()
                if got.dtype != dtype or err > tol:
                    sys.exit(f"{path}: torch's output differs from gograd's by {err} (dtype {got.dtype}); tolerance {tol}")
                print(f"{path}: ok, max difference {err:.3g}")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        check(sys.argv[1])
    else:
        fixtures()
