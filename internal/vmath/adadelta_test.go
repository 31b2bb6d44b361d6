package vmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// goAdadelta is the reference: the loop of optim's Adadelta without weight decay, each product
// and quotient rounded on its own, once per dtype for the reason given at goAdam.
func goAdadelta[T float32 | float64](p, g, m, v []T, c AdadeltaCoef[T]) {
	if p64, ok := any(p).([]float64); ok {
		goAdadelta64(p64, any(g).([]float64), any(m).([]float64), any(v).([]float64), any(c).(AdadeltaCoef[float64]))
		return
	}
	goAdadelta32(any(p).([]float32), any(g).([]float32), any(m).([]float32), any(v).([]float32), any(c).(AdadeltaCoef[float32]))
}

func goAdadelta64(p, g, m, v []float64, c AdadeltaCoef[float64]) {
	for i := range p {
		d := g[i]
		m[i] = float64(c.Rho*m[i]) + float64(float64(c.OneMinusRho*d)*d)
		delta := float64(math.Sqrt(v[i]+c.Eps)/math.Sqrt(m[i]+c.Eps)) * d
		v[i] = float64(c.Rho*v[i]) + float64(float64(c.OneMinusRho*delta)*delta)
		p[i] -= float64(c.LR * delta)
	}
}

func goAdadelta32(p, g, m, v []float32, c AdadeltaCoef[float32]) {
	for i := range p {
		d := g[i]
		m[i] = float32(c.Rho*m[i]) + float32(float32(c.OneMinusRho*d)*d)
		delta := float32(float32(math.Sqrt(float64(v[i]+c.Eps)))/float32(math.Sqrt(float64(m[i]+c.Eps)))) * d
		v[i] = float32(c.Rho*v[i]) + float32(float32(c.OneMinusRho*delta)*delta)
		p[i] -= float32(c.LR * delta)
	}
}

// checkAdadeltaSame is checkUpdateSame (adam_test.go) against goAdadelta.
func checkAdadeltaSame[T float32 | float64](t *testing.T, name string, fn func(p, g, m, v []T, c AdadeltaCoef[T]), c AdadeltaCoef[T], n int, p, g, m, v []T) {
	t.Helper()
	checkUpdateSame(t, name, fn, goAdadelta[T], c, n, p, g, m, v)
}

// TestAdadelta checks Adadelta64 and Adadelta32 against the Go loop on every length 0..70 and a
// large one, with torch's default scalars and large ones, on nonnegative moments and on inputs
// of all magnitudes and specials.
func TestAdadelta(t *testing.T) {
	lengths := make([]int, 0, 72)
	for n := 0; n <= 70; n++ {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 100003)
	coefs := []struct{ rho, eps, lr float64 }{
		{0.9, 1e-6, 1},
		{0.5, 0.25, 3},
	}
	forKernels(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(25, 26))
		for _, n := range lengths {
			for _, k := range coefs {
				c64 := AdadeltaCoef[float64]{Rho: k.rho, OneMinusRho: 1 - k.rho, Eps: k.eps, LR: k.lr}
				c32 := AdadeltaCoef[float32]{Rho: float32(k.rho), OneMinusRho: float32(1 - k.rho), Eps: float32(k.eps), LR: float32(k.lr)}
				p := mixed(r, n+3, rand64, randBits64, specials64)
				g := mixed(r, n+3, rand64, randBits64, specials64)
				checkAdadeltaSame(t, "Adadelta64", Adadelta64, c64, n, p, g, rand64(r, n+3, 0, 4), rand64(r, n+3, 0, 4))
				checkAdadeltaSame(t, "Adadelta64", Adadelta64, c64, n, p, g, mixed(r, n+3, rand64, randBits64, specials64), mixed(r, n+3, rand64, randBits64, specials64))
				p32 := mixed(r, n+3, rand32, randBits32, specials32)
				g32 := mixed(r, n+3, rand32, randBits32, specials32)
				checkAdadeltaSame(t, "Adadelta32", Adadelta32, c32, n, p32, g32, rand32(r, n+3, 0, 4), rand32(r, n+3, 0, 4))
				checkAdadeltaSame(t, "Adadelta32", Adadelta32, c32, n, p32, g32, mixed(r, n+3, rand32, randBits32, specials32), mixed(r, n+3, rand32, randBits32, specials32))
			}
		}
	})
}

func TestAdadeltaNoAllocs(t *testing.T) {
	const n = 1003
	p64, g64, m64, v64 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	p32, g32, m32, v32 := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	forKernels(t, func(t *testing.T) {
		allocs := testing.AllocsPerRun(10, func() {
			Adadelta64(p64, g64, m64, v64, AdadeltaCoef[float64]{0.9, 0.1, 1e-6, 1})
			Adadelta32(p32, g32, m32, v32, AdadeltaCoef[float32]{0.9, 0.1, 1e-6, 1})
		})
		if allocs != 0 {
			t.Errorf("%v allocations per run, want 0", allocs)
		}
	})
}
