package layers

import (
	"math/rand/v2"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TransformerBlock is a pre-norm transformer encoder block, as torch.nn.TransformerEncoderLayer
// with norm_first=True, activation="gelu" and batch_first=True:
//
//	x = x + Dropout(SelfAttn(Norm1(x)))
//	x = x + Dropout(Linear2(Dropout(GELU(Linear1(Norm2(x))))))
//
// on inputs (batch, seq, width). Causal makes the attention causal, as a language model's. Its
// parameters are named as PyTorch's: "self_attn.in_proj_weight", …, "linear1.weight",
// "linear1.bias", "linear2.…", "norm1.…", "norm2.…" (PyTorch's order); the Linear weights are
// stored (in, out), the transpose of PyTorch's. Dropout applies in training mode only.
type TransformerBlock struct {
	Norm1, Norm2     *LayerNorm
	SelfAttn         *MultiHeadAttention
	Linear1, Linear2 *Linear
	Dropout          *Dropout
	Causal           bool
}

// NewTransformerBlock returns a block of the given width, heads and hidden width of its MLP, with
// dropout probability p drawn from the options' generator, its weights initialised as PyTorch's
// (TorchUniform for the MLP; see NewMultiHeadAttention). NewTransformerBlock panics with an
// *autograd.Error wrapping ErrSize if a size is below 1, heads does not divide width, or p is
// outside [0, 1).
func NewTransformerBlock(width, heads, hidden int, p float64, causal bool, opts ...Option) *TransformerBlock {
	const op = "layers.NewTransformerBlock"
	checkSize(op, "width", width)
	checkSize(op, "hidden width", hidden)
	o := newOptions(TorchUniform, append([]Option{WithBiasInit(TorchUniform)}, opts...))
	shared := append(append([]Option(nil), opts...), WithRand(o.rng))
	if !(p >= 0 && p < 1) {
		ag.Panicf(op, ErrSize, "dropout probability %g; want a value in [0, 1)", p)
	}
	return &TransformerBlock{
		Norm1:    NewLayerNorm([]int{width}, shared...),
		Norm2:    NewLayerNorm([]int{width}, shared...),
		SelfAttn: NewMultiHeadAttention(width, heads, shared...),
		Linear1:  newLinear(op, width, hidden, o),
		Linear2:  newLinear(op, hidden, width, o),
		Dropout:  NewDropout(p, rand.New(rand.NewPCG(o.rng.Uint64(), o.rng.Uint64()))),
		Causal:   causal,
	}
}

// Forward returns the block's output for x (batch, seq, width), of the same shape. Forward panics
// with an *autograd.Error naming the layer and shapes if x is not of that shape.
func (b *TransformerBlock) Forward(x ag.Var) ag.Var {
	const op = "layers.TransformerBlock"
	if b == nil || b.SelfAttn == nil {
		ag.Panicf(op, ag.ErrValue, "nil TransformerBlock; create it with layers.NewTransformerBlock")
	}
	s := x.Check(op).Shape()
	if len(s) != 3 || s[2] != b.SelfAttn.Embed {
		ag.Panicf(op, ag.ErrShape, "input of shape %s; want (batch, seq, %d)", ag.FormatShape(s), b.SelfAttn.Embed)
	}
	h := b.Norm1.Forward(x)
	x = ops.Add(x, b.Dropout.Forward(b.SelfAttn.Attend(h, h, h, ag.Var{}, b.Causal)))
	h = ops.Reshape(b.Norm2.Forward(x), s[0]*s[1], s[2])
	h = b.Dropout.Forward(ops.GELU(b.Linear1.Forward(h)))
	h = b.Dropout.Forward(b.Linear2.Forward(h))
	return ops.Add(x, ops.Reshape(h, s...))
}

// SetTraining selects training mode (dropout on) or evaluation mode.
func (b *TransformerBlock) SetTraining(training bool) { b.Dropout.SetTraining(training) }

// NamedParams returns the parameters in PyTorch's order and names.
func (b *TransformerBlock) NamedParams() []Param {
	var out []Param
	add := func(prefix string, m Model) {
		for _, p := range m.NamedParams() {
			out = append(out, Param{prefix + "." + p.Name, p.Var})
		}
	}
	add("self_attn", b.SelfAttn)
	add("linear1", b.Linear1)
	add("linear2", b.Linear2)
	add("norm1", b.Norm1)
	add("norm2", b.Norm2)
	return out
}

// PositionalEmbedding adds a learned vector to each position of a sequence: for x (batch, seq,
// width), x + Weight[:seq], with Weight (MaxLen, width) drawn from N(0, 0.02²) by default (as
// GPT-2's), or by WithInit.
type PositionalEmbedding struct {
	Weight ag.Var // (MaxLen, width)
	MaxLen int
}

// NewPositionalEmbedding returns learned embeddings for maxLen positions of the given width.
// It panics with an *autograd.Error wrapping ErrSize if a size is below 1.
func NewPositionalEmbedding(maxLen, width int, opts ...Option) *PositionalEmbedding {
	const op = "layers.NewPositionalEmbedding"
	checkSize(op, "maximum length", maxLen)
	checkSize(op, "width", width)
	o := newOptions(func(rng *rand.Rand, _, _ int, dst []float64) { normal(rng, 0.02, dst) }, opts)
	return &PositionalEmbedding{Weight: o.newParam(o.weight, maxLen, width, maxLen, width), MaxLen: maxLen}
}

// Forward returns x + Weight[:seq] for x (batch, seq, width). It panics with an
// *autograd.Error naming the shapes if x is not of that shape or seq exceeds MaxLen.
func (p *PositionalEmbedding) Forward(x ag.Var) ag.Var {
	const op = "layers.PositionalEmbedding"
	s := x.Check(op).Shape()
	w := p.Weight.Shape()
	if len(s) != 3 || s[2] != w[1] || s[1] > p.MaxLen || s[1] == 0 {
		ag.Panicf(op, ag.ErrShape, "input of shape %s; want (batch, 1 to %d, %d)", ag.FormatShape(s), p.MaxLen, w[1])
	}
	return ops.Add(x, ops.Slice(p.Weight, 0, 0, s[1]))
}

// NamedParams returns "weight".
func (p *PositionalEmbedding) NamedParams() []Param { return Collect(p) }
