package ops_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// fuzzShapes decodes two shapes of rank 0..4 with dimensions 1..4 from the fuzz input. The
// first two bytes give the ranks; then each dimension of a takes one byte, and each of b one byte
// that either copies a's aligned dimension (high bit set), is 1, or is drawn freely, so that
// broadcastable pairs are common and incompatible ones still occur.
func fuzzShapes(spec []byte) (sa, sb []int) {
	next := func() byte {
		if len(spec) == 0 {
			return 0
		}
		b := spec[0]
		spec = spec[1:]
		return b
	}
	ra, rb := int(next()%5), int(next()%5)
	sa, sb = make([]int, ra), make([]int, rb)
	for i := range sa {
		sa[i] = int(next()%4) + 1
	}
	for i := range sb {
		c := next()
		j := i - rb + ra // a's aligned axis
		switch {
		case c&0x80 != 0 && j >= 0:
			sb[i] = sa[j]
		case c&0x40 != 0:
			sb[i] = 1
		default:
			sb[i] = int(c%4) + 1
		}
	}
	return sa, sb
}

// fuzzValues returns n values that are multiples of 1/16 in [−8, 8) taken from raw (cycled with
// an offset once it runs out, so every element differs from its neighbours).
func fuzzValues(raw []byte, n, salt int) []float64 {
	v := make([]float64, n)
	for i := range v {
		b := byte(i*37 + salt*11)
		if len(raw) > 0 {
			b += raw[i%len(raw)]
		}
		v[i] = float64(int8(b)) / 16
	}
	return v
}

// FuzzBroadcast checks broadcasting Add and Mul against the naive reference, and the gradients
// of sum(a·b + a) against their closed form ∂a = sumTo(b + 1), ∂b = sumTo(a). The values are
// multiples of 1/16 below 8 in magnitude and at most 4⁴ = 256 terms are summed, so every result
// is a multiple of 1/256 below 2¹⁵ in magnitude: exact in float64 whatever the order of summation,
// and the comparisons are exact.
func FuzzBroadcast(f *testing.F) {
	f.Add([]byte{2, 1, 1, 2, 2}, []byte{1, 2, 3})                     // (2,3) with (3)
	f.Add([]byte{2, 2, 1, 0, 0x40, 2}, []byte{5, 250, 7})             // (2,1) with (1,3)
	f.Add([]byte{3, 2, 1, 2, 3, 2, 0x40}, []byte{})                   // (2,3,4) with (3,1)
	f.Add([]byte{0, 0}, []byte{9})                                    // () with ()
	f.Add([]byte{0, 4, 1, 2, 3, 0}, []byte{1})                        // () with (2,3,4,1)
	f.Add([]byte{4, 4, 3, 0, 3, 0, 0x80, 0x40, 0x80, 0x40}, []byte{}) // (4,1,4,1) with (4,1,4,1)-ish
	f.Add([]byte{1, 1, 1, 2}, []byte{0x80})                           // (2) with (3): incompatible
	f.Fuzz(func(t *testing.T, spec, raw []byte) {
		sa, sb := fuzzShapes(spec)
		name := fmt.Sprintf("%s with %s", ag.FormatShape(sa), ag.FormatShape(sb))
		av, bv := fuzzValues(raw, refNumel(sa), 1), fuzzValues(raw, refNumel(sb), 2)
		sum, outShape, ok := refBinary(func(x, y float64) float64 { return x + y }, av, sa, bv, sb)
		prod, _, _ := refBinary(func(x, y float64) float64 { return x * y }, av, sa, bv, sb)

		tp := ag.NewTape()
		x := tp.Variable(av, sa...)
		y := tp.Variable(bv, sb...)
		var gotSum, gotProd, loss ag.Var
		err := ag.Maybe(func() {
			gotSum = ops.Add(x, y)
			gotProd = ops.Mul(x, y)
			loss = ops.Sum(ops.Add(gotProd, x))
		})
		if !ok {
			var e *ag.Error
			if !errors.As(err, &e) || !errors.Is(err, ag.ErrShape) || e.Op != "ops.Add" {
				t.Fatalf("%s: Add error %v, want ops.Add wrapping ErrShape", name, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !cmp.Equal(gotSum.Shape(), outShape) {
			t.Fatalf("%s: Add shape %v, want %v", name, gotSum.Shape(), outShape)
		}
		if diff := cmp.Diff(sum, gotSum.Float64s()); diff != "" {
			t.Fatalf("%s: Add (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff(prod, gotProd.Float64s()); diff != "" {
			t.Fatalf("%s: Mul (-want +got):\n%s", name, diff)
		}

		if err := ag.Backward(loss); err != nil {
			t.Fatalf("%s: Backward: %v", name, err)
		}
		bPlus1 := refBroadcastTo(bv, sb, outShape)
		for i := range bPlus1 {
			bPlus1[i]++
		}
		wantA := refSumTo(bPlus1, outShape, sa)
		wantB := refSumTo(refBroadcastTo(av, sa, outShape), outShape, sb)
		if diff := cmp.Diff(wantA, x.Grad().Float64s()); diff != "" {
			t.Errorf("%s: ∂a (-want +got):\n%s", name, diff)
		}
		if diff := cmp.Diff(wantB, y.Grad().Float64s()); diff != "" {
			t.Errorf("%s: ∂b (-want +got):\n%s", name, diff)
		}
	})
}
