package ops_test

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// A naive broadcasting reference, written from the NumPy rules with plain index arithmetic and
// nothing from package ops: shapes are aligned at the right, and a dimension of 1 (or a missing
// leading one) repeats along the other operand's dimension.

// refShape returns the broadcast of a and b, or false if they do not broadcast.
func refShape(a, b []int) ([]int, bool) {
	r := max(len(a), len(b))
	out := make([]int, r)
	for i := 0; i < r; i++ { // i counts from the right
		da, db := 1, 1
		if i < len(a) {
			da = a[len(a)-1-i]
		}
		if i < len(b) {
			db = b[len(b)-1-i]
		}
		switch {
		case da == db, db == 1:
			out[r-1-i] = da
		case da == 1:
			out[r-1-i] = db
		default:
			return nil, false
		}
	}
	return out, true
}

func refNumel(s []int) int {
	n := 1
	for _, d := range s {
		n *= d
	}
	return n
}

// refUnravel returns the multi-index of flat row-major position k in shape.
func refUnravel(k int, shape []int) []int {
	idx := make([]int, len(shape))
	for i := len(shape) - 1; i >= 0; i-- {
		idx[i] = k % shape[i]
		k /= shape[i]
	}
	return idx
}

// refOffset returns the flat position in an operand of shape s of the element that broadcasting
// reads at multi-index idx of the (larger) output.
func refOffset(idx, s []int) int {
	off := 0
	lead := len(idx) - len(s)
	for i, d := range s {
		j := idx[lead+i]
		if d == 1 {
			j = 0
		}
		off = off*d + j
	}
	return off
}

// refBinary computes f(a, b) elementwise with broadcasting.
func refBinary(f func(x, y float64) float64, a []float64, sa []int, b []float64, sb []int) ([]float64, []int, bool) {
	out, ok := refShape(sa, sb)
	if !ok {
		return nil, nil, false
	}
	o := make([]float64, refNumel(out))
	for k := range o {
		idx := refUnravel(k, out)
		o[k] = f(a[refOffset(idx, sa)], b[refOffset(idx, sb)])
	}
	return o, out, true
}

// refBroadcastTo repeats a (shape sa) to shape, which sa must broadcast to.
func refBroadcastTo(a []float64, sa, shape []int) []float64 {
	o := make([]float64, refNumel(shape))
	for k := range o {
		o[k] = a[refOffset(refUnravel(k, shape), sa)]
	}
	return o
}

// refSumTo sums x (shape sx) down to shape s, which must broadcast to sx.
func refSumTo(x []float64, sx, s []int) []float64 {
	o := make([]float64, refNumel(s))
	for k, v := range x {
		o[refOffset(refUnravel(k, sx), s)] += v
	}
	return o
}

// refBroadcastsTo reports whether s broadcasts to out without changing out.
func refBroadcastsTo(s, out []int) bool {
	b, ok := refShape(s, out)
	return ok && cmp.Equal(b, out)
}

// allShapes returns every shape of rank 0 to 3 with dimensions in 1..3.
func allShapes() [][]int {
	shapes := [][]int{{}}
	frontier := [][]int{{}}
	for r := 1; r <= 3; r++ {
		var next [][]int
		for _, s := range frontier {
			for d := 1; d <= 3; d++ {
				next = append(next, append(append([]int{}, s...), d))
			}
		}
		shapes = append(shapes, next...)
		frontier = next
	}
	return shapes
}

// values returns n small distinct values, exactly representable, depending on seed.
func values(n, seed int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = float64((i*7+seed*3)%23-11) / 4
	}
	return v
}

// wantShapeErr checks that err is an *autograd.Error wrapping ErrShape from op.
func wantShapeErr(t *testing.T, name string, err error, op string) {
	t.Helper()
	var e *ag.Error
	if !errors.As(err, &e) || !errors.Is(err, ag.ErrShape) || e.Op != op {
		t.Errorf("%s: error %v, want an *autograd.Error from %s wrapping ErrShape", name, err, op)
	}
}

