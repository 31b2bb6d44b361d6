"""PyTorch peer of bench/cnn_test.go's BenchmarkCNNStep: one training step of the network of
PyTorch's examples/mnist at batch 64 (conv 1→32 3×3, ReLU, conv 32→64 3×3, ReLU, max-pool 2,
dropout 0.25, flatten, fc 9216→128, ReLU, dropout 0.5, fc 128→10), cross-entropy, backward and
an Adam step (lr 1e-3), on random images and labels. Registered in bench.py.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout1 = nn.Dropout(0.25)
        self.dropout2 = nn.Dropout(0.5)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = self.dropout1(F.max_pool2d(x, 2))
        x = F.relu(self.fc1(torch.flatten(x, 1)))
        return self.fc2(self.dropout2(x))


def cnn_step(r):
    batch = 64
    for dname, dt in (("f64", torch.float64), ("f32", torch.float32)):
        torch.manual_seed(40)
        model = Net().to(dt)
        model.train()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        x = torch.rand(batch, 1, 28, 28, dtype=torch.float64).to(dt)
        y = torch.randint(0, 10, (batch,))

        def step(model=model, opt=opt, x=x, y=y):
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            return loss

        r.run("CNNStep/" + dname, step)
        if not torch.isfinite(step()).item():
            raise SystemExit("CNNStep/%s: loss is not finite" % dname)
