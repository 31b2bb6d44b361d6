package ops

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestSoftmax32KernelsBitExact compares the float32 softmax rows and their backward with the
// assembly loops (where the CPU has them) against the Go loops, bit for bit (any NaN matching
// any NaN), at every length up to 40 and some longer ones (every masked tail), on random rows,
// rows masked with −∞ as causal attention's are, and rows holding a NaN or +∞.
func TestSoftmax32KernelsBitExact(t *testing.T) {
	if !softmaxAsm {
		t.Skip("no AVX-512: the Go loops only")
	}
	defer func() { softmaxAsm = true }()
	rng := rand.New(rand.NewPCG(1, 2))
	inf := float32(math.Inf(1))
	var lengths []int
	for n := 1; n <= 40; n++ {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 127, 128, 300)
	for _, n := range lengths {
		for _, kind := range []string{"random", "causal", "all −∞", "NaN", "+∞"} {
			x, g := make([]float32, n), make([]float32, n)
			for i := range x {
				x[i] = float32(rng.NormFloat64() * 4)
				g[i] = float32(rng.NormFloat64())
			}
			switch kind {
			case "causal":
				for i := n / 2; i < n; i++ {
					x[i] = -inf
				}
			case "all −∞":
				for i := range x {
					x[i] = -inf
				}
			case "NaN":
				x[rng.IntN(n)] = float32(math.NaN())
			case "+∞":
				x[rng.IntN(n)] = inf
			}
			run := func(asm bool) []float32 {
				softmaxAsm = asm
				o := make([]float32, 2*n)
				softmaxRow32(o[:n], x)
				softmaxGradRow32(o[n:], g, o[:n])
				return o
			}
			want, got := run(false), run(true)
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
					t.Errorf("%s row of %d, %s element %d: assembly %g (%#x), Go %g (%#x)", kind, n,
						[]string{"softmax", "backward"}[i/n], i%n, got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
				}
			}
		}
	}
}