// TestBroadcastAgainstReference compares Add, Mul, Where, BroadcastTo and SumTo with the naive
// reference for every pair of shapes of rank ≤ 3 with dimensions ≤ 3 (1600 pairs), in both
// dtypes. The values are multiples of 1/4 below 3 in magnitude, so sums and products are exact
// in float32 and float64 and results must be equal, not just close.
func TestBroadcastAgainstReference(t *testing.T) {
	shapes := allShapes()
	binops := []struct {
		name string
		op   func(a, b ag.Var) ag.Var
		ref  func(x, y float64) float64
	}{
		{"Add", ops.Add, func(x, y float64) float64 { return x + y }},
		{"Mul", ops.Mul, func(x, y float64) float64 { return x * y }},
		{"Sub", ops.Sub, func(x, y float64) float64 { return x - y }},
	}
	for _, dt := range dtypes {
		tp := ag.NewTape()
		for i, sa := range shapes {
			for j, sb := range shapes {
				tp.Reset()
				av, bv := values(refNumel(sa), i), values(refNumel(sb), j+1)
				x, y := constant(tp, dt, a(sa, av...)), constant(tp, dt, a(sb, bv...))
				for _, b := range binops {
					name := fmt.Sprintf("%s%s%s %v", b.name, fmtShape(sa), fmtShape(sb), dt)
					want, wantShape, ok := refBinary(b.ref, av, sa, bv, sb)
					var got ag.Var
					err := ag.Maybe(func() { got = b.op(x, y) })
					if !ok {
						wantShapeErr(t, name, err, "ops."+b.name)
						continue
					}
					if err != nil {
						t.Errorf("%s: %v", name, err)
						continue
					}
					if !cmp.Equal(got.Shape(), wantShape) || !cmp.Equal(got.Float64s(), want) {
						t.Errorf("%s = %v, want shape %v values %v", name, got, wantShape, want)
					}
				}

				// Where(c, x, y) with a condition of a third shape.
				sc := shapes[(i*7+j*3)%len(shapes)]
				cv := make([]float64, refNumel(sc))
				for k := range cv {
					cv[k] = float64((k + i + j) % 2)
				}
				c := constant(tp, dt, a(sc, cv...))
				name := fmt.Sprintf("Where%s%s%s %v", fmtShape(sc), fmtShape(sa), fmtShape(sb), dt)
				var got ag.Var
				err := ag.Maybe(func() { got = ops.Where(c, x, y) })
				ab, ok1 := refShape(sa, sb)
				out, ok2 := refShape(sc, ab)
				if !ok1 || !ok2 {
					wantShapeErr(t, name, err, "ops.Where")
				} else if err != nil {
					t.Errorf("%s: %v", name, err)
				} else {
					want := make([]float64, refNumel(out))
					for k := range want {
						idx := refUnravel(k, out)
						if cv[refOffset(idx, sc)] != 0 {
							want[k] = av[refOffset(idx, sa)]
						} else {
							want[k] = bv[refOffset(idx, sb)]
						}
					}
					if !cmp.Equal(got.Shape(), out) || !cmp.Equal(got.Float64s(), want) {
						t.Errorf("%s = %v, want shape %v values %v", name, got, out, want)
					}
				}

				// BroadcastTo(x, sb) and SumTo(y, sa).
				name = fmt.Sprintf("BroadcastTo%s→%s %v", fmtShape(sa), fmtShape(sb), dt)
				err = ag.Maybe(func() { got = ops.BroadcastTo(x, sb...) })
				if !refBroadcastsTo(sa, sb) {
					wantShapeErr(t, name, err, "ops.BroadcastTo")
				} else if err != nil {
					t.Errorf("%s: %v", name, err)
				} else if want := refBroadcastTo(av, sa, sb); !cmp.Equal(got.Shape(), sb) || !cmp.Equal(got.Float64s(), want) {
					t.Errorf("%s = %v, want values %v", name, got, want)
				}
				name = fmt.Sprintf("SumTo%s→%s %v", fmtShape(sb), fmtShape(sa), dt)
				err = ag.Maybe(func() { got = ops.SumTo(y, sa...) })
				if !refBroadcastsTo(sa, sb) {
					wantShapeErr(t, name, err, "ops.SumTo")
				} else if err != nil {
					t.Errorf("%s: %v", name, err)
				} else if want := refSumTo(bv, sb, sa); !cmp.Equal(got.Shape(), sa, cmpEmpty) || !cmp.Equal(got.Float64s(), want) {
					t.Errorf("%s = %v, want values %v", name, got, want)
				}
			}
		}
	}
}

