package ops_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// A graphProg is a small random DAG of operations over 1–3 inputs, decoded from fuzz bytes. Every
// instruction reads operands from the pool of earlier values (the inputs first) and appends its
// result. Decoding runs the program once on the input values and keeps only the instructions that
// are well-formed for the shapes at hand, keep their values moderate, and stay away from the
// points where the op is not differentiable (a kink of ReLU/Abs/Clamp, a tie of Max, the switch
// of a Where), so that finite differences are a valid reference.
type graphProg struct {
	shapes [][]int
	vals   [][]float64
	ins    []graphInstr
	order  int
}

type graphInstr struct {
	op   int
	a, b int // operand positions in the pool
	p    int // parameter: an axis, a slice start, a scalar
}

// graphShapes are the input shapes: scalars, vectors, row and column vectors and matrices, so
// that broadcasting, MatMul and reductions over either axis all occur.
var graphShapes = [][]int{{}, {3}, {1, 3}, {2, 1}, {2, 3}, {3, 2}, {2, 2}, {3, 3}, {2, 1, 3}, {1, 2, 3}}

// margin is how far from a kink or a tie a value must be for the op to be checked: central
// differences move values by about 1e-6 times a Jacobian bounded by the value guard.
const (
	margin   = 1e-3
	maxValue = 50
)

// graphOps are the operations a program draws from; each returns the result and, when the op has
// points of non-differentiability, the values that must stay at least margin away from 0 there.
var graphOps = []struct {
	name   string
	binary bool
	apply  func(a, b ag.Var, p int) (out ag.Var, kinks []float64)
}{
	{"Neg", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.Neg(a), nil }},
	{"Tanh", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.Tanh(a), nil }},
	{"Sigmoid", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.Sigmoid(a), nil }},
	{"Softplus", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.Softplus(a), nil }},
	{"Square", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.Square(a), nil }},
	{"Exp", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.Exp(a), nil }},
	{"Log", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) {
		return ops.Log(ops.AddScalar(ops.Square(a), 0.5)), nil
	}},
	{"Sqrt", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) {
		return ops.Sqrt(ops.AddScalar(ops.Square(a), 1)), nil
	}},
	{"Abs", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.Abs(a), a.Float64s() }},
	{"ReLU", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.ReLU(a), a.Float64s() }},
	{"GELU", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.GELU(a), nil }},
	{"Erf", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.Erf(a), nil }},
	{"MulScalar", false, func(a, _ ag.Var, p int) (ag.Var, []float64) {
		return ops.MulScalar(a, float64(p%64)/16-2), nil
	}},
	{"Cube", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.PowConst(a, 3), nil }},
	{"Softmax", false, func(a, _ ag.Var, p int) (ag.Var, []float64) { return ops.Softmax(a, axisOf(a, p)), nil }},
	{"LogSoftmax", false, func(a, _ ag.Var, p int) (ag.Var, []float64) { return ops.LogSoftmax(a, axisOf(a, p)), nil }},
	{"LogSumExp", false, func(a, _ ag.Var, p int) (ag.Var, []float64) { return ops.LogSumExp(a, axisOf(a, p)), nil }},
	{"Sum", false, func(a, _ ag.Var, p int) (ag.Var, []float64) { return ops.Sum(a, axesOf(a, p)...), nil }},
	{"Mean", false, func(a, _ ag.Var, p int) (ag.Var, []float64) { return ops.Mean(a, axesOf(a, p)...), nil }},
	{"Max", false, func(a, _ ag.Var, p int) (ag.Var, []float64) {
		axes := axesOf(a, p)
		return ops.Max(a, axes...), tieGaps(a, axes)
	}},
	{"Min", false, func(a, _ ag.Var, p int) (ag.Var, []float64) {
		axes := axesOf(a, p)
		return ops.Min(a, axes...), tieGaps(a, axes)
	}},
	{"Transpose", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.Transpose(a), nil }},
	{"Flatten", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.Flatten(a), nil }},
	{"Slice", false, func(a, _ ag.Var, p int) (ag.Var, []float64) {
		if a.Rank() == 0 {
			return ops.Slice(a, 0, 0, 0), nil // refused: a scalar has no axis
		}
		ax := axisOf(a, p)
		n := a.Shape()[(ax+a.Rank())%a.Rank()]
		start := (p / 8) % max(n, 1)
		return ops.Slice(a, ax, start, n), nil
	}},
	{"Clamp", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) {
		return ops.Clamp(a, -1, 1), append(shifted(a, -1), shifted(a, 1)...)
	}},
	{"LeakyReLU", false, func(a, _ ag.Var, _ int) (ag.Var, []float64) { return ops.LeakyReLU(a, 0.1), a.Float64s() }},
	{"Add", true, func(a, b ag.Var, _ int) (ag.Var, []float64) { return ops.Add(a, b), nil }},
	{"Sub", true, func(a, b ag.Var, _ int) (ag.Var, []float64) { return ops.Sub(a, b), nil }},
	{"Mul", true, func(a, b ag.Var, _ int) (ag.Var, []float64) { return ops.Mul(a, b), nil }},
	{"Div", true, func(a, b ag.Var, _ int) (ag.Var, []float64) {
		return ops.Div(a, ops.AddScalar(ops.Square(b), 0.5)), nil
	}},
	{"Pow", true, func(a, b ag.Var, _ int) (ag.Var, []float64) {
		return ops.Pow(ops.AddScalar(ops.Square(a), 0.5), b), nil
	}},
	{"MatMul", true, func(a, b ag.Var, _ int) (ag.Var, []float64) { return ops.MatMul(a, b), nil }},
	{"MatMulT", true, func(a, b ag.Var, p int) (ag.Var, []float64) { return ops.MatMulT(a, b, p&1 != 0, p&2 != 0), nil }},
	{"Maximum", true, func(a, b ag.Var, _ int) (ag.Var, []float64) {
		return ops.Maximum(a, b), ops.Sub(a, b).Float64s()
	}},
	{"Where", true, func(a, b ag.Var, _ int) (ag.Var, []float64) {
		return ops.Where(ops.Greater(a, ops.ScalarLike(a, 0)), a, b), a.Float64s()
	}},
	{"Concat", true, func(a, b ag.Var, p int) (ag.Var, []float64) { return ops.Concat(axisOf(a, p), a, b), nil }},
}

