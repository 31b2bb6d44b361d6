package layers

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// randParam returns a float64 parameter of the given shape with values in [−1, 1).
func randParam(rng *rand.Rand, shape ...int) ag.Var {
	n := 1
	for _, d := range shape {
		n *= d
	}
	v := make([]float64, n)
	for i := range v {
		v[i] = 2*rng.Float64() - 1
	}
	return ag.NewParam(v, shape...)
}

// withWeights returns r with its four parameters replaced by ws (for CheckGrad, which passes
// its own copies of the inputs).
func withWeights(r recurrent, ws []ag.Var) recurrent {
	r.WeightIH, r.WeightHH, r.BiasIH, r.BiasHH = ws[0], ws[1], ws[2], ws[3]
	return r
}

// TestRecurrentCheckGrad checks the gradients of every recurrent cell and multi-step layer with
// respect to the input, the states and all parameters by finite differences, at order 1.
func TestRecurrentCheckGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const in, hid, b, T = 2, 3, 2, 3
	weights := func(gates, layerIn int) []ag.Var {
		return []ag.Var{randParam(rng, gates*hid, layerIn), randParam(rng, gates*hid, hid), randParam(rng, gates*hid), randParam(rng, gates*hid)}
	}
	x2, h2, c2 := randParam(rng, b, in), randParam(rng, b, hid), randParam(rng, b, hid)
	x3, h3, c3 := randParam(rng, b, T, in), randParam(rng, 2, b, hid), randParam(rng, 2, b, hid)
	rnn, lstm, gru := NewRNNCell(in, hid), NewLSTMCell(in, hid), NewGRUCell(in, hid)
	lstm2 := NewLSTM(in, hid, 2)
	gru2, rnn2 := NewGRU(in, hid, 2), NewRNN(in, hid, 2)
	cases := []struct {
		name   string
		f      func(xs ...ag.Var) ag.Var
		inputs []ag.Var
	}{
		{"RNNCell", func(xs ...ag.Var) ag.Var {
			c := &RNNCell{withWeights(rnn.recurrent, xs[2:])}
			return c.Step(xs[0], xs[1])
		}, append([]ag.Var{x2, h2}, weights(1, in)...)},
		{"LSTMCell", func(xs ...ag.Var) ag.Var {
			c := &LSTMCell{withWeights(lstm.recurrent, xs[3:])}
			h, cell := c.Step(xs[0], xs[1], xs[2])
			return ops.Add(h, ops.Square(cell)) // both outputs, non-linearly
		}, append([]ag.Var{x2, h2, c2}, weights(4, in)...)},
		{"GRUCell", func(xs ...ag.Var) ag.Var {
			c := &GRUCell{withWeights(gru.recurrent, xs[2:])}
			return c.Step(xs[0], xs[1])
		}, append([]ag.Var{x2, h2}, weights(3, in)...)},
		{"LSTM 2 layers", func(xs ...ag.Var) ag.Var {
			l := *lstm2
			l.Cells = []*LSTMCell{{withWeights(lstm2.Cells[0].recurrent, xs[3:7])}, {withWeights(lstm2.Cells[1].recurrent, xs[7:11])}}
			out, h, c := l.Run(xs[0], xs[1], xs[2])
			return ops.Add(ops.Sum(ops.Square(out)), ops.Add(ops.Sum(h), ops.Sum(ops.Square(c))))
		}, append(append([]ag.Var{x3, h3, c3}, weights(4, in)...), weights(4, hid)...)},
		{"GRU 2 layers", func(xs ...ag.Var) ag.Var {
			l := *gru2
			l.Cells = []*GRUCell{{withWeights(gru2.Cells[0].recurrent, xs[2:6])}, {withWeights(gru2.Cells[1].recurrent, xs[6:10])}}
			out, h := l.Run(xs[0], xs[1])
			return ops.Add(ops.Sum(ops.Square(out)), ops.Sum(h))
		}, append(append([]ag.Var{x3, h3}, weights(3, in)...), weights(3, hid)...)},
		{"RNN 2 layers", func(xs ...ag.Var) ag.Var {
			l := *rnn2
			l.Cells = []*RNNCell{{withWeights(rnn2.Cells[0].recurrent, xs[2:6])}, {withWeights(rnn2.Cells[1].recurrent, xs[6:10])}}
			out, h := l.Run(xs[0], xs[1])
			return ops.Add(ops.Sum(ops.Square(out)), ops.Sum(h))
		}, append(append([]ag.Var{x3, h3}, weights(1, in)...), weights(1, hid)...)},
	}
	for _, c := range cases {
		if err := ag.CheckGrad(c.f, c.inputs); err != nil {
			t.Errorf("%s, order 1: %v", c.name, err)
		}
	}
}

