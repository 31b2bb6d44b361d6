package layers

import (
	"fmt"
	"slices"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// RNN is a multi-layer Elman recurrent layer with tanh. RNN, LSTM and GRU run a stack of
// NumLayers cells over batch-first sequences x of shape (batch, seq, Input), as torch.nn.RNN,
// LSTM and GRU with batch_first=True: layer 0 reads x, layer l reads the outputs of layer l−1,
// and the outputs of the last layer at every step, (batch, seq, Hidden), are the result. The states are (NumLayers, batch, Hidden), as PyTorch's
// h_0 and h_n (also when batch_first), and a nil initial state stands for zeros.
//
// Parameters are named as PyTorch's: "weight_ih_l0", "weight_hh_l0", "bias_ih_l0",
// "bias_hh_l0", then the same with "_l1" and so on, so that a state_dict loads unchanged.
//
// For speed, a step of RNN and LSTM adds its two biases once per sequence, and the LSTM's gates
// are one primitive (ops.LSTMCell). The input products of all steps are not one product before
// the loop, as PyTorch computes them: taking each step's rows out of it again cost, in the
// backward pass, a zero-filled gradient of the whole sequence per step (the derivative of
// ops.Slice is ops.Pad). Slice's rule now adds each step's gradient into its block of the sum
// from the second step on in Backward (the third in Grad, or below 256 elements; see
// autograd.Op.GradsInto), so one product before the loop may pay off;
// it has not been measured. An input x that requires a gradient (an embedding's output, say) is
// sliced that way in layer 0 (an LSTM step with such an input: 52.8 → 48.2 ms, peak memory
// 219 → 156 MB, when Slice's rule began to add in place); layers above read the steps of the
// layer below directly.
//
// Truncated backpropagation through time: run a long sequence in chunks, carrying the final
// state of one chunk into the next as a value without history, so that gradients stop at the
// chunk's start. DetachState does it and the copy survives Tape.Reset:
//
//	for each chunk {
//		tp.Reset()
//		out, h, c := lstm.Run(chunk, h, c)
//		... loss, Backward, optimizer step ...
//		h, c = layers.DetachState(h), layers.DetachState(c)
//	}
//
// (autograd.Detach also stops the gradient but shares the storage of its tape, so it does not
// outlive the tape's Reset.)
type RNN struct {
	Cells                    []*RNNCell // one per layer
	Input, Hidden, NumLayers int
}

// LSTM is a multi-layer LSTM; see RNN.
type LSTM struct {
	Cells                    []*LSTMCell
	Input, Hidden, NumLayers int
}

// GRU is a multi-layer GRU; see RNN.
type GRU struct {
	Cells                    []*GRUCell
	Input, Hidden, NumLayers int
}

// NewRNN returns numLayers tanh cells from input to hidden features, initialised as PyTorch's
// (see the options of NewLinear). It panics with an *autograd.Error wrapping ErrSize if a size
// or numLayers is below 1.
func NewRNN(input, hidden, numLayers int, opts ...Option) *RNN {
	l := &RNN{Input: input, Hidden: hidden, NumLayers: numLayers}
	stack("layers.NewRNN", input, hidden, numLayers, func(in int) { l.Cells = append(l.Cells, NewRNNCell(in, hidden, opts...)) })
	return l
}

// NewLSTM returns numLayers LSTM cells; see NewRNN.
func NewLSTM(input, hidden, numLayers int, opts ...Option) *LSTM {
	l := &LSTM{Input: input, Hidden: hidden, NumLayers: numLayers}
	stack("layers.NewLSTM", input, hidden, numLayers, func(in int) { l.Cells = append(l.Cells, NewLSTMCell(in, hidden, opts...)) })
	return l
}

// NewGRU returns numLayers GRU cells; see NewRNN.
func NewGRU(input, hidden, numLayers int, opts ...Option) *GRU {
	l := &GRU{Input: input, Hidden: hidden, NumLayers: numLayers}
	stack("layers.NewGRU", input, hidden, numLayers, func(in int) { l.Cells = append(l.Cells, NewGRUCell(in, hidden, opts...)) })
	return l
}

// stack checks the sizes and calls add with the input size of each layer. The options' random
// source is shared, so that the layers draw different weights.
func stack(op string, input, hidden, numLayers int, add func(in int)) {
	checkSize(op, "input size", input)
	checkSize(op, "hidden size", hidden)
	checkSize(op, "number of layers", numLayers)
	for i := range numLayers {
		if i == 0 {
			add(input)
		} else {
			add(hidden)
		}
	}
}

// Run returns the outputs (batch, seq, Hidden) of the last layer at every step and the final
// states (NumLayers, batch, Hidden) for the input x (batch, seq, Input) and the initial state h0
// (nil for zeros). Run panics with an *autograd.Error naming the layer and the shapes if x is
// not (batch, seq ≥ 1, Input), or h0 not (NumLayers, batch, Hidden), or a dtype differs.
func (l *RNN) Run(x, h0 ag.Var) (out, h ag.Var) {
	const op = "layers.RNN"
	b, T := checkSeq(op, x, l.Input, l.Hidden, l.NumLayers, len(l.Cells), h0)
	steps := seqSteps(op, x, l.Cells[0].WeightIH, b, T)
	outs, h := l.run(*steps, h0, b)
	out = stackVars(1, outs)
	putVars(steps)
	return out, h
}

// RunSteps is Run over a sequence given as its steps xs, each (batch, Input), returning the
// outputs of the last layer as steps (batch, Hidden): per-step inputs, such as one embedding
// lookup per step, need no slicing of a sequence, whose backward pass costs a sequence-sized
// gradient per step when the sequence requires a gradient. It panics as Run does, and if xs is
// empty or its steps differ in shape.
func (l *RNN) RunSteps(xs []ag.Var, h0 ag.Var) (outs []ag.Var, h ag.Var) {
	b := checkSteps("layers.RNN", xs, l.Input, l.Hidden, l.NumLayers, len(l.Cells), h0)
	checkDType("layers.RNN", "input", xs[0], l.Cells[0].WeightIH)
	return l.run(slices.Clone(xs), h0, b)
}

func (l *RNN) run(steps []ag.Var, h0 ag.Var, b int) ([]ag.Var, ag.Var) {
	hs := getVars(l.NumLayers)
	defer putVars(hs)
	for li, c := range l.Cells {
		ht, w := layerState(h0, li, steps[0], b, c.Hidden), c.fuse(ops.TapeOf(steps[0]))
		for t, xt := range steps {
			ht = ops.Tanh(w.gates(xt, ht))
			steps[t] = ht
		}
		(*hs)[li] = ht
	}
	return steps, stackVars(0, *hs)
}

// Run returns the outputs of the last layer at every step and the final states h and c; see
// RNN.Run, of which it takes and returns the cell state c as well.
func (l *LSTM) Run(x, h0, c0 ag.Var) (out, h, c ag.Var) {
	const op = "layers.LSTM"
	b, T := checkSeq(op, x, l.Input, l.Hidden, l.NumLayers, len(l.Cells), h0, c0)
	steps := seqSteps(op, x, l.Cells[0].WeightIH, b, T)
	outs, h, c := l.run(*steps, h0, c0, b)
	out = stackVars(1, outs)
	putVars(steps)
	return out, h, c
}

// RunSteps is Run over a sequence given as its steps; see RNN.RunSteps.
func (l *LSTM) RunSteps(xs []ag.Var, h0, c0 ag.Var) (outs []ag.Var, h, c ag.Var) {
	b := checkSteps("layers.LSTM", xs, l.Input, l.Hidden, l.NumLayers, len(l.Cells), h0, c0)
	checkDType("layers.LSTM", "input", xs[0], l.Cells[0].WeightIH)
	return l.run(slices.Clone(xs), h0, c0, b)
}

func (l *LSTM) run(steps []ag.Var, h0, c0 ag.Var, b int) ([]ag.Var, ag.Var, ag.Var) {
	hs, cs := getVars(l.NumLayers), getVars(l.NumLayers)
	defer putVars(hs)
	defer putVars(cs)
	for li, cell := range l.Cells {
		ht, ct := layerState(h0, li, steps[0], b, cell.Hidden), layerState(c0, li, steps[0], b, cell.Hidden)
		w := cell.fuse(ops.TapeOf(steps[0]))
		for t, xt := range steps {
			ht, ct = cell.step(w.gates(xt, ht), ct)
			steps[t] = ht
		}
		(*hs)[li], (*cs)[li] = ht, ct
	}
	return steps, stackVars(0, *hs), stackVars(0, *cs)
}

// Run returns the outputs of the last layer at every step and the final states; see RNN.Run.
func (l *GRU) Run(x, h0 ag.Var) (out, h ag.Var) {
	const op = "layers.GRU"
	b, T := checkSeq(op, x, l.Input, l.Hidden, l.NumLayers, len(l.Cells), h0)
	steps := seqSteps(op, x, l.Cells[0].WeightIH, b, T)
	outs, h := l.run(*steps, h0, b)
	out = stackVars(1, outs)
	putVars(steps)
	return out, h
}

// RunSteps is Run over a sequence given as its steps; see RNN.RunSteps.
func (l *GRU) RunSteps(xs []ag.Var, h0 ag.Var) (outs []ag.Var, h ag.Var) {
	b := checkSteps("layers.GRU", xs, l.Input, l.Hidden, l.NumLayers, len(l.Cells), h0)
	checkDType("layers.GRU", "input", xs[0], l.Cells[0].WeightIH)
	return l.run(slices.Clone(xs), h0, b)
}

func (l *GRU) run(steps []ag.Var, h0 ag.Var, b int) ([]ag.Var, ag.Var) {
	hs := getVars(l.NumLayers)
	defer putVars(hs)
	for li, c := range l.Cells {
		ht := layerState(h0, li, steps[0], b, c.Hidden)
		for t, xt := range steps {
			ht = c.step(c.inputProj(xt), ht)
			steps[t] = ht
		}
		(*hs)[li] = ht
	}
	return steps, stackVars(0, *hs)
}

// Forward returns the outputs at every step from zero initial states; see Run.
func (l *RNN) Forward(x ag.Var) ag.Var { out, _ := l.Run(x, ag.Var{}); return out }

// Forward returns the outputs at every step from zero initial states; see Run.
func (l *LSTM) Forward(x ag.Var) ag.Var { out, _, _ := l.Run(x, ag.Var{}, ag.Var{}); return out }

// Forward returns the outputs at every step from zero initial states; see Run.
func (l *GRU) Forward(x ag.Var) ag.Var { out, _ := l.Run(x, ag.Var{}); return out }

// ForwardN takes x or (x, h0) and returns {out, h}; see Run.
func (l *RNN) ForwardN(xs ...ag.Var) []ag.Var {
	x, st := cellInputs("layers.RNN", xs, 1)
	out, h := l.Run(x, st[0])
	return []ag.Var{out, h}
}

// ForwardN takes x or (x, h0, c0) and returns {out, h, c}; see Run.
func (l *LSTM) ForwardN(xs ...ag.Var) []ag.Var {
	x, st := cellInputs("layers.LSTM", xs, 2)
	out, h, c := l.Run(x, st[0], st[1])
	return []ag.Var{out, h, c}
}

// ForwardN takes x or (x, h0) and returns {out, h}; see Run.
func (l *GRU) ForwardN(xs ...ag.Var) []ag.Var {
	x, st := cellInputs("layers.GRU", xs, 1)
	out, h := l.Run(x, st[0])
	return []ag.Var{out, h}
}

// NamedParams returns each layer's parameters under PyTorch's names: "weight_ih_l0", ….
func (l *RNN) NamedParams() []Param {
	var out []Param
	for i, c := range l.Cells {
		out = append(out, c.params(fmt.Sprintf("_l%d", i))...)
	}
	return out
}

// NamedParams returns each layer's parameters under PyTorch's names: "weight_ih_l0", ….
func (l *LSTM) NamedParams() []Param {
	var out []Param
	for i, c := range l.Cells {
		out = append(out, c.params(fmt.Sprintf("_l%d", i))...)
	}
	return out
}

// NamedParams returns each layer's parameters under PyTorch's names: "weight_ih_l0", ….
func (l *GRU) NamedParams() []Param {
	var out []Param
	for i, c := range l.Cells {
		out = append(out, c.params(fmt.Sprintf("_l%d", i))...)
	}
	return out
}

// DetachState returns a copy of the value of s with no history, on the heap rather than a tape,
// so that it survives Tape.Reset: the carried state of truncated backpropagation through time.
// A nil s gives nil.
func DetachState(s ag.Var) ag.Var {
	if s.IsNil() {
		return s
	}
	s.Check("layers.DetachState")
	if s.DType() == ag.Float32 {
		return (*ag.Tape)(nil).Const32(append([]float32(nil), s.Data32()...), s.Shape()...)
	}
	return ag.Const(append([]float64(nil), s.Data64()...), s.Shape()...)
}

// checkSeq checks a multi-step layer's input (batch, seq ≥ 1, input) and its states
// (numLayers, batch, hidden), and returns batch and seq.
func checkSeq(op string, x ag.Var, input, hidden, numLayers, cells int, states ...ag.Var) (int, int) {
	checkCells(op, numLayers, cells)
	s := x.Check(op).Shape()
	if len(s) != 3 || s[2] != input {
		ag.Panicf(op, ag.ErrShape, "input of shape %s; want (batch, seq, %d)", ag.FormatShape(s), input)
	}
	if s[1] == 0 {
		ag.Panicf(op, ag.ErrShape, "empty sequence: input of shape %s; want at least one step", ag.FormatShape(s))
	}
	checkStates(op, x, s, hidden, numLayers, states)
	return s[0], s[1]
}

// checkSteps checks a sequence given as steps (batch, input), at least one, all of one shape
// and dtype, and the states; it returns batch.
func checkSteps(op string, xs []ag.Var, input, hidden, numLayers, cells int, states ...ag.Var) int {
	checkCells(op, numLayers, cells)
	if len(xs) == 0 {
		ag.Panicf(op, ag.ErrShape, "empty sequence: no steps; want at least one")
	}
	s := xs[0].Check(op).Shape()
	if len(s) != 2 || s[1] != input {
		ag.Panicf(op, ag.ErrShape, "step 0 of shape %s; want (batch, %d)", ag.FormatShape(s), input)
	}
	for t, x := range xs {
		if st := x.Check(op).Shape(); !slices.Equal(st, s) || x.DType() != xs[0].DType() {
			ag.Panicf(op, ag.ErrShape, "step %d is %v %s, step 0 %v %s", t, x.DType(), ag.FormatShape(st), xs[0].DType(), ag.FormatShape(s))
		}
	}
	checkStates(op, xs[0], s, hidden, numLayers, states)
	return s[0]
}

func checkCells(op string, numLayers, cells int) {
	if cells != numLayers || cells == 0 {
		ag.Panicf(op, ag.ErrValue, "%d cells for %d layers; create the layer with its New function", cells, numLayers)
	}
}

// checkStates checks that each non-nil state is (numLayers, batch, hidden) in x's dtype, s being
// the input's shape (batch first).
func checkStates(op string, x ag.Var, s []int, hidden, numLayers int, states []ag.Var) {
	for i, st := range states {
		if st.IsNil() {
			continue
		}
		ss := st.Check(op).Shape()
		if len(ss) != 3 || ss[0] != numLayers || ss[1] != s[0] || ss[2] != hidden {
			ag.Panicf(op, ag.ErrShape, "initial state %d of shape %s for input %s; want (%d, %d, %d)", i, ag.FormatShape(ss), ag.FormatShape(s), numLayers, s[0], hidden)
		}
		if st.DType() != x.DType() {
			ag.Panicf(op, ag.ErrDType, "initial state %d is %v, the input %v", i, st.DType(), x.DType())
		}
	}
}

// seqSteps returns the steps of x (batch, seq, in) as seq matrices (batch, in), in a list from
// getVars, checking x's dtype against the parameter p's.
func seqSteps(op string, x, p ag.Var, b, T int) *[]ag.Var {
	checkDType(op, "input", x, p)
	in := x.Shape()[2]
	steps := getVars(T)
	for t := range *steps {
		(*steps)[t] = ops.Reshape(ops.Slice(x, 1, t, t+1), b, in)
	}
	return steps
}

// layerState returns layer li's slice (batch, hidden) of the state s (numLayers, batch,
// hidden), or zeros on x's tape if s is nil.
func layerState(s ag.Var, li int, x ag.Var, b, hidden int) ag.Var {
	if s.IsNil() {
		return ops.TapeOf(x).Zeros(x.DType(), b, hidden)
	}
	return ops.Reshape(ops.Slice(s, 0, li, li+1), b, hidden)
}