// axisOf picks an axis of a from p, negative half the time; a scalar has none, which makes the
// op fail and the instruction be dropped.
func axisOf(a ag.Var, p int) int {
	r := a.Rank()
	if r == 0 {
		return 0
	}
	ax := p % r
	if p&0x80 != 0 {
		ax -= r
	}
	return ax
}

// axesOf picks all axes (none given) or one.
func axesOf(a ag.Var, p int) []int {
	if a.Rank() == 0 || p%3 == 0 {
		return nil
	}
	return []int{axisOf(a, p)}
}

func shifted(a ag.Var, c float64) []float64 {
	v := a.Float64s()
	for i := range v {
		v[i] -= c
	}
	return v
}

// tieGaps returns, for every group that Max reduces over axes, the gap between its largest and
// second largest values and between its smallest and second smallest (for Min).
func tieGaps(a ag.Var, axes []int) []float64 {
	s, v := a.Shape(), a.Float64s()
	groups := map[int][]float64{}
	idx := make([]int, len(s))
	for k := range v {
		rem := k
		for d := len(s) - 1; d >= 0; d-- {
			idx[d] = rem % s[d]
			rem /= s[d]
		}
		key := 0
		for d := range s {
			reduced := len(axes) == 0
			for _, ax := range axes {
				if (ax+len(s))%len(s) == d {
					reduced = true
				}
			}
			if !reduced {
				key = key*s[d] + idx[d]
			}
		}
		groups[key] = append(groups[key], v[k])
	}
	var gaps []float64
	for _, g := range groups {
		for i := range g {
			for j := i + 1; j < len(g); j++ {
				gaps = append(gaps, g[i]-g[j])
			}
		}
	}
	return gaps
}

// decodeGraph reads a program: prog[0] gives the number of inputs (low nibble mod 3, plus 1) and whether to
// check second derivatives (bit 4); the next bytes give the inputs' shapes; then every three
// bytes are an instruction: the op, the operands (low and high nibble), a parameter. Values come from raw as multiples of 1/64
// in [−2, 2), nudged apart so that no two are equal.
func decodeGraph(prog, raw []byte) *graphProg {
	next := func() int {
		if len(prog) == 0 {
			return 0
		}
		b := prog[0]
		prog = prog[1:]
		return int(b)
	}
	h := next()
	g := &graphProg{order: 1}
	if h&0x10 != 0 {
		g.order = 2
	}
	nIn := (h&0x0f)%3 + 1
	salt := 0
	for i := 0; i < nIn; i++ {
		s := graphShapes[next()%len(graphShapes)]
		g.shapes = append(g.shapes, s)
		v := make([]float64, refNumel(s))
		for k := range v {
			b := byte(salt * 29)
			if len(raw) > 0 {
				b += raw[salt%len(raw)]
			}
			v[k] = float64(int8(b))/64 + float64(salt)*1e-2
			salt++
		}
		g.vals = append(g.vals, v)
	}
	for len(prog) >= 3 && len(g.ins) < 8 {
		op, ab, p := next(), next(), next()
		g.ins = append(g.ins, graphInstr{op: op % len(graphOps), a: ab & 15, b: ab >> 4, p: p})
	}
	return g
}

// run builds the program on xs. With validate set it drops the instructions that fail, leave the
// safe range or sit near a kink, and keeps the rest in g.ins; otherwise it replays g.ins.
func (g *graphProg) run(xs []ag.Var, validate bool) ag.Var {
	pool := append([]ag.Var(nil), xs...)
	var kept []graphInstr
	for _, in := range g.ins {
		op := graphOps[in.op]
		a, b := pool[in.a%len(pool)], pool[in.b%len(pool)]
		if !validate {
			pool = append(pool, mustOp(op.apply(a, b, in.p)))
			continue
		}
		var out ag.Var
		var kinks []float64
		if err := ag.Maybe(func() { out, kinks = op.apply(a, b, in.p) }); err != nil {
			continue // the shapes do not fit this op: drop it
		}
		if !safe(out.Float64s(), kinks) {
			continue
		}
		pool = append(pool, out)
		kept = append(kept, in)
	}
	if validate {
		g.ins = kept
	}
	return pool[len(pool)-1]
}

