package autograd

// The backward pass of a scalar graph, with numbers instead of nodes. Through Grads, each rule
// of a scalar Mul calls ops.Mul, which checks its operands and makes a node, and the pass checks
// each rule's result against its input's shape before adding it. Through Op.ScalarGrads a
// node's rules are one call returning two numbers, and the pass makes a node only for an
// input's first gradient: BenchmarkScalarChain went from 822 to 481 instructions a node
// (bench/instructions.sh), forward pass included, and from 40-42 to 30-31 ns.

// scalarRules reports whether the pass may apply n's ScalarGrads: n's op has them, and n and its
// two inputs are float64 scalars. The caller checks that the pass may (pass.inPlace).
func scalarRules(n *node) bool {
	if n.op.ScalarGrads == nil || n.dtype != Float64 || len(n.shape) != 0 || len(n.inputs) != 2 {
		return false
	}
	a, b := n.inputs[0].n, n.inputs[1].n
	return a.dtype == Float64 && len(a.shape) == 0 && b.dtype == Float64 && len(b.shape) == 0
}

// applyScalarRules is applyRules for a node that scalarRules accepts, whose gradient is g: it adds
// the numbers of n's ScalarGrads into its inputs' gradients.
func applyScalarRules(t *Tape, p *pass, n *node, g float64) {
	a, b := n.inputs[0].n, n.inputs[1].n
	ga, gb := n.op.ScalarGrads(g, n.f64[0], a.f64[0], b.f64[0])
	if a.requiresGrad && (!p.prune || p.reaches(t, a)) {
		p.addScalar(t, p.slotOf(t, a), ga)
	}
	if b.requiresGrad && (!p.prune || p.reaches(t, b)) {
		p.addScalar(t, p.slotOf(t, b), gb)
	}
}

// addScalar adds v to the float64 scalar gradient of slot s, as addToSlot adds a rule's result:
// into a sum the slot owns in place, else into a new one, a node of the pass that the slot owns.
func (p *pass) addScalar(t *Tape, s *slot, v float64) {
	switch {
	case s.g.n == nil:
		s.g, s.owned = t.scalarSum(v), true
	case s.ownsSum():
		s.g.n.f64[0] += v
	default:
		s.g, s.owned = t.scalarSum(s.g.n.f64[0]+v), true
	}
}

// scalarSum returns a new float64 scalar on t, which must not be nil, holding v: a gradient the
// backward pass made, marked held, as addToSlot marks its sums.
func (t *Tape) scalarSum(v float64) Var {
	n := t.next(Float64)
	if n == nil { // the tape must grow
		n = t.newNodeNoStorage(Float64, nil)
	}
	n.f64 = n.scalar[:]
	n.f64[0] = v
	n.marks = held
	return n.handle()
}
