package train_test

import (
	"errors"
	"runtime"
	"slices"
	"sync"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
	"github.com/gograd/gograd/train"
)

// trainAlone runs steps of ZeroGrad, ParallelGrad on 2 workers and SGD on a fresh model with the
// given seed, reading every gradient as clipping does, and returns the final parameters.
func trainAlone(t *testing.T, seed uint64, steps int) [][]float64 {
	ds := parBlobs(64)
	batch := make([]int, 64)
	for i := range batch {
		batch[i] = i
	}
	m := layers.NewMLP([]int{4, 8, 3}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(seed))
	ps := layers.Params(m)
	opt, err := optim.NewSGD(ps, optim.SGDConfig{LR: 0.05})
	if err != nil {
		t.Error(err)
		return nil
	}
	for range steps {
		opt.ZeroGrad()
		if _, err := train.ParallelGrad(m, nil, ds, batch, 2); err != nil {
			t.Error(err)
			return nil
		}
		for _, p := range ps {
			_ = p.Grad().Data64()
		}
		opt.Step()
	}
	out := make([][]float64, len(ps))
	for i, p := range ps {
		out[i] = p.Float64s()
	}
	return out
}

// TestParallelGradModelsDoNotShareState trains several models at once, each with ParallelGrad,
// and checks each against the same model trained alone: ParallelGrad reuses pooled tapes and
// buffers, which must never carry one model's gradients into another's.
func TestParallelGradModelsDoNotShareState(t *testing.T) {
	const models, steps = 6, 60
	want := make([][][]float64, models)
	for g := range models {
		want[g] = trainAlone(t, uint64(g+1), steps)
	}
	got := make([][][]float64, models)
	var wg sync.WaitGroup
	for g := range models {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[g] = trainAlone(t, uint64(g+1), steps)
		}()
	}
	wg.Wait()
	for g := range models {
		for i := range want[g] {
			if !slices.Equal(got[g][i], want[g][i]) {
				t.Errorf("model %d, parameter %d: trained alongside others %v, alone %v", g, i, got[g][i], want[g][i])
			}
		}
	}
}

// TestParallelGradLeavesOtherModelsAlone checks that a gradient read from one model stays valid
// and unchanged when ParallelGrad then runs on another.
func TestParallelGradLeavesOtherModelsAlone(t *testing.T) {
	ds := parBlobs(16)
	batch := []int{0, 1, 2, 3, 4, 5, 6, 7}
	a := layers.NewMLP([]int{4, 8, 3}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(1))
	b := layers.NewMLP([]int{4, 8, 3}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(2))
	if _, err := train.ParallelGrad(a, nil, ds, batch, 2); err != nil {
		t.Fatal(err)
	}
	g := layers.Params(a)[0].Grad()
	before := g.Float64s()
	if _, err := train.ParallelGrad(b, nil, ds, batch, 2); err != nil {
		t.Fatal(err)
	}
	var after []float64
	if err := ag.Maybe(func() { after = g.Float64s() }); err != nil {
		t.Fatalf("model a's gradient after ParallelGrad on model b: %v", err)
	}
	if !slices.Equal(after, before) {
		t.Errorf("model a's gradient changed from %v to %v by ParallelGrad on model b", before, after)
	}
}

// mixedDTypes is a module with one float64 and one float32 parameter.
type mixedDTypes struct{ w64, w32 ag.Var }

func (m *mixedDTypes) Forward(x ag.Var) ag.Var {
	h := ops.Tanh(ops.MatMul(x, m.w64))
	return ops.Cast(ops.MatMul(ops.Cast(h, ag.Float32), m.w32), ag.Float64)
}

func (m *mixedDTypes) NamedParams() []layers.Param {
	return []layers.Param{{Name: "w64", Var: m.w64}, {Name: "w32", Var: m.w32}}
}

