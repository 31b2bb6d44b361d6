package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// shape is one product to test.
type shape struct {
	m, n, k int
}

// testShapes returns odd, prime, tile-boundary and a few large shapes.
func testShapes() []shape {
	sizes := []int{1, 2, 3, 4, 5, 7, 8, 9, 11, 13, 16, 17, 23, 24, 25, 29, 31, 32, 33, 37, 47, 48, 49, 53, 61, 64, 65, 70}
	var ss []shape
	for i, m := range sizes {
		ss = append(ss, shape{m, m, m})
		ss = append(ss, shape{m, sizes[(i*7+3)%len(sizes)], sizes[(i*5+1)%len(sizes)]})
		ss = append(ss, shape{sizes[(i*3+2)%len(sizes)], m, sizes[(i*11+5)%len(sizes)]})
	}
	if testing.Short() { // the race run in CI: every third small shape and one large one
		var few []shape
		for i := 0; i < len(ss); i += 3 {
			few = append(few, ss[i])
		}
		return append(few, shape{100, 513, 67})
	}
	return append(ss, shape{257, 129, 300}, shape{100, 513, 67}, shape{513, 70, 257}, shape{64, 256, 784}, shape{1, 300, 520})
}

// scalars lists the (alpha, beta) pairs tested; beta == 0 runs with C full of NaN.
var scalars = []struct{ alpha, beta float64 }{
	{1, 0}, {-0.5, 0}, {1, 1}, {2, -0.5}, {0, 0}, {0, 3},
}

// modes force each execution strategy in turn.
var modes = []struct {
	name       string
	small, par int
	goPack     bool // pack with Go loops only
	direct     bool // the direct path for every size (where the kernel has one)
}{
	{"auto", -1, -1, false, false},
	{"small", math.MaxInt, math.MaxInt, false, false},
	{"serial", 0, math.MaxInt, false, false},
	{"parallel", 0, 0, false, false},
	{"serial-gopack", 0, math.MaxInt, true, false},
	{"direct", 0, -1, false, true},
}

// withMode sets the strategy thresholds for the duration of f. Forcing either threshold (small
// or par not -1) also turns the direct path off, so that the packed paths are tested.
func withMode(small, par int, f func()) {
	s, p, dw := smallWork, parallelWork, directWork
	defer func() { smallWork, parallelWork, directWork = s, p, dw }()
	if small >= 0 {
		smallWork = small
	}
	if par >= 0 {
		parallelWork = par
	}
	if small >= 0 || par >= 0 {
		directWork = 0
	}
	f()
}

// withDirect runs f with the direct path taken for every product of at least smallWork.
func withDirect(f func()) {
	dw, dk := directWork, directK
	defer func() { directWork, directK = dw, dk }()
	directWork, directK = math.MaxInt, math.MaxInt
	f()
}

// problem is one randomly filled test product with padded strides.
type problem[T float] struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    T
	a, b, c        []T
	lda, ldb, ldc  int
}

// newProblem fills A, B and C (NaN when beta is 0) with rows padded by pad.
func newProblem[T float](rng *rand.Rand, tA, tB bool, s shape, alpha, beta float64, pad int) *problem[T] {
	p := &problem[T]{transA: tA, transB: tB, m: s.m, n: s.n, k: s.k, alpha: T(alpha), beta: T(beta)}
	ar, ac := s.m, s.k
	if tA {
		ar, ac = ac, ar
	}
	br, bc := s.k, s.n
	if tB {
		br, bc = bc, br
	}
	p.lda, p.ldb, p.ldc = ac+pad, bc+2*pad, s.n+3*pad
	fill := func(n int) []T {
		x := make([]T, n)
		for i := range x {
			x[i] = T(rng.Float64()*2 - 1)
		}
		return x
	}
	p.a = fill(ar * p.lda)
	p.b = fill(br * p.ldb)
	p.c = fill(s.m * p.ldc)
	if beta == 0 {
		for i := range p.c {
			p.c[i] = T(math.NaN())
		}
	}
	return p
}

// opA returns op(A)(i, q).
func (p *problem[T]) opA(i, q int) float64 {
	if p.transA {
		return float64(p.a[q*p.lda+i])
	}
	return float64(p.a[i*p.lda+q])
}

// opB returns op(B)(q, j).
func (p *problem[T]) opB(q, j int) float64 {
	if p.transB {
		return float64(p.b[j*p.ldb+q])
	}
	return float64(p.b[q*p.ldb+j])
}

