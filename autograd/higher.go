package autograd

import "errors"

// HVP returns the Hessian-vector product H v of the scalar function f at x, H being the Hessian
// of f with respect to x, without forming H: the second-order term of the Taylor expansion
// f(x+d) ≈ f(x) + ∇f·d + ½ dᵀHd. H v is the directional derivative of g = ∇f(x) along v, so g is
// recorded with CreateGraph and swept in forward mode with v as x's tangent
// (forward-over-reverse). g's own value is never needed: where x only enters bilinear operations
// with a constant other operand (x·W or W·x, Op.Multilinear), g is recorded only down to them
// and their vector-Jacobian product applied to the tangent there. For an MLP that skips the
// backward pass's largest product, and HVP measures about 1.2 times faster than
// reverse-over-reverse (bench/forward_test.go, BenchmarkMLPHVP); otherwise both do the same
// arithmetic and measure on par. When an operation on the way has no forward-mode rule (Op.JVP),
// HVP falls back to reverse-over-reverse (HVPRev). With CreateGraph the result can be
// differentiated again. x must need a gradient (a parameter or a Tape.Variable); v must have x's
// shape and dtype. HVP returns an error if f's value is not a scalar, or on a shape or dtype
// mismatch.
func HVP(f func(x Var) Var, x, v Var, opts ...Option) (Var, error) {
	return hvp("autograd.HVP", f, x, v, true, opts)
}

// HVPRev is HVP by reverse-over-reverse only: the recorded gradient g = ∇f(x) differentiated
// again in reverse mode with v as its seed (vᵀH = (Hv)ᵀ, H being symmetric). It needs no
// forward-mode rules, so it serves operations that have none.
func HVPRev(f func(x Var) Var, x, v Var, opts ...Option) (Var, error) {
	return hvp("autograd.HVPRev", f, x, v, false, opts)
}

// hvp is hvps for one input.
func hvp(op string, f func(x Var) Var, x, v Var, fwd bool, opts []Option) (Var, error) {
	hv, err := hvps(op, func(xs ...Var) Var { return f(xs[0]) }, []Var{x}, []Var{v}, fwd, opts)
	if err != nil {
		return Var{}, err
	}
	return hv[0], nil
}

// HVPs is HVP for a scalar function of several inputs, as torch.autograd.functional.hvp with a
// tuple of inputs: with H the Hessian of f with respect to all of xs together and v the
// concatenation of vs, it returns H v split like xs, so that result i is Σⱼ ∂²f/∂xᵢ∂xⱼ · vⱼ,
// computed as HVP computes it with the vs as the xs' tangents (each gradient cut where all its
// input's uses allow it), or by HVPsRev, which seeds each gⱼ with vⱼ. Every x must need a
// gradient, and vs must match xs in number, shapes and dtypes. HVPs returns an error if f's
// value is not a scalar, or on a count, shape or dtype mismatch.
func HVPs(f func(xs ...Var) Var, xs, vs []Var, opts ...Option) ([]Var, error) {
	return hvps("autograd.HVPs", f, xs, vs, true, opts)
}

// HVPsRev is HVPs by reverse-over-reverse only, as HVPRev.
func HVPsRev(f func(xs ...Var) Var, xs, vs []Var, opts ...Option) ([]Var, error) {
	return hvps("autograd.HVPsRev", f, xs, vs, false, opts)
}

// hvps is HVPs by forward-over-reverse (fwdOverRev) when fwd is set and every operation has a
// forward-mode rule, and by reverse-over-reverse otherwise.
func hvps(op string, f func(xs ...Var) Var, xs, vs []Var, fwd bool, opts []Option) ([]Var, error) {
	if err := Maybe(func() { checkVectors(op, "vector", xs, vs) }); err != nil {
		return nil, err
	}
	var y Var
	if err := Maybe(func() { y = f(xs...) }); err != nil {
		return nil, err
	}
	if fwd {
		if hv, ok, err := fwdOverRev(op, y, xs, vs, opts); ok {
			return hv, err
		}
	}
	g, err := Grad([]Var{y}, xs, CreateGraph())
	if err != nil {
		return nil, err
	}
	// Gradients that need no gradient are constants (f is linear in their input): their
	// derivatives, and their terms of H v, are zero.
	var outs, seeds []Var
	for j := range g {
		if g[j].n.requiresGrad {
			outs, seeds = append(outs, g[j]), append(seeds, vs[j])
		}
	}
	if len(outs) == 0 {
		zeros := make([]Var, len(xs))
		for i, x := range xs { // checked by checkVectors: Zeros cannot panic
			zeros[i] = g[i].n.tape.Zeros(x.n.dtype, x.n.shape...)
		}
		return zeros, nil
	}
	return Grad(outs, xs, append(opts, Seed(seeds...), AllowUnused())...)
}

// Hessian returns the Hessian of the scalar function f at x as a new n×n float64 constant, where
// n is the number of elements of x (in row-major order): H[i*n+j] = ∂²f/∂xᵢ∂xⱼ. The gradient
// ∇f is recorded once, then swept in forward mode once per column with the unit vectors as x's
// tangent (forward-over-reverse: the sweep is planned once for all columns, which measures
// 1.3–1.4 times faster than one reverse pass per row), or, when an operation on the way has no
// forward-mode rule, differentiated again in reverse mode once per row (see HessianRev). The
// result is a heap value (see Tape.Const on a nil tape): it survives Tape.Reset, and Data64
// returns its elements. Hessian is meant for small x; it returns an error if f's value is not a
// scalar.
func Hessian(f func(x Var) Var, x Var) (Var, error) { return hessian(f, x, autoMode) }

// HessianRev is Hessian by reverse-over-reverse only, one reverse pass per row.
func HessianRev(f func(x Var) Var, x Var) (Var, error) { return hessian(f, x, revMode) }

// hessian is the Jacobian of ∇f, recorded with CreateGraph, in the given mode: autoMode is
// forward mode (the Jacobian is square) with a fall-back to reverse mode.
func hessian(f func(x Var) Var, x Var, mode jacMode) (Var, error) {
	var y Var
	if err := Maybe(func() { y = f(x) }); err != nil {
		return Var{}, err
	}
	g, err := Grad([]Var{y}, []Var{x}, CreateGraph())
	if err != nil {
		return Var{}, err
	}
	if g[0].n.requiresGrad {
		h, err := jacobianOf("autograd.Hessian", g[0], x, mode)
		if !errors.Is(err, ErrUnused) {
			return h, err
		}
	}
	n := x.Len() // ∇f does not depend on x (f is linear in x): the Hessian is zero
	return (*Tape)(nil).Wrap(make([]float64, n*n), n, n), nil
}
