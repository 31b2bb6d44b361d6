package ops_test

import (
	"slices"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// pythonSlice returns the positions x[start:stop:step] selects on an axis of size n, by
// filtering every position rather than by computing bounds: Python counts negative start and
// stop from the end, clamps start into the axis, and steps from it. stop == ops.End is
// Python's omitted stop.
func pythonSlice(n, start, stop, step int) []int {
	if step == 0 {
		step = 1
	}
	if start < 0 {
		start += n
	}
	if step > 0 {
		start = max(start, 0)
	} else {
		start = min(start, n-1)
	}
	var out []int
	if step > 0 {
		for i := range n {
			if i >= start && (stop == ops.End || i < stop && stop >= 0 || stop < 0 && i < stop+n) && (i-start)%step == 0 {
				out = append(out, i)
			}
		}
		return out
	}
	for i := n - 1; i >= 0; i-- {
		if i <= start && (stop == ops.End || stop >= 0 && i > stop || stop < 0 && i > stop+n) && (start-i)%(-step) == 0 {
			out = append(out, i)
		}
	}
	return out
}

// TestSliceAxesPythonSemantics checks SliceAxes on a vector of its own positions against
// pythonSlice for every start and stop in [−9, 9] (and an open stop) and step in [−3, 3], on axes
// of 0 to 6 elements.
func TestSliceAxesPythonSemantics(t *testing.T) {
	tp := ag.NewTape()
	for n := range 7 {
		pos := make([]float64, n)
		for i := range pos {
			pos[i] = float64(i)
		}
		x := tp.Const(pos, n)
		for start := -9; start <= 9; start++ {
			for _, stop := range append([]int{ops.End}, rangeInts(-9, 9)...) {
				for step := -3; step <= 3; step++ {
					got := ops.SliceAxes(x, ops.Range{Axis: 0, Start: start, Stop: stop, Step: step}).Float64s()
					want := pythonSlice(n, start, stop, step)
					gotInts := make([]int, len(got))
					for i, v := range got {
						gotInts[i] = int(v)
					}
					if !slices.Equal(gotInts, want) && !(len(gotInts) == 0 && len(want) == 0) {
						t.Errorf("n=%d [%d:%d:%d]: SliceAxes gives %v, Python %v", n, start, stop, step, gotInts, want)
					}
				}
			}
		}
		tp.Reset()
	}
}

func rangeInts(lo, hi int) []int {
	var s []int
	for i := lo; i <= hi; i++ {
		s = append(s, i)
	}
	return s
}
