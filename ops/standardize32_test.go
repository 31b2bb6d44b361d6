package ops

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestStandardize32KernelsBitExact compares Standardize's float32 rows and their backward with
// the assembly loops (where the CPU has them) against the Go loops, bit for bit (any NaN
// matching any NaN), at every length up to 40 and some longer ones (every masked tail), on
// rows of random values, constant rows, rows far from zero, and rows holding a NaN or an
// infinity.
func TestStandardize32KernelsBitExact(t *testing.T) {
	if !standardizeAsm {
		t.Skip("no AVX-512: the Go loops only")
	}
	defer func() { standardizeAsm = true }()
	rng := rand.New(rand.NewPCG(3, 4))
	var lengths []int
	for n := 1; n <= 40; n++ {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 255, 256, 1024, 1031)
	for _, n := range lengths {
		for _, kind := range []string{"random", "constant", "offset", "NaN", "∞"} {
			x, h := make([]float32, n), make([]float32, n)
			for i := range x {
				x[i] = float32(rng.NormFloat64() * 3)
				h[i] = float32(rng.NormFloat64())
			}
			switch kind {
			case "constant":
				for i := range x {
					x[i] = 1.5
				}
			case "offset":
				for i := range x {
					x[i] += 1e4
				}
			case "NaN":
				x[rng.IntN(n)] = float32(math.NaN())
			case "∞":
				x[rng.IntN(n)] = float32(math.Inf(-1))
			}
			run := func(asm bool) []float32 {
				standardizeAsm = asm
				o := make([]float32, 2*n)
				standardizeRow32(o[:n], x, 1e-5)
				standardizeGradRow32(o[n:], x, h, 1e-5)
				return o
			}
			want, got := run(false), run(true)
			for i := range got {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) && !(got[i] != got[i] && want[i] != want[i]) {
					t.Errorf("%s row of %d, %s element %d: assembly %g (%#x), Go %g (%#x)", kind, n,
						[]string{"standardized", "backward"}[i/n], i%n, got[i], math.Float32bits(got[i]), want[i], math.Float32bits(want[i]))
				}
			}
		}
	}
}
