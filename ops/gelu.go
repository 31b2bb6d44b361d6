package ops

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/freelist"
	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/internal/vmath"
)

// gelu returns y = a·Φ(a) = a/2·(1 + erf(a/√2)) in one pass. GELU is a primitive for speed
// (issue 12): composed of MulScalar, Erf, AddScalar and Mul it reads and writes its array five
// times forward and about fifteen times backward; the primitive takes one pass each way
// (geluGrad), and keeps the one erf per element of the composite.
func gelu(a ag.Var) ag.Var {
	const op = "ops.GELU"
	x := a.Operand(op)
	out := ag.NewResult(geluOp, x.DType, x.Shape, a)
	o := out.Operand(op)
	if x.DType == ag.Float32 {
		runGELU(&geluTasks32, geluFwd[float32], nil, o.F32, x.F32, nil, nil)
	} else {
		runGELU(&geluTasks64, geluFwd[float64], nil, o.F64, x.F64, nil, nil)
	}
	return out
}

// geluGrad returns g·(Φ(x) + x·φ(x)), GELU's derivative applied to g, in one pass; y = GELU(x)
// gives Φ(x) = y/x (½ at x = 0) without a second erf, and φ(x) = e^(−x²/2)/√(2π) comes from the
// SIMD exponential.
func geluGrad(g, x, y ag.Var) ag.Var {
	const op = "ops.GELUGrad"
	gv, xv, yv := g.Operand(op), x.Operand(op), y.Operand(op)
	out := ag.NewResult(geluGradOp, xv.DType, xv.Shape, g, x, y)
	o := out.Operand(op)
	if xv.DType == ag.Float32 {
		runGELU(&geluTasks32, nil, geluBwd[float32], o.F32, xv.F32, gv.F32, yv.F32)
	} else {
		runGELU(&geluTasks64, nil, geluBwd[float64], o.F64, xv.F64, gv.F64, yv.F64)
	}
	return out
}

// geluPhi returns Φ(x) = ½(1 + erf(x/√2)) and φ(x) = e^(−x²/2)/√(2π) as graph ops, for
// GELUGrad's rules.
func geluPhi(x ag.Var) (cdf, pdf ag.Var) {
	cdf = MulScalar(AddScalar(Erf(MulScalar(x, 1/math.Sqrt2)), 1), 0.5)
	pdf = MulScalar(Exp(MulScalar(Square(x), -0.5)), 1/math.Sqrt(2*math.Pi))
	return cdf, pdf
}

func geluFwd[T float](o, x []T) {
	x = x[:len(o)]
	if isF32[T]() {
		geluFwd32(as32(o), as32(x))
		return
	}
	for i, v := range x {
		o[i] = T(0.5 * float64(v) * (1 + math.Erf(float64(v)/math.Sqrt2)))
	}
}

// geluFwd32 is GELU in float32 through Φ(x) = ½·erfc(−x/√2), with erfc(z) for z ≥ 0 from the
// form t·exp(−z² + P(t)), t = 1/(1 + z/2), with P a degree-9 polynomial fitted by
// ops/testdata/fit_erfc.py (relative error about 10⁻⁷, below float32's resolution for every z
// we evaluate), evaluated in float64 with the SIMD
// exponential, and erfc(−z) = 2 − erfc(z). It is four times cheaper than math.Erf, which kept
// the composite's forward pass busy for a quarter of a transformer step, and keeps the negative
// tail's relative accuracy. t comes from a float32 reciprocal refined by a Newton step (geluT)
// and P is evaluated with fused multiply-adds, as the assembly loop does 8 lanes at a time: with
// a float64 division and separate products and sums, BenchmarkGELU's forward pass took 1.4 times
// as long.
func geluFwd32(o, x []float32) {
	s := geluScratch.Get()
	defer geluScratch.Put(s)
	const chunk = len(s) / 2
	for j0 := 0; j0 < len(o); j0 += chunk {
		n := min(chunk, len(o)-j0)
		xs, os, e, ts := x[j0:j0+n], o[j0:j0+n], s[:n], s[chunk:chunk+n]
		if !geluArgVec(e, ts, xs) {
			for i, v := range xs {
				z := math.Abs(float64(v)) * (1 / math.Sqrt2)
				t := geluT(z)
				ts[i] = t
				e[i] = math.FMA(-z, z, erfcPoly(t))
			}
		}
		vmath.Exp64(e, e)
		if geluOutVec(os, xs, e, ts) {
			continue
		}
		for i, v := range xs {
			half := 0.5 * e[i] * ts[i] // ½·erfc(|x|/√2)
			cdf := half
			if v > 0 {
				cdf = 1 - half
			}
			os[i] = float32(float64(v) * cdf)
		}
	}
}

