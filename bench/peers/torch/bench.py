#!/usr/bin/python3
"""PyTorch (Debian python3-torch 1.13) peer benchmarks, plus the numpy/OpenBLAS
reference GEMM.

Same five workloads as the Go suites (bench/README.md). Output is in Go
benchmark format, one line per benchmark, so that bench/cmd/benchtable and
benchstat parse it like `go test -bench` output:

    BenchmarkMLPStep/f64-2   \t    1000\t    940000 ns/op

Each benchmark is warmed up, then run for N iterations where N is chosen so
that the timed loop takes at least --benchtime seconds (default 1), timed with
time.perf_counter. Threads: torch.set_num_threads(2) (also caps the OpenMP
pool that OpenBLAS-openmp uses).

Run with the system interpreter: /usr/bin/python3 bench/peers/torch/bench.py
"""

import argparse
import math
import os
import platform
import re
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

import activation  # bench/peers/torch/activation.py
import cnn  # bench/peers/torch/cnn.py
import conv  # bench/peers/torch/conv.py
import norm  # bench/peers/torch/norm.py
from index import WORKLOADS as INDEX_WORKLOADS  # bench/peers/torch/index.py
from seq import WORKLOADS as SEQ_WORKLOADS  # bench/peers/torch/seq.py

THREADS = 2


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


class Runner:
    def __init__(self, pattern, benchtime):
        self.pattern = re.compile(pattern)
        self.benchtime = benchtime

    def run(self, name, step, metrics=None):
        """Time step() and print one Go-format line.

        metrics(ns_per_op) returns a list of (value, unit) pairs.
        """
        if not self.pattern.search(name):
            return
        # warm-up: at least 3 calls and ~0.2 s
        t0 = time.perf_counter()
        calls = 0
        while calls < 3 or time.perf_counter() - t0 < 0.2:
            step()
            calls += 1
        per_call = (time.perf_counter() - t0) / calls
        n = max(1, int(math.ceil(self.benchtime / max(per_call, 1e-9))))
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        elapsed = time.perf_counter() - t0
        ns = elapsed * 1e9 / n
        cols = ["%d ns/op" % round(ns) if ns >= 100 else "%.2f ns/op" % ns]
        for value, unit in (metrics(ns) if metrics else []):
            cols.append("%.4g %s" % (value, unit))
        line = "Benchmark%s-%d\t%8d\t%s" % (name, THREADS, n, "\t".join("%12s" % c for c in cols))
        print(line, flush=True)


DTYPES = [("f64", torch.float64), ("f32", torch.float32)]
MAT_SIZES = [64, 256, 512, 1024]


