package train_test

import (
	"io"
	"runtime"
	"strings"
	"testing"
	"weak"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
)

// TestTrainingHeapIsFlat trains a small MLP with Adam for 20,000 steps on one tape, reset every
// step, and checks the live heap does not grow. The slack is 64 KiB: GC bookkeeping moves by a
// few KiB between two collections, while a leak of even 4 bytes a step would add 80 KB, and any
// real leak (a node, a buffer, a slice header: 24 bytes and up) 480 KB or more.
func TestTrainingHeapIsFlat(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 steps")
	}
	m := layers.NewMLP([]int{2, 8, 1}, layers.Tanh{}, layers.LinearHead, layers.WithSeed(3))
	opt, err := optim.NewAdam(layers.Params(m), optim.AdamConfig{LR: 0.01})
	if err != nil {
		t.Fatal(err)
	}
	xs := []float64{0, 0, 0, 1, 1, 0, 1, 1}
	ys := []float64{0, 1, 1, 0}
	tp := ag.NewTape()
	var last float64
	step := func() {
		tp.Reset()
		x := tp.Const(xs, 4, 2)
		l, err := losses.MSE(m.Forward(x), tp.Const(ys, 4, 1))
		if err != nil {
			t.Fatal(err)
		}
		opt.ZeroGrad()
		if err := ag.Backward(l); err != nil {
			t.Fatal(err)
		}
		opt.Step()
		last = l.Item()
	}
	for range 500 {
		step()
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range 20_000 {
		step()
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 64<<10 {
		t.Errorf("live heap grew by %d bytes over 20,000 steps", grew)
	}
	if last > 0.05 {
		t.Errorf("XOR loss %v after 20,500 steps: the steps did not train", last)
	}
}

// TestTraceAndDOTDoNotRetainTheTape runs a step with a Trace and writes its graph, keeps the
// model, the trace and the DOT text, drops the tape, and checks the garbage collector frees it:
// neither the parameters (and their gradients), nor the Trace, nor WriteDOT hold a reference.
func TestTraceAndDOTDoNotRetainTheTape(t *testing.T) {
	m := layers.NewMLP([]int{2, 3, 2}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(1))
	var tr ag.Trace
	var dot strings.Builder
	run := func() weak.Pointer[ag.Tape] {
		tp := ag.NewTape()
		tp.SetAnomalyDetection(true) // records creation sites too
		x := tp.Const([]float64{1, 2, 3, 4}, 2, 2)
		l, err := losses.CrossEntropy(m.Forward(x), []int{0, 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := ag.Backward(l, ag.WithTrace(&tr)); err != nil {
			t.Fatal(err)
		}
		if err := ag.WriteDOT(&dot, l); err != nil {
			t.Fatal(err)
		}
		if err := ag.WriteDOT(io.Discard, ops.Exp(l)); err != nil {
			t.Fatal(err)
		}
		return weak.Make(tp)
	}
	wp := run()
	for i := 0; i < 5 && wp.Value() != nil; i++ {
		runtime.GC()
	}
	if wp.Value() != nil {
		t.Error("the tape is still reachable after tracing and WriteDOT")
	}
	if len(tr.Steps) == 0 || !strings.Contains(dot.String(), "digraph") {
		t.Fatalf("nothing traced (%d steps) or written (%d bytes)", len(tr.Steps), dot.Len())
	}
	for _, p := range layers.Params(m) {
		if p.Grad().IsNil() {
			t.Fatal("a parameter has no gradient")
		}
	}
	runtime.KeepAlive(m)
	runtime.KeepAlive(&tr)
}
