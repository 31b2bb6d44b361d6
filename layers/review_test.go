package layers

import (
	"errors"
	"math"
	"slices"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// TestPredictOnAHeapValue checks Predict accepts an input with no tape (made by the constructors
// of a nil *Tape), as Forward does, and agrees with Predict on a tape input.
func TestPredictOnAHeapValue(t *testing.T) {
	m := NewMLP([]int{2, 4, 3}, Tanh{}, SoftmaxHead, WithSeed(2))
	x := []float64{0.5, -1, 2, 0.25, -0.75, 1.5}
	var heap *ag.Tape
	var got []int
	if err := ag.Maybe(func() { got = m.Predict(heap.Const(x, 3, 2)) }); err != nil {
		t.Fatalf("Predict on a heap value: %v", err)
	}
	if want := m.Predict(ag.NewTape().Const(x, 3, 2)); !slices.Equal(got, want) {
		t.Errorf("Predict on a heap value = %v, on a tape value %v", got, want)
	}
}

// TestWithDropoutRejectsBadRates checks NewMLP passes every non-zero rate to NewDropout's check
// instead of silently adding no dropout for a negative or NaN rate.
func TestWithDropoutRejectsBadRates(t *testing.T) {
	for _, p := range []float64{-0.5, 1, math.NaN()} {
		err := ag.Maybe(func() { NewMLP([]int{2, 4, 3}, Tanh{}, SoftmaxHead, WithDropout(p)) })
		if !errors.Is(err, ErrSize) {
			t.Errorf("WithDropout(%v): error %v, want ErrSize", p, err)
		}
	}
}

// collected is a user-defined model whose NamedParams is Collect, with an MLP behind a pointer,
// a layer stored by value and a slice of layers stored by value.
type collected struct {
	Body  *MLP
	Enc   Linear
	Heads []Linear
}

func (c *collected) Forward(x ag.Var) ag.Var { return c.Body.Forward(c.Enc.Forward(x)) }
func (c *collected) NamedParams() []Param    { return Collect(c) }

func TestCollectAndEvalReachEveryLayer(t *testing.T) {
	c := &collected{
		Body:  NewMLP([]int{3, 4, 2}, Tanh{}, LinearHead, WithDropout(0.5), WithSeed(1)),
		Enc:   *NewLinear(2, 3, WithSeed(2)),
		Heads: []Linear{*NewLinear(2, 1, WithSeed(3))},
	}
	var names []string
	for _, p := range c.NamedParams() {
		names = append(names, p.Name)
	}
	want := []string{"body.0.weight", "body.0.bias", "body.3.weight", "body.3.bias", "enc.weight", "enc.bias", "heads.0.weight", "heads.0.bias"}
	if !slices.Equal(names, want) {
		t.Errorf("Collect names = %v, want %v", names, want)
	}
	var drop *Dropout
	for _, m := range c.Body.Net.Layers {
		if d, ok := m.(*Dropout); ok {
			drop = d
		}
	}
	if drop == nil {
		t.Fatal("the MLP built WithDropout has no Dropout layer")
	}
	Eval(c)
	if drop.Training() {
		t.Error("Eval of a Collect-based model left its Dropout in training mode")
	}
	Train(c)
	if !drop.Training() {
		t.Error("Train of a Collect-based model left its Dropout in evaluation mode")
	}
}
