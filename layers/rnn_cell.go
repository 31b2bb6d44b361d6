package layers

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// recurrent holds the four parameters shared by every recurrent cell, in PyTorch's layout: the
// weights map to gates·Hidden rows (one block of Hidden rows per gate) and are applied
// transposed, y = x·Wᵀ + b.
type recurrent struct {
	WeightIH ag.Var // (gates·Hidden, Input)
	WeightHH ag.Var // (gates·Hidden, Hidden)
	BiasIH   ag.Var // (gates·Hidden)
	BiasHH   ag.Var // (gates·Hidden)
	Input    int
	Hidden   int
}

// newRecurrent draws the weights of a cell with the given number of gates. By default weights
// and biases come from U(−1/√Hidden, 1/√Hidden), PyTorch's initialisation of its recurrent
// layers; WithInit and WithBiasInit replace it (the initialisers are called with fanIn = Hidden).
func newRecurrent(op string, in, hidden, gates int, opts []Option) recurrent {
	checkSize(op, "input size", in)
	checkSize(op, "hidden size", hidden)
	if hidden > ag.MaxElements/gates/max(in, hidden) {
		ag.Panicf(op, ErrSize, "input size %d and hidden size %d make more than autograd.MaxElements (2^40) weights", in, hidden)
	}
	o := newOptions(TorchUniform, append([]Option{WithBiasInit(TorchUniform)}, opts...))
	g := gates * hidden
	return recurrent{
		WeightIH: o.newParam(o.weight, hidden, g, g, in),
		WeightHH: o.newParam(o.weight, hidden, g, g, hidden),
		BiasIH:   o.newParam(o.bias, hidden, g, g),
		BiasHH:   o.newParam(o.bias, hidden, g, g),
		Input:    in,
		Hidden:   hidden,
	}
}

// params returns the four parameters under PyTorch's names followed by suffix ("" for a cell,
// "_l0" for the first layer of a multi-step layer).
func (r *recurrent) params(suffix string) []Param {
	return []Param{
		{"weight_ih" + suffix, r.WeightIH},
		{"weight_hh" + suffix, r.WeightHH},
		{"bias_ih" + suffix, r.BiasIH},
		{"bias_hh" + suffix, r.BiasHH},
	}
}

// fused holds a cell's weights viewed on the input's tape t and the sum b_ih + b_hh of its
// biases, made once per sequence on t (not on the heap, which would allocate them at every
// step): a step's gate pre-activations are then x·W_ihᵀ + h·W_hhᵀ + b, two matrix products and
// one bias. The products are not fused into one [x h]·[W_ih W_hh]ᵀ: when x needs no gradient
// (the first layer's data), the fused product's backward pass would compute the gradient of the
// whole [x h] and throw a third of it away, and [x h] costs a copy per step each way.
// The transposed weights are packed for the GEMM once per sequence (ops.PackT), not at every
// step's product (issue 12).
type fused struct {
	wih, whh ops.PackedT
	b        ag.Var
}

func (r *recurrent) fuse(t *ag.Tape) fused {
	return fused{
		ops.PackT(t, ops.OnTape(t, r.WeightIH)), ops.PackT(t, ops.OnTape(t, r.WeightHH)),
		ops.Add(ops.OnTape(t, r.BiasIH), ops.OnTape(t, r.BiasHH)),
	}
}

// gates returns x·W_ihᵀ + h·W_hhᵀ + b_ih + b_hh.
func (f fused) gates(x, h ag.Var) ag.Var {
	return ops.Add(ops.Add(ops.MatMulPackedT(x, f.wih), ops.MatMulPackedT(h, f.whh)), f.b)
}

// inputProj returns x·W_ihᵀ + b_ih (the GRU's input products, whose hidden bias is gated).
func (r *recurrent) inputProj(x ag.Var) ag.Var {
	return ops.Add(ops.MatMulT(x, r.WeightIH, false, true), r.BiasIH)
}

// hiddenProj returns h·W_hhᵀ + b_hh.
func (r *recurrent) hiddenProj(h ag.Var) ag.Var {
	return ops.Add(ops.MatMulT(h, r.WeightHH, false, true), r.BiasHH)
}

