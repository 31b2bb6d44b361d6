package train_test

import (
	"errors"
	"runtime"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// lossThatIndexesOutOfRange panics with a runtime error on the rows of its batch past the first.
func lossThatIndexesOutOfRange(out ag.Var, b *data.Dataset) (ag.Var, error) {
	var rows []int
	_ = rows[b.Rows] // index out of range: a bug in the user's loss
	return train.CrossEntropy(out, b)
}

// TestWorkerPanicKeepsItsStack: with Workers > 1, a panic in the loss (a bug, not a typed
// misuse) reaches the caller as a *train.WorkerPanic holding the original value and the
// worker's stack at the panic, which names the function that panicked; re-raised bare, the
// stack showed only train's re-raise.
func TestWorkerPanicKeepsItsStack(t *testing.T) {
	ds := data.Dataset{X: []float64{0, 1, 1, 0, 1, 1, 0, 0}, Y: []int{1, 1, 0, 0}, Rows: 4, Cols: 2}
	m := layers.NewLinear(2, 2, layers.WithSeed(1))
	o, err := optim.NewSGD(layers.Params(m), optim.SGDConfig{LR: 0.1})
	if err != nil {
		t.Fatal(err)
	}
	var got any
	func() {
		defer func() { got = recover() }()
		train.Fit(m, o, ds, train.Config{Epochs: 1, BatchSize: 4, Workers: 2, Loss: lossThatIndexesOutOfRange})
	}()
	wp, ok := got.(*train.WorkerPanic)
	if !ok {
		t.Fatalf("Fit with a panicking loss and 2 workers panicked with %T %v, want *train.WorkerPanic", got, got)
	}
	var re runtime.Error
	if !errors.As(wp, &re) || !strings.Contains(re.Error(), "index out of range") {
		t.Errorf("WorkerPanic value %v (%T), want the runtime.Error of the index out of range", wp.Value, wp.Value)
	}
	if !strings.Contains(string(wp.Stack), "lossThatIndexesOutOfRange") || !strings.Contains(wp.Error(), "lossThatIndexesOutOfRange") {
		t.Errorf("WorkerPanic stack does not name the panicking loss:\n%s", wp.Stack)
	}
}
