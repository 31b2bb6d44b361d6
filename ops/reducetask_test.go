package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// TestSumToLarge checks SumTo and MaxTo on large operands, whose rows the cores split by an axis
// the result keeps: bit for bit against the one-core loop (reduceRows over the whole input), and
// the sums against a float64 sum element by element at indices found independently.
func TestSumToLarge(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, c := range []struct{ in, out []int }{
		{[]int{64, 32, 26, 26}, []int{1, 32, 1, 1}}, // BatchNorm2d's per-channel sums
		{[]int{16, 300, 128}, []int{16, 1, 128}},    // a middle axis summed
		{[]int{40, 3000, 7}, []int{40, 1, 1}},       // short rows
	} {
		as := make([]float64, numel(c.in))
		for i := range as {
			as[i] = rng.NormFloat64()
		}
		want := make([]float64, numel(c.out))
		for i, v := range as {
			want[broadcastIndex(i, c.in, c.out)] += v
		}
		for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
			tp := ag.NewTape()
			a := Cast(tp.Const(as, c.in...), dt)
			for _, isMax := range []bool{false, true} {
				name := fmt.Sprintf("%v %v to %v, max %v", dt, c.in, c.out, isMax)
				var got []float64
				if isMax {
					got = maxTo(a, c.out).Float64s()
				} else {
					got = SumTo(a, c.out...).Float64s()
				}
				one := oneCoreReduce(a, c.in, c.out, isMax)
				for i := range got {
					if math.Float64bits(got[i]) != math.Float64bits(one[i]) {
						t.Fatalf("%s: element %d = %v, one core %v", name, i, got[i], one[i])
					}
					// float32 sums of ~40,000 values: float64 blocks of float32 sums, within 1e-4
					if !isMax && math.Abs(got[i]-want[i]) > 1e-4*(1+math.Abs(want[i])) {
						t.Fatalf("%s: element %d = %v, float64 sum %v", name, i, got[i], want[i])
					}
				}
			}
		}
	}
}

// oneCoreReduce is accumulateTo's loop on one core for a of shape in to shape out, from zeros or
// −∞.
func oneCoreReduce(a ag.Var, in, out []int, isMax bool) []float64 {
	var shape dims
	copy(shape[:], in)
	st := [4]dims{contiguousStrides(in), broadcastStrides(out, in)}
	r := coalesce(&shape, len(in), &st, 2)
	start := 0.0
	if isMax {
		start = math.Inf(-1)
	}
	if a.DType() == ag.Float32 {
		o := make([]float32, numel(out))
		for i := range o {
			o[i] = float32(start)
		}
		reduceRows(o, a.Data32(), shape[:r], &st, isMax)
		res := make([]float64, len(o))
		for i, v := range o {
			res[i] = float64(v)
		}
		return res
	}
	o := make([]float64, numel(out))
	for i := range o {
		o[i] = start
	}
	reduceRows(o, a.Data64(), shape[:r], &st, isMax)
	return o
}
