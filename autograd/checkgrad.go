package autograd

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// CheckGrad defaults, as in torch.autograd.gradcheck. Central differences have truncation error
// O(eps²·f”') and rounding error O(ε·|f|/eps); eps = 1e-6 balances them for well-scaled float64
// functions, leaving errors near 1e-9·|f|, well inside atol + rtol·|numeric|.
const (
	DefaultEps  = 1e-6
	DefaultAtol = 1e-5
	DefaultRtol = 1e-3
	// DefaultFullMax is the largest number of input elements (and of output elements) for which
	// CheckGrad compares the full Jacobian; larger functions get random-direction checks.
	DefaultFullMax = 64
)

// CheckOption configures CheckGrad.
type CheckOption func(*checkConfig)

type checkConfig struct {
	eps, atol, rtol float64
	order           int
	fullMax         int
	directions      int
	seed            uint64
}

// Eps sets the finite-difference step.
func Eps(eps float64) CheckOption { return func(c *checkConfig) { c.eps = eps } }

// Tolerance sets the absolute and relative tolerances: a derivative passes when
// |analytic − numeric| ≤ atol + rtol·|numeric|.
func Tolerance(atol, rtol float64) CheckOption {
	return func(c *checkConfig) { c.atol, c.rtol = atol, rtol }
}

// Order sets the highest order checked: 1 checks gradients, 2 also checks the gradients of the
// gradients (recorded with CreateGraph), like gradgradcheck.
func Order(k int) CheckOption { return func(c *checkConfig) { c.order = k } }

// FullJacobianMax sets the size up to which the full Jacobian is compared.
func FullJacobianMax(n int) CheckOption { return func(c *checkConfig) { c.fullMax = n } }

// Directions sets how many random directions are checked for large functions (default 3).
func Directions(k int) CheckOption { return func(c *checkConfig) { c.directions = k } }

// CheckSeed seeds the random projections and directions.
func CheckSeed(s uint64) CheckOption { return func(c *checkConfig) { c.seed = s } }

// CheckGrad compares the analytic derivatives of f at inputs with central finite differences in
// float64. inputs are templates: CheckGrad copies their shapes and values into fresh Variables
// on a private tape for every evaluation, so f must build its whole result from the Vars it is
// given. When the inputs and the output have at most FullJacobianMax elements, every entry of the
// Jacobian is compared (one backward pass per output element); otherwise ⟨u, J v⟩ is compared
// for random u and v. With Order(2) the same check runs on the vector-Jacobian product x ↦ Jᵀu
// for a random u, which checks every rule's own derivative.
//
// CheckGrad returns nil when all derivatives agree, and otherwise an error wrapping ErrGradCheck
// that names the order, the input, the element and both values. Inputs must be float64.
func CheckGrad(f func(xs ...Var) Var, inputs []Var, opts ...CheckOption) error {
	ck, err := newChecker("autograd.CheckGrad", f, inputs, opts)
	if err != nil {
		return err
	}
	for order := 1; order <= ck.cfg.order; order++ {
		if err := ck.check(order); err != nil {
			return err
		}
	}
	return nil
}

// newChecker copies the inputs' shapes and values for a check reported as op, configured by the
// defaults changed by opts.
func newChecker(op string, f func(xs ...Var) Var, inputs []Var, opts []CheckOption) (*checker, error) {
	c := checkConfig{eps: DefaultEps, atol: DefaultAtol, rtol: DefaultRtol, order: 1, fullMax: DefaultFullMax, directions: 3, seed: 1}
	for _, o := range opts {
		o(&c)
	}
	var vals [][]float64
	var shapes [][]int
	if err := Maybe(func() {
		for i, in := range inputs {
			n := in.check(op)
			if n.dtype != Float64 {
				Panicf(op, ErrDType, "input %d is %v; %s differentiates in float64", i, n.dtype, op)
			}
			vals = append(vals, in.Float64s())
			shapes = append(shapes, append([]int{}, n.shape...))
		}
	}); err != nil {
		return nil, err
	}
	return &checker{op: op, cfg: c, f: f, vals: vals, shapes: shapes, tape: NewTape(), rng: rand.New(rand.NewPCG(c.seed, 7))}, nil
}