// cmpEmpty makes a nil shape equal to an empty one.
var cmpEmpty = cmp.Comparer(func(x, y []int) bool { return len(x) == 0 && len(y) == 0 || cmp.Equal(x, y) })

func fmtShape(s []int) string { return ag.FormatShape(s) }

// TestReferenceSelf pins the reference itself on hand-computed cases, so that a bug in it cannot
// hide one in ops.
func TestReferenceSelf(t *testing.T) {
	got, shape, ok := refBinary(func(x, y float64) float64 { return x + y }, []float64{1, 2}, []int{2, 1}, []float64{10, 20, 30}, []int{3})
	if want, wantShape := []float64{11, 21, 31, 12, 22, 32}, []int{2, 3}; !ok || !cmp.Equal(got, want) || !cmp.Equal(shape, wantShape) {
		t.Errorf("refBinary((2,1)+(3)) = %v %v %v, want %v %v", got, shape, ok, want, wantShape)
	}
	if _, _, ok := refBinary(func(x, y float64) float64 { return x }, []float64{1, 2}, []int{2}, []float64{1, 2, 3}, []int{3}); ok {
		t.Errorf("refBinary((2)+(3)) broadcast, want no")
	}
	if got, want := refSumTo([]float64{1, 2, 3, 4, 5, 6}, []int{2, 3}, []int{2, 1}), []float64{6, 15}; !cmp.Equal(got, want) {
		t.Errorf("refSumTo((2,3)→(2,1)) = %v, want %v", got, want)
	}
	if got, want := refBroadcastTo([]float64{1, 2}, []int{2, 1}, []int{2, 2}), []float64{1, 1, 2, 2}; !cmp.Equal(got, want) {
		t.Errorf("refBroadcastTo((2,1)→(2,2)) = %v, want %v", got, want)
	}
}

// TestAddRowVector checks Add of a row vector to every row of a matrix (a layer's bias), whose
// rows shorter than 16 take a loop of their own and longer ones the vectorised kernel row by
// row, against element-wise addition in Go, bit for bit (IEEE addition has one correctly
// rounded result), with signed zeros, infinities and NaN among the values.
func TestAddRowVector(t *testing.T) {
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e300, -1e-300, 0.1, -2.5}
	for _, n := range []int{1, 4, 15, 16, 17, 40} {
		for _, dt := range dtypes {
			const rows = 3
			av, bv := make([]float64, rows*n), make([]float64, n)
			for i := range av {
				av[i] = special[(i*5+1)%len(special)] + float64(i%3)/3
			}
			for j := range bv {
				bv[j] = special[(j*7+3)%len(special)] - float64(j%4)/7
			}
			tp := ag.NewTape()
			x, y := constant(tp, dt, a([]int{rows, n}, av...)), constant(tp, dt, a([]int{n}, bv...))
			got := ops.Add(x, y).Float64s()
			xs, ys := x.Float64s(), y.Float64s() // the operands as stored, rounded to dt
			for i, g := range got {
				w := xs[i] + ys[i%n]
				if dt == ag.Float32 {
					w = float64(float32(xs[i]) + float32(ys[i%n]))
				}
				if math.Float64bits(g) != math.Float64bits(w) && !(math.IsNaN(g) && math.IsNaN(w)) {
					t.Errorf("(%d,%d)+(%d) %v: element %d = %v, want %v", rows, n, n, dt, i, g, w)
				}
			}
		}
	}
}
