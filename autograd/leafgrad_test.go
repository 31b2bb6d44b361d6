package autograd_test

import (
	"errors"
	"fmt"
	"runtime"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// A parameter's gradient may take the storage of the backward pass's result (see
// Tape.takeBuffer); these tests pin down that this never changes what Grad returns.

func TestTakenGradientsAreNotShared(t *testing.T) {
	// Add hands the same upstream gradient to both operands: p1 may take its storage, p2 must
	// then copy it. Both sizes: below and above the size from which storage is taken.
	for _, size := range []int{2, 300} {
		c, seed := make([]float64, size), make([]float64, size)
		for i := range c {
			c[i], seed[i] = float64(i+5), 1
		}
		p1, p2 := ag.NewParam(nil, size), ag.NewParam(nil, size)
		tp := ag.NewTape()
		for step := 1; step <= 3; step++ { // the later steps reuse the exchanged buffers
			tp.Reset()
			y := ops.Mul(ops.Add(p1, p2), tp.Const(c))
			ag.ZeroGrad(p1, p2)
			if err := ag.Backward(y, ag.Seed(tp.Const(seed))); err != nil {
				t.Fatal(err)
			}
			g1 := p1.Grad().Data64()
			for i := range g1 { // what gradient clipping does
				g1[i] *= 0.5
			}
			for i, want := range c {
				if got := p2.Grad().At(i); got != want {
					t.Fatalf("size %d, step %d: p2 grad[%d] = %v after scaling p1's gradient, want %v", size, step, i, got, want)
				}
				if got := p1.Grad().At(i); got != want/2 {
					t.Fatalf("size %d, step %d: p1 grad[%d] = %v after scaling it by 0.5, want %v", size, step, i, got, want/2)
				}
			}
		}
	}
}

func TestGradientsAccumulateAcrossResets(t *testing.T) {
	w := ag.NewParam([]float64{1, 2, 3}, 3)
	tp := ag.NewTape()
	for step := 1; step <= 3; step++ {
		tp.Reset()
		loss := ops.Sum(ops.Mul(w, tp.Const([]float64{1, 10, 100})))
		if err := ag.Backward(loss); err != nil {
			t.Fatal(err)
		}
		for i, c := range []float64{1, 10, 100} {
			if got, want := w.Grad().At(i), c*float64(step); got != want {
				t.Errorf("step %d: grad[%d] = %v, want %v", step, i, got, want)
			}
		}
	}
	tp.Reset()
	tp = nil
	runtime.GC() // the gradient is the parameter's own now, whatever happens to the tape
	if got := w.Grad().At(2); got != 300 {
		t.Errorf("after Reset and GC: grad[2] = %v, want 300", got)
	}
}

func TestGradVarFromBeforeZeroGradIsStale(t *testing.T) {
	w := ag.NewParam([]float64{1, 2}, 2)
	tp := ag.NewTape()
	if err := ag.Backward(ops.Sum(ops.Mul(w, tp.Const([]float64{3, 4})))); err != nil {
		t.Fatal(err)
	}
	old := w.Grad()
	ag.ZeroGrad(w)
	if err := ag.Maybe(func() { old.At(0) }); !errors.Is(err, ag.ErrReleased) {
		t.Errorf("reading a gradient Var kept across ZeroGrad: err = %v, want ErrReleased", err)
	}
	if got := w.Grad(); !got.IsNil() {
		t.Errorf("gradient after ZeroGrad = %v, want the zero Var", got)
	}
}

func TestGradientOutlivesItsTape(t *testing.T) {
	w := ag.NewParam([]float64{1, 2}, 2)
	func() {
		tp := ag.NewTape()
		if err := ag.Backward(ops.Sum(ops.Mul(w, tp.Const([]float64{7, 8})))); err != nil {
			t.Fatal(err)
		}
	}()
	runtime.GC()
	for i, want := range []float64{7, 8} {
		if got := w.Grad().At(i); got != want {
			t.Errorf("grad[%d] = %v after the tape was dropped, want %v", i, got, want)
		}
	}
}

// TestGradInEveryOrder runs every order of the four calls of a training step (Reset, which also
// records the loss anew; ZeroGrad; Backward; an SGD Step) for several steps, on a parameter large
// enough to take the pass's storage and on a small one, and checks the gradient after every call
// against its definition: the sum of the gradients of the Backward calls since the last ZeroGrad.
// The loss Σ cᵢwᵢ has gradient c, and c changes at every Reset, so that a gradient that shares
// storage with a later step's values would show.
func TestGradInEveryOrder(t *testing.T) {
	for _, size := range []int{3, 300} {
		for _, order := range permutations([]string{"Reset", "ZeroGrad", "Backward", "Step"}) {
			name := fmt.Sprintf("size %d, order %v", size, order)
			w := ag.NewParam(make([]float64, size), size)
			tp := ag.NewTape()
			var want []float64 // nil: no gradient
			var loss ag.Var
			var c []float64
			record := func(step int) {
				tp.Reset()
				c = make([]float64, size)
				for i := range c {
					c[i] = float64(step*1000 + i)
				}
				loss = ops.Sum(ops.Mul(w, tp.Const(c)))
			}
			record(0)
			for step := 1; step <= 3; step++ {
				for _, call := range order {
					switch call {
					case "Reset":
						record(step)
					case "ZeroGrad":
						ag.ZeroGrad(w)
						want = nil
					case "Backward":
						if err := ag.Backward(loss); err != nil {
							t.Fatalf("%s: step %d: Backward: %v", name, step, err)
						}
						if want == nil {
							want = make([]float64, size)
						}
						for i := range want {
							want[i] += c[i]
						}
					case "Step":
						if g := w.Grad(); !g.IsNil() {
							for i, x := range g.Data64() {
								w.Data64()[i] -= 1e-3 * x
							}
						}
					}
					g := w.Grad()
					switch {
					case want == nil && !g.IsNil():
						t.Fatalf("%s: step %d, after %s: gradient %v, want none", name, step, call, g)
					case want != nil && g.IsNil():
						t.Fatalf("%s: step %d, after %s: no gradient, want %v", name, step, call, want[:3])
					case want != nil:
						if diff := cmp.Diff(want, g.Data64()); diff != "" {
							t.Fatalf("%s: step %d, after %s: gradient (-want +got):\n%s", name, step, call, diff)
						}
					}
				}
			}
		}
	}
}

// permutations returns every order of xs.
func permutations(xs []string) [][]string {
	if len(xs) <= 1 {
		return [][]string{append([]string(nil), xs...)}
	}
	var out [][]string
	for i := range xs {
		rest := append(append([]string(nil), xs[:i]...), xs[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]string{xs[i]}, p...))
		}
	}
	return out
}

