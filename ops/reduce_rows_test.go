package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestAddRowInto checks the vector column sums against the Go loop, bit for bit (vmath rounds
// each sum as Go does), for rows shorter and longer than a vector and with ragged tails.
func TestAddRowInto(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 7, 8, 10, 33, 256} {
		a := make([]float64, 5*n)
		for i := range a {
			a[i] = r.NormFloat64() * 1e3
		}
		want, got := make([]float64, n), make([]float64, n)
		got32, a32 := make([]float32, n), make([]float32, len(a))
		want32 := make([]float32, n)
		for i, v := range a {
			a32[i] = float32(v)
		}
		for i := 0; i < len(a); i += n {
			for j := range n {
				want[j] += a[i+j]
				want32[j] += a32[i+j]
			}
			addRowInto(got, a[i:i+n])
			addRowInto(got32, a32[i:i+n])
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(got32) != fmt.Sprint(want32) {
			t.Errorf("n=%d: column sums\n got %v / %v\nwant %v / %v", n, got, got32, want, want32)
		}
	}
}

// BenchmarkBiasGrad: the bias gradient of the MLP step's hidden layer, SumTo of a 64×256
// gradient to 256 columns.
func BenchmarkBiasGrad(b *testing.B) {
	a, o := make([]float64, 64*256), make([]float64, 256)
	for i := range a {
		a[i] = float64(i%13) * 0.25
	}
	sa, so := []int{64, 256}, []int{256}
	for b.Loop() {
		reduceTo(o, a, sa, so, false)
	}
}

// TestReduceToShort checks reduceTo's loops for short sums (a total of fewer than eight elements,
// column sums of rows shorter than eight) against the paths they stand in for, reduceAll and
// addRowInto, bit for bit, with signed zeros, infinities and NaN among the values: their
// documented equality, not closeness.
func TestReduceToShort(t *testing.T) {
	special := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e308, -1e308, 0.1, -1.75, 3e-310}
	same := func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) || x != x && y != y }
	r := rand.New(rand.NewPCG(5, 6))
	for trial := range 300 {
		n := 1 + trial%7
		rows := 1 + trial%4
		a := make([]float64, n*rows)
		for i := range a {
			a[i] = special[r.IntN(len(special))]
			if r.IntN(3) == 0 {
				a[i] = r.NormFloat64()
			}
		}
		a32 := make([]float32, len(a))
		for i, v := range a {
			a32[i] = float32(v)
		}
		// the total of all elements, when there are fewer than eight
		if len(a) < 8 {
			got, got32 := make([]float64, 1), make([]float32, 1)
			reduceTo(got, a, []int{rows, n}, []int{1, 1}, false)
			reduceTo(got32, a32, []int{rows, n}, []int{1, 1}, false)
			if want := reduceAll(a, 0, false); !same(got[0], want) {
				t.Errorf("trial %d: total of %v = %v, reduceAll gives %v", trial, a, got[0], want)
			}
			if want := reduceAll(a32, 0, false); !same(float64(got32[0]), float64(want)) {
				t.Errorf("trial %d: float32 total of %v = %v, reduceAll gives %v", trial, a32, got32[0], want)
			}
		}
		// the column sums
		if rows > 1 && n > 1 {
			got, want := make([]float64, n), make([]float64, n)
			got32, want32 := make([]float32, n), make([]float32, n)
			reduceTo(got, a, []int{rows, n}, []int{n}, false)
			reduceTo(got32, a32, []int{rows, n}, []int{n}, false)
			for i := 0; i < len(a); i += n {
				addRowInto(want, a[i:i+n])
				addRowInto(want32, a32[i:i+n])
			}
			for j := range n {
				if !same(got[j], want[j]) || !same(float64(got32[j]), float64(want32[j])) {
					t.Errorf("trial %d: column %d of %v: %v and float32 %v, addRowInto gives %v and %v", trial, j, a, got[j], got32[j], want[j], want32[j])
				}
			}
		}
	}
}
