package dense

import (
	"fmt"
	"slices"

	"gorgonia.org/tensor"

	"github.com/gograd/gograd/npz"
)

// ToArray returns an npz.Array named name holding a row-major copy of the elements of t,
// materializing t first if it is a view such as a transpose. It returns an error matching
// npz.ErrDtype if t does not hold float64, float32 or int64 elements.
func ToArray(name string, t *tensor.Dense) (npz.Array, error) {
	if t == nil {
		return npz.Array{}, fmt.Errorf("dense.ToArray: array %q: nil *tensor.Dense", name)
	}
	if t.IsMaterializable() {
		t = t.Materialize().(*tensor.Dense)
	}
	shape := append([]int{}, t.Shape()...)
	n := t.Size()
	switch t.Dtype() {
	case tensor.Float64:
		return npz.Float64(name, slices.Clone(t.Float64s()[:n]), shape...), nil
	case tensor.Float32:
		return npz.Float32(name, slices.Clone(t.Float32s()[:n]), shape...), nil
	case tensor.Int64:
		return npz.Int64(name, slices.Clone(t.Int64s()[:n]), shape...), nil
	}
	return npz.Array{}, fmt.Errorf("dense.ToArray: array %q: tensor of %v: %w", name, t.Dtype(), npz.ErrDtype)
}

// FromArray returns a *tensor.Dense of a's shape backed by a's data slice, which it shares. A
// rank-0 array gives a scalar tensor. FromArray returns an error matching npz.ErrDtype or
// npz.ErrShape if a is not well formed (see npz.Array.Check), or npz.ErrShape if a holds no
// elements, which a *tensor.Dense cannot represent.
func FromArray(a npz.Array) (*tensor.Dense, error) {
	if err := a.Check(); err != nil {
		return nil, fmt.Errorf("dense.FromArray: %w", err)
	}
	if a.Len() == 0 {
		return nil, fmt.Errorf("dense.FromArray: array %q: shape %v has no elements, which *tensor.Dense cannot hold: %w", a.Name, a.Shape, npz.ErrShape)
	}
	shape := append([]int{}, a.Shape...)
	switch {
	case a.F64 != nil:
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(a.F64)), nil
	case a.F32 != nil:
		return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(a.F32)), nil
	}
	return tensor.New(tensor.WithShape(shape...), tensor.WithBacking(a.I64)), nil
}