// TestAccumulateGrad checks that AccumulateGrad adds to the gradient until ZeroGrad, copies its
// argument, and rejects what is not a leaf's gradient.
func TestAccumulateGrad(t *testing.T) {
	p := ag.NewParam([]float64{1, 2, 3}, 3)
	g := []float64{1, 10, 100}
	gv := ag.Const(g, 3)
	ag.AccumulateGrad(p, gv)
	ag.AccumulateGrad(p, gv)
	g[0] = -1 // AccumulateGrad copied: the gradient does not change
	if diff := cmp.Diff([]float64{2, 20, 200}, p.Grad().Data64()); diff != "" {
		t.Errorf("after two AccumulateGrad: gradient (-want +got):\n%s", diff)
	}
	ag.ZeroGrad(p)
	ag.AccumulateGrad(p, ag.Const([]float64{5, 6, 7}, 3))
	if diff := cmp.Diff([]float64{5, 6, 7}, p.Grad().Data64()); diff != "" {
		t.Errorf("AccumulateGrad after ZeroGrad: gradient (-want +got):\n%s", diff)
	}
	tp := ag.NewTape()
	for _, c := range []struct {
		name string
		p, g ag.Var
		want error
	}{
		{"shape (2) into (3)", p, ag.Const([]float64{1, 2}, 2), ag.ErrShape},
		{"float32 into float64", p, ag.NewParam32([]float32{1, 2, 3}, 3), ag.ErrShape},
		{"into a constant", tp.Const([]float64{1, 2, 3}, 3), ag.Const([]float64{1, 2, 3}, 3), ag.ErrValue},
		{"into an intermediate result", ops.Neg(p), ag.Const([]float64{1, 2, 3}, 3), ag.ErrValue},
		{"nil gradient", p, ag.Var{}, ag.ErrNilVar},
	} {
		if err := ag.Maybe(func() { ag.AccumulateGrad(c.p, c.g) }); !errors.Is(err, c.want) {
			t.Errorf("AccumulateGrad %s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

// TestGradientTakenThroughAView checks a gradient that reaches a parameter as a view of the
// pass's result (as Reshape's rule returns, for a weight that a convolution reshapes): the
// parameter takes the storage, so that its gradient moves between two buffers from step to step
// instead of being copied into one, and the values stay right.
func TestGradientTakenThroughAView(t *testing.T) {
	viewOp := &ag.Op{Name: "test.View", Grads: []func(g, y ag.Var) ag.Var{
		func(g, y ag.Var) ag.Var { return ops.Reshape(g, y.Inputs()[0].Shape()...) },
	}}
	p := ag.NewParam(nil, 300)
	tp := ag.NewTape()
	var stored []*float64
	for step := 1; step <= 4; step++ {
		tp.Reset()
		c := make([]float64, 300)
		for i := range c {
			c[i] = float64(step*1000 + i)
		}
		ag.ZeroGrad(p)
		y := ops.Sum(ops.Mul(ag.ViewOn(tp, viewOp, p, []int{20, 15}), tp.Const(c, 20, 15)))
		if err := ag.Backward(y); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(c, p.Grad().Data64()); diff != "" {
			t.Fatalf("step %d: gradient (-want +got):\n%s", step, diff)
		}
		stored = append(stored, unsafe.SliceData(p.Grad().Data64()))
	}
	if stored[1] == stored[2] || stored[1] != stored[3] {
		t.Errorf("gradient storage by step: %v; want two buffers in turn from step 2 (a copy keeps one)", stored)
	}
}

// TestGradientTakenFromMinOwnBuffer: a parameter's gradient takes the pass's result from the
// size at which results get slot buffers of their own (minOwnBuffer, 256 elements) and is copied
// below it, where the pass does not even ask. Taken, the parameter's gradient storage alternates
// between two buffers from step to step; copied, it stays one buffer.
func TestGradientTakenFromMinOwnBuffer(t *testing.T) {
	for _, tc := range []struct {
		size  int
		taken bool
	}{{255, false}, {256, true}} {
		p := ag.NewParam(nil, tc.size)
		tp := ag.NewTape()
		var stored []*float64
		for step := 1; step <= 3; step++ {
			tp.Reset()
			c := make([]float64, tc.size)
			for i := range c {
				c[i] = float64(step*1000 + i)
			}
			ag.ZeroGrad(p)
			if err := ag.Backward(ops.Sum(ops.Mul(p, tp.Const(c)))); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c, p.Grad().Data64()); diff != "" {
				t.Fatalf("size %d, step %d: gradient (-want +got):\n%s", tc.size, step, diff)
			}
			stored = append(stored, unsafe.SliceData(p.Grad().Data64()))
		}
		if got := stored[1] != stored[2]; got != tc.taken {
			t.Errorf("size %d: storage alternates between steps 2 and 3: %v, want %v (taken: two buffers in turn; copied: one)", tc.size, got, tc.taken)
		}
	}
}
