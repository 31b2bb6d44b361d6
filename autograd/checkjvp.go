package autograd

import "fmt"

// CheckJVP checks the forward-mode derivatives (Tangents) of f at inputs, as CheckGrad checks the
// reverse-mode ones: for random directions v (Directions, default 3) it compares every element
// of the Jacobian-vector product J v with the central difference (f(x+εv) − f(x−εv))/2ε, and
// checks that forward and reverse mode agree, uᵀ(J v) = (Jᵀu)ᵀv for a random u. With Order(2)
// it runs the same checks on x ↦ Jᵀu recorded with CreateGraph (forward-over-reverse against
// finite differences and against reverse-over-reverse), which checks the forward-mode rules of
// the backward pass's own operations, and it checks reverse-over-forward: the gradient of
// ⟨w, J v⟩, the tangent recorded with CreateGraph, against its central difference. inputs are
// templates, as for CheckGrad, and must be float64.
//
// CheckJVP returns nil when all derivatives agree, and otherwise an error wrapping ErrGradCheck
// that names the order, the direction, the element and both values, or the error Tangents or
// Grad returned.
func CheckJVP(f func(xs ...Var) Var, inputs []Var, opts ...CheckOption) error {
	c := checkConfigOf(opts)
	ck, err := newChecker("autograd.CheckJVP", f, inputs, c)
	if err != nil {
		return err
	}
	for order := 1; order <= c.order; order++ {
		for d := 0; d < c.directions; d++ {
			if err := ck.checkJVP(order, d); err != nil {
				return err
			}
			if order == 2 {
				if err := ck.checkReverseOverForward(d); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// randDirection returns a random vector per input.
func (ck *checker) randDirection() [][]float64 {
	v := make([][]float64, len(ck.vals))
	for i := range v {
		v[i] = ck.randVec(len(ck.vals[i]))
	}
	return v
}

// consts returns v as constants shaped like the inputs on the checker's tape.
func (ck *checker) consts(v [][]float64) []Var {
	cs := make([]Var, len(v))
	for i := range v {
		cs[i] = ck.tape.Const(v[i], ck.shapes[i]...)
	}
	return cs
}

// along returns the perturbation x + s·v for central.
func along(v [][]float64) func(vals [][]float64, s float64) {
	return func(vals [][]float64, s float64) {
		for i := range vals {
			for k := range vals[i] {
				vals[i][k] += s * v[i][k]
			}
		}
	}
}

// checkJVP compares J v for one random v with central differences, and uᵀ(J v) with (Jᵀu)ᵀv,
// for the function checked at the given order (f, or x ↦ Jᵀu).
func (ck *checker) checkJVP(order, d int) error {
	xs, outs, err := ck.eval(order, ck.vals)
	if err != nil {
		return err
	}
	nout := len(values(outs))
	v := ck.randDirection()
	var jv []float64
	if len(outs) > 0 {
		if err := Maybe(func() {
			jv = values(tangentsOf(ck.op, outs, xs, ck.consts(v), &options{allowUnused: true}))
		}); err != nil {
			return err
		}
	}
	u := ck.randVec(nout)
	rows, err := ck.vjp(xs, outs, u) // before central, which resets the tape
	if err != nil {
		return err
	}
	numeric, err := ck.central(order, along(v))
	if err != nil {
		return err
	}
	if jv == nil {
		jv = make([]float64, len(numeric))
	}
	for j := range numeric {
		if err := ck.compare(order, jv[j], numeric[j], fmt.Sprintf("direction %d: element %d of J v", d, j)); err != nil {
			return err
		}
	}
	fwd, rev := 0.0, 0.0
	for j := range jv {
		fwd += u[j] * jv[j]
	}
	for i := range rows {
		for k := range rows[i] {
			rev += rows[i][k] * v[i][k]
		}
	}
	return ck.compare(order, fwd, rev, fmt.Sprintf("direction %d: forward uᵀ(J v) against reverse (Jᵀu)ᵀv", d))
}

// tangentAt evaluates f at vals and returns the inputs and ⟨w, J v⟩ with the tangent recorded
// (CreateGraph), so that it can be differentiated in reverse mode.
func (ck *checker) tangentAt(vals, v [][]float64, w []float64) (xs []Var, s Var, err error) {
	ck.tape.Reset()
	err = Maybe(func() {
		xs = make([]Var, len(vals))
		for i := range vals {
			xs[i] = ck.tape.Variable(vals[i], ck.shapes[i]...)
		}
		y := ck.f(xs...)
		jv := tangentsOf(ck.op, []Var{y}, xs, ck.consts(v), &options{allowUnused: true, create: true})[0]
		s = dot(jv, ck.tape.Const(w[:jv.n.numel()], jv.n.shape...))
	})
	return xs, s, err
}

// checkReverseOverForward compares the gradient of ⟨w, J v⟩ (reverse mode over the recorded
// tangent) along a random direction e with the central difference of ⟨w, J v⟩ along e.
func (ck *checker) checkReverseOverForward(d int) error {
	v, e := ck.randDirection(), ck.randDirection()
	w := ck.randVec(ck.outLen())
	xs, s, err := ck.tangentAt(ck.vals, v, w)
	if err != nil {
		return err
	}
	analytic := 0.0
	if s.n.requiresGrad {
		g, err := Grad([]Var{s}, xs, AllowUnused())
		if err != nil {
			return err
		}
		for i := range g {
			for k, gk := range g[i].Float64s() {
				analytic += gk * e[i][k]
			}
		}
	}
	vals := make([][]float64, len(ck.vals))
	for i := range vals {
		vals[i] = append([]float64(nil), ck.vals[i]...)
	}
	along(e)(vals, ck.cfg.eps)
	_, sp, err := ck.tangentAt(vals, v, w)
	if err != nil {
		return err
	}
	plus := sp.Item()
	along(e)(vals, -2*ck.cfg.eps)
	_, sm, err := ck.tangentAt(vals, v, w)
	if err != nil {
		return err
	}
	numeric := (plus - sm.Item()) / (2 * ck.cfg.eps)
	return ck.compare(2, analytic, numeric, fmt.Sprintf("direction %d: reverse-over-forward, ∇⟨w, J v⟩ along a random direction", d))
}

// outLen returns the number of elements of f's value at the checked point.
func (ck *checker) outLen() int {
	_, outs, err := ck.eval(1, ck.vals)
	if err != nil {
		return 0
	}
	return len(values(outs))
}

// dot returns ⟨a, b⟩ as a recorded scalar, with the core's own operations: a·b elementwise
// summed by a chain of accumulations would be one node per element, so it is recorded as one
// dotOp node.
func dot(a, b Var) Var {
	out := NewResult(dotOp, Float64, nil, a, b)
	s := 0.0
	for i, x := range a.Float64s() {
		s += x * b.At(i)
	}
	out.n.f64[0] = s
	return out
}

// dotOp is ⟨a, b⟩ of two float64 values of one shape, for CheckJVP: ∂a = g·b, ∂b = g·a.
var dotOp = &Op{
	Name: "autograd.dot",
	Grads: []func(g, y Var) Var{
		func(g, y Var) Var { return scaled(y.n.inputs[1], g) },
		func(g, y Var) Var { return scaled(y.n.inputs[0], g) },
	},
}

// scaled returns v times the scalar s, as a value (first-order only: CheckJVP differentiates
// ⟨w, J v⟩ once).
func scaled(v, s Var) Var {
	out := v.n.tape.newNode(Float64, v.n.shape)
	k := s.Item()
	for i, x := range v.n.f64 {
		out.f64[i] = x * k
	}
	return out.handle()
}
