package autograd

// Function transforms: JVP and VJP of a function, and Jacobians by forward or reverse mode.

// callF returns f(xs...), panicking with an *Error naming op if f returns the zero Var.
func callF(op string, f func(xs ...Var) Var, xs []Var) Var {
	y := f(xs...)
	if y.n == nil {
		Panicf(op, ErrNilVar, "f returned the zero Var; want a value computed from its inputs")
	}
	y.check(op)
	return y
}

// JVP evaluates f at primals and returns its value y and the Jacobian-vector product ẏ =
// Σᵢ ∂y/∂primalᵢ · tangentᵢ, in one forward sweep at about the cost of evaluating f again
// (torch.func.jvp). Each tangent must have its primal's shape and dtype; primals need not need a
// gradient. With CreateGraph the tangent is recorded and can be differentiated again (reverse
// over forward); JVP of a function that calls Grad with CreateGraph is forward-over-reverse. JVP
// returns an error naming the fault for a tangent whose shape or dtype differs from its primal's,
// an f that returns the zero Var or a value that does not depend on the primals (ErrUnused, unless
// AllowUnused), an operation without a forward-mode rule (ErrNoJVP), or a panic of f's.
func JVP(f func(xs ...Var) Var, primals, tangents []Var, opts ...Option) (y, tangent Var, err error) {
	const op = "autograd.JVP"
	o := applyOptions(opts)
	err = Maybe(func() {
		checkVectors(op, "tangent", primals, tangents)
		y = callF(op, f, primals)
		tangent = tangentsOf(op, []Var{y}, primals, tangents, &o)[0]
	})
	return y, tangent, err
}

// VJP evaluates f at primals and returns its value y and the vector-Jacobian products
// cotangentᵀ·∂y/∂primalᵢ, one per primal, shaped like it (torch.func.vjp): Grad for a function.
// A zero cotangent seeds a one-element y with 1; otherwise cotangent must have y's shape and
// dtype. The options are Grad's (CreateGraph, AllowUnused). Every primal must need a gradient
// (a parameter or a Tape.Variable). VJP returns an error naming the fault as Grad does, or if f
// returns the zero Var.
func VJP(f func(xs ...Var) Var, primals []Var, cotangent Var, opts ...Option) (y Var, grads []Var, err error) {
	const op = "autograd.VJP"
	if err = Maybe(func() { y = callF(op, f, primals) }); err != nil {
		return Var{}, nil, err
	}
	if !cotangent.IsNil() {
		opts = append(opts[:len(opts):len(opts)], Seed(cotangent))
	}
	grads, err = Grad([]Var{y}, primals, opts...)
	return y, grads, err
}

// JacFwd returns the Jacobian of f at x as a new m×n float64 constant, where n is the number of
// elements of x and m that of f(x), both in row-major order: J[i*n+j] = ∂f(x)ᵢ/∂xⱼ. It evaluates
// f once and sweeps the graph forward once per column, with the unit vectors as x's tangent:
// the mode for functions with fewer inputs than outputs. The result is a heap value: it
// survives Tape.Reset. JacFwd returns an error if f returns the zero Var or a value that does not
// depend on x, or an operation has no forward-mode rule (ErrNoJVP).
func JacFwd(f func(x Var) Var, x Var) (Var, error) { return jacobian("autograd.JacFwd", f, x, fwdMode) }

// JacRev is JacFwd by reverse mode: f is evaluated once and differentiated once per row, with
// the unit vectors as the seed, the mode for functions with fewer outputs than inputs. x must
// need a gradient (a parameter or a Tape.Variable).
func JacRev(f func(x Var) Var, x Var) (Var, error) { return jacobian("autograd.JacRev", f, x, revMode) }