func TestParallelGradMixedDTypes(t *testing.T) {
	ds := parBlobs(16)
	batch := []int{0, 1, 2, 3, 4, 5, 6, 7}
	w64, w32 := make([]float64, 4*3), make([]float32, 3*3)
	for i := range w64 {
		w64[i] = 0.1 * float64(i%5-2)
	}
	for i := range w32 {
		w32[i] = 0.1 * float32(i%4-1)
	}
	grads := func(workers int) [][]float64 {
		m := &mixedDTypes{ag.NewParam(slices.Clone(w64), 4, 3), ag.NewParam32(slices.Clone(w32), 3, 3)}
		if _, err := train.ParallelGrad(m, nil, ds, batch, workers); err != nil {
			t.Fatalf("%d workers: %v", workers, err)
		}
		return [][]float64{m.w64.Grad().Float64s(), m.w32.Grad().Float64s()}
	}
	one, two := grads(1), grads(2)
	for i := range one {
		for k := range one[i] {
			// Two shares round the float32 products differently from one: float32 precision.
			if d := one[i][k] - two[i][k]; d > 1e-6 || d < -1e-6 {
				t.Errorf("parameter %d element %d: %v with 1 worker, %v with 2", i, k, one[i][k], two[i][k])
			}
		}
	}
}

// goexitModel ends the goroutine that runs its forward pass on the share of 4 rows.
type goexitModel struct{ layers.Module }

func (m goexitModel) Forward(x ag.Var) ag.Var {
	if x.Shape()[0] == 4 {
		runtime.Goexit()
	}
	return m.Module.Forward(x)
}

func TestParallelGradShareThatEndsEarly(t *testing.T) {
	ds := parBlobs(16)
	batch := []int{0, 1, 2, 3, 4, 5, 6} // shares of 3 and 4 rows
	m := goexitModel{layers.NewMLP([]int{4, 8, 3}, layers.Tanh{}, layers.SoftmaxHead, layers.WithSeed(1))}
	_, err := train.ParallelGrad(m, nil, ds, batch, 2)
	if err == nil {
		t.Fatal("ParallelGrad with a share whose goroutine exited: no error")
	}
	for _, p := range layers.Params(m) {
		if g := p.Grad(); !g.IsNil() {
			t.Errorf("after the failed call a parameter has gradient %v, want none", g.Float64s())
		}
	}
	if errors.Is(err, ag.ErrShape) {
		t.Errorf("error %v names a shape problem", err)
	}
}

// tiedLayers applies one 4×4 layer twice: its parameters appear twice in NamedParams.
type tiedLayers struct{ l *layers.Linear }

func (m tiedLayers) Forward(x ag.Var) ag.Var { return m.l.Forward(ops.Tanh(m.l.Forward(x))) }

func (m tiedLayers) NamedParams() []layers.Param {
	return append(m.l.NamedParams(), m.l.NamedParams()...)
}

// TestTiedParametersGetOneGradient checks a parameter used twice is listed once by Params and
// gets the same gradient from ParallelGrad as from one Backward (not twice that gradient).
func TestTiedParametersGetOneGradient(t *testing.T) {
	ds := parBlobs(16)
	batch := []int{0, 1, 2, 3, 4, 5, 6, 7}
	grads := func(step stepFn) [][]float64 {
		m := tiedLayers{layers.NewLinear(4, 4, layers.WithSeed(3))}
		if got, want := len(layers.Params(m)), 2; got != want {
			t.Fatalf("Params of a layer used twice: %d parameters, want %d", got, want)
		}
		if _, err := step(m, ds, batch); err != nil {
			t.Fatal(err)
		}
		var out [][]float64
		for _, p := range layers.Params(m) {
			out = append(out, p.Grad().Float64s())
		}
		return out
	}
	want, got := grads(serial(train.CrossEntropy)), grads(parallel(train.CrossEntropy, 2))
	for i := range want {
		for k := range want[i] {
			if d := got[i][k] - want[i][k]; d > 1e-12 || d < -1e-12 {
				t.Fatalf("parameter %d element %d: ParallelGrad %v, Backward %v", i, k, got[i][k], want[i][k])
			}
		}
	}
}