// check compares got (C after the call) with a float64 triple loop computed
// from p.c (C before the call). The tolerance is relative to
// |alpha|*sum_q |a_iq*b_qj| + |beta*c_ij|: blocking and FMA reorder the k-term
// sum, and the standard bound for any summation order is about k*eps times
// that magnitude, so an absolute tolerance would be wrong for large k and a
// plain relative one wrong under cancellation. Entries outside the m×n window
// of C must be unchanged (NaN stays NaN in the padding).
func (p *problem[T]) check(got []T, eps float64) error {
	tol := float64(p.k+4) * eps
	for i := 0; i < p.m; i++ {
		for j := 0; j < p.ldc; j++ {
			idx := i*p.ldc + j
			g := float64(got[idx])
			if j >= p.n {
				if o := float64(p.c[idx]); g != o && !(math.IsNaN(g) && math.IsNaN(o)) {
					return fmt.Errorf("padding C[%d,%d] changed: got %v, want %v", i, j, g, o)
				}
				continue
			}
			var sum, mag float64
			if p.alpha != 0 {
				for q := 0; q < p.k; q++ {
					x := p.opA(i, q) * p.opB(q, j)
					sum += x
					mag += math.Abs(x)
				}
			}
			want := float64(p.alpha) * sum
			mag *= math.Abs(float64(p.alpha))
			if p.beta != 0 {
				want += float64(p.beta) * float64(p.c[idx])
				mag += math.Abs(float64(p.beta) * float64(p.c[idx]))
			}
			if math.IsNaN(g) || math.Abs(g-want) > tol*mag+1e-300 {
				return fmt.Errorf("C[%d,%d]: got %v, want %v (tol %.3g)", i, j, g, want, tol*mag)
			}
		}
	}
	return nil
}

// run calls Dgemm or Sgemm on a copy of C and returns it.
func (p *problem[T]) run() []T {
	c := append([]T(nil), p.c...)
	switch x := any(p).(type) {
	case *problem[float64]:
		Dgemm(x.transA, x.transB, x.m, x.n, x.k, x.alpha, x.a, x.lda, x.b, x.ldb, x.beta, any(c).([]float64), x.ldc)
	case *problem[float32]:
		Sgemm(x.transA, x.transB, x.m, x.n, x.k, x.alpha, x.a, x.lda, x.b, x.ldb, x.beta, any(c).([]float32), x.ldc)
	}
	return c
}

// testGemm runs every shape, transpose combination, scalar pair and mode.
func testGemm[T float](t *testing.T, eps float64) {
	rng := rand.New(rand.NewPCG(1, 2))
	for mi, mode := range modes {
		for si, s := range testShapes() {
			for ti := 0; ti < 4; ti++ {
				tA, tB := ti&1 != 0, ti&2 != 0
				sc := scalars[(si+ti+mi)%len(scalars)]
				pad := (si + ti) % 3
				p := newProblem[T](rng, tA, tB, s, sc.alpha, sc.beta, pad)
				var got []T
				g, c := useGather, useCopy
				useGather, useCopy = useGather && !mode.goPack, useCopy && !mode.goPack
				if mode.direct {
					withMode(mode.small, mode.par, func() { withDirect(func() { got = p.run() }) })
				} else {
					withMode(mode.small, mode.par, func() { got = p.run() })
				}
				useGather, useCopy = g, c
				if err := p.check(got, eps); err != nil {
					t.Fatalf("%s m=%d n=%d k=%d transA=%v transB=%v alpha=%v beta=%v pad=%d: %v",
						mode.name, s.m, s.n, s.k, tA, tB, sc.alpha, sc.beta, pad, err)
				}
			}
		}
	}
}

func TestDgemm(t *testing.T) { testGemm[float64](t, 0x1p-52) }

func TestSgemm(t *testing.T) { testGemm[float32](t, 0x1p-23) }

