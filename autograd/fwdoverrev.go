package autograd

import (
	"errors"
	"slices"
)

// Forward-over-reverse Hessian-vector products. H v is the tangent of the gradient g = ∇f along
// v; g's own value is not needed. The gradient of an input x is the sum over x's consumers u of
// their vector-Jacobian products Gᵤ(ḡᵤ), ḡᵤ being the gradient of f with respect to u's output.
// When u is affine in x and its other operands do not vary with the inputs (a product x·W or W·x
// with W constant, Op.Multilinear), Gᵤ is a fixed linear map, so the tangent of Gᵤ(ḡᵤ) is
// Gᵤ(ġᵤ): the gradient is recorded only down to u, and Gᵤ applied to the tangent of ḡᵤ instead of
// to ḡᵤ. For the first layer of an MLP that skips the largest product of its backward pass,
// xᵀ·ḡ, whose value an HVP never uses.

// cut is an edge from an input to a consumer that HVP stops the recorded gradient at: input i of
// node u.
type cut struct {
	u *node
	i int
}

// cutsOf returns, for each of xs, the edges its gradient can be cut at, or nil if it must be
// differentiated whole: when it has a consumer that is not affine in it with constant other
// operands, or none. It panics as newFwdPlan does.
func cutsOf(op string, y Var, xs []Var) [][]cut {
	cuts := make([][]cut, len(xs))
	for _, x := range xs {
		if x.check(op).op != nil { // an input computed from others may depend on them
			return cuts
		}
	}
	p := newFwdPlan(op, []Var{y}, xs, true)
	defer p.release()
	nin := int32(len(xs))
	whole := make([]bool, len(xs))
	args := p.args
	for _, id := range p.order {
		n := p.nodes[id-1]
		a := args[:len(n.inputs)]
		args = args[len(n.inputs):]
		for i, ai := range a {
			if ai > nin {
				continue
			}
			j := ai - 1
			if n.op.Multilinear && n.op.flows(i) && othersConstant(p, a, i) {
				cuts[j] = append(cuts[j], cut{u: n, i: i})
			} else {
				whole[j] = true
			}
		}
	}
	for j := range cuts {
		if whole[j] {
			cuts[j] = nil
		}
	}
	return cuts
}

// othersConstant reports whether every operand of an operation but operand i, given by their
// plan ids, is independent of the plan's inputs.
func othersConstant(p *fwdPlan, args []int32, i int) bool {
	for k, a := range args {
		if k != i && p.dep[a-1] {
			return false
		}
	}
	return true
}

// pull applies the vector-Jacobian product of c's edge to c, a gradient shaped like the
// consumer's output, checking the rule's result as a backward pass does.
func (c cut) pull(op string, g Var) Var {
	gi := c.u.op.vjp(g, c.u.handle(), c.i)
	if gi.n == nil {
		return gi
	}
	if gn, in := gi.check(op), c.u.inputs[c.i].n; gn.dtype != in.dtype || !slices.Equal(gn.shape, in.shape) {
		badRule(op, c.u, c.i, gn)
	}
	return gi
}

// fwdOverRev returns H v for y = f(xs) by forward-over-reverse, the gradient recorded with
// CreateGraph down to the inputs or to the consumers they are cut at (see cutsOf) and then swept
// in forward mode. It reports false when the caller should use reverse-over-reverse instead: when
// there are no inputs, when an operation has no forward-mode rule, or when the gradient cannot be
// taken (the caller's own Grad then reports why).
func fwdOverRev(op string, y Var, xs, vs []Var, opts []Option) (hv []Var, ok bool, err error) {
	if len(xs) == 0 {
		return nil, false, nil
	}
	var cuts [][]cut
	if err := Maybe(func() { cuts = cutsOf(op, y, xs) }); err != nil {
		return nil, !errors.Is(err, ErrNoJVP), err
	}
	// The gradient is taken with respect to each input differentiated whole, or to the consumers
	// it is cut at, in the order of xs; the sums below read the tangents back in that order.
	wrt := make([]Var, 0, len(xs))
	for j, x := range xs {
		if cuts[j] == nil {
			wrt = append(wrt, x)
		}
		for _, c := range cuts[j] {
			wrt = append(wrt, c.u.handle())
		}
	}
	g, err := Grad([]Var{y}, wrt, CreateGraph())
	if err != nil {
		return nil, false, nil
	}
	o := applyOptions(opts)
	o.allowUnused = true
	err = Maybe(func() {
		tg := tangentsOf(op, g, xs, vs, &o)
		hv = make([]Var, len(xs))
		pull := func() {
			k := 0 // position in wrt
			for j, x := range xs {
				if cuts[j] == nil {
					hv[j] = tg[k]
					k++
					continue
				}
				var s Var
				for _, c := range cuts[j] {
					s = addTangents(s, c.pull(op, tg[k]))
					k++
				}
				if s.n == nil {
					s = g[0].n.tape.Zeros(x.n.dtype, x.n.shape...)
				}
				hv[j] = s
			}
		}
		noGradUnless(o.create, g[0].n.tape, pull)
	})
	if errors.Is(err, ErrNoJVP) {
		return nil, false, nil
	}
	return hv, true, err
}
