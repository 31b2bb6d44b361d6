package npz_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gorgonia.org/tensor"

	"github.com/gograd/gograd/npz"
)

func TestDenseRoundTrip(t *testing.T) {
	for _, a := range []npz.Array{
		npz.Float64("scalar", []float64{2.5}),
		npz.Float32("vector", specials32, len(specials32)),
		npz.Int64("matrix", []int64{1, 2, 3, 4, 5, 6}, 2, 3),
		npz.Float64("rank 4", seq64(120), 2, 3, 4, 5),
	} {
		d, err := a.Dense()
		if err != nil {
			t.Errorf("%s: Dense: %v", a.Name, err)
			continue
		}
		if !cmp.Equal([]int(d.Shape()), a.Shape, bitExact) {
			t.Errorf("%s: Dense shape %v, want %v", a.Name, d.Shape(), a.Shape)
		}
		got, err := npz.FromDense(a.Name, d)
		if err != nil {
			t.Errorf("%s: FromDense: %v", a.Name, err)
			continue
		}
		if diff := cmp.Diff(a, got, bitExact); diff != "" {
			t.Errorf("%s: FromDense(Dense()) mismatch (-want +got):\n%s", a.Name, diff)
		}
	}
}

func TestFromDenseView(t *testing.T) {
	d := tensor.New(tensor.WithShape(2, 3), tensor.WithBacking([]float32{1, 2, 3, 4, 5, 6}))
	if err := d.T(); err != nil {
		t.Fatal(err)
	}
	got, err := npz.FromDense("t", d)
	if err != nil {
		t.Fatalf("FromDense of a transpose: %v", err)
	}
	want := npz.Float32("t", []float32{1, 4, 2, 5, 3, 6}, 3, 2)
	if diff := cmp.Diff(want, got, bitExact); diff != "" {
		t.Errorf("FromDense of a transpose mismatch (-want +got):\n%s", diff)
	}
}

func TestDenseErrors(t *testing.T) {
	if _, err := npz.Float64("e", nil, 0, 3).Dense(); !errors.Is(err, npz.ErrShape) {
		t.Errorf("Dense of an empty array: got error %v, want ErrShape", err)
	}
	if _, err := (npz.Array{Name: "x"}).Dense(); !errors.Is(err, npz.ErrDtype) {
		t.Errorf("Dense of an array without data: got error %v, want ErrDtype", err)
	}
	d := tensor.New(tensor.WithShape(2), tensor.WithBacking([]int32{1, 2}))
	if _, err := npz.FromDense("i", d); !errors.Is(err, npz.ErrDtype) {
		t.Errorf("FromDense of int32: got error %v, want ErrDtype", err)
	}
}

// TestReadTensorNpy checks that .npy data written by tensor.Dense.WriteNpy
// reads back.
func TestReadTensorNpy(t *testing.T) {
	d := tensor.New(tensor.WithShape(2, 2), tensor.WithBacking([]float64{1, -2, 3.5, 4}))
	var npyBuf bytes.Buffer
	if err := d.WriteNpy(&npyBuf); err != nil {
		t.Fatal(err)
	}
	b := zipOf(t, false, member{"d.npy", npyBuf.Bytes()})
	got, err := npz.Read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("Read of tensor.WriteNpy output: %v", err)
	}
	want := []npz.Array{npz.Float64("d", []float64{1, -2, 3.5, 4}, 2, 2)}
	if diff := cmp.Diff(want, got, bitExact); diff != "" {
		t.Errorf("Read of tensor.WriteNpy output mismatch (-want +got):\n%s", diff)
	}
}