type checker struct {
	op     string // the check reported in errors
	cfg    checkConfig
	f      func(xs ...Var) Var
	vals   [][]float64
	shapes [][]int
	tape   *Tape
	rng    *rand.Rand
	u      []float64 // the fixed projection of f's output used at order 2
	nout   int       // the number of elements of f's value, once evaluated
}

// variables starts a fresh step of the private tape and returns vals there as Variables shaped
// like the inputs.
func (ck *checker) variables(vals [][]float64) []Var {
	ck.tape.Reset()
	xs := make([]Var, len(vals))
	for i, v := range vals {
		xs[i] = ck.tape.Variable(v, ck.shapes[i]...)
	}
	return xs
}

// eval builds the function checked at the given order on a fresh step of the private tape:
// f itself at order 1, x ↦ Jᵀu at order 2. It returns the inputs and outputs.
func (ck *checker) eval(order int, vals [][]float64) (xs, outs []Var, err error) {
	err = Maybe(func() {
		xs = ck.variables(vals)
		y := ck.f(xs...)
		y.check("autograd.CheckGrad: f's result")
		if y.n.dtype != Float64 {
			Panicf("autograd.CheckGrad", ErrDType, "f returned %v; want float64", y.n.dtype)
		}
		ck.nout = y.n.numel()
		if order == 1 {
			outs = []Var{y}
			return
		}
		if ck.u == nil {
			ck.u = ck.randVec(y.n.numel())
		}
		if !y.n.requiresGrad {
			return // f is constant: so is Jᵀu, which has no outputs
		}
		u := ck.tape.Const(ck.u, y.n.shape...)
		g, e := Grad([]Var{y}, xs, CreateGraph(), Seed(u), AllowUnused())
		if e != nil {
			panic(e)
		}
		outs = g
	})
	return xs, outs, err
}

// values concatenates the outputs' values.
func values(outs []Var) []float64 {
	var v []float64
	for _, o := range outs {
		v = append(v, o.Float64s()...)
	}
	return v
}

// vjp returns Jᵀw for the outputs, per input, with w split over the outputs.
func (ck *checker) vjp(xs, outs []Var, w []float64) ([][]float64, error) {
	res := make([][]float64, len(xs))
	for i := range xs {
		res[i] = make([]float64, len(ck.vals[i]))
	}
	var live, seeds []Var
	off := 0
	for _, o := range outs {
		k := o.n.numel()
		if o.n.requiresGrad {
			live = append(live, o)
			seeds = append(seeds, ck.tape.Const(w[off:off+k], o.n.shape...))
		}
		off += k
	}
	if len(live) == 0 {
		return res, nil
	}
	g, err := Grad(live, xs, Seed(seeds...), AllowUnused())
	if err != nil {
		return nil, err
	}
	for i := range xs {
		copy(res[i], g[i].Float64s())
	}
	return res, nil
}

func (ck *checker) randVec(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = ck.rng.Float64()*2 - 1
	}
	return v
}

