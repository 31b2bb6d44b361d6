package vmath

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// goAdam is the reference: the loop of optim's Adam without weight decay, each
// product and quotient rounded on its own. It is written once per dtype because
// only an explicit conversion in non-generic code forbids fusing a product into
// a sum (arm64 fused the generic loop's temporaries).
func goAdam[T float32 | float64](p, g, m, v []T, c AdamCoef[T]) {
	if p64, ok := any(p).([]float64); ok {
		goAdam64(p64, any(g).([]float64), any(m).([]float64), any(v).([]float64), any(c).(AdamCoef[float64]))
		return
	}
	goAdam32(any(p).([]float32), any(g).([]float32), any(m).([]float32), any(v).([]float32), any(c).(AdamCoef[float32]))
}

func goAdam64(p, g, m, v []float64, c AdamCoef[float64]) {
	for i := range p {
		d := g[i]
		m[i] = float64(c.Beta1*m[i]) + float64(c.OneMinusBeta1*d)
		v[i] = float64(c.Beta2*v[i]) + float64(float64(c.OneMinusBeta2*d)*d)
		den := float64(math.Sqrt(v[i])/c.BiasCorrection2Sqrt) + c.Eps
		p[i] -= float64(c.StepSize*m[i]) / den
	}
}

func goAdam32(p, g, m, v []float32, c AdamCoef[float32]) {
	for i := range p {
		d := g[i]
		m[i] = float32(c.Beta1*m[i]) + float32(c.OneMinusBeta1*d)
		v[i] = float32(c.Beta2*v[i]) + float32(float32(c.OneMinusBeta2*d)*d)
		den := float32(float32(math.Sqrt(float64(v[i])))/c.BiasCorrection2Sqrt) + c.Eps
		p[i] -= float32(c.StepSize*m[i]) / den
	}
}

// adamCoef returns the scalars of Adam's step t with betas b1, b2, ε eps and
// learning rate lr, computed as optim.Adam does.
func adamCoef[T float32 | float64](t int, b1, b2, eps, lr float64) AdamCoef[T] {
	return AdamCoef[T]{
		Beta1: T(b1), OneMinusBeta1: T(1 - b1), Beta2: T(b2), OneMinusBeta2: T(1 - b2),
		BiasCorrection2Sqrt: T(math.Sqrt(1 - math.Pow(b2, float64(t)))),
		Eps:                 T(eps),
		StepSize:            T(lr / (1 - math.Pow(b1, float64(t)))),
	}
}

// checkUpdateSame runs fn and its Go loop ref on copies of p, g, m, v (longer
// than n), for the optimizer updates (Adam, Adadelta) whose coefficients are c,
// and compares p, m and v bit for bit, and that nothing past n is written.
func checkUpdateSame[T float32 | float64, C any](t *testing.T, name string, fn, ref func(p, g, m, v []T, c C), c C, n int, p, g, m, v []T) {
	t.Helper()
	wp, wm, wv := slices.Clone(p[:n]), slices.Clone(m[:n]), slices.Clone(v[:n])
	ref(wp, g, wm, wv, c)
	gp, gm, gv := slices.Clone(p), slices.Clone(m), slices.Clone(v)
	fn(gp[:n], g, gm[:n], gv[:n], c)
	for i := 0; i < n; i++ {
		if !sameBits(gp[i], wp[i]) || !sameBits(gm[i], wm[i]) || !sameBits(gv[i], wv[i]) {
			t.Fatalf("%s len %d, coefficients %+v: at %d, p, g, m, v = %v, %v, %v, %v give p, m, v = %v, %v, %v; Go loop gives %v, %v, %v",
				name, n, c, i, p[i], g[i], m[i], v[i], gp[i], gm[i], gv[i], wp[i], wm[i], wv[i])
		}
	}
	for i := n; i < len(p); i++ {
		if !sameBits(gp[i], p[i]) || !sameBits(gm[i], m[i]) || !sameBits(gv[i], v[i]) {
			t.Fatalf("%s len %d wrote past the end at %d", name, n, i)
		}
	}
}