// TestRecurrentSecondOrder checks an LSTM cell at order 2: its gates are graph ops, so second
// derivatives come from the rule table too.
func TestRecurrentSecondOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cell := NewLSTMCell(2, 2)
	f := func(xs ...ag.Var) ag.Var {
		c := &LSTMCell{withWeights(cell.recurrent, xs[2:])}
		h, _ := c.Step(xs[0], xs[1], ag.Var{})
		return ops.Sum(ops.Square(h))
	}
	ins := []ag.Var{randParam(rng, 1, 2), randParam(rng, 1, 2), randParam(rng, 8, 2), randParam(rng, 8, 2), randParam(rng, 8), randParam(rng, 8)}
	if err := ag.CheckGrad(f, ins, ag.Order(2)); err != nil {
		t.Errorf("LSTMCell, order 2: %v", err)
	}
}

// TestRecurrentShapesAndNames checks the parameter names and shapes against PyTorch's, the
// initialisation bound 1/√hidden, and the shapes of the outputs and states.
func TestRecurrentShapesAndNames(t *testing.T) {
	l := NewLSTM(5, 4, 2, WithSeed(1))
	want := []struct {
		name  string
		shape []int
	}{
		{"weight_ih_l0", []int{16, 5}}, {"weight_hh_l0", []int{16, 4}}, {"bias_ih_l0", []int{16}}, {"bias_hh_l0", []int{16}},
		{"weight_ih_l1", []int{16, 4}}, {"weight_hh_l1", []int{16, 4}}, {"bias_ih_l1", []int{16}}, {"bias_hh_l1", []int{16}},
	}
	ps := l.NamedParams()
	if len(ps) != len(want) {
		t.Fatalf("NewLSTM(5, 4, 2): %d parameters; want %d", len(ps), len(want))
	}
	for i, p := range ps {
		if p.Name != want[i].name || !equalInts(p.Var.Shape(), want[i].shape) {
			t.Errorf("NewLSTM(5, 4, 2) parameter %d: %s %v; want %s %v", i, p.Name, p.Var.Shape(), want[i].name, want[i].shape)
		}
		lo, hi := 0.0, 0.0
		for _, v := range p.Var.Float64s() {
			lo, hi = min(lo, v), max(hi, v)
		}
		if bound := 0.5; lo < -bound || hi > bound || hi-lo < bound { // 1/√4, and spread over the interval
			t.Errorf("NewLSTM(5, 4, 2) %s spans [%g, %g]; want U(−%g, %g)", p.Name, lo, hi, bound, bound)
		}
	}
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		tp := ag.NewTape()
		g := NewGRU(5, 4, 3, WithDType(dt))
		x := ops.Cast(tp.Const(make([]float64, 2*7*5), 2, 7, 5), dt)
		out, h := g.Run(x, ag.Var{})
		if !equalInts(out.Shape(), []int{2, 7, 4}) || !equalInts(h.Shape(), []int{3, 2, 4}) || out.DType() != dt {
			t.Errorf("GRU(5, 4, 3) %v on (2,7,5): out %v %v, h %v; want (2,7,4), (3,2,4)", dt, out.DType(), out.Shape(), h.Shape())
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestDetachState runs truncated backpropagation through time in two chunks: the second chunk's
// gradient must not reach the first chunk's input, the carried state must survive Tape.Reset, and
// the second chunk must start from the first's final state.
func TestDetachState(t *testing.T) {
	l := NewLSTM(2, 3, 1, WithSeed(2))
	rng := rand.New(rand.NewPCG(1, 1))
	tp := ag.NewTape()
	x1 := randParam(rng, 1, 4, 2)
	_, h, c := l.Run(x1, ag.Var{}, ag.Var{})
	hd, cd := DetachState(h), DetachState(c)
	want := h.Float64s()
	tp.Reset()
	if got := hd.Float64s(); !equalFloats(got, want) || hd.RequiresGrad() {
		t.Fatalf("DetachState(h) = %v (requires grad %v); want %v without gradient", got, hd.RequiresGrad(), want)
	}
	x2 := tp.Variable(randParam(rng, 1, 4, 2).Float64s(), 1, 4, 2)
	out, _, _ := l.Run(x2, hd, cd)
	ag.ZeroGrad(x1)
	if err := ag.Backward(ops.Sum(out)); err != nil {
		t.Fatal(err)
	}
	if g := x1.Grad(); !g.IsNil() {
		for _, v := range g.Float64s() {
			if v != 0 {
				t.Fatalf("gradient reached the first chunk's input through the detached state: %v", g)
			}
		}
	}
	if x2.Grad().IsNil() {
		t.Errorf("no gradient for the second chunk's input")
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestRecurrentBadInput checks the typed errors of the recurrent layers: each names the layer
// and the shapes at fault.
func TestRecurrentBadInput(t *testing.T) {
	tp := ag.NewTape()
	zeros := func(shape ...int) ag.Var { return tp.Zeros(ag.Float64, shape...) }
	lstm, gru, cell := NewLSTM(3, 4, 2), NewGRU(3, 4, 1), NewLSTMCell(3, 4)
	cases := []struct {
		name string
		fn   func()
		kind error
		want []string
	}{
		{"wrong feature size", func() { lstm.Forward(zeros(2, 5, 6)) }, ag.ErrShape, []string{"layers.LSTM", "(2,5,6)", "(batch, seq, 3)"}},
		{"rank 2 sequence", func() { gru.Forward(zeros(5, 3)) }, ag.ErrShape, []string{"layers.GRU", "(5,3)"}},
		{"empty sequence", func() { lstm.Forward(zeros(2, 0, 3)) }, ag.ErrShape, []string{"layers.LSTM", "empty sequence", "(2,0,3)"}},
		{"state of the wrong batch", func() { gru.Run(zeros(2, 5, 3), zeros(1, 3, 4)) }, ag.ErrShape, []string{"layers.GRU", "(1,3,4)", "want (1, 2, 4)"}},
		{"state without the layer axis", func() { lstm.Run(zeros(2, 5, 3), zeros(2, 4), ag.Var{}) }, ag.ErrShape, []string{"layers.LSTM", "(2,4)", "want (2, 2, 4)"}},
		{"cell state of the wrong size", func() { lstm.Run(zeros(2, 5, 3), ag.Var{}, zeros(2, 2, 5)) }, ag.ErrShape, []string{"layers.LSTM", "state 1", "(2,2,5)"}},
		{"cell input size", func() { cell.Step(zeros(2, 4), ag.Var{}, ag.Var{}) }, ag.ErrShape, []string{"layers.LSTMCell", "(2,4)", "(batch, 3)"}},
		{"cell state shape", func() { cell.Step(zeros(2, 3), zeros(3, 4), ag.Var{}) }, ag.ErrShape, []string{"layers.LSTMCell", "(3,4)", "want (2, 4)"}},
		{"dtype", func() { gru.Forward(ops.Cast(zeros(1, 2, 3), ag.Float32)) }, ag.ErrDType, []string{"layers.GRU", "float32", "float64"}},
		{"ForwardN arity", func() { lstm.ForwardN(zeros(1, 2, 3), zeros(2, 1, 4)) }, ag.ErrValue, []string{"layers.LSTM", "2 inputs"}},
		{"no steps", func() { lstm.RunSteps(nil, ag.Var{}, ag.Var{}) }, ag.ErrShape, []string{"layers.LSTM", "empty sequence"}},
		{"steps differ", func() { gru.RunSteps([]ag.Var{zeros(2, 3), zeros(1, 3)}, ag.Var{}) }, ag.ErrShape, []string{"layers.GRU", "step 1", "(1,3)", "(2,3)"}},
		{"step size", func() { gru.RunSteps([]ag.Var{zeros(2, 4)}, ag.Var{}) }, ag.ErrShape, []string{"layers.GRU", "(2,4)", "(batch, 3)"}},
		{"zero layers", func() { NewLSTM(3, 4, 0) }, ErrSize, []string{"layers.NewLSTM", "number of layers 0"}},
		{"zero hidden", func() { NewGRUCell(3, 0) }, ErrSize, []string{"layers.NewGRUCell", "hidden size 0"}},
	}
	for _, c := range cases {
		err := ag.Maybe(c.fn)
		var e *ag.Error
		if !errors.As(err, &e) || !errors.Is(err, c.kind) {
			t.Errorf("%s: error %v; want an *autograd.Error wrapping %v", c.name, err, c.kind)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not mention %q", c.name, err, w)
			}
		}
	}
}

// TestRunStepsMatchesRun checks that running over a list of steps gives Run's outputs and states.
func TestRunStepsMatchesRun(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	x, h0, c0 := randParam(rng, 2, 4, 3), randParam(rng, 2, 2, 5), randParam(rng, 2, 2, 5)
	steps := make([]ag.Var, 4)
	for i := range steps {
		steps[i] = ops.Reshape(ops.Slice(x, 1, i, i+1), 2, 3)
	}
	lstm, gru, rnn := NewLSTM(3, 5, 2), NewGRU(3, 5, 2), NewRNN(3, 5, 2)
	out, h, c := lstm.Run(x, h0, c0)
	outs, hs, cs := lstm.RunSteps(steps, h0, c0)
	check := func(name string, out, h ag.Var, outs []ag.Var, hs ag.Var) {
		if got, want := ops.Stack(1, outs...).Float64s(), out.Float64s(); !equalFloats(got, want) {
			t.Errorf("%s: RunSteps outputs %v; Run gave %v", name, got, want)
		}
		if got, want := hs.Float64s(), h.Float64s(); !equalFloats(got, want) {
			t.Errorf("%s: RunSteps state %v; Run gave %v", name, got, want)
		}
	}
	check("LSTM", out, h, outs, hs)
	check("LSTM cell state", out, c, outs, cs)
	out, h = gru.Run(x, h0)
	outs, hs = gru.RunSteps(steps, h0)
	check("GRU", out, h, outs, hs)
	out, h = rnn.Run(x, ag.Var{})
	outs, hs = rnn.RunSteps(steps, ag.Var{})
	check("RNN", out, h, outs, hs)
}
