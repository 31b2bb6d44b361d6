package layers

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
)

// wantMasks returns n masks of size elements drawn from a PCG generator seeded with seed, one
// after another, as Dropout of probability p draws them on one goroutine: mask k from the
// SplitMix64 stream seeded with the source's value k, element i kept where the stream's 32-bit
// half i is at least p·2³² rounded to a whole number.
func wantMasks(seed uint64, p float64, n, size int) [][]float64 {
	rng := rand.New(rand.NewPCG(seed, 0))
	out := make([][]float64, n)
	for k := range out {
		s := rng.Uint64()
		var halves []uint32
		for len(halves) < size {
			z := splitMix64(&s)
			halves = append(halves, uint32(z), uint32(z>>32))
		}
		thr := math.Round(p * (1 << 32))
		out[k] = make([]float64, size)
		for i := range out[k] {
			if float64(halves[i]) >= thr {
				out[k][i] = 1 / (1 - p)
			}
		}
	}
	return out
}

// TestSplitMix64 checks the generator against the first outputs of the reference C
// implementation (Vigna's splitmix64.c) from state 0.
func TestSplitMix64(t *testing.T) {
	want := []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f}
	var s uint64
	for i, w := range want {
		if got := splitMix64(&s); got != w {
			t.Errorf("output %d: got %#x, want %#x", i, got, w)
		}
	}
}

// TestDropoutKeepRate checks that a large mask keeps a fraction 1 − p of its elements, within
// five standard deviations of the binomial count, in both dtypes and for an odd size.
func TestDropoutKeepRate(t *testing.T) {
	const n = 1<<20 + 1
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		for _, p := range []float64{0.1, 0.25, 0.5, 0.9} {
			d := NewDropout(p, rand.New(rand.NewPCG(5, 0)))
			tp := ag.NewTape()
			ones := tp.Zeros(dt, n)
			for i := range n {
				if dt == ag.Float32 {
					ones.Data32()[i] = 1
				} else {
					ones.Data64()[i] = 1
				}
			}
			kept := 0
			for i, v := range d.Forward(ones).Float64s() {
				switch {
				case v == 0:
				case math.Abs(v-1/(1-p)) <= 1e-6/(1-p): // float32 rounds 1/(1−p)
					kept++
				default:
					t.Fatalf("%v p=%g: element %d is %g, want 0 or %g", dt, p, i, v, 1/(1-p))
				}
			}
			mean, sd := n*(1-p), math.Sqrt(n*p*(1-p))
			if math.Abs(float64(kept)-mean) > 5*sd {
				t.Errorf("%v p=%g: kept %d of %d, want %.0f ± %.0f (5 sd)", dt, p, kept, n, mean, 5*sd)
			}
		}
	}
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
	for range workers * calls { // one value per mask
		ref.Uint64()
	}
	if got, want := rng.Uint64(), ref.Uint64(); got != want {
		t.Errorf("next value of the source: got %d, want %d (after %d draws)", got, want, workers*calls)
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
	for range workers * calls * 2 { // one value per mask
		ref.Uint64()
	}
	if got, want := rng.Uint64(), ref.Uint64(); got != want {
		t.Errorf("next value of the shared source: got %d, want %d (after %d draws)", got, want, workers*calls*2)
	}
}
