package optim

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/gograd/gograd/internal/vmath"
)

// TestAddScaledIsVmath checks addScaled, whose short slices take a loop of its own, against
// vmath's AddScaled bit for bit, for lengths on both sides of shortScaled and for factors whose
// products round (a fused multiply-add would change the last bit).
func TestAddScaledIsVmath(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 2*shortScaled + 2 {
		for _, c := range []float64{-0.37, -1e-3, 3.3e10} {
			p64, g64 := make([]float64, n), make([]float64, n)
			for i := range p64 {
				p64[i], g64[i] = r.NormFloat64(), r.NormFloat64()*1e3
			}
			want64 := make([]float64, n)
			vmath.AddScaled64(want64, p64, g64, c)
			p32, g32 := make([]float32, n), make([]float32, n)
			for i := range p32 {
				p32[i], g32[i] = float32(p64[i]), float32(g64[i])
			}
			want32 := make([]float32, n)
			vmath.AddScaled32(want32, p32, g32, float32(c))
			addScaled(p64, g64, c)
			addScaled(p32, g32, float32(c))
			for i := range n {
				if math.Float64bits(p64[i]) != math.Float64bits(want64[i]) {
					t.Errorf("float64, n=%d, c=%g: p[%d] = %v, want %v (vmath.AddScaled64)", n, c, i, p64[i], want64[i])
				}
				if math.Float32bits(p32[i]) != math.Float32bits(want32[i]) {
					t.Errorf("float32, n=%d, c=%g: p[%d] = %v, want %v (vmath.AddScaled32)", n, c, i, p32[i], want32[i])
				}
			}
		}
	}
}

// TestSGDJobShortIsSGDStep checks sgdJob.step, which updates a short parameter by plain gradient
// descent without calling sgdStep, against sgdStep bit for bit, for lengths on both sides of
// shortScaled, with and without weight decay and momentum (which take sgdStep).
func TestSGDJobShortIsSGDStep(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	cfgs := []SGDConfig{{LR: 0.37}, {LR: 1e-3, WeightDecay: 0.1}, {LR: 0.5, Momentum: 0.9}}
	for n := range 2*shortScaled + 2 {
		for _, c := range cfgs {
			p, g := make([]float64, n), make([]float64, n)
			for i := range p {
				p[i], g[i] = r.NormFloat64(), r.NormFloat64()*1e3
			}
			want, buf, wantBuf := append([]float64(nil), p...), []float64(nil), []float64(nil)
			if c.Momentum != 0 {
				buf, wantBuf = make([]float64, n), make([]float64, n)
			}
			sgdStep(&c, c.LR, want, g, wantBuf, true)
			var j sgdJob[float64]
			j.step(&c, c.LR, p, g, buf, true)
			for i := range n {
				if math.Float64bits(p[i]) != math.Float64bits(want[i]) {
					t.Errorf("n=%d, %+v: p[%d] = %v, want %v (sgdStep)", n, c, i, p[i], want[i])
				}
			}
		}
	}
}
