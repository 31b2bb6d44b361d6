package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
)

// TestMulGradsIntoUsedAndExact runs chains x ← x·w + c (w Mul's first operand at every other step)
// twice, with Mul's GradsInto rules in place (counting the products they add into a sum) and
// without them, and checks that the gradients of w have the same bits, and that the rules were
// used where they apply and declined where they do not: a parameter with no gradient yet (its
// buffer takes every product), one that has a gradient (the pass's own sum takes them from the
// second use), a variable on the tape (from the third use: the first product is a new result,
// which the second's sum replaces), w·w (both operands at once), a weight broadcast along rows
// and one of 2¹⁵ elements (declined), in both dtypes.
func TestMulGradsIntoUsedAndExact(t *testing.T) {
	const steps = 6
	// Without the scalar rules, which float64 scalars' nodes would take instead (scalargrads_test.go).
	defer withoutScalarGrads()()
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		for _, c := range []struct {
			kind     string
			x, w     []int
			wantUsed bool
		}{
			{"param", []int{}, []int{}, true},
			{"param", []int{3, 5}, []int{3, 5}, true},
			{"param", []int{300}, []int{300}, true}, // past the small-parameter size: the pass's sum
			{"param-with-grad", []int{7}, []int{7}, true},
			{"variable", []int{}, []int{}, true},
			{"square", []int{4}, []int{4}, true},
			{"param", []int{3, 5}, []int{5}, false},
			{"param", []int{1 << 15}, []int{1 << 15}, false},
		} {
			name := fmt.Sprintf("%v %s x%v w%v", dt, c.kind, c.x, c.w)
			rng := rand.New(rand.NewPCG(51, 52))
			size := func(s []int) int {
				n := 1
				for _, d := range s {
					n *= d
				}
				return n
			}
			values := func(n int, scale float64) []float64 {
				v := make([]float64, n)
				for i := range v {
					v[i] = scale * rng.NormFloat64()
				}
				return v
			}
			ws, xs, cs := values(size(c.w), 0.5), values(size(c.x), 1), values(max(size(c.x), size(c.w)), 1)
			out := c.x
			if size(c.w) > size(c.x) {
				out = c.w
			}
			grad := func() []uint64 {
				tp := ag.NewTape()
				var w ag.Var
				switch {
				case c.kind == "variable":
					w = Cast(tp.Variable(ws, c.w...), dt)
				case dt == ag.Float32:
					w = ag.NewParam32(to32s(ws), c.w...)
				default:
					w = ag.NewParam(ws, c.w...)
				}
				loss := func() ag.Var {
					x, cc := Cast(tp.Const(xs, c.x...), dt), Cast(tp.Const(cs, out...), dt)
					for j := range steps {
						switch {
						case c.kind == "square":
							x = Add(Mul(x, Mul(w, w)), cc)
						case j%2 == 0:
							x = Add(Mul(w, x), cc)
						default:
							x = Add(Mul(x, w), cc)
						}
					}
					return Sum(x)
				}
				if c.kind == "param-with-grad" {
					if err := ag.Backward(loss()); err != nil {
						t.Fatalf("%s: first Backward: %v", name, err)
					}
				}
				if c.kind == "variable" {
					gs, err := ag.Grad([]ag.Var{loss()}, []ag.Var{w})
					if err != nil {
						t.Fatalf("%s: Grad: %v", name, err)
					}
					return bitsOf(gs[0])
				}
				if err := ag.Backward(loss()); err != nil {
					t.Fatalf("%s: Backward: %v", name, err)
				}
				return bitsOf(w.Grad())
			}
			saved := mulOp.GradsInto
			used := 0
			mulOp.GradsInto = []func(dst, g, y ag.Var) bool{
				func(dst, g, y ag.Var) bool { ok := saved[0](dst, g, y); used += b2i(ok); return ok },
				func(dst, g, y ag.Var) bool { ok := saved[1](dst, g, y); used += b2i(ok); return ok },
			}
			with := grad()
			mulOp.GradsInto = nil
			without := grad()
			mulOp.GradsInto = saved
			if (used > 0) != c.wantUsed {
				t.Errorf("%s: Mul's GradsInto added %d products, want some: %v", name, used, c.wantUsed)
			}
			if d := cmp.Diff(without, with); d != "" {
				t.Errorf("%s: gradient bits (-without GradsInto +with):\n%s", name, d)
			}
		}
	}
}

// bitsOf returns the bit patterns of v's elements.
func bitsOf(v ag.Var) []uint64 {
	if v.DType() == ag.Float32 {
		out := make([]uint64, v.Len())
		for i, x := range v.Data32() {
			out[i] = uint64(math.Float32bits(x))
		}
		return out
	}
	out := make([]uint64, v.Len())
	for i, x := range v.Data64() {
		out[i] = math.Float64bits(x)
	}
	return out
}
