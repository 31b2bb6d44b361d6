package optim

import (
	ag "github.com/gograd/gograd/autograd"
)

// fusion is SGD's state for the products ops.MatMulSGD records (see BackwardStep), one entry per
// parameter.
type fusion struct {
	armed bool    // BackwardStep's pass is running: FusedLR may say yes
	uses  []int32 // fused products recorded with the parameter since the last step
	ok    []bool  // the parameter may be fused in the running pass
	done  []bool  // the parameter was fused in the running pass
}

func newFusion(n int) fusion {
	return fusion{uses: make([]int32, n), ok: make([]bool, n), done: make([]bool, n)}
}

// BackwardStep is Backward(loss) followed by Step, with the plain gradient-descent update of
// every weight read by one product made by ops.MatMulSGD fused into that product: its derivative
// rule computes w ← w − η·xᵀ·g in place with one GEMM, so the gradient of w is never stored nor
// read back. A fused weight's Grad() is therefore the zero Var after BackwardStep; every other
// parameter's gradient is collected and applied as Backward and Step do, and kept until
// ZeroGrad.
//
// A weight is fused only when all of these hold, and otherwise gets the ordinary update: the
// optimizer has no momentum and no weight decay; exactly one MatMulSGD product was recorded with
// the weight since the last Step; and its Grad() is the zero Var when BackwardStep starts (call
// ZeroGrad after each step). The fused values differ from Backward and Step's in rounding only.
//
// The product's rule reads w for x's gradient before updating it, but the rule of any other
// operation reading w that runs later in the pass would see the updated value: w must feed
// nothing but its product. BackwardStep returns an error wrapping ErrFused if a fused weight also
// collected a gradient from another operation (the fused weights have then been updated and the
// others not), and Backward's error if the pass fails.
func (o *SGD) BackwardStep(loss ag.Var) error {
	f := &o.f
	plain := o.cfg.Momentum == 0 && o.cfg.WeightDecay == 0
	for i, p := range o.params {
		f.ok[i] = plain && f.uses[i] == 1 && p.Grad().IsNil()
		f.done[i] = false
	}
	clear(f.uses)
	f.armed = true
	err := backwardArmed(loss, f)
	if err != nil {
		return err
	}
	for i, p := range o.params {
		if f.done[i] && !p.Grad().IsNil() {
			return ag.Errorf("optim.SGD.BackwardStep", ErrFused, "parameter %d (shape %s) was updated by its ops.MatMulSGD product and also collected a gradient from another operation, whose rule may have read the updated value; feed it to MatMulSGD only", i, ag.FormatShape(p.Shape()))
		}
	}
	o.Step()
	return nil
}

// backwardArmed runs Backward(loss) and disarms f however it ends.
func backwardArmed(loss ag.Var, f *fusion) error {
	defer func() { f.armed = false }()
	return ag.Backward(loss)
}

// NoteFusedUse implements ops.SGDFuser: ops.MatMulSGD calls it for each product it records with
// weight w. It does nothing if w is not one of the optimizer's parameters.
func (o *SGD) NoteFusedUse(w ag.Var) {
	if i := o.index(w); i >= 0 {
		o.f.uses[i]++
	}
}

// FusedLR implements ops.SGDFuser: it returns the learning rate and true when the derivative
// rule of w's ops.MatMulSGD product is to update w in place, which is only inside BackwardStep
// and under the conditions it lists; false otherwise.
func (o *SGD) FusedLR(w ag.Var) (lr float64, ok bool) {
	if !o.f.armed {
		return 0, false
	}
	i := o.index(w)
	if i < 0 || !o.f.ok[i] {
		return 0, false
	}
	o.f.done[i] = true
	return o.lr, true
}

// index returns the position of w among the parameters, or -1.
func (o *SGD) index(w ag.Var) int {
	for i, p := range o.params {
		if p == w {
			return i
		}
	}
	return -1
}
