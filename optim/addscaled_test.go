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
// descent without calling sgdStep, against sgdStep bit for bit: three steps (the first and later
// ones of momentum), both dtypes, lengths on both sides of shortScaled, the momentum buffer as
// well as the parameter, and every configuration that must still take sgdStep (weight decay,
// momentum with and without dampening, Nesterov).
func TestSGDJobShortIsSGDStep(t *testing.T) {
	sgdJobShortIsSGDStep[float64](t, "float64")
	sgdJobShortIsSGDStep[float32](t, "float32")
}

func sgdJobShortIsSGDStep[T float](t *testing.T, dtype string) {
	r := rand.New(rand.NewPCG(3, 4))
	cfgs := []SGDConfig{
		{LR: 0.37}, {LR: 1e-3, WeightDecay: 0.1}, {LR: 0.5, Momentum: 0.9},
		{LR: 0.5, Momentum: 0.9, Dampening: 0.3}, {LR: 0.5, Momentum: 0.9, Nesterov: true},
	}
	for n := range 2*shortScaled + 2 {
		for _, c := range cfgs {
			p, g := make([]T, n), make([]T, n)
			for i := range p {
				p[i] = T(r.NormFloat64())
			}
			want := append([]T(nil), p...)
			var buf, wantBuf []T
			if c.Momentum != 0 {
				buf, wantBuf = make([]T, n), make([]T, n)
			}
			var j sgdJob[T]
			for step := range 3 {
				for i := range g {
					g[i] = T(r.NormFloat64() * 1e3)
				}
				sgdStep(&c, c.LR, want, g, wantBuf, step == 0)
				j.step(&c, c.LR, p, g, buf, step == 0)
				for i := range n {
					if p[i] != want[i] {
						t.Fatalf("%s, n=%d, %+v, step %d: p[%d] = %v, want %v (sgdStep)", dtype, n, c, step, i, p[i], want[i])
					}
					if buf != nil && buf[i] != wantBuf[i] {
						t.Fatalf("%s, n=%d, %+v, step %d: momentum buffer [%d] = %v, want %v (sgdStep)", dtype, n, c, step, i, buf[i], wantBuf[i])
					}
				}
			}
		}
	}
}
