package npz_test

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/npz"
)

// specials64 are float64 values whose bits must survive a round trip.
var specials64 = []float64{
	0, math.Copysign(0, -1), 1, -1.5,
	math.Inf(1), math.Inf(-1),
	math.NaN(),
	math.Float64frombits(0x7ff8_0000_dead_beef),  // quiet NaN with a payload
	math.Float64frombits(0xfff0_0000_0000_0001),  // negative signalling NaN
	math.SmallestNonzeroFloat64,                  // smallest subnormal
	-math.Float64frombits(0x000f_ffff_ffff_ffff), // largest subnormal, negated
	math.MaxFloat64,
}

// specials32 are float32 values whose bits must survive a round trip.
var specials32 = []float32{
	0, float32(math.Copysign(0, -1)), 1, -1.5,
	float32(math.Inf(1)), float32(math.Inf(-1)),
	math.Float32frombits(0x7fc0_0001), // quiet NaN with a payload
	math.Float32frombits(0xff80_0001), // negative signalling NaN
	math.SmallestNonzeroFloat32,
	math.MaxFloat32,
}

func seq64(n int) []float64 {
	s := make([]float64, n)
	for i := range s {
		if i < len(specials64) {
			s[i] = specials64[i]
		} else {
			s[i] = float64(i) / 7
		}
	}
	return s
}

func seq32(n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		if i < len(specials32) {
			s[i] = specials32[i]
		} else {
			s[i] = float32(i) / 7
		}
	}
	return s
}

func TestRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		name   string
		arrays []npz.Array
	}{
		{name: "none", arrays: []npz.Array{}},
		{name: "rank 0", arrays: []npz.Array{
			npz.Float64("a", []float64{math.Pi}),
			npz.Float32("b", []float32{-0.5}),
			npz.Int64("c", []int64{math.MinInt64}),
		}},
		{name: "rank 1 specials", arrays: []npz.Array{
			npz.Float64("f64", specials64, len(specials64)),
			npz.Float32("f32", specials32, len(specials32)),
			npz.Int64("i64", []int64{0, -1, math.MaxInt64, math.MinInt64}, 4),
		}},
		{name: "rank 2", arrays: []npz.Array{
			npz.Float64("w", seq64(12), 3, 4),
			npz.Float32("v", seq32(12), 4, 3),
		}},
		{name: "rank 3", arrays: []npz.Array{npz.Float32("x", seq32(24), 2, 3, 4)}},
		{name: "rank 4", arrays: []npz.Array{npz.Float64("x", seq64(120), 2, 3, 4, 5)}},
		{name: "empty", arrays: []npz.Array{
			npz.Float64("e1", nil, 0),
			npz.Float32("e2", nil, 3, 0, 2),
			npz.Int64("e3", nil, 0),
		}},
		{name: "large", arrays: []npz.Array{npz.Float64("big", seq64(100_000), 1000, 100)}},
		{name: "odd names", arrays: []npz.Array{
			npz.Float64("", []float64{1}),
			npz.Float64("dir/name with spaces", []float64{2}),
			npz.Float64("ünïcode.npy", []float64{3}),
		}},
	} {
		var buf bytes.Buffer
		if err := npz.Write(&buf, tc.arrays); err != nil {
			t.Fatalf("%s: Write: %v", tc.name, err)
		}
		got, err := npz.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatalf("%s: Read: %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.arrays, got, bitExact); diff != "" {
			t.Errorf("%s: round trip mismatch (-want +got):\n%s", tc.name, diff)
		}
	}
}

func TestWriteFileReadFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.npz")
	want := []npz.Array{
		npz.Float64("w", seq64(6), 2, 3),
		npz.Float32("b", seq32(3), 3),
	}
	if err := npz.WriteFile(path, want); err != nil {
		t.Fatalf("WriteFile(%q): %v", path, err)
	}
	got, err := npz.ReadFile(path)
	if err != nil {
		t.Fatalf("ReadFile(%q): %v", path, err)
	}
	if diff := cmp.Diff(want, got, bitExact); diff != "" {
		t.Errorf("ReadFile(%q) mismatch (-want +got):\n%s", path, diff)
	}

	// A failed save leaves the previous file and no temporary file.
	bad := []npz.Array{npz.Float64("w", seq64(5), 2, 3)}
	if err := npz.WriteFile(path, bad); err == nil {
		t.Errorf("WriteFile(%q) of a badly shaped array: got nil error, want one", path)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "model.npz" {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files after a failed WriteFile: got %q, want [model.npz]", names)
	}
	got, err = npz.ReadFile(path)
	if err != nil || !cmp.Equal(want, got, bitExact) {
		t.Errorf("ReadFile(%q) after a failed save: got %v, %v, want the previous arrays", path, got, err)
	}

	// Saving into a missing directory fails and names the path.
	missing := filepath.Join(dir, "no", "such", "dir.npz")
	if err := npz.WriteFile(missing, want); err == nil {
		t.Errorf("WriteFile(%q): got nil error, want one", missing)
	}
}

func TestWriteErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		arrays []npz.Array
		want   error
	}{
		{name: "no data", arrays: []npz.Array{{Name: "x", Shape: []int{0}}}, want: npz.ErrDtype},
		{name: "two data slices", arrays: []npz.Array{{Name: "x", F64: []float64{1}, F32: []float32{1}}}, want: npz.ErrDtype},
		{name: "short data", arrays: []npz.Array{npz.Float64("x", []float64{1, 2}, 3)}, want: npz.ErrShape},
		{name: "long data", arrays: []npz.Array{npz.Float32("x", []float32{1, 2}, 1)}, want: npz.ErrShape},
		{name: "scalar with two values", arrays: []npz.Array{npz.Int64("x", []int64{1, 2})}, want: npz.ErrShape},
		{name: "negative dimension", arrays: []npz.Array{npz.Float64("x", nil, -1)}, want: npz.ErrShape},
		{name: "overflowing shape", arrays: []npz.Array{npz.Float64("x", nil, math.MaxInt, 4)}, want: npz.ErrShape},
		{name: "huge but empty shape", arrays: []npz.Array{npz.Float64("x", nil, 0, math.MaxInt, 4)}, want: nil},
		{name: "duplicate name", arrays: []npz.Array{npz.Float64("x", []float64{1}), npz.Float64("x", []float64{2})}, want: npz.ErrMember},
	} {
		err := npz.Write(new(bytes.Buffer), tc.arrays)
		if tc.want == nil {
			if err != nil {
				t.Errorf("%s: Write: got error %v, want nil", tc.name, err)
			}
			continue
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: Write: got error %v, want %v", tc.name, err, tc.want)
			continue
		}
		if !bytes.Contains([]byte(err.Error()), []byte(`array "x"`)) {
			t.Errorf("%s: Write: error %q does not name the array", tc.name, err)
		}
	}
}

// TestArrayCheck checks Array.Check on well-formed and malformed arrays.
func TestArrayCheck(t *testing.T) {
	cases := []struct {
		name string
		a    npz.Array
		want error // nil for a well-formed array
	}{
		{"scalar", npz.Float64("s", []float64{1}), nil},
		{"empty", npz.Float32("e", nil, 0, 3), nil},
		{"matrix", npz.Int64("m", []int64{1, 2, 3, 4, 5, 6}, 2, 3), nil},
		{"no data", npz.Array{Name: "x"}, npz.ErrDtype},
		{"two slices", npz.Array{Name: "x", F64: []float64{1}, F32: []float32{1}}, npz.ErrDtype},
		{"short", npz.Float64("s", []float64{1, 2}, 3), npz.ErrShape},
		{"negative", npz.Float64("n", []float64{}, -1), npz.ErrShape},
	}
	for _, c := range cases {
		err := c.a.Check()
		if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: Check() = %v, want %v", c.name, err, c.want)
		}
		var e *npz.Error
		if err != nil && (!errors.As(err, &e) || e.Array != c.a.Name) {
			t.Errorf("%s: Check() = %v, want an *npz.Error naming array %q", c.name, err, c.a.Name)
		}
	}
}