// checkStep checks that x is (batch, Input) and each state (batch, Hidden), all in the
// parameters' dtype, and returns batch. A nil state is allowed (it stands for zeros).
func (r *recurrent) checkStep(op string, x ag.Var, states ...ag.Var) int {
	if r.WeightIH.IsNil() {
		ag.Panicf(op, ag.ErrValue, "cell without weights; create it with its New function")
	}
	s := x.Check(op).Shape()
	if len(s) != 2 || s[1] != r.Input {
		ag.Panicf(op, ag.ErrShape, "input of shape %s; want (batch, %d)", ag.FormatShape(s), r.Input)
	}
	checkDType(op, "input", x, r.WeightIH)
	for i, st := range states {
		if st.IsNil() {
			continue
		}
		ss := st.Check(op).Shape()
		if len(ss) != 2 || ss[0] != s[0] || ss[1] != r.Hidden {
			ag.Panicf(op, ag.ErrShape, "state %d of shape %s for input %s; want (%d, %d)", i, ag.FormatShape(ss), ag.FormatShape(s), s[0], r.Hidden)
		}
		checkDType(op, "state", st, r.WeightIH)
	}
	return s[0]
}

// checkDType panics with ErrDType unless v has p's dtype.
func checkDType(op, what string, v, p ag.Var) {
	if v.DType() != p.DType() {
		ag.Panicf(op, ag.ErrDType, "%s is %v, the parameters are %v; convert it with ops.Cast", what, v.DType(), p.DType())
	}
}

// zerosIfNil returns s, or a (batch, Hidden) zero constant on x's tape if s is nil.
func (r *recurrent) zerosIfNil(s, x ag.Var, batch int) ag.Var {
	if !s.IsNil() {
		return s
	}
	return ops.TapeOf(x).Zeros(r.WeightIH.DType(), batch, r.Hidden)
}

// RNNCell is an Elman recurrent cell with tanh, as torch.nn.RNNCell:
//
//	h' = tanh(x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh)
//
// Its parameters are named "weight_ih" (Hidden, Input), "weight_hh" (Hidden, Hidden), "bias_ih"
// and "bias_hh" (Hidden), as PyTorch's, so that a state_dict loads unchanged.
type RNNCell struct{ recurrent }

// NewRNNCell returns a tanh cell from input to hidden features, initialised as PyTorch's (see
// the options of NewLinear for WithSeed, WithRand, WithDType, WithInit, WithBiasInit). It panics
// with an *autograd.Error wrapping ErrSize if a size is below 1.
func NewRNNCell(input, hidden int, opts ...Option) *RNNCell {
	return &RNNCell{newRecurrent("layers.NewRNNCell", input, hidden, 1, opts)}
}

// Step returns the next hidden state for the input x (batch, Input) and the state h (batch,
// Hidden); a nil h stands for zeros. Step panics with an *autograd.Error naming the shapes if x
// or h has the wrong shape or dtype.
func (c *RNNCell) Step(x, h ag.Var) ag.Var {
	b := c.checkStep("layers.RNNCell", x, h)
	return ops.Tanh(c.fuse(ops.TapeOf(x)).gates(x, c.zerosIfNil(h, x, b)))
}

// ForwardN takes x or (x, h) and returns {h'}; see Step.
func (c *RNNCell) ForwardN(xs ...ag.Var) []ag.Var {
	x, st := cellInputs("layers.RNNCell", xs, 1)
	return []ag.Var{c.Step(x, st[0])}
}

// NamedParams returns "weight_ih", "weight_hh", "bias_ih" and "bias_hh".
func (c *RNNCell) NamedParams() []Param { return c.params("") }

// LSTMCell is a long short-term memory cell, as torch.nn.LSTMCell. With the gates i, f, g, o
// taken in this order from consecutive blocks of Hidden rows of the weights:
//
//	i = σ(x·W_iiᵀ + b_ii + h·W_hiᵀ + b_hi)    f = σ(…f…)    g = tanh(…g…)    o = σ(…o…)
//	c' = f ⊙ c + i ⊙ g
//	h' = o ⊙ tanh(c')
//
// Its parameters are "weight_ih" (4·Hidden, Input), "weight_hh" (4·Hidden, Hidden), "bias_ih"
// and "bias_hh" (4·Hidden).
type LSTMCell struct{ recurrent }

// NewLSTMCell returns an LSTM cell from input to hidden features, initialised as PyTorch's. It
// panics with an *autograd.Error wrapping ErrSize if a size is below 1.
func NewLSTMCell(input, hidden int, opts ...Option) *LSTMCell {
	return &LSTMCell{newRecurrent("layers.NewLSTMCell", input, hidden, 4, opts)}
}

