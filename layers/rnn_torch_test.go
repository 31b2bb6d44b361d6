package layers

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// torchSeq is testdata/torch_seq.json, written by testdata/torch_seq.py with PyTorch 1.13.
type torchSeq struct {
	Recurrent []torchSeqCase `json:"recurrent"`
	MHA       []torchSeqCase `json:"mha"`
	Block     []torchSeqCase `json:"block"`
}

type torchSeqCase struct {
	Kind       string `json:"kind"`
	Name       string `json:"name"`
	Input      int    `json:"input"`
	Hidden     int    `json:"hidden"`
	Layers     int    `json:"layers"`
	Embed      int    `json:"embed"`
	Heads      int    `json:"heads"`
	SelfAttn   bool   `json:"self_attn"`
	Causal     bool   `json:"causal"`
	PadLengths []int  `json:"pad_lengths"`
	Inputs     []struct {
		Data  []float64 `json:"data"`
		Shape []int     `json:"shape"`
		Grad  []float64 `json:"grad"`
	} `json:"inputs"`
	Params []struct {
		Name  string    `json:"name"`
		Data  []float64 `json:"data"`
		Shape []int     `json:"shape"`
		Grad  []float64 `json:"grad"`
	} `json:"params"`
	Outputs []struct {
		Data  []float64 `json:"data"`
		Shape []int     `json:"shape"`
		R     []float64 `json:"r"`
	} `json:"outputs"`
}

func loadTorchSeq(t *testing.T) torchSeq {
	t.Helper()
	b, err := os.ReadFile("testdata/torch_seq.json")
	if err != nil {
		t.Fatal(err)
	}
	var ts torchSeq
	if err := json.Unmarshal(b, &ts); err != nil {
		t.Fatal(err)
	}
	return ts
}

// torchTol compares float64 results with PyTorch's float64 ones: both sum the same few terms in
// different orders, so they agree to rounding.
var torchTol = cmpopts.EquateApprox(1e-9, 1e-12)

// setParams copies the fixture's parameters into m's, by name, and fails on any name or shape
// that differs: gograd's recurrent layers and MultiHeadAttention store PyTorch's layout; a
// Linear's weight is stored transposed, and is transposed here.
func setParams(t *testing.T, name string, m Model, c torchSeqCase) {
	t.Helper()
	ps := m.NamedParams()
	if len(ps) != len(c.Params) {
		t.Fatalf("%s: %d parameters, torch has %d", name, len(ps), len(c.Params))
	}
	for i, p := range ps {
		tp := c.Params[i]
		data, shape := tp.Data, tp.Shape
		if strings.HasPrefix(p.Name, "linear") && strings.HasSuffix(p.Name, ".weight") {
			data, shape = transposed(data, shape[0], shape[1]), []int{shape[1], shape[0]}
		}
		if p.Name != tp.Name || !slices.Equal(p.Var.Shape(), shape) {
			t.Fatalf("%s: parameter %d is %s %v; torch's is %s %v", name, i, p.Name, p.Var.Shape(), tp.Name, tp.Shape)
		}
		copy(p.Var.Data64(), data)
	}
}

// transposed returns the (c, r) transpose of the row-major (r, c) matrix a.
func transposed(a []float64, r, c int) []float64 {
	out := make([]float64, len(a))
	for i := range r {
		for j := range c {
			out[j*r+i] = a[i*c+j]
		}
	}
	return out
}