func mustOp(v ag.Var, _ []float64) ag.Var { return v }

func safe(vals, kinks []float64) bool {
	for _, v := range vals {
		if math.IsNaN(v) || math.Abs(v) > maxValue {
			return false
		}
	}
	for _, k := range kinks {
		if math.Abs(k) < margin {
			return false
		}
	}
	return true
}

func (g *graphProg) String() string {
	var b strings.Builder
	for i, s := range g.shapes {
		fmt.Fprintf(&b, "x%d%s ", i, ag.FormatShape(s))
	}
	for i, in := range g.ins {
		n := len(g.shapes) + i
		op := graphOps[in.op]
		if op.binary {
			fmt.Fprintf(&b, "; v%d = %s(v%d, v%d; %d)", n, op.name, in.a%n, in.b%n, in.p)
		} else {
			fmt.Fprintf(&b, "; v%d = %s(v%d; %d)", n, op.name, in.a%n, in.p)
		}
	}
	fmt.Fprintf(&b, " (order %d)", g.order)
	return b.String()
}

// FuzzGraphGradients builds random graphs of ops and checks their derivatives (and, for some,
// their second derivatives) against central finite differences with autograd.CheckGrad, and
// their forward-mode derivatives with autograd.CheckJVP.
func FuzzGraphGradients(f *testing.F) {
	// Instructions are {op, operands b<<4|a, parameter}; ops are indexed in graphOps.
	f.Add([]byte{0, 4, 1, 0x00, 0, 2, 0x01, 0, 17, 0x02, 1}, []byte{1, 2, 3, 4, 5, 6})                     // Sum(σ(tanh x)), x (2,3)
	f.Add([]byte{1, 4, 5, 31, 0x10, 0, 14, 0x02, 1, 15, 0x03, 0x80}, []byte{7, 200, 13, 90})               // LogSoftmax(Softmax(x·y))
	f.Add([]byte{2, 4, 1, 3, 26, 0x10, 0, 28, 0x23, 0, 27, 0x04, 0, 17, 0x05, 0}, []byte{99, 3, 250})      // broadcasting Add, Mul, Sub
	f.Add([]byte{0x11, 7, 2, 16, 0x00, 1, 29, 0x10, 0, 15, 0x03, 0x81, 28, 0x24, 0}, []byte{5, 17, 33})    // LogSumExp, Div; order 2
	f.Add([]byte{1, 4, 4, 19, 0x00, 1, 33, 0x10, 0, 34, 0x31, 0, 20, 0x04, 0}, []byte{11, 22, 33, 44, 55}) // Max, Maximum, Where, Min
	f.Add([]byte{0x10, 8, 24, 0, 0, 8, 0, 0, 25, 0, 0, 6, 3, 0, 26, 0x14, 0, 26, 0x25, 0}, []byte{250, 8, 16, 32})
	f.Add([]byte{2, 4, 4, 3, 35, 0x10, 1, 23, 0x03, 17, 21, 0x04, 0, 18, 0x05, 1, 35, 0x22, 1}, []byte{1, 128, 64})
	f.Add([]byte{0x11, 5, 6, 31, 0x10, 0, 32, 0x20, 1, 30, 0x13, 0, 5, 4, 0, 10, 5, 0, 11, 6, 0}, []byte{3, 6, 9, 12})
	f.Fuzz(func(t *testing.T, prog, raw []byte) {
		g := decodeGraph(prog, raw)
		tp := ag.NewTape()
		xs := make([]ag.Var, len(g.vals))
		for i, v := range g.vals {
			xs[i] = tp.Variable(v, g.shapes[i]...)
		}
		g.run(xs, true)
		inputs := make([]ag.Var, len(g.vals))
		for i, v := range g.vals {
			inputs[i] = ag.NewParam(v, g.shapes[i]...)
		}
		fn := func(xs ...ag.Var) ag.Var { return g.run(xs, false) }
		err := ag.CheckGrad(fn, inputs, ag.Order(g.order), ag.Tolerance(1e-5, 1e-3))
		if err != nil {
			if errors.Is(err, ag.ErrGradCheck) {
				t.Fatalf("%v\n%v", g, err)
			}
			t.Fatalf("%v: not a gradient-check failure: %v", g, err)
		}
		// Forward mode on the same graph: J v against central differences and against reverse
		// mode (and, at order 2, forward-over-reverse and reverse-over-forward).
		err = ag.CheckJVP(fn, inputs, ag.Order(g.order), ag.Tolerance(1e-5, 1e-3))
		if err != nil {
			if errors.Is(err, ag.ErrGradCheck) {
				t.Fatalf("%v\n%v", g, err)
			}
			t.Fatalf("%v: not a forward-mode check failure: %v", g, err)
		}
	})
}
