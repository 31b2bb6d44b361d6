package npz_test

import (
	"math"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/npz"
)

// numpyArrays are the arrays that testdata/make_numpy.py saves.
var numpyArrays = []npz.Array{
	npz.Float64("w", []float64{1.5, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), 5e-324, 2}, 2, 3),
	npz.Float32("scalar", []float32{3.25}),
	npz.Int64("labels", []int64{0, 1, 2, -7}, 4),
	npz.Float64("big", []float64{1, 2.5, -3}, 3),
	// np.arange(12).reshape(2, 3, 2) in row-major order, though
	// numpy stored it in Fortran order.
	npz.Float32("fortran", []float32{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, 2, 3, 2),
	npz.Float64("empty", nil, 0, 3),
}

func TestReadNumPyFile(t *testing.T) {
	for _, path := range []string{"testdata/numpy.npz", "testdata/numpy_compressed.npz"} {
		got, err := npz.ReadFile(path)
		if err != nil {
			t.Fatalf("ReadFile(%q): %v", path, err)
		}
		if diff := cmp.Diff(numpyArrays, got, bitExact); diff != "" {
			t.Errorf("ReadFile(%q) mismatch (-want +got):\n%s", path, diff)
		}
	}
}

// python returns the path of a Python interpreter with numpy, or skips t.
func python(t *testing.T) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(p)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import numpy").Run() == nil {
			return path
		}
	}
	t.Skip("skipping: no python3 with numpy found")
	return ""
}

// TestNumPyCompat writes an archive from Go and checks it with numpy.load,
// then reads one that numpy writes.
func TestNumPyCompat(t *testing.T) {
	py := python(t)
	dir := t.TempDir()

	fromGo := filepath.Join(dir, "go.npz")
	arrays := []npz.Array{
		npz.Float64("w", []float64{1.5, math.Copysign(0, -1), math.Inf(1), math.NaN(), 5e-324, 2}, 2, 3),
		npz.Float32("b", []float32{0.25, -8}, 2),
		npz.Int64("y", []int64{3, 1, 4, 1, 5}, 5),
		npz.Float64("s", []float64{math.E}),
		npz.Float32("t", seq32(24), 2, 3, 2, 2),
	}
	if err := npz.WriteFile(fromGo, arrays); err != nil {
		t.Fatalf("WriteFile(%q): %v", fromGo, err)
	}
	check := `
import sys, numpy as np
d = np.load(sys.argv[1])
assert list(d.keys()) == ["w", "b", "y", "s", "t"], list(d.keys())
w = d["w"]
assert w.dtype == np.float64 and w.shape == (2, 3), (w.dtype, w.shape)
assert w[0, 0] == 1.5 and np.signbit(w[0, 1]) and w[0, 1] == 0 and np.isposinf(w[0, 2]), w
assert np.isnan(w[1, 0]) and w[1, 1] == 5e-324 and w[1, 2] == 2, w
b = d["b"]
assert b.dtype == np.float32 and b.shape == (2,) and list(b) == [0.25, -8], b
y = d["y"]
assert y.dtype == np.int64 and list(y) == [3, 1, 4, 1, 5], y
s = d["s"]
assert s.dtype == np.float64 and s.shape == () and s == np.e, s
t = d["t"]
assert t.dtype == np.float32 and t.shape == (2, 3, 2, 2), t.shape
assert t[1, 2, 1, 1] == np.float32(23) / np.float32(7), t[1, 2, 1, 1]
assert np.isposinf(t[0, 1, 0, 0]), t[0, 1, 0, 0]
print("ok")
`
	if out, err := exec.Command(py, "-c", check, fromGo).CombinedOutput(); err != nil || strings.TrimSpace(string(out)) != "ok" {
		t.Errorf("numpy.load of the archive written by Go: %v\n%s", err, out)
	}

	fromPy := filepath.Join(dir, "py.npz")
	write := `
import sys, numpy as np
np.savez(sys.argv[1],
    a=np.arange(6, dtype=np.float64).reshape(3, 2) / 4,
    b=np.array([np.float32(1) / 3, -0.0], dtype=np.float32),
    c=np.array(7, dtype=np.int64))
`
	if out, err := exec.Command(py, "-c", write, fromPy).CombinedOutput(); err != nil {
		t.Fatalf("numpy.savez: %v\n%s", err, out)
	}
	got, err := npz.ReadFile(fromPy)
	if err != nil {
		t.Fatalf("ReadFile(%q): %v", fromPy, err)
	}
	want := []npz.Array{
		npz.Float64("a", []float64{0, 0.25, 0.5, 0.75, 1, 1.25}, 3, 2),
		npz.Float32("b", []float32{float32(1) / 3, float32(math.Copysign(0, -1))}, 2),
		npz.Int64("c", []int64{7}),
	}
	if diff := cmp.Diff(want, got, bitExact); diff != "" {
		t.Errorf("ReadFile(%q) of numpy.savez output mismatch (-want +got):\n%s", fromPy, diff)
	}
}
