package autograd

// The backward pass of a scalar graph, with numbers instead of nodes. Through Grads, each rule
// of a scalar Mul calls ops.Mul, which checks its operands and makes a node, and the pass checks
// each rule's result against its input's shape before adding it. Through Op.ScalarGrads a
// node's rules are one call returning two numbers, and the pass makes a node only for an
// input's first gradient: BenchmarkScalarChain went from 822 to 481 instructions a node
// (bench/instructions.sh), forward pass included, and from 40-42 to 30-31 ns; with the unary
// ops' rules too (one or two inputs), 484.

// scalarRules applies the ScalarGrads of n, whose gradient is g, adding their numbers into its
// inputs' gradients, and reports true; or reports false, doing nothing, unless n's op has them
// and n and its one or two inputs are float64 scalars. The caller checks that the pass may apply
// them (pass.inPlace). One call for the check and the rules: two cost BenchmarkScalarChain 9
// instructions a node more.
func scalarRules(t *Tape, p *pass, n, g *node) bool {
	if n.op.ScalarGrads == nil || n.dtype != Float64 || len(n.shape) != 0 {
		return false
	}
	switch len(n.inputs) {
	case 2:
		a, b := n.inputs[0].n, n.inputs[1].n
		if !isScalar64(a) || !isScalar64(b) {
			return false
		}
		ga, gb := n.op.ScalarGrads(g.f64[0], n.f64[0], a.f64[0], b.f64[0])
		if a.requiresGrad && (!p.prune || p.reaches(t, a)) {
			p.addScalar(t, p.slotOf(t, a), ga)
		}
		if b.requiresGrad && (!p.prune || p.reaches(t, b)) {
			p.addScalar(t, p.slotOf(t, b), gb)
		}
	case 1:
		a := n.inputs[0].n
		if !isScalar64(a) {
			return false
		}
		if a.requiresGrad && (!p.prune || p.reaches(t, a)) {
			ga, _ := n.op.ScalarGrads(g.f64[0], n.f64[0], a.f64[0], 0)
			p.addScalar(t, p.slotOf(t, a), ga)
		}
	default:
		return false
	}
	return true
}

// isScalar64 reports whether n is a float64 scalar.
func isScalar64(n *node) bool { return n.dtype == Float64 && len(n.shape) == 0 }

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