// Jacobian is JacFwd when x has at most as many elements as f(x), and JacRev otherwise: a
// forward sweep and a reverse pass cost about the same, and the chosen mode needs min(m, n) of
// them. Forward mode falls back to reverse mode when an operation has no forward-mode rule, as
// long as x needs a gradient.
func Jacobian(f func(x Var) Var, x Var) (Var, error) {
	return jacobian("autograd.Jacobian", f, x, autoMode)
}

type jacMode int

const (
	autoMode jacMode = iota
	fwdMode
	revMode
)

func jacobian(op string, f func(x Var) Var, x Var, mode jacMode) (Var, error) {
	var y Var
	if err := Maybe(func() { y = callF(op, func(xs ...Var) Var { return f(xs[0]) }, []Var{x}) }); err != nil {
		return Var{}, err
	}
	return jacobianOf(op, y, x, mode)
}

// jacobianOf is jacobian for y, already computed from x.
func jacobianOf(op string, y, x Var, mode jacMode) (Var, error) {
	var jac []float64
	var m, n int
	err := Maybe(func() {
		m, n = y.n.numel(), x.n.numel()
		jac = make([]float64, m*n)
		if mode == autoMode && n <= m || mode == fwdMode {
			var p *fwdPlan
			err := Maybe(func() { p = newFwdPlan(op, []Var{y}, []Var{x}, true) })
			switch {
			case err == nil:
				defer p.release()
				if !p.dependsOn(0) {
					Panicf(op, ErrUnused, "f's value %s %v does not depend on x %s", FormatShape(y.n.shape), y.n.dtype, FormatShape(x.n.shape))
				}
				basisSweeps(p, x, y.n.tape, jac)
				return
			case mode == fwdMode || !x.n.requiresGrad:
				panic(err)
			}
		}
		if !x.n.requiresGrad {
			Panicf(op, ErrValue, "x %s does not need a gradient; reverse mode needs a parameter or a Tape.Variable", FormatShape(x.n.shape))
		}
		if !y.n.requiresGrad {
			Panicf(op, ErrUnused, "f's value %s %v does not depend on x %s", FormatShape(y.n.shape), y.n.dtype, FormatShape(x.n.shape))
		}
		reverseRows(y, x, jac)
	})
	if err != nil {
		return Var{}, err
	}
	return (*Tape)(nil).Wrap(jac, m, n), nil
}

// unit returns the j-th unit vector shaped like x, on t.
func unit(t *Tape, x Var, j int) Var {
	e := t.Zeros(x.n.dtype, x.n.shape...)
	if e.n.dtype == Float32 {
		e.n.f32[j] = 1
	} else {
		e.n.f64[j] = 1
	}
	return e
}

// reverseRows stores, for every element i of y, the gradient of x seeded with the i-th unit
// vector as row i of the row-major matrix jac (the Jacobian): one reverse pass per row.
func reverseRows(y, x Var, jac []float64) {
	n := x.n.numel()
	for i := range y.n.numel() {
		row, err := Grad([]Var{y}, []Var{x}, Seed(unit(y.n.tape, y, i)), AllowUnused())
		if err != nil {
			panic(err)
		}
		copy(jac[i*n:(i+1)*n], row[0].Float64s())
	}
}

// basisSweeps sweeps p, whose one input is x, once per element j of x with the j-th unit vector
// as x's tangent, and stores the outputs' tangents, concatenated, as column j of the row-major
// m×n matrix jac (the Jacobian). The sweeps are not recorded for differentiation.
func basisSweeps(p *fwdPlan, x Var, t *Tape, jac []float64) {
	n := x.n.numel()
	for j := range n {
		e := unit(t, x, j)
		var ts []Var
		noGradUnless(false, t, func() { ts = p.sweep([]Var{e}) })
		i := 0
		for _, tk := range ts {
			for _, v := range tk.n.f64 {
				jac[i*n+j] = v
				i++
			}
			for _, v := range tk.n.f32 {
				jac[i*n+j] = float64(v)
				i++
			}
		}
	}
}
