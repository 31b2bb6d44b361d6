package layers

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
)

// wantMasks returns n masks of size elements drawn from a PCG generator seeded with seed, one
// after another, as Dropout of probability p draws them on one goroutine.
func wantMasks(seed uint64, p float64, n, size int) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 0))
	out := make([][]float64, n)
	for k := range out {
		out[k] = make([]float64, size)
		for i := range out[k] {
			if rng.Float64() >= p {
				out[k][i] = 1 / (1 - p)
			}
		}
	}
	return out
}

// onesOn returns a (rows, cols) constant of ones on tp.
func onesOn(tp *ag.Tape, rows, cols int) ag.Var {
	x := make([]float64, rows*cols)
	for i := range x {
		x[i] = 1
	}
	return tp.Const(x, rows, cols)
}

func TestDropoutMasksSequential(t *testing.T) {
	const p, calls, rows, cols = 0.4, 5, 3, 7
	d := NewDropout(p, rand.New(rand.NewPCG(9, 0)))
	want := wantMasks(9, p, calls, rows*cols)
	tp := ag.NewTape()
	for k := range calls {
		if got := d.Forward(onesOn(tp, rows, cols)).Float64s(); !cmp.Equal(got, want[k]) {
			t.Errorf("call %d: got mask %v, want %v", k, got, want[k])
		}
	}
}

// TestDropoutConcurrent runs Forward from several goroutines at once: every call must get one
// of the masks a single goroutine would draw, each exactly once, and the source must end where
// a single goroutine would leave it. Run with -race.
func TestDropoutConcurrent(t *testing.T) {
	const p, workers, calls, rows, cols = 0.3, 4, 25, 4, 8
	rng := rand.New(rand.NewPCG(3, 0))
	d := NewDropout(p, rng)
	got := make([][][]float64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			tp := ag.NewTape()
			for range calls {
				got[w] = append(got[w], d.Forward(onesOn(tp, rows, cols)).Float64s())
			}
		})
	}
	wg.Wait()
	want := wantMasks(3, p, workers*calls, rows*cols)
	left := map[string]int{}
	for _, m := range want {
		left[fmt.Sprint(m)]++
	}
	for w := range got {
		for k, m := range got[w] {
			key := fmt.Sprint(m)
			if left[key] == 0 {
				t.Errorf("worker %d, call %d: got mask %v, want one of the sequential masks not yet drawn", w, k, m)
				continue
			}
			left[key]--
		}
	}
	ref := rand.New(rand.NewPCG(3, 0))
	for range workers * calls * rows * cols {
		ref.Float64()
	}
	if got, want := rng.Uint64(), ref.Uint64(); got != want {
		t.Errorf("next value of the source: got %d, want %d (after %d draws)", got, want, workers*calls*rows*cols)
	}
}

// TestDropoutSharedSourceConcurrent runs two Dropout layers that share one source, as NewMLP
// builds them, from several goroutines at once. Run with -race.
func TestDropoutSharedSourceConcurrent(t *testing.T) {
	const p, workers, calls, rows, cols = 0.5, 4, 20, 2, 8
	rng := rand.New(rand.NewPCG(4, 0))
	net := NewSequential(NewDropout(p, rng), NewDropout(p, rng))
	var wg sync.WaitGroup
	bad := make([]string, workers)
	for w := range workers {
		wg.Go(func() {
			tp := ag.NewTape()
			for k := range calls {
				for i, v := range net.Forward(onesOn(tp, rows, cols)).Float64s() {
					if v != 0 && v != 4 && bad[w] == "" {
						bad[w] = fmt.Sprintf("call %d, element %d is %g, want 0 or 4", k, i, v)
					}
				}
			}
		})
	}
	wg.Wait()
	for w, msg := range bad {
		if msg != "" {
			t.Errorf("worker %d: %s", w, msg)
		}
	}
	ref := rand.New(rand.NewPCG(4, 0))
	for range workers * calls * 2 * rows * cols {
		ref.Float64()
	}
	if got, want := rng.Uint64(), ref.Uint64(); got != want {
		t.Errorf("next value of the shared source: got %d, want %d (after %d draws)", got, want, workers*calls*2*rows*cols)
	}
}
