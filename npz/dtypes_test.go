package npz_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gograd/gograd/npz"
)

// dtypeTruth is an entry of testdata/numpy_dtypes.json: what NumPy says an array holds.
type dtypeTruth struct {
	Dtype  string
	Shape  []int
	Values []json.RawMessage // numbers for integers and bools, repr strings for floats
}

func readTruth(t *testing.T) map[string]dtypeTruth {
	t.Helper()
	b, err := os.ReadFile("testdata/numpy_dtypes.json")
	if err != nil {
		t.Fatal(err)
	}
	var truth map[string]dtypeTruth
	if err := json.Unmarshal(b, &truth); err != nil {
		t.Fatal(err)
	}
	return truth
}

// wantValues returns the elements the fixture gives: floats (parsed from their repr, exact) or
// integers.
func wantValues(t *testing.T, tr dtypeTruth) (f []float64, i []int64) {
	for _, raw := range tr.Values {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			v, err := strconv.ParseFloat(strings.TrimPrefix(s, "+"), 64)
			if err != nil {
				t.Fatalf("fixture value %s: %v", s, err)
			}
			f = append(f, v)
			continue
		}
		v, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			t.Fatalf("fixture value %s: %v", raw, err)
		}
		i = append(i, v)
	}
	return f, i
}

// TestReadNumPyDtypes reads every dtype NumPy saved (testdata/make_numpy_dtypes.py), in both
// byte orders and both memory orders, and compares with the values NumPy reported.
func TestReadNumPyDtypes(t *testing.T) {
	arrays, err := npz.ReadFile("testdata/numpy_dtypes.npz")
	if err != nil {
		t.Fatal(err)
	}
	truth := readTruth(t)
	if len(arrays) != len(truth) {
		t.Errorf("read %d arrays, the fixture describes %d", len(arrays), len(truth))
	}
	for _, a := range arrays {
		tr, ok := truth[a.Name]
		if !ok {
			t.Errorf("array %q is not in the fixture", a.Name)
			continue
		}
		if a.Dtype() != tr.Dtype {
			t.Errorf("%s: dtype %q, NumPy says %q", a.Name, a.Dtype(), tr.Dtype)
		}
		if !slices.Equal(a.Shape, tr.Shape) {
			t.Errorf("%s: shape %v, NumPy says %v", a.Name, a.Shape, tr.Shape)
		}
		f, i := wantValues(t, tr)
		switch {
		case f != nil:
			got := append(append([]float64(nil), a.F64...), f32to64(a.F32)...)
			for k := range f {
				if k >= len(got) || math.Float64bits(got[k]) != math.Float64bits(f[k]) {
					t.Errorf("%s: elements %v, NumPy says %v", a.Name, got, f)
					break
				}
			}
		default:
			if !slices.Equal(a.I64, i) {
				t.Errorf("%s: elements %v, NumPy says %v", a.Name, a.I64, i)
			}
		}
	}
}

func f32to64(x []float32) []float64 {
	out := make([]float64, len(x))
	for i, v := range x {
		out[i] = float64(v)
	}
	return out
}

// TestWriteDtypesRoundTrip writes every dtype (Array.Stored) and checks that Read gives back the
// same arrays, and that NumPy reads the dtypes and values Write meant, when python3 with NumPy
// is installed.
func TestWriteDtypesRoundTrip(t *testing.T) {
	arrays, err := npz.ReadFile("testdata/numpy_dtypes.npz")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := npz.Write(&buf, arrays); err != nil {
		t.Fatal(err)
	}
	again, err := npz.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range arrays {
		b := again[i]
		if a.Name != b.Name || a.Dtype() != b.Dtype() || !slices.Equal(a.I64, b.I64) ||
			!equalBits(f32to64(a.F32), f32to64(b.F32)) || !equalBits(a.F64, b.F64) {
			t.Errorf("%s: wrote %+v, read back %+v", a.Name, a, b)
		}
	}
	py := "/usr/bin/python3"
	if exec.Command(py, "-c", "import numpy").Run() != nil {
		t.Skip("skipped the NumPy half: /usr/bin/python3 with NumPy is not installed")
	}
	path := t.TempDir() + "/w.npz"
	if err := npz.WriteFile(path, arrays); err != nil {
		t.Fatal(err)
	}
	script := `import sys, json, numpy
d = numpy.load(sys.argv[1]); truth = json.load(open(sys.argv[2]))
for k in d.files:
    a = d[k]; want = truth[k]
    vals = [repr(float(v)) for v in a.ravel()] if a.dtype.kind == "f" else [int(v) for v in a.ravel()]
    if str(a.dtype) != want["dtype"] or list(a.shape) != want["shape"] or vals != want["values"]:
        sys.exit(k + ": numpy reads " + str(a.dtype) + " " + str(vals))
print("ok")`
	out, err := exec.Command(py, "-c", script, path, "testdata/numpy_dtypes.json").CombinedOutput()
	if err != nil {
		t.Fatalf("numpy disagrees with what Write meant: %v\n%s", err, out)
	}
}

func equalBits(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
			return false
		}
	}
	return true
}

// TestWriteStoredRange checks that Write refuses an element its stored dtype cannot hold, and a
// stored dtype that does not fit the slice.
func TestWriteStoredRange(t *testing.T) {
	for _, a := range []npz.Array{
		{Name: "u8", Shape: []int{2}, I64: []int64{1, 256}, Stored: "uint8"},
		{Name: "i8", Shape: []int{1}, I64: []int64{-129}, Stored: "int8"},
		{Name: "bool", Shape: []int{1}, I64: []int64{2}, Stored: "bool"},
		{Name: "u32", Shape: []int{1}, I64: []int64{-1}, Stored: "uint32"},
		{Name: "f16 of ints", Shape: []int{1}, I64: []int64{1}, Stored: "float16"},
		{Name: "u8 of floats", Shape: []int{1}, F32: []float32{1}, Stored: "uint8"},
		{Name: "complex", Shape: []int{1}, F64: []float64{1}, Stored: "complex128"},
	} {
		if err := npz.Write(&bytes.Buffer{}, []npz.Array{a}); !errors.Is(err, npz.ErrDtype) {
			t.Errorf("%s: Write gave %v, want an error matching ErrDtype", a.Name, err)
		}
	}
}
