"""Writes torch_conv_layers.json: for PyTorch 1.13's convolution and pooling layers, the names and
shapes of their parameters, the fan-in their default initialisation uses, and the output shape for
an input shape. The reference for layers/conv_test.go.

Run from this folder with /usr/bin/python3 torch_conv_layers.py.
"""
import json

import torch
import torch.nn as nn

configs = [
    ("Conv2d(1,32,3)", nn.Conv2d(1, 32, 3), [2, 1, 28, 28]),
    ("Conv2d(32,64,3)", nn.Conv2d(32, 64, 3), [2, 32, 26, 26]),
    ("Conv2d(4,6,(2,3),stride=2,padding=1,dilation=(2,1),groups=2)",
     nn.Conv2d(4, 6, (2, 3), stride=2, padding=1, dilation=(2, 1), groups=2), [1, 4, 7, 8]),
    ("Conv2d(3,3,3,padding=1,groups=3,bias=False)", nn.Conv2d(3, 3, 3, padding=1, groups=3, bias=False), [2, 3, 5, 5]),
    ("Conv1d(3,4,5,stride=2,padding=2)", nn.Conv1d(3, 4, 5, stride=2, padding=2), [2, 3, 11]),
    ("ConvTranspose2d(4,6,3,stride=2,padding=1,output_padding=1,groups=2)",
     nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2), [2, 4, 5, 5]),
    ("MaxPool2d(2)", nn.MaxPool2d(2), [2, 3, 7, 7]),
    ("MaxPool2d(3,stride=2,padding=1)", nn.MaxPool2d(3, stride=2, padding=1), [2, 3, 7, 8]),
    ("AvgPool2d(3,stride=1,padding=1)", nn.AvgPool2d(3, stride=1, padding=1), [2, 3, 5, 4]),
    ("AdaptiveAvgPool2d(1)", nn.AdaptiveAvgPool2d(1), [2, 3, 5, 4]),
    ("Flatten()", nn.Flatten(), [2, 3, 5, 4]),
    ("Dropout2d(0.25)", nn.Dropout2d(0.25), [2, 3, 5, 4]),
]

out = []
for name, layer, shape in configs:
    params = [{"name": k, "shape": list(v.shape)} for k, v in layer.state_dict().items()]
    fan_in = 0
    if hasattr(layer, "weight"):
        fan_in, _ = torch.nn.init._calculate_fan_in_and_fan_out(layer.weight)
    y = layer(torch.zeros(*shape))
    out.append({"name": name, "params": params, "fan_in": fan_in, "input": shape, "output": list(y.shape)})

with open("torch_conv_layers.json", "w") as f:
    json.dump({"torch": torch.__version__, "layers": out}, f, indent=1)
    f.write("\n")
