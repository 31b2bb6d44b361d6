package main

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
)

// languageModel predicts the next symbol at every position of a batch of windows.
type languageModel interface {
	// logits returns the next-symbol logits (batch·seq, V), rows in batch-major order, for the
	// symbols x (batch·seq, batch-major), recorded on tp.
	logits(tp *ag.Tape, x []int, batch, seq int) ag.Var
	// reset forgets any state carried from one window to the next.
	reset()
	// carry ends a window: a recurrent model keeps its final state, detached, for the next.
	carry()
	params() []ag.Var
}

// lstmModel is Embedding → LSTM → Linear; its state is carried from window to window
// (truncated backpropagation through time).
type lstmModel struct {
	emb          *layers.Embedding
	lstm         *layers.LSTM
	out          *layers.Linear
	h, c         ag.Var // the state carried into the next window, detached
	lastH, lastC ag.Var
}

func newLSTM(v, embed, hidden int, opts []layers.Option) *lstmModel {
	return &lstmModel{
		emb:  layers.NewEmbedding(v, embed, layers.EmbeddingConfig{}, opts...),
		lstm: layers.NewLSTM(embed, hidden, 1, opts...),
		out:  layers.NewLinear(hidden, v, opts...),
	}
}

func (m *lstmModel) logits(tp *ag.Tape, x []int, batch, seq int) ag.Var {
	steps := make([]ag.Var, seq)
	col := make([]int, batch)
	for t := range seq {
		for b := range batch {
			col[b] = x[b*seq+t]
		}
		steps[t] = m.emb.Lookup(tp, ops.NewIndex(col, batch))
	}
	outs, h, c := m.lstm.RunSteps(steps, m.h, m.c)
	m.lastH, m.lastC = h, c
	y := ops.Reshape(ops.Stack(1, outs...), batch*seq, m.lstm.Hidden)
	return m.out.Forward(y)
}

func (m *lstmModel) reset() { m.h, m.c = ag.Var{}, ag.Var{} }

func (m *lstmModel) carry() {
	m.h, m.c = layers.DetachState(m.lastH), layers.DetachState(m.lastC)
}

func (m *lstmModel) params() []ag.Var {
	return append(append(layers.Params(m.emb), layers.Params(m.lstm)...), layers.Params(m.out)...)
}

// transformerModel is Embedding + PositionalEmbedding → causal TransformerBlocks → LayerNorm
// → Linear. It sees only the window it is given: no state is carried.
type transformerModel struct {
	emb    *layers.Embedding
	pos    *layers.PositionalEmbedding
	blocks []*layers.TransformerBlock
	norm   *layers.LayerNorm
	out    *layers.Linear
	width  int
}

func newTransformer(v, width, heads, nBlocks, maxLen int, opts []layers.Option) *transformerModel {
	m := &transformerModel{
		emb:   layers.NewEmbedding(v, width, layers.EmbeddingConfig{}, opts...),
		pos:   layers.NewPositionalEmbedding(maxLen, width, opts...),
		norm:  layers.NewLayerNorm([]int{width}, opts...),
		out:   layers.NewLinear(width, v, opts...),
		width: width,
	}
	for range nBlocks {
		m.blocks = append(m.blocks, layers.NewTransformerBlock(width, heads, 4*width, 0, true, opts...))
	}
	return m
}

func (m *transformerModel) logits(tp *ag.Tape, x []int, batch, seq int) ag.Var {
	h := m.pos.Forward(m.emb.Lookup(tp, ops.NewIndex(x, batch, seq)))
	for _, b := range m.blocks {
		h = b.Forward(h)
	}
	h = ops.Reshape(m.norm.Forward(h), batch*seq, m.width)
	return m.out.Forward(h)
}

func (m *transformerModel) reset() {}
func (m *transformerModel) carry() {}

func (m *transformerModel) params() []ag.Var {
	ps := append(layers.Params(m.emb), layers.Params(m.pos)...)
	for _, b := range m.blocks {
		ps = append(ps, layers.Params(b)...)
	}
	return append(append(ps, layers.Params(m.norm)...), layers.Params(m.out)...)
}