def scalar_chain(r):
    nodes = 1000
    a = torch.tensor(0.999, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(0.001, dtype=torch.float64, requires_grad=True)
    x0 = torch.tensor(1.0, dtype=torch.float64)

    def step():
        x = x0
        for _ in range(nodes // 2):
            x = x * a
            x = x + b
        x.backward()
        a.grad = None
        b.grad = None

    r.run("ScalarChain", step, lambda ns: [(ns / nodes, "ns/node")])


def elementwise(r):
    g = torch.Generator().manual_seed(1)
    for n in (1000, 100000, 1000000):
        for dname, dt in DTYPES:
            x = (torch.rand(n, generator=g, dtype=torch.float64) * 2 - 1).to(dt)
            w = (torch.rand(n, generator=g, dtype=torch.float64) * 2 - 1).to(dt).requires_grad_()
            b = (torch.rand(n, generator=g, dtype=torch.float64) * 2 - 1).to(dt).requires_grad_()

            def step(x=x, w=w, b=b):
                loss = torch.sigmoid(x * w + b).sum()
                loss.backward()
                w.grad = None
                b.grad = None

            r.run("Elementwise/n=%d/%s" % (n, dname), step, lambda ns, n=n: [(ns / n, "ns/elem")])


def gflops(flops):
    return lambda ns: [(flops / ns, "GFLOP/s")]


def matmul(r):
    g = torch.Generator().manual_seed(1)
    for n in MAT_SIZES:
        for dname, dt in DTYPES:
            A = (torch.rand(n, n, generator=g, dtype=torch.float64) * 2 - 1).to(dt)
            B = (torch.rand(n, n, generator=g, dtype=torch.float64) * 2 - 1).to(dt)

            def step(A=A, B=B):
                return A @ B

            r.run("MatMul/n=%d/%s" % (n, dname), step, gflops(2.0 * n ** 3))


def matmul_fwd_bwd(r):
    g = torch.Generator().manual_seed(1)
    for n in MAT_SIZES:
        for dname, dt in DTYPES:
            A = (torch.rand(n, n, generator=g, dtype=torch.float64) * 2 - 1).to(dt).requires_grad_()
            B = (torch.rand(n, n, generator=g, dtype=torch.float64) * 2 - 1).to(dt).requires_grad_()

            def step(A=A, B=B):
                (A @ B).sum().backward()
                A.grad = None
                B.grad = None

            r.run("MatMulFwdBwd/n=%d/%s" % (n, dname), step, gflops(6.0 * n ** 3))


def make_mlp(sizes, act, dt):
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
        lin = torch.nn.Linear(fan_in, fan_out)
        torch.nn.init.xavier_uniform_(lin.weight)  # Glorot uniform
        torch.nn.init.zeros_(lin.bias)
        layers.append(lin)
        if act is not None and (i < len(sizes) - 2 or act == "sigmoid-all"):
            layers.append(torch.nn.Sigmoid() if act.startswith("sigmoid") else torch.nn.ReLU())
    return torch.nn.Sequential(*layers).to(dt)


def mlp_step(r):
    batch, n_in, n_hid, n_out = 64, 784, 256, 10
    for dname, dt in DTYPES:
        torch.manual_seed(42)
        model = make_mlp([n_in, n_hid, n_out], "relu", dt)
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        x = torch.rand(batch, n_in, dtype=torch.float64).to(dt)
        y = torch.randint(0, n_out, (batch,))

        def step(model=model, opt=opt, x=x, y=y):
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            return loss

        r.run("MLPStep/" + dname, step)
        r.run("MLPStepFused/" + dname, step)  # torch fuses nothing: the peer of gograd's opt-in fused SGD is its plain step
        if not torch.isfinite(step()).item():
            sys.exit("MLPStep/%s: loss is not finite" % dname)


def xor_step(r):
    torch.manual_seed(42)
    dt = torch.float64
    model = make_mlp([2, 4, 1], "sigmoid-all", dt)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    x = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=dt)
    y = torch.tensor([[0], [1], [1], [0]], dtype=dt)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.mse_loss(model(x), y)  # mean of squared errors
        loss.backward()
        opt.step()
        return loss

    r.run("XORStep/f64", step)
    if not torch.isfinite(step()).item():
        sys.exit("XORStep/f64: loss is not finite")


def ref_gemm_numpy(r):
    rng = np.random.default_rng(1)
    for n in MAT_SIZES:
        for dname, dt in (("f64", np.float64), ("f32", np.float32)):
            a = rng.uniform(-1, 1, (n, n)).astype(dt)
            b = rng.uniform(-1, 1, (n, n)).astype(dt)
            c = np.empty((n, n), dtype=dt)

            def step(a=a, b=b, c=c):
                np.matmul(a, b, out=c)

            r.run("RefGEMM/numpy/n=%d/%s" % (n, dname), step, gflops(2.0 * n ** 3))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--bench", default=".", help="regexp selecting benchmarks (searched in the name without 'Benchmark')")
    p.add_argument("--benchtime", type=float, default=float(os.environ.get("BENCHTIME_S", "1")),
                   help="minimum seconds per timed loop (default 1, env BENCHTIME_S)")
    args = p.parse_args()

    torch.set_num_threads(THREADS)
    r = Runner(args.bench, args.benchtime)
    print("goos: linux")
    print("goarch: amd64")
    print("pkg: peers/torch")
    print("cpu: %s" % cpu_name())
    print("# torch %s, numpy %s, threads %d, OMP_WAIT_POLICY=%s" % (
        torch.__version__, np.__version__, torch.get_num_threads(), os.environ.get("OMP_WAIT_POLICY", "")))
    for fn in (scalar_chain, elementwise, matmul, matmul_fwd_bwd, mlp_step, xor_step, ref_gemm_numpy,
               norm.layer_norm, norm.batch_norm2d, activation.gelu, conv.conv2d, cnn.cnn_step) + INDEX_WORKLOADS + SEQ_WORKLOADS:
        fn(r)
    print("PASS")


if __name__ == "__main__":
    main()
