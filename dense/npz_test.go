package dense_test

import (
	"bytes"
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"gorgonia.org/tensor"

	"github.com/gograd/gograd/dense"
	"github.com/gograd/gograd/npz"
)

// bitExact compares floats by their bits, so that NaN payloads and signed zeros must survive.
var bitExact = cmp.Options{
	cmp.Comparer(func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }),
	cmp.Comparer(func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }),
}

// TestArrayRoundTrip converts arrays of every dtype and rank 0 to 4 to tensors and back.
func TestArrayRoundTrip(t *testing.T) {
	seq := make([]float64, 120)
	for i := range seq {
		seq[i] = float64(i) - 60.5
	}
	specials := []float32{0, float32(math.Copysign(0, -1)), float32(math.Inf(1)), float32(math.NaN()), math.MaxFloat32, math.SmallestNonzeroFloat32}
	for _, a := range []npz.Array{
		npz.Float64("scalar", []float64{2.5}),
		npz.Float32("vector", specials, len(specials)),
		npz.Int64("matrix", []int64{1, 2, 3, 4, 5, -6}, 2, 3),
		npz.Float64("rank 4", seq, 2, 3, 4, 5),
	} {
		if a.Name == "scalar" {
			a.Shape = []int{}
		}
		d, err := dense.FromArray(a)
		if err != nil {
			t.Errorf("%s: FromArray: %v", a.Name, err)
			continue
		}
		if got := []int(d.Shape()); !cmp.Equal(got, a.Shape, cmpopts.EquateEmpty()) {
			t.Errorf("%s: FromArray shape %v, want %v", a.Name, got, a.Shape)
		}
		got, err := dense.ToArray(a.Name, d)
		if err != nil {
			t.Errorf("%s: ToArray: %v", a.Name, err)
			continue
		}
		if diff := cmp.Diff(a, got, bitExact); diff != "" {
			t.Errorf("%s: ToArray(FromArray()) mismatch (-want +got):\n%s", a.Name, diff)
		}
	}
}

// TestFromArrayShares checks that the tensor is backed by the array's slice.
func TestFromArrayShares(t *testing.T) {
	a := npz.Float64("a", []float64{1, 2, 3, 4}, 2, 2)
	d, err := dense.FromArray(a)
	if err != nil {
		t.Fatal(err)
	}
	a.F64[3] = -1
	if got, err := d.At(1, 1); err != nil || got != -1.0 {
		t.Errorf("after writing -1 to the array, d.At(1, 1) = %v, %v; want -1 (shared storage)", got, err)
	}
}

// TestToArrayView checks that a transpose is written in row-major order of its own shape.
func TestToArrayView(t *testing.T) {
	d := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}))
	if err := d.T(); err != nil {
		t.Fatal(err)
	}
	got, err := dense.ToArray("t", d)
	if err != nil {
		t.Fatalf("ToArray of a transpose: %v", err)
	}
	want := npz.Float32("t", []float32{1, 4, 2, 5, 3, 6}, 3, 2)
	if diff := cmp.Diff(want, got, bitExact); diff != "" {
		t.Errorf("ToArray of a transpose mismatch (-want +got):\n%s", diff)
	}
}

// TestArrayErrors checks the errors of FromArray and ToArray.
func TestArrayErrors(t *testing.T) {
	cases := []struct {
		name string
		fn   func() error
		want error
	}{
		{"FromArray(empty)", func() error { _, err := dense.FromArray(npz.Float64("e", nil, 0, 3)); return err }, npz.ErrShape},
		{"FromArray(no data)", func() error { _, err := dense.FromArray(npz.Array{Name: "x"}); return err }, npz.ErrDtype},
		{"FromArray(short data)", func() error { _, err := dense.FromArray(npz.Float64("s", []float64{1}, 2)); return err }, npz.ErrShape},
		{"ToArray(int32)", func() error {
			_, err := dense.ToArray("i", tensor.New(tensor.WithShape(2), tensor.WithBacking([]int32{1, 2})))
			return err
		}, npz.ErrDtype},
	}
	for _, c := range cases {
		if err := c.fn(); !errors.Is(err, c.want) {
			t.Errorf("%s: got error %v, want %v", c.name, err, c.want)
		}
	}
}

// TestReadTensorNpy checks that an archive holding .npy data written by tensor.Dense.WriteNpy
// reads back with npz, and converts back to an equal tensor.
func TestReadTensorNpy(t *testing.T) {
	d := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{1, -2, 3.5, 4}))
	var npy bytes.Buffer
	if err := d.WriteNpy(&npy); err != nil {
		t.Fatal(err)
	}
	archive := zipOf(t, "d.npy", npy.Bytes())
	got, err := npz.Read(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatalf("Read of tensor.WriteNpy output: %v", err)
	}
	want := []npz.Array{npz.Float64("d", []float64{1, -2, 3.5, 4}, 2, 2)}
	if diff := cmp.Diff(want, got, bitExact); diff != "" {
		t.Fatalf("Read of tensor.WriteNpy output mismatch (-want +got):\n%s", diff)
	}
	back, err := dense.FromArray(got[0])
	if err != nil {
		t.Fatal(err)
	}
	if !back.Eq(d) {
		t.Errorf("FromArray of the read array = %v, want %v", back, d)
	}
}
