package ops

import (
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
)

// maxPoolCases covers the pooling primitives beyond MaxPool2d's own cases: maxUnpool as a
// function of the routed gradient, whose derivative is maxRoute, on an input with ties.
func maxPoolCases() []gradCase {
	win := Window(2, 2, 0, 1)
	x := []float64{1, 1, 0, 2, 0, 1, 2, 2, 3, 0, -1, -1, 0, 3, -1, -1} // ties in every window
	return []gradCase{{
		name: "MaxUnpool(g; ties)(1,1,2,2)",
		f: func(xs ...ag.Var) ag.Var {
			tp := TapeOf(xs[0])
			xv := tp.Const(x, 1, 1, 4, 4)
			z := maxUnpool(xs[0], xv, maxPool(xv, win), win)
			w := make([]float64, z.Len()) // every element's place matters
			for i := range w {
				w[i] = 1 + 0.125*float64(i%7)
			}
			return Mul(z, tp.Const(w, 1, 1, 4, 4))
		},
		in: []operand{gen(signed, 70, 1, 1, 2, 2)},
	}}
}

// TestMaxPoolMatchesComposed checks maxPool and its gradients at orders 1 and 2 against their
// definition, MaxKeepDims over Im2col with −Inf padding (which splits ties evenly too), on
// inputs of few distinct values, so that windows tie, large enough to be split over the cores.
func TestMaxPoolMatchesComposed(t *testing.T) {
	cases := []struct {
		n, c, h, w int
		win        Window2d
	}{
		{8, 16, 12, 12, Window(2, 2, 0, 1)},
		{3, 5, 7, 9, Window(2, 2, 0, 1)},  // odd sizes: a last row and column in no window
		{2, 4, 6, 37, Window(2, 2, 0, 1)}, // rows of 18 windows: 16 in a vector, 2 after
		{4, 8, 13, 11, Window2d{[2]int{3, 2}, [2]int{2, 1}, [2]int{1, 1}, [2]int{1, 2}}},
		{2, 3, 5, 5, Window(3, 1, 1, 1)},
	}
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		for _, c := range cases {
			name := fmt.Sprintf("%v (%d,%d,%d,%d) %s", dt, c.n, c.c, c.h, c.w, c.win)
			xs := gen(signed, 71, c.n, c.c, c.h, c.w).data
			for i := range xs {
				xs[i] = math.Round(xs[i] * 2) // a few distinct values: ties
			}
			run := func(fused bool) [][]float64 {
				tp := ag.NewTape()
				x := Cast(tp.Variable(xs, c.n, c.c, c.h, c.w), dt)
				var y ag.Var
				if fused {
					y = maxPool(x, c.win)
				} else {
					s := x.Shape()
					oh, ow := windowOutput("test", "input", s, c.win)
					cols := Reshape(Im2col(x, c.win, math.Inf(-1)), c.n, c.c, c.win.Kernel[0]*c.win.Kernel[1], oh*ow)
					y = Reshape(MaxKeepDims(cols, 2), c.n, c.c, oh, ow)
				}
				r := Cast(tp.Variable(gen(signed, 72, y.Shape()...).data, y.Shape()...), dt)
				g, err := ag.Grad([]ag.Var{Sum(Mul(y, r))}, []ag.Var{x}, ag.CreateGraph())
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				// Order 2 through the routing: the gradient by r of Σ (∂x)² weighted, ∂x being
				// linear in r.
				rx := Cast(tp.Const(gen(shifted, 73, c.n, c.c, c.h, c.w).data, c.n, c.c, c.h, c.w), dt)
				s := Sum(Mul(Square(g[0]), rx))
				g2, err := ag.Grad([]ag.Var{s}, []ag.Var{r})
				if err != nil {
					t.Fatalf("%s: order 2: %v", name, err)
				}
				return [][]float64{y.Float64s(), g[0].Float64s(), g2[0].Float64s()}
			}
			want, got := run(false), run(true)
			// Shares g/t of a few terms, summed in another order: float32 rounding.
			for i := range want {
				if d := cmp.Diff(want[i], got[i], cmpopts.EquateApprox(1e-6, 1e-6)); d != "" {
					t.Errorf("%s: result %d differs from MaxKeepDims(Im2col) (-want +got):\n%s", name, i, d)
				}
			}
		}
	}
}