// geluT returns t = 1/(1 + z/2) for z ≥ 0 or NaN: a float32 reciprocal, refined by one Newton
// step in float64 to a relative error of about 10⁻¹⁴. The divisor is clamped to 10³⁰ (NaN too),
// where erfc(z) underflows to 0 whatever t is, so that the float32 reciprocal stays normal.
func geluT(z float64) float64 {
	d := 1 + 0.5*z // exact sum of an exact half: the same with or without fusing
	if !(d < 1e30) {
		d = 1e30
	}
	t := float64(1 / float32(d))
	return t * (2 - float64(d*t)) // the conversion: no fused multiply-add, as the assembly
}

// erfcPoly is the exponent's polynomial of erfc's fit, P(t) with its constant term, by Horner's
// rule with fused multiply-adds. Its coefficients, highest degree first, come from
// ops/testdata/fit_erfc.py, a least-squares fit on Chebyshev nodes of t in [0, 1] (worst
// relative error of erfc 1.02·10⁻⁷ on z in [0, 12], as the script prints).
func erfcPoly(t float64) float64 {
	p := erfcCoef[0]
	for _, c := range erfcCoef[1:] {
		p = math.FMA(p, t, c)
	}
	return p
}

var erfcCoef = [...]float64{0.17087277765582576, -0.8221522343184886, 1.4885158890409456,
	-1.1352040001619352, 0.2788680843355061, -0.18628806161898986, 0.09678418948030174,
	0.37409195971957104, 1.0000236801577793, -1.2655122251416069}

// geluScratch holds geluFwd32's buffers: exponents, then the t = 1/(1 + z/2) they were
// computed from (one division per element, which the AVX-512 loop cannot hide).
var geluScratch freelist.List[[512]float64]

func geluBwd[T float](o, x, g, y []T) {
	x, g, y = x[:len(o)], g[:len(o)], y[:len(o)]
	if isF32[T]() && geluBwdVec(as32(o), as32(x), as32(g), as32(y), vmath.Exp32) {
		return
	}
	for i, v := range x {
		o[i] = -0.5 * v * v
	}
	expInPlace(o)
	const invSqrt2Pi = 0.3989422804014327 // 1/√(2π)
	for i, v := range x {
		cdf := T(0.5)
		if v != 0 {
			cdf = y[i] / v
		}
		o[i] = g[i] * (cdf + v*o[i]*invSqrt2Pi)
	}
}

// geluTask is GELU's forward or backward loop for the worker pool, from a free list so that a
// steady step allocates nothing.
type geluTask[T float] struct {
	fwd        func(o, x []T)
	bwd        func(o, x, g, y []T)
	o, x, g, y []T
}

// Run runs the loop over [lo, hi).
func (t *geluTask[T]) Run(lo, hi int) {
	if t.fwd != nil {
		t.fwd(t.o[lo:hi], t.x[lo:hi])
		return
	}
	t.bwd(t.o[lo:hi], t.x[lo:hi], t.g[lo:hi], t.y[lo:hi])
}

var (
	geluTasks32 freelist.List[geluTask[float32]]
	geluTasks64 freelist.List[geluTask[float64]]
)

func runGELU[T float](list *freelist.List[geluTask[T]], fwd func(o, x []T), bwd func(o, x, g, y []T), o, x, g, y []T) {
	t := list.Get()
	t.fwd, t.bwd, t.o, t.x, t.g, t.y = fwd, bwd, o, x, g, y
	parallel.ForTask(len(o), grain, t)
	*t = geluTask[T]{}
	list.Put(t)
}
