package ops

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
)

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

var (
	greaterK      = binMap(func(x, y float64) float64 { return b2f(x > y) })
	greaterEqualK = binMap(func(x, y float64) float64 { return b2f(x >= y) })
	lessK         = binMap(func(x, y float64) float64 { return b2f(x < y) })
	lessEqualK    = binMap(func(x, y float64) float64 { return b2f(x <= y) })
	equalK        = binMap(func(x, y float64) float64 { return b2f(x == y) })
)

// Greater returns 1 where a > b and 0 elsewhere, broadcasting, in a's dtype. No gradient flows
// through comparisons.
func Greater(a, b ag.Var) ag.Var { return binary(greaterOp, &greaterK, a, b) }

// GreaterEqual returns 1 where a ≥ b, else 0.
func GreaterEqual(a, b ag.Var) ag.Var { return binary(greaterEqualOp, &greaterEqualK, a, b) }

// Less returns 1 where a < b, else 0.
func Less(a, b ag.Var) ag.Var { return binary(lessOp, &lessK, a, b) }

// LessEqual returns 1 where a ≤ b, else 0.
func LessEqual(a, b ag.Var) ag.Var { return binary(lessEqualOp, &lessEqualK, a, b) }

// Equal returns 1 where a = b, else 0.
func Equal(a, b ag.Var) ag.Var { return binary(equalOp, &equalK, a, b) }

// Where returns a where cond is non-zero and b elsewhere, broadcasting all three. cond is
// typically the result of a comparison; no gradient flows to it. Where panics if the shapes do
// not broadcast or the dtypes differ.
func Where(cond, a, b ag.Var) ag.Var {
	const op = "ops.Where"
	cond.Check(op)
	a.Check(op)
	b.Check(op)
	dt := a.DType()
	if b.DType() != dt || cond.DType() != dt {
		ag.Panicf(op, ag.ErrDType, "cond %v, a %v, b %v: all three must have one dtype", cond.DType(), dt, b.DType())
	}
	var b1, b2 dims
	shape := broadcastShape(op, cond.Shape(), a.Shape(), &b1)
	shape = broadcastShape(op, shape, b.Shape(), &b2)
	checkRank(op, shape)
	out := ag.NewResult(whereOp, dt, shape, cond, a, b)
	if dt == ag.Float32 {
		where(out.Data32(), cond.Data32(), a.Data32(), b.Data32(), cond.Shape(), a.Shape(), b.Shape(), shape)
	} else {
		where(out.Data64(), cond.Data64(), a.Data64(), b.Data64(), cond.Shape(), a.Shape(), b.Shape(), shape)
	}
	return out
}

func where[T float](o, c, a, b []T, sc, sa, sb, shape []int) {
	if len(shape) == 0 {
		if c[0] != 0 {
			o[0] = a[0]
		} else {
			o[0] = b[0]
		}
		return
	}
	st := [4]dims{contiguousStrides(shape), broadcastStrides(sc, shape), broadcastStrides(sa, shape), broadcastStrides(sb, shape)}
	r := len(shape)
	n := shape[r-1]
	lc, la, lb := st[1][r-1], st[2][r-1], st[3][r-1]
	forRows(shape, &st, func(off [4]int) {
		ic, ia, ib := off[1], off[2], off[3]
		for i := 0; i < n; i++ {
			if c[ic] != 0 {
				o[off[0]+i] = a[ia]
			} else {
				o[off[0]+i] = b[ib]
			}
			ic, ia, ib = ic+lc, ia+la, ib+lb
		}
	})
}

// Clamp limits a to [lo, hi]; an infinite bound leaves that side open. The gradient is 1 inside
// the interval (bounds included) and 0 outside. Clamp panics with ag.ErrValue if lo > hi or a
// bound is NaN (PyTorch 1.13 silently ignores a NaN bound on the CPU).
func Clamp(a ag.Var, lo, hi float64) ag.Var {
	a.Check("ops.Clamp")
	if math.IsNaN(lo) || math.IsNaN(hi) {
		ag.Panicf("ops.Clamp", ag.ErrValue, "bounds %g, %g; want numbers (±Inf leaves a side open)", lo, hi)
	}
	if lo > hi {
		ag.Panicf("ops.Clamp", ag.ErrValue, "lo %g > hi %g", lo, hi)
	}
	l, h := ScalarLike(a, lo), ScalarLike(a, hi)
	return Where(Less(a, l), l, Where(Greater(a, h), h, a))
}

// Maximum returns the elementwise maximum of a and b, broadcasting; at ties the gradient goes
// to a. A NaN in either operand gives NaN, as in PyTorch.
func Maximum(a, b ag.Var) ag.Var {
	a.Check("ops.Maximum")
	b.Check("ops.Maximum")
	return Where(orNaN(GreaterEqual(a, b), a), a, b)
}

// Minimum returns the elementwise minimum of a and b, broadcasting; at ties the gradient goes
// to a. A NaN in either operand gives NaN, as in PyTorch.
func Minimum(a, b ag.Var) ag.Var {
	a.Check("ops.Minimum")
	b.Check("ops.Minimum")
	return Where(orNaN(LessEqual(a, b), a), a, b)
}

// orNaN returns cond, made true where a is NaN (a ≠ a), so that Where picks the NaN; a NaN in b
// already makes the comparison false.
func orNaN(cond, a ag.Var) ag.Var { return Add(cond, RSubScalar(1, Equal(a, a))) }

// Cast converts a to dtype dt; the gradient is converted back. Casting to a's own dtype returns
// a.
func Cast(a ag.Var, dt ag.DType) ag.Var {
	a.Check("ops.Cast")
	if dt != ag.Float32 && dt != ag.Float64 {
		ag.Panicf("ops.Cast", ag.ErrDType, "unsupported dtype %v", dt)
	}
	if a.DType() == dt {
		return a
	}
	out := ag.NewResult(castOp, dt, a.Shape(), a)
	if dt == ag.Float32 {
		o := out.Data32()
		for i, x := range a.Data64() {
			o[i] = float32(x)
		}
	} else {
		o := out.Data64()
		for i, x := range a.Data32() {
			o[i] = float64(x)
		}
	}
	return out
}