// Step returns the next hidden and cell states for the input x (batch, Input) and the states h
// and c (batch, Hidden); nil states stand for zeros. Step panics with an *autograd.Error naming
// the shapes if x or a state has the wrong shape or dtype.
func (c *LSTMCell) Step(x, h, cell ag.Var) (ag.Var, ag.Var) {
	b := c.checkStep("layers.LSTMCell", x, h, cell)
	return c.step(c.fuse(ops.TapeOf(x)).gates(x, c.zerosIfNil(h, x, b)), c.zerosIfNil(cell, x, b))
}

// step applies the cell given the gate pre-activations x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh, with
// ops.LSTMCell: the gates' pointwise part in one pass each way (see there why it is a primitive).
func (c *LSTMCell) step(pre, cell ag.Var) (ag.Var, ag.Var) { return ops.LSTMCell(pre, cell) }

// ForwardN takes x or (x, h, c) and returns {h', c'}; see Step.
func (c *LSTMCell) ForwardN(xs ...ag.Var) []ag.Var {
	x, st := cellInputs("layers.LSTMCell", xs, 2)
	h, cell := c.Step(x, st[0], st[1])
	return []ag.Var{h, cell}
}

// NamedParams returns "weight_ih", "weight_hh", "bias_ih" and "bias_hh".
func (c *LSTMCell) NamedParams() []Param { return c.params("") }

// GRUCell is a gated recurrent unit, as torch.nn.GRUCell. With the gates r, z, n taken in this
// order from consecutive blocks of Hidden rows of the weights:
//
//	r = σ(x·W_irᵀ + b_ir + h·W_hrᵀ + b_hr)    z = σ(…z…)
//	n = tanh(x·W_inᵀ + b_in + r ⊙ (h·W_hnᵀ + b_hn))
//	h' = (1 − z) ⊙ n + z ⊙ h
//
// Its parameters are "weight_ih" (3·Hidden, Input), "weight_hh" (3·Hidden, Hidden), "bias_ih"
// and "bias_hh" (3·Hidden).
type GRUCell struct{ recurrent }

// NewGRUCell returns a GRU cell from input to hidden features, initialised as PyTorch's. It
// panics with an *autograd.Error wrapping ErrSize if a size is below 1.
func NewGRUCell(input, hidden int, opts ...Option) *GRUCell {
	return &GRUCell{newRecurrent("layers.NewGRUCell", input, hidden, 3, opts)}
}

// Step returns the next hidden state for the input x (batch, Input) and the state h (batch,
// Hidden); a nil h stands for zeros. Step panics with an *autograd.Error naming the shapes if x
// or h has the wrong shape or dtype.
func (c *GRUCell) Step(x, h ag.Var) ag.Var {
	b := c.checkStep("layers.GRUCell", x, h)
	return c.step(c.inputProj(x), c.zerosIfNil(h, x, b))
}

// step applies the cell given xw = x·W_ihᵀ + b_ih (b_hh is not folded in: its n block is gated
// by r).
func (c *GRUCell) step(xw, h ag.Var) ag.Var {
	n := c.Hidden
	hw := c.hiddenProj(h)
	// Slices rather than ops.Split, whose slice of results a steady step would allocate.
	rz := ops.Sigmoid(ops.Add(ops.Slice(xw, 1, 0, 2*n), ops.Slice(hw, 1, 0, 2*n)))
	r, z := ops.Slice(rz, 1, 0, n), ops.Slice(rz, 1, n, 2*n)
	cand := ops.Tanh(ops.Add(ops.Slice(xw, 1, 2*n, 3*n), ops.Mul(r, ops.Slice(hw, 1, 2*n, 3*n))))
	// (1 − z) ⊙ n + z ⊙ h = n + z ⊙ (h − n): one operation fewer.
	return ops.Add(cand, ops.Mul(z, ops.Sub(h, cand)))
}

// ForwardN takes x or (x, h) and returns {h'}; see Step.
func (c *GRUCell) ForwardN(xs ...ag.Var) []ag.Var {
	x, st := cellInputs("layers.GRUCell", xs, 1)
	return []ag.Var{c.Step(x, st[0])}
}

// NamedParams returns "weight_ih", "weight_hh", "bias_ih" and "bias_hh".
func (c *GRUCell) NamedParams() []Param { return c.params("") }

// cellInputs splits the inputs of a cell's ForwardN: x alone (zero states) or x and its nStates
// states.
func cellInputs(op string, xs []ag.Var, nStates int) (ag.Var, []ag.Var) {
	if len(xs) != 1 && len(xs) != 1+nStates {
		ag.Panicf(op, ag.ErrValue, "%d inputs; want the input alone or the input and %d state(s)", len(xs), nStates)
	}
	st := make([]ag.Var, nStates)
	copy(st, xs[1:])
	return xs[0], st
}
