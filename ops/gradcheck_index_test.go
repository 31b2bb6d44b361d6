package ops

import (
	"fmt"
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// indexCases covers the indexing operations of issue 11: Gather, ScatterAdd, IndexSelect,
// IndexAdd, Take, SliceAxes, Flip, Cumsum and the compositions of arrange.go and scan.go. The
// linear ones are weighted by a constant of their output's shape, so every element's route is
// checked, and squared, so that order 2 has something to check (the rules' own rules).
func indexCases() []gradCase {
	var cs []gradCase
	weighted := func(y ag.Var) ag.Var {
		w := make([]float64, y.Len())
		for i := range w {
			w[i] = 1 + 0.25*float64(i)
		}
		c := Cast(TapeOf(y).Const(w, append([]int{}, y.Shape()...)...), y.DType())
		return Mul(Square(y), c)
	}
	add := func(name string, f func(xs ...ag.Var) ag.Var, in ...operand) {
		cs = append(cs, gradCase{name: name, f: func(xs ...ag.Var) ag.Var { return weighted(f(xs...)) }, in: in})
	}

	// Gather along each axis, with repeated positions and an index smaller than a.
	g0 := NewIndex([]int{2, 0, 2, 1, 1, 2}, 2, 3)
	add("Gather(3,3)ax0", func(xs ...ag.Var) ag.Var { return Gather(xs[0], 0, g0) }, gen(signed, 1, 3, 3))
	g1 := NewIndex([]int{3, 3, 0, 1, 2, 0, 0, 0}, 2, 4)
	add("Gather(2,4)ax1", func(xs ...ag.Var) ag.Var { return Gather(xs[0], 1, g1) }, gen(signed, 2, 2, 4))
	g3 := NewIndex([]int{1, 0, 0, 2, 1, 1, 0, 2, 2, 2, 1, 0}, 2, 2, 3)
	add("Gather(2,3,4)ax-1", func(xs ...ag.Var) ag.Var { return Gather(xs[0], -1, g3) }, gen(signed, 3, 2, 3, 4))
	add("Gather(2,3,4)ax1", func(xs ...ag.Var) ag.Var { return Gather(xs[0], 1, g3) }, gen(signed, 4, 2, 3, 4))
	// ScatterAdd: both operands.
	add("ScatterAdd(3,3)ax0", func(xs ...ag.Var) ag.Var { return ScatterAdd(xs[0], 0, g0, xs[1]) }, gen(signed, 5, 3, 3), gen(shifted, 6, 2, 3))
	add("ScatterAdd(2,3,4)ax2", func(xs ...ag.Var) ag.Var { return ScatterAdd(xs[0], 2, g3, xs[1]) }, gen(signed, 7, 2, 3, 4), gen(shifted, 8, 2, 2, 3))

	// IndexSelect with a vector and a matrix of positions, repeated; IndexAdd.
	v := NewIndex([]int{2, 0, 2, 3})
	m := NewIndex([]int{1, 1, 0, 3, 2, 1}, 2, 3)
	add("IndexSelect(4,3)ax0", func(xs ...ag.Var) ag.Var { return IndexSelect(xs[0], 0, v) }, gen(signed, 9, 4, 3))
	add("IndexSelect(4,3)ax0idx(2,3)", func(xs ...ag.Var) ag.Var { return IndexSelect(xs[0], 0, m) }, gen(signed, 10, 4, 3))
	add("IndexSelect(2,4,2)ax1", func(xs ...ag.Var) ag.Var { return IndexSelect(xs[0], 1, v) }, gen(signed, 11, 2, 4, 2))
	add("IndexSelect(3,4)ax-1idx(2,3)", func(xs ...ag.Var) ag.Var { return IndexSelect(xs[0], -1, m) }, gen(signed, 12, 3, 4))
	add("IndexAdd(4,3)ax0", func(xs ...ag.Var) ag.Var { return IndexAdd(xs[0], 0, v, xs[1]) }, gen(signed, 13, 4, 3), gen(shifted, 14, 4, 3))
	add("IndexAdd(2,4,2)ax1", func(xs ...ag.Var) ag.Var { return IndexAdd(xs[0], 1, m, xs[1]) }, gen(signed, 15, 2, 4, 2), gen(shifted, 16, 2, 2, 3, 2))
	add("Take(3,4)", func(xs ...ag.Var) ag.Var { return Take(xs[0], NewIndex([]int{11, 0, 5, 5}, 2, 2)) }, gen(signed, 17, 3, 4))

	// Strided slicing on several axes, negative steps and indices, clamping.
	slices := []struct {
		shape []int
		rs    []Range
	}{
		{[]int{7}, []Range{{Axis: 0, Start: 1, Stop: 6, Step: 2}}},
		{[]int{7}, []Range{{Axis: 0, Start: -1, Stop: End, Step: -3}}},
		{[]int{7}, []Range{{Axis: 0, Start: -100, Stop: 100}}},
		{[]int{4, 5}, []Range{{Axis: 0, Start: 1, Stop: End}, {Axis: 1, Start: 4, Stop: 0, Step: -2}}},
		{[]int{3, 4, 5}, []Range{{Axis: 2, Start: 0, Stop: End, Step: 2}, {Axis: 0, Start: -2, Stop: -1}}},
		{[]int{3, 4, 5}, []Range{{Axis: 1, Start: -1, Stop: End, Step: -1}}},
	}
	for i, c := range slices {
		rs := c.rs
		add(fmt.Sprintf("SliceAxes%s%v", sh(c.shape), rs), func(xs ...ag.Var) ag.Var { return SliceAxes(xs[0], rs...) }, gen(signed, uint64(20+i), c.shape...))
	}
	add("Flip(2,3,4)", func(xs ...ag.Var) ag.Var { return Flip(xs[0]) }, gen(signed, 30, 2, 3, 4))
	add("Flip(2,3,4)ax0,2", func(xs ...ag.Var) ag.Var { return Flip(xs[0], 0, -1) }, gen(signed, 31, 2, 3, 4))

	// Cumsum along each axis.
	for ax := range 3 {
		add(fmt.Sprintf("Cumsum(2,3,4)ax%d", ax), func(xs ...ag.Var) ag.Var { return Cumsum(xs[0], ax) }, gen(signed, uint64(32+ax), 2, 3, 4))
	}

	// Compositions.
	add("Stack(ax1)", func(xs ...ag.Var) ag.Var { return Stack(1, xs[0], xs[1], xs[0]) }, gen(signed, 40, 2, 3), gen(shifted, 41, 2, 3))
	add("Split(5)[1]", func(xs ...ag.Var) ag.Var { return Split(xs[0], 1, 2, 0, 3)[2] }, gen(signed, 42, 2, 5))
	add("Chunk(7,3)[0]+[2]", func(xs ...ag.Var) ag.Var {
		p := Chunk(xs[0], 3, 0)
		return Concat(0, p[2], p[0])
	}, gen(signed, 43, 7, 2))
	add("Squeeze(1,3,1)", func(xs ...ag.Var) ag.Var { return Squeeze(xs[0]) }, gen(signed, 44, 1, 3, 1))
	add("Unsqueeze(2,3)ax-1", func(xs ...ag.Var) ag.Var { return Unsqueeze(xs[0], -1) }, gen(signed, 45, 2, 3))
	add("Expand(3,1)", func(xs ...ag.Var) ag.Var { return Expand(xs[0], 2, -1, 4) }, gen(signed, 46, 3, 1))
	add("Repeat(2,3)", func(xs ...ag.Var) ag.Var { return Repeat(xs[0], 2, 1, 2) }, gen(signed, 47, 2, 3))
	add("Tile(2,3)", func(xs ...ag.Var) ag.Var { return Tile(xs[0], 3) }, gen(signed, 48, 2, 3))
	add("Roll(3,4)", func(xs ...ag.Var) ag.Var { return Roll(xs[0], -5, 1) }, gen(signed, 49, 3, 4))
	add("Tril(2,3,4)k0", func(xs ...ag.Var) ag.Var { return Tril(xs[0], 0) }, gen(signed, 50, 2, 3, 4))
	add("Triu(3,4)k1", func(xs ...ag.Var) ag.Var { return Triu(xs[0], 1) }, gen(signed, 51, 3, 4))
	add("MaskedFill(3,4)", func(xs ...ag.Var) ag.Var {
		return MaskedFill(xs[0], Greater(xs[0], ScalarLike(xs[0], 0)), -2)
	}, gen(signed, 52, 3, 4))
	add("TopK(3,5)k2", func(xs ...ag.Var) ag.Var { v, _ := TopK(xs[0], 2, 1); return v }, gen(signed, 53, 3, 5))
	add("TopK(4,2)k3ax0", func(xs ...ag.Var) ag.Var { v, _ := TopK(xs[0], 3, 0); return v }, gen(signed, 54, 4, 2))

	// Var, Std and Norm: not linear, no weighting needed.
	plain := func(name string, f func(x ag.Var) ag.Var, in operand) {
		cs = append(cs, gradCase{name: name, f: func(xs ...ag.Var) ag.Var { return f(xs[0]) }, in: []operand{in}})
	}
	plain("Var(3,4)c1", func(x ag.Var) ag.Var { return Var(x, 1) }, gen(signed, 60, 3, 4))
	plain("Var(3,4)c0ax1", func(x ag.Var) ag.Var { return Var(x, 0, 1) }, gen(signed, 61, 3, 4))
	plain("Std(2,3,4)c1ax0,2", func(x ag.Var) ag.Var { return Std(x, 1, 0, 2) }, gen(signed, 62, 2, 3, 4))
	plain("Norm1(3,4)ax1", func(x ag.Var) ag.Var { return Norm(x, 1, 1) }, gen(signed, 63, 3, 4))
	plain("Norm2(3,4)", func(x ag.Var) ag.Var { return Norm(x, 2) }, gen(signed, 64, 3, 4))
	plain("NormInf(3,4)ax0", func(x ag.Var) ag.Var { return Norm(x, math.Inf(1), 0) }, gen(signed, 65, 3, 4))
	return cs
}
