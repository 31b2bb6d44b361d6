package optim

import (
	ag "github.com/gograd/gograd/autograd"
)

// fusion is SGD's state for the products ops.MatMulSGD records (see BackwardStep).
type fusion struct {
	armed      bool           // BackwardStep's pass is running: FusedUpdate may say yes
	ok         []bool         // by parameter: to be fused in the running pass
	reads      []int32        // by parameter: operations of the loss's graph that read it
	fusedReads []int32        // by parameter: of those, products fused by this optimizer
	index      map[ag.Var]int // parameter positions, built at the first BackwardStep
	seen       map[ag.Var]struct{}
	stack      []ag.Var
}

// BackwardStep is Backward(loss) followed by Step, with the update of a weight fused into the
// product that computes its gradient when the weight is read by nothing but one ops.MatMulSGD
// product made with this optimizer: the product's derivative rule then computes
// w ← (1 − η·λ)·w − η·xᵀ·g (λ the weight decay, often 0) in place with one GEMM, so w's gradient
// is never stored nor read back, and w.Grad() is the zero Var after BackwardStep. Every other
// parameter's gradient is collected and applied as Backward and Step do, and kept until
// ZeroGrad.
//
// Before the pass, BackwardStep walks the graph of loss (each node once) and fuses a weight only
// if all of these hold; otherwise the weight gets the ordinary update:
//   - the optimizer has no momentum;
//   - exactly one operation of the graph reads the weight, and it is a MatMulSGD product made
//     with this optimizer, with the weight as its right operand (a view or a second use of the
//     weight counts as a read, so no rule can see the weight after its update);
//   - the weight's Grad() is the zero Var (no gradient accumulated since the last ZeroGrad).
//
// The parameters then differ from Backward and Step's in rounding only: the GEMM rounds
// (1 − η·λ)·w − η·(xᵀg) in its epilogue where Step rounds xᵀg, then xᵀg + λ·w, first.
// BackwardStep returns the errors Backward returns, and an *autograd.Error for a nil or stale
// loss.
func (o *SGD) BackwardStep(loss ag.Var) error {
	if err := o.plan(loss); err != nil {
		return err
	}
	if err := o.backwardArmed(loss); err != nil {
		return err
	}
	o.Step()
	return nil
}

// backwardArmed runs Backward(loss) with FusedUpdate answering, and disarms however it ends.
func (o *SGD) backwardArmed(loss ag.Var) error {
	o.f.armed = true
	defer func() { o.f.armed = false }()
	return ag.Backward(loss)
}

// plan sets f.ok: which parameters BackwardStep fuses (see there). It returns the *autograd.Error
// of an access to a nil or stale loss.
func (o *SGD) plan(loss ag.Var) (err error) {
	defer func() {
		if r := recover(); r != nil {
			e, isErr := r.(*ag.Error)
			if !isErr {
				panic(r)
			}
			err = e
		}
	}()
	f := &o.f
	n := len(o.params)
	if f.index == nil {
		f.index = make(map[ag.Var]int, n)
		for i, p := range o.params {
			f.index[p] = i
		}
		f.seen = make(map[ag.Var]struct{})
		f.ok, f.reads, f.fusedReads = make([]bool, n), make([]int32, n), make([]int32, n)
	}
	clear(f.reads)
	clear(f.fusedReads)
	clear(f.seen)
	loss.Check("optim.SGD.BackwardStep")
	f.stack = append(f.stack[:0], loss)
	f.seen[loss] = struct{}{}
	for len(f.stack) > 0 {
		v := f.stack[len(f.stack)-1]
		f.stack = f.stack[:len(f.stack)-1]
		ins := v.Inputs()
		if len(ins) == 0 {
			continue
		}
		by, _ := v.Aux().(*SGD) // set by ops.MatMulSGD
		for j, in := range ins {
			if in.IsParam() {
				if i, ours := f.index[in]; ours {
					f.reads[i]++
					if by == o && j == 1 {
						f.fusedReads[i]++
					}
				}
				continue
			}
			if len(in.Inputs()) == 0 {
				continue // a constant or a Tape.Variable: nothing below it
			}
			if _, done := f.seen[in]; !done {
				f.seen[in] = struct{}{}
				f.stack = append(f.stack, in)
			}
		}
	}
	noMomentum := o.cfg.Momentum == 0
	for i, p := range o.params {
		f.ok[i] = noMomentum && f.reads[i] == 1 && f.fusedReads[i] == 1 && p.Grad().IsNil()
	}
	return nil
}

// FusedUpdate implements ops.SGDFuser: it returns the learning rate η, the factor 1 − η·λ that
// weight decay λ leaves of w, and true when the derivative rule of w's ops.MatMulSGD product is
// to update w in place, which is only inside BackwardStep and under the conditions it lists;
// false otherwise.
func (o *SGD) FusedUpdate(w ag.Var) (lr, keep float64, ok bool) {
	if !o.f.armed {
		return 0, 0, false
	}
	if i, found := o.f.index[w]; found && o.f.ok[i] {
		return o.lr, 1 - o.lr*o.cfg.WeightDecay, true
	}
	return 0, 0, false
}
