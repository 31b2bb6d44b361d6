"""Writes numpy_dtypes.npz and numpy_dtypes.json for npz/dtypes_test.go.

Every dtype the npz package reads, little- and big-endian, in C and Fortran order: the .npz
holds the arrays as NumPy saves them; the .json gives, for each, the dtype NumPy reports, the
shape, and the elements in row-major order as plain numbers, the truth the Go reader must match.
Run with /usr/bin/python3 from this folder.
"""
import json

import numpy as np

VALUES = {
    "bool": [True, False, True, True, False, False],
    "int8": [-128, -1, 0, 1, 2, 127],
    "uint8": [0, 1, 2, 128, 200, 255],
    "int16": [-32768, -1, 0, 1, 300, 32767],
    "uint16": [0, 1, 2, 300, 40000, 65535],
    "int32": [-2147483648, -1, 0, 1, 70000, 2147483647],
    "uint32": [0, 1, 2, 70000, 3000000000, 4294967295],
    "int64": [-9223372036854775808, -1, 0, 1, 5000000000, 9223372036854775807],
    "uint64": [0, 1, 2, 5000000000, 9223372036854775807, 9223372036854775807],
    "float16": [1.0, -2.5, 65504.0, 2.0**-24, float("inf"), 0.1],
    "float32": [1.0, -2.5, 3.4e38, 1e-45, float("-inf"), 0.1],
    "float64": [1.0, -2.5, 1.7e308, 5e-324, float("inf"), 0.1],
}

arrays, truth = {}, {}
for name, values in VALUES.items():
    a = np.array(values, dtype=name).reshape(2, 3)
    for order in ("<", ">"):
        typed = a.astype(a.dtype.newbyteorder(order)) if a.dtype.itemsize > 1 else a
        for layout in ("C", "F"):
            key = f"{name}_{'le' if order == '<' else 'be'}_{layout}"
            arrays[key] = np.asarray(typed, order=layout)
            assert arrays[key].flags["F_CONTIGUOUS" if layout == "F" else "C_CONTIGUOUS"]
            flat = a.ravel(order="C")
            if a.dtype.kind == "f":
                elems = [repr(float(v)) for v in flat]  # exact: float16/32 widen to float64 exactly
            else:
                elems = [int(v) for v in flat]
            truth[key] = {"dtype": name, "shape": list(a.shape), "values": elems}

np.savez("numpy_dtypes.npz", **arrays)
with open("numpy_dtypes.json", "w") as f:
    json.dump(truth, f, indent=1, sort_keys=True)
