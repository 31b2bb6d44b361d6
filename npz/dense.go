package npz

import (
	"fmt"
	"math"
	"slices"

	"gorgonia.org/tensor"
)

// FromDense returns an Array named name holding a row-major copy of the
// elements of t, materializing t first if it is a view such as a
// transpose. It returns an error matching ErrDtype if t does not hold
// float64, float32 or int64 elements.
func FromDense(name string, t *tensor.Dense) (Array, error) {
	if t.IsMaterializable() {
		t = t.Materialize().(*tensor.Dense)
	}
	shape := slices.Clone([]int(t.Shape()))
	if shape == nil {
		shape = []int{}
	}
	n, err := numElements(shape, math.MaxInt)
	if err != nil {
		return Array{}, &Error{Array: name, Err: err}
	}
	a := Array{Name: name, Shape: shape}
	switch data := t.Data().(type) {
	case float64:
		a.F64 = []float64{data}
	case float32:
		a.F32 = []float32{data}
	case int64:
		a.I64 = []int64{data}
	case []float64:
		a.F64 = slices.Clone(data[:n])
	case []float32:
		a.F32 = slices.Clone(data[:n])
	case []int64:
		a.I64 = slices.Clone(data[:n])
	default:
		return Array{}, &Error{Array: name, Err: errorf(ErrDtype, fmt.Sprintf("tensor of %v", t.Dtype()))}
	}
	return a, nil
}

// Dense returns a *tensor.Dense of a's shape backed by a's data slice,
// which it shares. A rank-0 array gives a scalar tensor. Dense returns an
// error if a is not well formed or holds no elements, which a
// *tensor.Dense cannot represent.
func (a Array) Dense() (*tensor.Dense, error) {
	dt, n, err := a.dtype()
	if err != nil {
		return nil, &Error{Array: a.Name, Err: err}
	}
	if n == 0 {
		return nil, &Error{Array: a.Name, Err: errorf(ErrShape, fmt.Sprintf("shape %v has no elements, which *tensor.Dense cannot hold", a.Shape))}
	}
	var data any
	switch dt {
	case float64Type:
		data = a.F64
	case float32Type:
		data = a.F32
	default:
		data = a.I64
	}
	if len(a.Shape) == 0 {
		switch dt {
		case float64Type:
			return tensor.New(tensor.FromScalar(a.F64[0])), nil
		case float32Type:
			return tensor.New(tensor.FromScalar(a.F32[0])), nil
		default:
			return tensor.New(tensor.FromScalar(a.I64[0])), nil
		}
	}
	return tensor.New(tensor.WithShape(slices.Clone(a.Shape)...), tensor.WithBacking(data)), nil
}
