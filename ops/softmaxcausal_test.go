package ops

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// softmaxCausalCases covers softmaxcausal.go: fewer, as many and more queries than keys, and a
// batch of two heads of two examples.
func softmaxCausalCases() []gradCase {
	var cs []gradCase
	for i, s := range [][]int{{3, 4}, {4, 4}, {5, 3}, {2, 3, 4}, {2, 2, 3, 3}} {
		cs = append(cs, gradCase{
			name: "SoftmaxCausal" + sh(s),
			f:    func(xs ...ag.Var) ag.Var { return SoftmaxCausal(xs[0]) },
			in:   []operand{gen(signed, uint64(40+i), s...)},
		})
	}
	return cs
}

// causalMaskOn returns the (lq, lk) constant with −∞ at j > i and 0 elsewhere.
func causalMaskOn(t *ag.Tape, dt ag.DType, lq, lk int) ag.Var {
	m := make([]float64, lq*lk)
	for i := range lq {
		for j := i + 1; j < lk; j++ {
			m[i*lk+j] = math.Inf(-1)
		}
	}
	return Cast(t.Const(m, lq, lk), dt)
}

// TestSoftmaxCausalIsMaskedSoftmax checks SoftmaxCausal against its definition, Softmax after
// adding −∞ above the diagonal, bit for bit in both dtypes (the masked entries add exact zeros
// to the same sums), on rows shorter and longer than the 16 lanes of the float32 kernels.
func TestSoftmaxCausalIsMaskedSoftmax(t *testing.T) {
	for _, dt := range []ag.DType{ag.Float32, ag.Float64} {
		for i, s := range [][]int{{1, 1}, {3, 5}, {5, 3}, {2, 17, 17}, {3, 40, 33}, {2, 2, 20, 37}} {
			tp := ag.NewTape()
			x := Cast(tp.Const(gen(signed, uint64(i+1), s...).data, s...), dt)
			x = MulScalar(x, 10) // scores of attention's magnitudes
			lq, lk := s[len(s)-2], s[len(s)-1]
			got := SoftmaxCausal(x)
			want := Softmax(Add(x, causalMaskOn(tp, dt, lq, lk)), -1)
			g, w := got.Float64s(), want.Float64s()
			for j := range w {
				if g[j] != w[j] {
					t.Fatalf("%v %s: element %d = %v, want %v (Softmax of the masked scores)", dt, sh(s), j, g[j], w[j])
				}
			}
		}
	}
}

// TestSoftmaxCausalPanics checks the typed errors of scores without two axes or keys.
func TestSoftmaxCausalPanics(t *testing.T) {
	for _, s := range [][]int{{3}, {3, 0}} {
		err := ag.Maybe(func() { SoftmaxCausal(ag.NewTape().Zeros(ag.Float32, s...)) })
		if !errors.Is(err, ag.ErrShape) || !strings.Contains(fmt.Sprint(err), "ops.SoftmaxCausal") {
			t.Errorf("SoftmaxCausal of %s: error %v, want ErrShape naming ops.SoftmaxCausal", sh(s), err)
		}
	}
}
