package autograd

// HVP returns the Hessian-vector product H v of the scalar function f at x, where H is the
// Hessian of f with respect to x, without forming H: the gradient g = ∇f(x) is recorded with
// CreateGraph, then differentiated again with v as its seed (vᵀH = (Hv)ᵀ, H being symmetric).
// This is the second-order term of the Taylor expansion
// f(x+d) ≈ f(x) + ∇f·d + ½ dᵀHd. With CreateGraph the result can be differentiated again.
// x must need a gradient (a parameter or a Tape.Variable); v must have x's shape and dtype.
// HVP returns an error if f's value is not a scalar, or on a shape or dtype mismatch.
func HVP(f func(x Var) Var, x, v Var, opts ...Option) (Var, error) {
	var y Var
	if err := Maybe(func() { y = f(x) }); err != nil {
		return Var{}, err
	}
	g, err := Grad([]Var{y}, []Var{x}, CreateGraph())
	if err != nil {
		return Var{}, err
	}
	if !g[0].n.requiresGrad { // f is linear in x: the Hessian is zero
		var z Var
		err := Maybe(func() { z = g[0].n.tape.Zeros(x.n.dtype, x.n.shape...) })
		return z, err
	}
	hv, err := Grad(g, []Var{x}, append(opts, Seed(v), AllowUnused())...)
	if err != nil {
		return Var{}, err
	}
	return hv[0], nil
}

// HVPs is HVP for a scalar function of several inputs, as torch.autograd.functional.hvp with a
// tuple of inputs: with H the Hessian of f with respect to all of xs together and v the
// concatenation of vs, it returns H v split like xs, so that result i is Σⱼ ∂²f/∂xᵢ∂xⱼ · vⱼ. It
// records the gradients g = ∇f with CreateGraph, then differentiates them again, each gⱼ seeded
// with vⱼ. With CreateGraph the results can be differentiated again. Every x must need a
// gradient, and vs must match xs in number, shapes and dtypes. HVPs returns an error if f's value
// is not a scalar, or on a count, shape or dtype mismatch.
func HVPs(f func(xs ...Var) Var, xs, vs []Var, opts ...Option) ([]Var, error) {
	const op = "autograd.HVPs"
	if len(vs) != len(xs) {
		return nil, Errorf(op, ErrValue, "%d inputs and %d vectors; want one vector per input", len(xs), len(vs))
	}
	var y Var
	if err := Maybe(func() { y = f(xs...) }); err != nil {
		return nil, err
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
		err := Maybe(func() {
			for i, x := range xs {
				zeros[i] = g[i].n.tape.Zeros(x.n.dtype, x.n.shape...)
			}
		})
		return zeros, err
	}
	return Grad(outs, xs, append(opts, Seed(seeds...), AllowUnused())...)
}

// Hessian returns the Hessian of the scalar function f at x as a new n×n float64 constant, where
// n is the number of elements of x (in row-major order), computed as one Hessian-vector product
// per row: H[i*n+j] = ∂²f/∂xᵢ∂xⱼ. The result is a heap value (see Tape.Const on a nil tape): it
// survives Tape.Reset, and Data64 returns its elements. Hessian is meant for small x; it returns
// an error if f's value is not a scalar.
func Hessian(f func(x Var) Var, x Var) (Var, error) {
	var y Var
	if err := Maybe(func() { y = f(x) }); err != nil {
		return Var{}, err
	}
	g, err := Grad([]Var{y}, []Var{x}, CreateGraph())
	if err != nil {
		return Var{}, err
	}
	n := x.Len()
	h := make([]float64, n*n)
	if g[0].n.requiresGrad {
		t := g[0].n.tape
		for i := 0; i < n; i++ {
			var e Var
			if err := Maybe(func() {
				e = t.Zeros(x.n.dtype, x.n.shape...)
				if e.n.dtype == Float32 {
					e.n.f32[i] = 1
				} else {
					e.n.f64[i] = 1
				}
			}); err != nil {
				return Var{}, err
			}
			row, err := Grad(g, []Var{x}, Seed(e), AllowUnused())
			if err != nil {
				return Var{}, err
			}
			copy(h[i*n:(i+1)*n], row[0].Float64s())
		}
	}
	return (*Tape)(nil).Wrap(h, n, n), nil
}
