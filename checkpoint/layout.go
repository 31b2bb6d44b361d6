package checkpoint

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
)

// transposedVars returns the parameters of m and of the modules in it (see layers.Modules) held
// transposed relative to PyTorch (see layers.TorchLayout).
func transposedVars(m layers.Model) map[ag.Var]bool {
	out := make(map[ag.Var]bool)
	for _, c := range layers.Modules(m) {
		if t, ok := c.(layers.TorchLayout); ok {
			for _, v := range t.TorchTransposed() {
				if !v.IsNil() && len(v.Shape()) == 2 {
					out[v] = true
				}
			}
		}
	}
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
	transposeInto(dst, src, rows, cols)
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
