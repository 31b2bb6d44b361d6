package autograd

// NewResultOn is NewResult recorded on t when no input is on a tape: an operation on parameters
// alone whose other operands are not Vars, such as an embedding lookup of a parameter table by
// integer positions, would otherwise put its result on the heap (one allocation per call, outside
// t's Reset and NoGrad). A nil t, or inputs on a tape, give NewResult's behaviour. NewResultOn
// panics as NewResult does, and with an *Error wrapping ErrTapes if an input is on a tape other
// than t.
func NewResultOn(t *Tape, op *Op, dt DType, shape []int, inputs ...Var) Var {
	if in := tapeOf(op.Name, inputs); t == nil || in == t {
		return NewResult(op, dt, shape, inputs...)
	} else if in != nil {
		Panicf(op.Name, ErrTapes, "operands are recorded on a tape other than the one given; compute them on one tape")
	}
	n := t.newNode(dt, shape)
	n.op = op
	if len(inputs) <= maxInputs {
		n.inputs = n.inBuf[:len(inputs)]
	} else {
		n.inputs = make([]Var, len(inputs))
	}
	copy(n.inputs, inputs)
	if t.noGrad == 0 {
		for i, in := range inputs {
			if in.n.requiresGrad && op.flows(i) {
				n.requiresGrad = true
				break
			}
		}
	}
	if t.anomaly {
		t.checkInputs(n)
	}
	return n.handle()
}