// checkAdamSame is checkUpdateSame against goAdam.
func checkAdamSame[T float32 | float64](t *testing.T, name string, fn func(p, g, m, v []T, c AdamCoef[T]), c AdamCoef[T], n int, p, g, m, v []T) {
	t.Helper()
	checkUpdateSame(t, name, fn, goAdam[T], c, n, p, g, m, v)
}

// TestAdam checks Adam64 and Adam32 against the Go loop on every length 0..70
// and a large one, with Adam's usual scalars at steps 1 and 1000 and with
// large ones, on inputs of all magnitudes and specials (a negative second
// moment gives NaN on both sides).
func TestAdam(t *testing.T) {
	lengths := make([]int, 0, 72)
	for n := 0; n <= 70; n++ {
		lengths = append(lengths, n)
	}
	lengths = append(lengths, 100003)
	coefs := []struct{ t, b1, b2, eps, lr float64 }{
		{1, 0.9, 0.999, 1e-8, 1e-3},
		{1000, 0.9, 0.999, 1e-8, 1e-3},
		{3, 0.5, 0.75, 0.25, 3},
	}
	forKernels(t, func(t *testing.T) {
		r := rand.New(rand.NewPCG(19, 20))
		for _, n := range lengths {
			for _, k := range coefs {
				p := mixed(r, n+3, rand64, randBits64, specials64)
				g := mixed(r, n+3, rand64, randBits64, specials64)
				m := mixed(r, n+3, rand64, randBits64, specials64)
				v := rand64(r, n+3, 0, 4)
				checkAdamSame(t, "Adam64", Adam64, adamCoef[float64](int(k.t), k.b1, k.b2, k.eps, k.lr), n, p, g, m, v)
				checkAdamSame(t, "Adam64", Adam64, adamCoef[float64](int(k.t), k.b1, k.b2, k.eps, k.lr), n, p, g, m, mixed(r, n+3, rand64, randBits64, specials64))
				p32 := mixed(r, n+3, rand32, randBits32, specials32)
				g32 := mixed(r, n+3, rand32, randBits32, specials32)
				m32 := mixed(r, n+3, rand32, randBits32, specials32)
				v32 := rand32(r, n+3, 0, 4)
				checkAdamSame(t, "Adam32", Adam32, adamCoef[float32](int(k.t), k.b1, k.b2, k.eps, k.lr), n, p32, g32, m32, v32)
				checkAdamSame(t, "Adam32", Adam32, adamCoef[float32](int(k.t), k.b1, k.b2, k.eps, k.lr), n, p32, g32, m32, mixed(r, n+3, rand32, randBits32, specials32))
			}
		}
	})
}

func TestAdamPanics(t *testing.T) {
	short, long := make([]float64, 2), make([]float64, 3)
	for i, in := range [][3][]float64{{short, long, long}, {long, short, long}, {long, long, short}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("case %d: Adam64 with len(p) = 3 and len(g), len(m), len(v) = %d, %d, %d did not panic", i, len(in[0]), len(in[1]), len(in[2]))
				}
			}()
			Adam64(make([]float64, 3), in[0], in[1], in[2], AdamCoef[float64]{})
		}()
	}
}

func TestAdamNoAllocs(t *testing.T) {
	const n = 1003
	p64, g64, m64, v64 := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	p32, g32, m32, v32 := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	c64, c32 := adamCoef[float64](2, 0.9, 0.999, 1e-8, 1e-3), adamCoef[float32](2, 0.9, 0.999, 1e-8, 1e-3)
	forKernels(t, func(t *testing.T) {
		allocs := testing.AllocsPerRun(10, func() {
			Adam64(p64, g64, m64, v64, c64)
			Adam32(p32, g32, m32, v32, c32)
		})
		if allocs != 0 {
			t.Errorf("%v allocations per run, want 0", allocs)
		}
	})
}
