package layers

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// pair is a MultiModule: (a, b) ↦ (a W, a W + b), with a Dropout on the first output.
type pair struct {
	W    *Linear
	Drop *Dropout
}

func (p *pair) ForwardN(xs ...ag.Var) []ag.Var {
	aw := p.W.Forward(xs[0])
	return []ag.Var{p.Drop.Forward(aw), ops.Add(aw, xs[1])}
}
func (p *pair) NamedParams() []Param { return Collect(p) }

// holder is a user model holding MultiModules alone, in a slice and by interface.
type holder struct {
	One  *pair
	Many []MultiModule
	Res  *Residual
}

func (h *holder) Forward(x ag.Var) ag.Var { return h.Res.Forward(h.One.ForwardN(x, x)[1]) }
func (h *holder) NamedParams() []Param    { return Collect(h) }

func TestMultiModuleIsFound(t *testing.T) {
	mk := func(seed uint64) *pair {
		return &pair{W: NewLinear(2, 2, WithSeed(seed)), Drop: NewDropout(0.5, nil)}
	}
	h := &holder{One: mk(1), Many: []MultiModule{mk(2)},
		Res: NewResidual(NewSequential(NewLinear(2, 2, WithSeed(3)), NewBatchNorm1d(2), NewDropout(0.5, nil)))}
	want := []string{"one.w.weight", "one.w.bias", "many.0.w.weight", "many.0.w.bias", "res.body.0.weight", "res.body.0.bias", "res.body.1.weight", "res.body.1.bias"}
	if got := names(h); !cmp.Equal(got, want) {
		t.Errorf("parameters %v, want %v", got, want)
	}
	var bufs []string
	for _, b := range Buffers(h) {
		bufs = append(bufs, b.Name)
	}
	if want := []string{"res.body.1.running_mean", "res.body.1.running_var", "res.body.1.num_batches_tracked"}; !cmp.Equal(bufs, want) {
		t.Errorf("buffers %v, want %v", bufs, want)
	}
	drops := []*Dropout{h.One.Drop, h.Many[0].(*pair).Drop, h.Res.Body.(*Sequential).Layers[2].(*Dropout)}
	bn := h.Res.Body.(*Sequential).Layers[1].(*BatchNorm)
	for _, training := range []bool{false, true} {
		SetTraining(h, training)
		for i, d := range drops {
			if d.Training() != training {
				t.Errorf("SetTraining(%v): dropout %d is in training mode %v", training, i, d.Training())
			}
		}
		if bn.Training() != training {
			t.Errorf("SetTraining(%v): the BatchNorm in the residual block is in training mode %v", training, bn.Training())
		}
	}
	// A MultiModule is a Model: Params and SetTraining take it directly.
	if n := len(Params(h.One)); n != 2 {
		t.Errorf("Params of a MultiModule: %d, want 2", n)
	}
	Eval(h.One)
	if h.One.Drop.Training() {
		t.Error("Eval of a MultiModule left its dropout in training mode")
	}
}

func TestResidual(t *testing.T) {
	x := ag.NewParam([]float64{0.5, -1, 2, 0.1, 0.3, -0.7}, 2, 3)
	w := ag.NewParam([]float64{0.7, -1.2, 1.1, 0.4, 0.9, -0.5, 0.2, 0.3, -0.8}, 3, 3)
	f := func(xs ...ag.Var) ag.Var {
		body := NewSequential(&Linear{Weight: xs[1], Bias: ag.NewParam(make([]float64, 3), 3), In: 3, Out: 3}, Tanh{})
		return NewResidual(body).Forward(xs[0])
	}
	for _, order := range []int{1, 2} {
		if err := ag.CheckGrad(f, []ag.Var{x, w}, ag.Order(order)); err != nil {
			t.Errorf("order %d: %v", order, err)
		}
	}
	// y = x + tanh(x W): at W = 0 the block is the identity.
	tp := ag.NewTape()
	in := tp.Const([]float64{1, 2, 3, 4, 5, 6}, 2, 3)
	id := NewResidual(NewSequential(NewLinear(3, 3, WithInit(Zeros)), Tanh{}))
	if got := id.Forward(in).Float64s(); !cmp.Equal(got, []float64{1, 2, 3, 4, 5, 6}) {
		t.Errorf("x + tanh(x·0 + 0) = %v, want x", got)
	}
	if got := names(id); !cmp.Equal(got, []string{"body.0.weight", "body.0.bias"}) {
		t.Errorf("names %v, want body.0.weight, body.0.bias", got)
	}
	err := ag.Maybe(func() { NewResidual(NewLinear(3, 2)).Forward(in) })
	if !errors.Is(err, ag.ErrShape) || !strings.Contains(err.Error(), "layers.Residual: the body maps (2,3) to (2,2)") {
		t.Errorf("body changing the shape: got %v, want an ErrShape naming both shapes", err)
	}
}
