package checkpoint

import (
	"slices"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/npz"
	"github.com/gograd/gograd/optim"
)

// stateArrays returns what a checkpoint of m (and of o, unless nil) holds: every parameter and
// buffer under its name in PyTorch's layout, then the optimizer state. An array shares the data
// of its parameter unless it had to be transposed. label names the file in errors.
func stateArrays(op, label string, m layers.Model, o optim.Stateful) ([]npz.Array, error) {
	ps := namedState(m)
	tr := transposedVars(m)
	arrays := make([]npz.Array, 0, len(ps))
	for _, p := range ps {
		a := toArray(p.Name, p.Var, tr[p.Var])
		if a.Shape == nil {
			a.Shape = []int{}
		}
		arrays = append(arrays, a)
	}
	if o == nil {
		return arrays, nil
	}
	names, err := optNames(op, label, ps, o)
	if err != nil {
		return nil, err
	}
	params := o.Params()
	for _, e := range o.State() {
		name := optimPrefix + e.Key
		a := npz.Array{Name: name, Shape: e.Shape, F64: e.F64, F32: e.F32}
		if e.Param >= 0 {
			a.Name = optimPrefix + names[e.Param] + "." + e.Key
			// State shaped as its parameter (Adam's moments) takes the parameter's layout.
			if v := params[e.Param]; tr[v] && slices.Equal(e.Shape, v.Shape()) {
				a = transposedArray(a.Name, e.Shape, e.F64, e.F32)
			}
		}
		if a.Shape == nil {
			a.Shape = []int{}
		}
		arrays = append(arrays, a)
	}
	return arrays, nil
}

// toArray returns an array named name holding v in PyTorch's layout: v's own data, or a
// transposed copy if transposed; an int64 scalar for a counter (see isCounter).
func toArray(name string, v ag.Var, transposed bool) npz.Array {
	if isCounter(name, v) {
		return npz.Int64(name, []int64{int64(v.Item())})
	}
	if v.DType() == ag.Float32 {
		if transposed {
			return transposedArray(name, v.Shape(), nil, v.Data32())
		}
		return npz.Float32(name, v.Data32(), slices.Clone(v.Shape())...)
	}
	if transposed {
		return transposedArray(name, v.Shape(), v.Data64(), nil)
	}
	return npz.Float64(name, v.Data64(), slices.Clone(v.Shape())...)
}

// transposedArray returns the transpose of the 2-D array of the given shape holding f64 or f32.
func transposedArray(name string, shape []int, f64 []float64, f32 []float32) npz.Array {
	r, c := shape[0], shape[1]
	if f32 != nil {
		return npz.Float32(name, transpose(f32, r, c), c, r)
	}
	return npz.Float64(name, transpose(f64, r, c), c, r)
}

// namedState returns the parameters and buffers of m: what Save writes and Load reads.
func namedState(m layers.Model) []layers.Param {
	return slices.Concat(m.NamedParams(), layers.Buffers(m))
}
