package layers

import (
	"reflect"

	ag "github.com/gograd/gograd/autograd"
)

// TorchLayout is implemented by layers that hold a parameter in another layout than PyTorch's,
// for speed. Save and Load convert at the file boundary, so that a checkpoint always holds
// PyTorch's names and shapes and a gograd Sequential exchanges weights with the equivalent
// torch.nn.Sequential with no code.
type TorchLayout interface {
	// TorchTransposed returns the layer's 2-D parameters held as the transpose of PyTorch's
	// layout: Linear's weight is (In, Out) in gograd and (Out, In) in torch.
	TorchTransposed() []ag.Var
}

// TorchTransposed returns Weight: gograd computes x W with W of shape (In, Out); torch.nn.Linear
// holds its weight as (Out, In).
func (l *Linear) TorchTransposed() []ag.Var { return []ag.Var{l.Weight} }

// TorchTransposed returns Weight, (In, 1) here and (1, In) in the equivalent torch.nn.Linear.
func (p *Perceptron) TorchTransposed() []ag.Var { return []ag.Var{p.Weight} }

// transposedVars returns the parameters of m and of the modules in it held transposed relative
// to PyTorch (see TorchLayout). Modules are found as Collect finds them: m itself, then the
// exported fields of the struct m points to that hold a Model or a slice or array of Models
// (Sequential's Layers, MLP's Net, Residual's Body, a user's fields), recursively.
func transposedVars(m Model) map[ag.Var]bool {
	out := make(map[ag.Var]bool)
	seen := make(map[Model]bool)
	var walk func(Model)
	walk = func(m Model) {
		if isNil(m) || !reflect.TypeOf(m).Comparable() || seen[m] {
			return
		}
		seen[m] = true
		if t, ok := m.(TorchLayout); ok {
			for _, v := range t.TorchTransposed() {
				if !v.IsNil() && len(v.Shape()) == 2 {
					out[v] = true
				}
			}
		}
		v := reflect.ValueOf(m)
		if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
			return
		}
		s := v.Elem()
		for i := range s.NumField() {
			if f := s.Type().Field(i); f.IsExported() {
				eachModule(f.Name, s.Field(i), func(_ string, c Model) { walk(c) })
			}
		}
	}
	walk(m)
	return out
}

// torchShape returns the shape of v as a checkpoint holds it: reversed if v is transposed.
func torchShape(v ag.Var, transposed bool) []int {
	s := v.Shape()
	if transposed {
		return []int{s[1], s[0]}
	}
	return s
}

// transpose returns the transpose of the row-major rows × cols matrix src.
func transpose[T any](src []T, rows, cols int) []T {
	dst := make([]T, len(src))
	for i := range rows {
		for j := range cols {
			dst[j*rows+i] = src[i*cols+j]
		}
	}
	return dst
}

// transposeInto writes the transpose of the row-major rows × cols matrix src to dst.
func transposeInto[T any](dst, src []T, rows, cols int) {
	for i := range rows {
		for j := range cols {
			dst[j*rows+i] = src[i*cols+j]
		}
	}
}