// randDirection returns a random vector per input.
func (ck *checker) randDirection() [][]float64 {
	v := make([][]float64, len(ck.vals))
	for i := range v {
		v[i] = ck.randVec(len(ck.vals[i]))
	}
	return v
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

// inner returns Σᵢₖ a[i][k]·b[i][k].
func inner(a, b [][]float64) float64 {
	s := 0.0
	for i := range a {
		for k := range a[i] {
			s += a[i][k] * b[i][k]
		}
	}
	return s
}

func (ck *checker) check(order int) error {
	xs, outs, err := ck.eval(order, ck.vals)
	if err != nil {
		return err
	}
	nout := len(values(outs))
	nin := 0
	for _, v := range ck.vals {
		nin += len(v)
	}
	if nin <= ck.cfg.fullMax && nout <= ck.cfg.fullMax {
		return ck.full(order, xs, outs, nout)
	}
	return ck.directional(order, nout)
}

// full compares every entry of the Jacobian.
func (ck *checker) full(order int, xs, outs []Var, nout int) error {
	analytic := make([][][]float64, nout) // [output element][input][input element]
	for j := 0; j < nout; j++ {
		e := make([]float64, nout)
		e[j] = 1
		rows, err := ck.vjp(xs, outs, e)
		if err != nil {
			return err
		}
		analytic[j] = rows
	}
	for i := range ck.vals {
		for k := range ck.vals[i] {
			numeric, err := ck.central(func(vals [][]float64, s float64) { vals[i][k] += s }, ck.outputsAt(order))
			if err != nil {
				return err
			}
			for j := 0; j < nout; j++ {
				if err := ck.compare(order, analytic[j][i][k], numeric[j], fmt.Sprintf("input %d element %d, output element %d", i, k, j)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// directional compares ⟨u, J v⟩ for random u and v.
func (ck *checker) directional(order int, nout int) error {
	for d := 0; d < ck.cfg.directions; d++ {
		xs, outs, err := ck.eval(order, ck.vals) // central below resets the tape
		if err != nil {
			return err
		}
		u := ck.randVec(nout)
		v := ck.randDirection()
		rows, err := ck.vjp(xs, outs, u)
		if err != nil {
			return err
		}
		diff, err := ck.central(along(v), ck.outputsAt(order))
		if err != nil {
			return err
		}
		analytic, numeric := inner(rows, v), inner([][]float64{u}, [][]float64{diff})
		if err := ck.compare(order, analytic, numeric, fmt.Sprintf("random direction %d (⟨u, J v⟩)", d)); err != nil {
			return err
		}
	}
	return nil
}

// outputsAt returns the function checked at the given order, as values of the inputs' values.
func (ck *checker) outputsAt(order int) func(vals [][]float64) ([]float64, error) {
	return func(vals [][]float64) ([]float64, error) {
		_, outs, err := ck.eval(order, vals)
		return values(outs), err
	}
}

// central returns (F(x + eps·d) − F(x − eps·d)) / 2eps for the perturbation d applied by move.
func (ck *checker) central(move func(vals [][]float64, s float64), F func(vals [][]float64) ([]float64, error)) ([]float64, error) {
	vals := make([][]float64, len(ck.vals))
	for i := range vals {
		vals[i] = append([]float64(nil), ck.vals[i]...)
	}
	move(vals, ck.cfg.eps)
	fp, err := F(vals)
	if err != nil {
		return nil, err
	}
	move(vals, -2*ck.cfg.eps)
	fm, err := F(vals)
	if err != nil {
		return nil, err
	}
	if len(fp) != len(fm) {
		return nil, Errorf("autograd.CheckGrad", ErrGradCheck, "f's output size changed between evaluations")
	}
	d := make([]float64, len(fp))
	for j := range d {
		d[j] = (fp[j] - fm[j]) / (2 * ck.cfg.eps)
	}
	return d, nil
}

func (ck *checker) compare(order int, analytic, numeric float64, where string) error {
	diff := math.Abs(analytic - numeric)
	if diff <= ck.cfg.atol+ck.cfg.rtol*math.Abs(numeric) && !math.IsNaN(analytic) && !math.IsNaN(numeric) {
		return nil
	}
	return Errorf(ck.op, ErrGradCheck,
		"order %d: %s: analytic %.10g, numeric %.10g (|diff| %.3g > atol %g + rtol %g·|numeric|)",
		order, where, analytic, numeric, diff, ck.cfg.atol, ck.cfg.rtol)
}
