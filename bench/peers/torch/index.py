"""PyTorch peers of the indexing workloads of issue 11 (bench/index_test.go).

Gather/op and ScatterAdd/op: torch.gather(a, 1, index) and a.scatter_add(1, index, src) on
(1000, 1000) float64 arrays, positions uniform in [0, 1000). EmbeddingStep/V=N/{dense,sparse}:
nn.Embedding(N, 128, sparse=False/True) in float32 looking up 4,096 positions uniform in [0, N),
loss = sum of the looked-up vectors, backward, optim.SGD(lr=0.01) step, zero_grad(set_to_none).

bench.py calls WORKLOADS with its Runner.
"""

import torch

ROWS, COLS = 1000, 1000


def gather_scatter(r):
    g = torch.Generator().manual_seed(30)
    a = torch.rand(ROWS, COLS, dtype=torch.float64, generator=g) * 2 - 1
    src = torch.rand(ROWS, COLS, dtype=torch.float64, generator=g) * 2 - 1
    idx = torch.randint(0, COLS, (ROWS, COLS), generator=g)
    n = ROWS * COLS
    per_elem = lambda ns: [(ns / n, "ns/elem")]
    r.run("Gather/op", lambda: torch.gather(a, 1, idx), per_elem)
    r.run("ScatterAdd/op", lambda: a.scatter_add(1, idx, src), per_elem)


def embedding_step(r):
    dim, tokens, lr = 128, 4096, 0.01
    for v in (5000, 50000, 500000):
        g = torch.Generator().manual_seed(40)
        idx = torch.randint(0, v, (tokens,), generator=g)
        for sparse in (False, True):
            name = "EmbeddingStep/V=%d/%s" % (v, "sparse" if sparse else "dense")
            if not r.pattern.search(name):
                continue
            emb = torch.nn.Embedding(v, dim, sparse=sparse, dtype=torch.float32)
            opt = torch.optim.SGD(emb.parameters(), lr=lr)

            def step(emb=emb, opt=opt):
                opt.zero_grad(set_to_none=True)
                emb(idx).sum().backward()
                opt.step()

            r.run(name, step)
            del emb, opt


WORKLOADS = (gather_scatter, embedding_step)
