package npz

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// Array is a named n-dimensional array in row-major (C) order.
//
// Exactly one of F64, F32 and I64 is non-nil; it holds the elements and
// fixes the element type. Its length must be the product of Shape, which
// is 1 for a rank-0 (scalar) array with an empty Shape.
//
// Stored, when not empty, is the NumPy dtype of the file, narrower than the
// slice: "float16" for F32; "bool", "int8", "uint8", "int16", "uint16",
// "int32", "uint32" or "uint64" for I64 (a uint64 above 2⁶³−1 is held as
// the int64 of the same bits). Read sets it for those dtypes; Write stores
// the array as that dtype, and fails if an element does not fit it.
type Array struct {
	Name   string
	Shape  []int
	F64    []float64
	F32    []float32
	I64    []int64
	Stored string
}

// Float64 returns an Array of float64 elements. A nil data is replaced by
// an empty slice so that the element type is kept.
func Float64(name string, data []float64, shape ...int) Array {
	if data == nil {
		data = []float64{}
	}
	return Array{Name: name, Shape: shape, F64: data}
}

// Float32 returns an Array of float32 elements. A nil data is replaced by
// an empty slice so that the element type is kept.
func Float32(name string, data []float32, shape ...int) Array {
	if data == nil {
		data = []float32{}
	}
	return Array{Name: name, Shape: shape, F32: data}
}

// Int64 returns an Array of int64 elements. A nil data is replaced by an
// empty slice so that the element type is kept.
func Int64(name string, data []int64, shape ...int) Array {
	if data == nil {
		data = []int64{}
	}
	return Array{Name: name, Shape: shape, I64: data}
}

// Dtype returns the NumPy name of the element type of a as stored: Stored
// if set, else "float64", "float32" or "int64" after its slice, or "" when a
// is not well formed.
func (a Array) Dtype() string {
	dt, _, err := a.dtype()
	if err != nil {
		return ""
	}
	return dt.name
}

// Len returns the number of elements in a's data slice.
func (a Array) Len() int {
	return len(a.F64) + len(a.F32) + len(a.I64)
}

// Check returns an *Error matching ErrDtype if a does not hold exactly one
// data slice, or ErrShape if its shape does not match the slice's length.
func (a Array) Check() error {
	if _, _, err := a.dtype(); err != nil {
		return &Error{Array: a.Name, Err: err}
	}
	return nil
}

// dtype returns the element type of a and the number of elements, or an
// error if a is not well formed.
func (a Array) dtype() (dtype, int, error) {
	var dt dtype
	set := 0
	if a.F64 != nil {
		dt, set = float64Type, set+1
	}
	if a.F32 != nil {
		dt, set = float32Type, set+1
	}
	if a.I64 != nil {
		dt, set = int64Type, set+1
	}
	if set != 1 {
		return dtype{}, 0, ag.Errorf("", ErrDtype, "%d of F64, F32 and I64 are set, want exactly 1", set)
	}
	if a.Stored != "" && a.Stored != dt.name {
		ok := false
		for _, t := range dtypes[3:] {
			if t.name == a.Stored && (t == float16Type) == (a.F32 != nil) && (t != float16Type) == (a.I64 != nil) {
				dt, ok = t, true
			}
		}
		if !ok {
			return dtype{}, 0, ag.Errorf("", ErrDtype, "stored dtype %q for %s data; want float16 for F32, or bool, int8, uint8, int16, uint16, int32, uint32, uint64 for I64", a.Stored, dt.name)
		}
	}
	if len(a.Shape) > MaxRank {
		return dtype{}, 0, ag.Errorf("", ErrShape, "%d dimensions; at most %d", len(a.Shape), MaxRank)
	}
	n, err := numElements(a.Shape, math.MaxInt)
	if err != nil {
		return dtype{}, 0, err
	}
	if n != a.Len() {
		return dtype{}, 0, ag.Errorf("", ErrShape, "shape %v holds %d elements, data has %d", a.Shape, n, a.Len())
	}
	return dt, n, nil
}

// numElements returns the product of the dimensions in shape, or an error
// if a dimension is negative or the product exceeds limit.
func numElements(shape []int, limit int) (int, error) {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return 0, ag.Errorf("", ErrShape, "negative dimension in shape %v", shape)
		}
		if d != 0 && n > limit/d {
			return 0, ag.Errorf("", ErrShape, "shape %v is too large", shape)
		}
		n *= d
	}
	return n, nil
}
