# Regenerates numpy.npz and numpy_compressed.npz, read by TestReadNumPyFile.
# Run from this directory with: python3 make_numpy.py
import numpy as np

arrays = {
    "w": np.array([[1.5, -0.0, np.inf], [-np.inf, 5e-324, 2.0]], dtype="<f8"),
    "scalar": np.array(3.25, dtype="<f4"),
    "labels": np.array([0, 1, 2, -7], dtype="<i8"),
    "big": np.array([1.0, 2.5, -3.0], dtype=">f8"),
    "fortran": np.asfortranarray(np.arange(12, dtype="<f4").reshape(2, 3, 2)),
    "empty": np.zeros((0, 3), dtype="<f8"),
}
np.savez("numpy.npz", **arrays)
np.savez_compressed("numpy_compressed.npz", **arrays)
