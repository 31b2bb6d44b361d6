package ops

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
)

// TestConvFusedMatchesComposed checks the fused convolution against its definition,
// MatMul(w, Im2col(x)) + b, on batches large enough to be split over the cores (whose images
// are unfolded straight into the GEMM's panels) and on one too small to split: the value and
// the gradients of x, w and b of Σ r·y for a fixed r, in both dtypes.
func TestConvFusedMatchesComposed(t *testing.T) {
	cases := []struct {
		n, c, o, h, w int
		win           Window2d
	}{
		{8, 16, 24, 12, 12, Window(3, 1, 0, 1)},
		{6, 8, 16, 13, 11, Window2d{[2]int{3, 2}, [2]int{2, 1}, [2]int{1, 1}, [2]int{1, 2}}},
		{12, 8, 16, 13, 11, Window2d{[2]int{3, 2}, [2]int{2, 1}, [2]int{1, 1}, [2]int{1, 2}}},
		// taps and positions beyond a GEMM depth block and a partial panel of taps, padded
		{4, 33, 16, 20, 18, Window(3, 1, 1, 1)},
		{16, 32, 32, 8, 8, Window(1, 1, 0, 1)}, // the columns are the image
		{3, 4, 5, 6, 6, Window(2, 2, 1, 1)},    // too small to split
	}
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		for _, c := range cases {
			name := fmt.Sprintf("%v n%d c%d o%d %dx%d %s", dt, c.n, c.c, c.o, c.h, c.w, c.win)
			kk := c.win.Kernel[0] * c.win.Kernel[1]
			xo, wo := gen(signed, 60, c.n, c.c, c.h, c.w), gen(shifted, 61, c.o, c.c*kk)
			run := func(fused bool) [][]float64 {
				tp := ag.NewTape()
				x := Cast(tp.Variable(xo.data, c.n, c.c, c.h, c.w), dt)
				w := Cast(tp.Variable(wo.data, c.o, c.c*kk), dt)
				b := Cast(tp.Variable(gen(signed, 63, c.o).data, c.o), dt)
				var y ag.Var
				if fused {
					y = convFusedBias(x, w, b, c.win)
				} else {
					y = Add(MatMul(w, Im2col(x, c.win, 0)), Reshape(b, c.o, 1))
				}
				r := Cast(tp.Const(gen(signed, 62, y.Shape()...).data, y.Shape()...), dt)
				gs, err := ag.Grad([]ag.Var{Sum(Mul(y, r))}, []ag.Var{x, w, b})
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				return [][]float64{y.Float64s(), gs[0].Float64s(), gs[1].Float64s(), gs[2].Float64s()}
			}
			want, got := run(false), run(true)
			// Sums of up to a few thousand products of magnitude ≤ 2.25, in another order: the
			// float32 rounding of such sums.
			tol := 1e-12
			if dt == ag.Float32 {
				tol = 1e-4
			}
			for i, what := range []string{"value", "∂x", "∂w", "∂b"} {
				if d := cmp.Diff(want[i], got[i], cmpopts.EquateApprox(tol, tol)); d != "" {
					t.Errorf("%s: %s differs from MatMul(w, Im2col(x)) (-want +got):\n%s", name, what, d)
				}
			}
		}
	}
}
