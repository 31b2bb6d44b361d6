package ops

import (
	"math"
	"testing"
)

// TestGELUFloat32Accuracy compares float32 GELU (erfc's Chebyshev fit) with the float64
// formula through math.Erf on a fine grid of [−12, 12], the negative tail included, where
// x·Φ(x) is tiny and only a relative bound means anything.
func TestGELUFloat32Accuracy(t *testing.T) {
	const n = 24001
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(-12 + 24*float64(i)/(n-1))
	}
	got := make([]float32, n)
	geluFwd32(got, x)
	worst, at := 0.0, 0.0
	for i, v := range x {
		xv := float64(v)
		want := 0.5 * xv * math.Erfc(-xv/math.Sqrt2)
		if want == 0 {
			if got[i] != 0 {
				t.Errorf("GELU(%g) = %g, want 0", v, got[i])
			}
			continue
		}
		if e := math.Abs(float64(got[i])-want) / math.Abs(want); e > worst {
			worst, at = e, xv
		}
	}
	// The fit's relative error is below 1.2e-7, the float32 rounding of the result adds 6e-8,
	// and the float64 steps and the 2-ulp exponential next to nothing: 2.5e-7 bounds it.
	t.Logf("float32 GELU: worst relative error %.3g at x = %g", worst, at)
	if worst > 2.5e-7 {
		t.Errorf("float32 GELU: worst relative error %g at x = %g, want at most 2.5e-7", worst, at)
	}
	for _, c := range []struct{ x, want float32 }{{0, 0}, {float32(math.Inf(1)), float32(math.Inf(1))}} {
		o := []float32{0}
		geluFwd32(o, []float32{c.x})
		if o[0] != c.want {
			t.Errorf("GELU(%g) = %g, want %g", c.x, o[0], c.want)
		}
	}
}
