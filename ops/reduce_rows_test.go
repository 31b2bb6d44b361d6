package ops

import (
	"fmt"
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
