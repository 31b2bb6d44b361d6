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
	ck, err := newChecker("autograd.CheckJVP", f, inputs, opts)
	if err != nil {
		return err
	}
	for order := 1; order <= ck.cfg.order; order++ {
		for d := 0; d < ck.cfg.directions; d++ {
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

// consts returns v as constants shaped like the inputs on the checker's tape.
func (ck *checker) consts(v [][]float64) []Var {
	cs := make([]Var, len(v))
	for i := range v {
		cs[i] = ck.tape.Const(v[i], ck.shapes[i]...)
	}
	return cs
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
	numeric, err := ck.central(along(v), ck.outputsAt(order))
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
	fwd, rev := inner([][]float64{u}, [][]float64{jv}), inner(rows, v)
	return ck.compare(order, fwd, rev, fmt.Sprintf("direction %d: forward uᵀ(J v) against reverse (Jᵀu)ᵀv", d))
}

// tangentAt evaluates f at vals and returns the inputs and the tangent J v, recorded
// (CreateGraph) so that it can be differentiated in reverse mode.
func (ck *checker) tangentAt(vals, v [][]float64) (xs []Var, jv Var, err error) {
	err = Maybe(func() {
		xs = ck.variables(vals)
		y := ck.f(xs...)
		jv = tangentsOf(ck.op, []Var{y}, xs, ck.consts(v), &options{allowUnused: true, create: true})[0]
	})
	return xs, jv, err
}

// checkReverseOverForward compares the gradient of ⟨w, J v⟩ (reverse mode over the recorded
// tangent, seeded with w) along a random direction e with the central difference of ⟨w, J v⟩
// along e.
func (ck *checker) checkReverseOverForward(d int) error {
	v, e := ck.randDirection(), ck.randDirection()
	w := ck.randVec(ck.nout) // set by checkJVP's evaluation
	xs, jv, err := ck.tangentAt(ck.vals, v)
	if err != nil {
		return err
	}
	analytic := 0.0
	if jv.n.requiresGrad {
		g, err := Grad([]Var{jv}, xs, Seed(ck.tape.Const(w[:jv.n.numel()], jv.n.shape...)), AllowUnused())
		if err != nil {
			return err
		}
		for i := range g {
			for k, gk := range g[i].Float64s() {
				analytic += gk * e[i][k]
			}
		}
	}
	numeric, err := ck.central(along(e), func(vals [][]float64) ([]float64, error) {
		_, jv, err := ck.tangentAt(vals, v)
		if err != nil {
			return nil, err
		}
		return []float64{inner([][]float64{jv.Float64s()}, [][]float64{w})}, nil
	})
	if err != nil {
		return err
	}
	return ck.compare(2, analytic, numeric[0], fmt.Sprintf("direction %d: reverse-over-forward, ∇⟨w, J v⟩ along a random direction", d))
}
