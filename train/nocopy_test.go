package train_test

import (
	"testing"
	"unsafe"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// doubling is a model y = x·(2W) whose doubling is a user-defined op: its derivative rule
// records where the gradient it returns for W is stored.
type doubling struct {
	w    ag.Var
	op   *ag.Op
	rule *float64 // the first element of the gradient the rule returned last
}

func newDoubling(in, out int) *doubling {
	m := &doubling{w: ag.NewParam(make([]float64, in*out), in, out)}
	for i := range m.w.Data64() {
		m.w.Data64()[i] = float64(i%7) / 10
	}
	m.op = &ag.Op{Name: "double", Grads: []func(g, y ag.Var) ag.Var{
		func(g, _ ag.Var) ag.Var { // d(2w)/dw = 2
			r := ops.Add(g, g)
			m.rule = &r.Data64()[0]
			return r
		},
	}}
	return m
}

func (m *doubling) Forward(x ag.Var) ag.Var {
	w := ag.NewResultOn(x.Tape(), m.op, m.w.DType(), m.w.Shape(), m.w)
	for i, v := range m.w.Data64() {
		w.Data64()[i] = 2 * v
	}
	return ops.MatMul(x, w)
}

func (m *doubling) NamedParams() []layers.Param { return []layers.Param{{Name: "w", Var: m.w}} }

// TestFitCopiesNoGradient checks that in every step of Fit after the first the parameter's
// gradient is the very storage that the derivative rule computed it into: Backward hands the
// result to the parameter instead of copying it, and Fit's order of ZeroGrad, Reset, Backward and
// Step keeps it that way. The parameter has 64×8 elements, above the size under which copying is
// cheaper than handing over.
func TestFitCopiesNoGradient(t *testing.T) {
	const rows, in, out = 16, 64, 8
	ds := data.Dataset{Rows: rows, Cols: in, X: make([]float64, rows*in)}
	for i := range ds.X {
		ds.X[i] = float64(i%5) - 2
	}
	m := newDoubling(in, out)
	sgd, err := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.001})
	if err != nil {
		t.Fatal(err)
	}
	meanSquare := func(y ag.Var, _ *data.Dataset) (ag.Var, error) { return ops.Mean(ops.Mul(y, y)), nil }
	var stored []*float64 // where the gradient was after every step (one step per epoch)
	_, err = train.Fit(m, sgd, ds, train.Config{
		Epochs: 4, BatchSize: rows, Loss: meanSquare,
		OnEpoch: func(s train.EpochStats) error {
			g := m.w.Grad()
			if g.IsNil() {
				t.Fatalf("epoch %d: no gradient after the step", s.Epoch)
			}
			stored = append(stored, unsafe.SliceData(g.Data64()))
			if got := unsafe.SliceData(g.Data64()); got != m.rule {
				t.Errorf("epoch %d: the gradient is stored at %p, the rule computed it at %p: it was copied", s.Epoch, got, m.rule)
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The parameter and the tape exchange two buffers: the gradient moves between them.
	if len(stored) == 4 && (stored[1] == stored[2] || stored[1] != stored[3]) {
		t.Errorf("gradient storage by step: %v; want two buffers in turn from step 2", stored)
	}
}