// checkAgainstTorch backpropagates Σ sum(out_i · r_i) from outs and compares the outputs and the
// gradients of the inputs and of m's parameters with the fixture's.
func checkAgainstTorch(t *testing.T, name string, m Model, c torchSeqCase, tp *ag.Tape, ins, outs []ag.Var) {
	t.Helper()
	var loss ag.Var
	for i, o := range outs {
		want := c.Outputs[i]
		if diff := cmp.Diff(want.Data, o.Float64s(), torchTol); diff != "" || !slices.Equal(o.Shape(), want.Shape) {
			t.Errorf("%s: output %d of shape %v (want %v) (-torch +got):\n%s", name, i, o.Shape(), want.Shape, diff)
		}
		term := ops.Sum(ops.Mul(o, tp.Const(want.R, want.Shape...)))
		if loss.IsNil() {
			loss = term
		} else {
			loss = ops.Add(loss, term)
		}
	}
	ps := m.NamedParams()
	ag.ZeroGrad(Params(m)...)
	if err := ag.Backward(loss); err != nil {
		t.Fatalf("%s: Backward: %v", name, err)
	}
	for i, in := range ins {
		if diff := cmp.Diff(c.Inputs[i].Grad, in.Grad().Float64s(), torchTol); diff != "" {
			t.Errorf("%s: gradient of input %d (-torch +got):\n%s", name, i, diff)
		}
	}
	for i, p := range ps {
		want := c.Params[i].Grad
		if s := c.Params[i].Shape; strings.HasPrefix(p.Name, "linear") && strings.HasSuffix(p.Name, ".weight") {
			want = transposed(want, s[0], s[1])
		}
		if diff := cmp.Diff(want, p.Var.Grad().Float64s(), torchTol); diff != "" {
			t.Errorf("%s: gradient of %s (-torch +got):\n%s", name, p.Name, diff)
		}
	}
}

// TestRecurrentMatchesTorch runs torch's RNN, LSTM and GRU cases (two layers, with and without
// initial states) and compares outputs, final states and every gradient.
func TestRecurrentMatchesTorch(t *testing.T) {
	ts := loadTorchSeq(t)
	if len(ts.Recurrent) == 0 {
		t.Fatal("no recurrent cases in testdata/torch_seq.json")
	}
	for _, c := range ts.Recurrent {
		name := c.Kind + " layers=" + string(rune('0'+c.Layers))
		tp := ag.NewTape()
		var ins []ag.Var
		for _, in := range c.Inputs {
			ins = append(ins, tp.Variable(in.Data, in.Shape...))
		}
		var m interface {
			Model
			MultiModule
		}
		switch c.Kind {
		case "lstm":
			m = NewLSTM(c.Input, c.Hidden, c.Layers)
		case "gru":
			m = NewGRU(c.Input, c.Hidden, c.Layers)
		case "rnn":
			m = NewRNN(c.Input, c.Hidden, c.Layers)
		}
		setParams(t, name, m, c)
		checkAgainstTorch(t, name, m, c, tp, ins, m.ForwardN(ins...))
	}
}

// TestMultiHeadAttentionMatchesTorch runs torch's MultiheadAttention cases (self-attention with a
// causal mask; cross-attention with a key padding mask) and compares the output and every
// gradient.
func TestMultiHeadAttentionMatchesTorch(t *testing.T) {
	ts := loadTorchSeq(t)
	if len(ts.MHA) == 0 {
		t.Fatal("no MultiheadAttention cases in testdata/torch_seq.json")
	}
	for _, c := range ts.MHA {
		tp := ag.NewTape()
		var ins []ag.Var
		for _, in := range c.Inputs {
			ins = append(ins, tp.Variable(in.Data, in.Shape...))
		}
		m := NewMultiHeadAttention(c.Embed, c.Heads)
		setParams(t, c.Name, m, c)
		q, k, v := ins[0], ins[0], ins[0]
		if !c.SelfAttn {
			k, v = ins[1], ins[2]
		}
		var mask ag.Var
		if len(c.PadLengths) > 0 {
			mask = KeyPaddingMask(tp, ag.Float64, c.PadLengths, k.Shape()[1])
		}
		out := m.Attend(q, k, v, mask, c.Causal)
		checkAgainstTorch(t, c.Name, m, c, tp, ins, []ag.Var{out})
	}
}

// TestTransformerBlockMatchesTorch runs torch's pre-norm TransformerEncoderLayer (GELU, no
// dropout), causal and not, and compares the output and every gradient.
func TestTransformerBlockMatchesTorch(t *testing.T) {
	ts := loadTorchSeq(t)
	if len(ts.Block) == 0 {
		t.Fatal("no TransformerEncoderLayer cases in testdata/torch_seq.json")
	}
	for _, c := range ts.Block {
		tp := ag.NewTape()
		x := tp.Variable(c.Inputs[0].Data, c.Inputs[0].Shape...)
		m := NewTransformerBlock(c.Embed, c.Heads, c.Hidden, 0, c.Causal)
		setParams(t, c.Name, m, c)
		checkAgainstTorch(t, c.Name, m, c, tp, []ag.Var{x}, []ag.Var{m.Forward(x)})
	}
}