// testKernels checks every available micro-kernel (assembly and pure Go)
// against the reference and against the generic kernel's answer.
func testKernels[T float](t *testing.T, ks []*kernel[T], set func(*kernel[T]) func(), eps float64) {
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := []shape{{1, 1, 1}, {7, 9, 5}, {8, 24, 16}, {33, 70, 65}, {97, 101, 300}, {64, 256, 129}}
	if raceEnabled {
		// The two largest shapes' reference loops take most of a minute under the race
		// detector; {33, 70, 65} is split over the cores already, and TestDgemm and TestSgemm
		// check larger split products under it.
		shapes = shapes[:4]
	}
	for _, s := range shapes {
		for ti := 0; ti < 4; ti++ {
			tA, tB := ti&1 != 0, ti&2 != 0
			for _, sc := range scalars[:4] {
				p := newProblem[T](rng, tA, tB, s, sc.alpha, sc.beta, ti)
				var ref []T
				for _, kr := range ks {
					restore := set(kr)
					var got []T
					withMode(0, -1, func() { got = p.run() })
					restore()
					name := fmt.Sprintf("kernel %s m=%d n=%d k=%d transA=%v transB=%v alpha=%v beta=%v",
						kr.name, s.m, s.n, s.k, tA, tB, sc.alpha, sc.beta)
					if err := p.check(got, eps); err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					if ref == nil {
						ref = got
						continue
					}
					tol := float64(s.k+4) * eps
					for i := range got {
						g, w := float64(got[i]), float64(ref[i])
						if math.IsNaN(g) && math.IsNaN(w) {
							continue
						}
						if math.Abs(g-w) > tol*math.Max(1, math.Abs(w)) {
							t.Fatalf("%s: element %d: got %v, generic kernel gave %v", name, i, g, w)
						}
					}
				}
			}
		}
	}
}

func TestKernels64(t *testing.T) {
	testKernels(t, kernels64(), func(k *kernel[float64]) func() {
		old := dkern
		dkern = k
		return func() { dkern = old }
	}, 0x1p-52)
}

func TestKernels32(t *testing.T) {
	testKernels(t, kernels32(), func(k *kernel[float32]) func() {
		old := skern
		skern = k
		return func() { skern = old }
	}, 0x1p-23)
}

func TestUseGeneric(t *testing.T) {
	useGeneric(true)
	if dkern != genericKernel64 || skern != genericKernel32 {
		t.Errorf("useGeneric(true): kernels %s/%s, want generic", dkern.name, skern.name)
	}
	useGeneric(false)
	if dkern != bestKernel64() || skern != bestKernel32() {
		t.Errorf("useGeneric(false): kernels %s/%s, want %s/%s", dkern.name, skern.name, bestKernel64().name, bestKernel32().name)
	}
}

func TestPanics(t *testing.T) {
	a := make([]float64, 12)
	tests := []struct {
		name string
		f    func()
	}{
		{"negative m", func() { Dgemm(false, false, -1, 2, 2, 1, a, 2, a, 2, 0, a, 2) }},
		{"negative n", func() { Dgemm(false, false, 2, -1, 2, 1, a, 2, a, 2, 0, a, 2) }},
		{"negative k", func() { Dgemm(false, false, 2, 2, -1, 1, a, 2, a, 2, 0, a, 2) }},
		{"short a", func() { Dgemm(false, false, 4, 3, 4, 1, a, 4, a, 3, 0, a, 3) }},
		{"short b", func() { Dgemm(false, true, 3, 4, 4, 1, a, 4, a, 4, 0, a, 4) }},
		{"short c", func() { Dgemm(false, false, 3, 5, 2, 1, a, 2, a, 5, 0, a, 5) }},
		{"bad lda", func() { Dgemm(false, false, 2, 2, 3, 1, a, 2, a, 2, 0, a, 2) }},
		{"bad ldc", func() {
			Sgemm(false, false, 2, 3, 2, 1, make([]float32, 4), 2, make([]float32, 6), 3, 0, make([]float32, 6), 2)
		}},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", tt.name)
				}
			}()
			tt.f()
		}()
	}
}

// TestAllocs checks that steady-state calls do not allocate on the tiny,
// serial and parallel paths.
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	for _, s := range []shape{{4, 4, 2}, {4, 1, 4}, {40, 50, 60}, {64, 256, 784}, {784, 256, 64}, {300, 300, 300}} {
		a := make([]float64, s.m*s.k)
		b := make([]float64, s.k*s.n)
		c := make([]float64, s.m*s.n)
		a32 := make([]float32, s.m*s.k)
		b32 := make([]float32, s.k*s.n)
		c32 := make([]float32, s.m*s.n)
		for i := range a {
			a[i], a32[i] = 1, 1
		}
		for i := range b {
			b[i], b32[i] = 1, 1
		}
		d := func() { Dgemm(false, false, s.m, s.n, s.k, 1, a, s.k, b, s.n, 0, c, s.n) }
		f := func() { Sgemm(false, false, s.m, s.n, s.k, 1, a32, s.k, b32, s.n, 0, c32, s.n) }
		d()
		f()
		if n := testing.AllocsPerRun(20, d); n != 0 {
			t.Errorf("Dgemm %dx%dx%d: %v allocs per call, want 0", s.m, s.n, s.k, n)
		}
		if n := testing.AllocsPerRun(20, f); n != 0 {
			t.Errorf("Sgemm %dx%dx%d: %v allocs per call, want 0", s.m, s.n, s.k, n)
		}
	}
}
