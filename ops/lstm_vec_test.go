package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/internal/parallel"
)

// TestLSTMKernelsMatchLoops checks the LSTM kernels, whose arithmetic goes through vmath's
// vector passes, against the plain loops of their formulas (below, as the kernels were written
// before), bit for bit, in both dtypes, for hidden sizes below, at and across a chunk.
func TestLSTMKernelsMatchLoops(t *testing.T) {
	for _, h := range []int{1, 5, lstmChunk, lstmChunk + 44} {
		t.Run(fmt.Sprintf("f64/h=%d", h), func(t *testing.T) { checkLSTMKernels[float64](t, h) })
		t.Run(fmt.Sprintf("f32/h=%d", h), func(t *testing.T) { checkLSTMKernels[float32](t, h) })
	}
}

func checkLSTMKernels[T float](t *testing.T, h int) {
	const b = 3
	r := rand.New(rand.NewPCG(uint64(h), 9))
	rnd := func(n int, scale float64) []T {
		x := make([]T, n)
		for i := range x {
			x[i] = T(r.NormFloat64() * scale)
		}
		return x
	}
	pre, g, c := rnd(b*4*h, 3), rnd(b*h, 1), rnd(b*h, 2)
	for _, k := range []struct {
		name      string
		kernel    lstmKernel[T]
		reference func(pre, g, c []T, b, h int) []T
		out       int
	}{
		{"c'", lstmC[T], refLSTMC[T], b * h},
		{"h'", lstmH[T], refLSTMH[T], b * h},
		{"∂c'/∂pre", lstmCGradK[T], refLSTMCGrad[T], b * 4 * h},
		{"∂h'/∂pre", lstmHGradK[T], refLSTMHGrad[T], b * 4 * h},
		{"∂h'/∂c'", lstmHGradCK[T], refLSTMHGradC[T], b * h},
	} {
		xs := [2][]T{g, c}
		if k.name == "c'" || k.name == "h'" {
			xs = [2][]T{c}
		}
		got := make([]T, k.out)
		for i := range got {
			got[i] = T(math.NaN()) // every element must be written
		}
		k.kernel(got, pre, xs, b, h, new(lstmScratch[T]))
		want := k.reference(pre, g, c, b, h)
		for i := range want {
			if got[i] != want[i] && !(got[i] != got[i] && want[i] != want[i]) || math.Signbit(float64(got[i])) != math.Signbit(float64(want[i])) {
				t.Fatalf("%s: element %d: got %v, want %v (the loop's)", k.name, i, got[i], want[i])
			}
		}
	}
}

// The kernels' formulas as plain loops, one row of pre (4h: gates i, f, g, o) and of the
// per-unit arrays (h) at a time, every operation rounded: the conversions T(x*y) keep Go from
// fusing a multiply and an add into one rounding, as it may on arm64 or with GOAMD64=v3.

func refSigmoid[T float](x T) T {
	o := []T{x}
	sigmoidInto(o, o)
	return o[0]
}

func refTanh[T float](x T) T {
	if !isF32[T]() {
		return T(math.Tanh(float64(x)))
	}
	return T(2*refSigmoid(2*x)) - 1
}

func refLSTMC[T float](pre, _, c []T, b, h int) []T {
	o := make([]T, b*h)
	for r := range b {
		for j := range h {
			p := pre[r*4*h:]
			si, sf, t := refSigmoid(p[j]), refSigmoid(p[h+j]), refTanh(p[2*h+j])
			o[r*h+j] = T(sf*c[r*h+j]) + T(si*t) // T(…): no fused multiply-add
		}
	}
	return o
}

func refLSTMH[T float](pre, _, c []T, b, h int) []T {
	o := make([]T, b*h)
	for r := range b {
		for j := range h {
			o[r*h+j] = refSigmoid(pre[r*4*h+3*h+j]) * refTanh(c[r*h+j])
		}
	}
	return o
}

func refLSTMCGrad[T float](pre, g, c []T, b, h int) []T {
	o := make([]T, b*4*h)
	for r := range b {
		p, or := pre[r*4*h:], o[r*4*h:]
		for j := range h {
			gg, cc := g[r*h+j], c[r*h+j]
			si, sf, t := refSigmoid(p[j]), refSigmoid(p[h+j]), refTanh(p[2*h+j])
			or[j] = gg * t * si * (1 - si)
			or[h+j] = gg * cc * sf * (1 - sf)
			or[2*h+j] = gg * si * (1 - T(t*t))
		}
	}
	return o
}

func refLSTMHGrad[T float](pre, g, c []T, b, h int) []T {
	o := make([]T, b*4*h)
	for r := range b {
		for j := range h {
			so, t := refSigmoid(pre[r*4*h+3*h+j]), refTanh(c[r*h+j])
			o[r*4*h+3*h+j] = g[r*h+j] * t * so * (1 - so)
		}
	}
	return o
}

func refLSTMHGradC[T float](pre, g, c []T, b, h int) []T {
	o := make([]T, b*h)
	for r := range b {
		for j := range h {
			so, t := refSigmoid(pre[r*4*h+3*h+j]), refTanh(c[r*h+j])
			o[r*h+j] = g[r*h+j] * so * (1 - T(t*t))
		}
	}
	return o
}

// TestLSTMCellSplitMatchesSerial checks that LSTMCell's kernels split over the cores by rows
// (32 rows of 300 units) give the bits of the same kernels run on one core: h', c' and the
// gradients of pre and c.
func TestLSTMCellSplitMatchesSerial(t *testing.T) {
	const batch, hidden = 32, 300
	if parallel.Chunks(batch, 1) < 2 {
		t.Skip("one core: nothing is split")
	}
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		run := func() [][]float64 {
			tp := ag.NewTape()
			pre := ag.NewParam(gen(signed, 11, batch, 4*hidden).data, batch, 4*hidden)
			c := ag.NewParam(gen(shifted, 12, batch, hidden).data, batch, hidden)
			u := Cast(tp.Const(gen(signed, 13, batch, hidden).data, batch, hidden), dt)
			h, c2 := LSTMCell(Cast(pre, dt), Cast(c, dt))
			gs, err := ag.Grad([]ag.Var{Sum(Add(Mul(h, u), Mul(c2, h)))}, []ag.Var{pre, c})
			if err != nil {
				t.Fatal(err)
			}
			return [][]float64{Cast(h, ag.Float64).Float64s(), Cast(c2, ag.Float64).Float64s(), gs[0].Float64s(), gs[1].Float64s()}
		}
		split := run()
		saved := lstmSplit
		lstmSplit = math.MaxInt
		serial := run()
		lstmSplit = saved
		for k, name := range []string{"h'", "c'", "∂pre", "∂c"} {
			for i := range serial[k] {
				if math.Float64bits(split[k][i]) != math.Float64bits(serial[k][i]) {
					t.Fatalf("%v: %s[%d]: split %v, serial %v", dt, name, i, split[k][i], serial[k][i])
				}
			}
		}
	}
}
