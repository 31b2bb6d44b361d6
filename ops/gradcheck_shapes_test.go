package ops

import (
	"fmt"

	ag "github.com/gograd/gograd/autograd"
)

// shapeCases covers shapes.go: Transpose, Reshape, Flatten, BroadcastTo, Slice, Pad and Concat,
// plus SumTo from reduce.go, the inverse of BroadcastTo. The functions are linear, so order 2
// checks that the rules' own rules (transposes, reshapes, sums and pads of g) are right.
func shapeCases() []gradCase {
	var cs []gradCase
	// Multiplying by a constant of the output's shape makes the order-1 Jacobian and the
	// order-2 projection depend on where every element goes.
	weighted := func(y ag.Var) ag.Var {
		w := make([]float64, y.Len())
		for i := range w {
			w[i] = 1 + 0.25*float64(i)
		}
		return Mul(y, TapeOf(y).Const(w, append([]int{}, y.Shape()...)...))
	}

	transposes := []struct {
		shape, perm []int
	}{
		{[]int{}, nil}, {[]int{4}, nil}, {[]int{2, 3}, nil}, {[]int{2, 3}, []int{1, 0}}, {[]int{2, 3, 4}, nil},
		{[]int{2, 3, 4}, []int{0, 1, 2}}, {[]int{2, 3, 4}, []int{0, 2, 1}}, {[]int{2, 3, 4}, []int{1, 0, 2}},
		{[]int{2, 3, 4}, []int{1, 2, 0}}, {[]int{2, 3, 4}, []int{2, 0, 1}}, {[]int{2, 3, 4}, []int{2, 1, 0}},
	}
	for i, c := range transposes {
		perm := c.perm
		cs = append(cs, gradCase{
			name: fmt.Sprintf("Transpose%s%v", sh(c.shape), perm),
			f:    func(xs ...ag.Var) ag.Var { return weighted(Transpose(xs[0], perm...)) },
			in:   []operand{gen(signed, uint64(i+1), c.shape...)},
		})
	}

	reshapes := []struct {
		from, to []int
	}{
		{[]int{2, 3}, []int{3, 2}}, {[]int{2, 3}, []int{-1}}, {[]int{2, 3, 4}, []int{4, -1}},
		{[]int{2, 3, 4}, []int{2, -1, 2}}, {[]int{}, []int{1, 1}}, {[]int{1}, []int{}},
		{[]int{2, 3}, []int{6, 1}}, {[]int{2, 3}, []int{2, 3}},
	}
	for i, c := range reshapes {
		to := c.to
		cs = append(cs, gradCase{
			name: fmt.Sprintf("Reshape%s→%v", sh(c.from), to),
			f:    func(xs ...ag.Var) ag.Var { return weighted(Reshape(xs[0], to...)) },
			in:   []operand{gen(signed, uint64(i+1), c.from...)},
		})
	}
	for i, s := range unaryShapes {
		cs = append(cs, gradCase{
			name: "Flatten" + sh(s),
			f:    func(xs ...ag.Var) ag.Var { return weighted(Flatten(xs[0])) },
			in:   []operand{gen(signed, uint64(i+1), s...)},
		})
	}

	// (small, large): small broadcasts to large.
	pairs := []struct{ small, large []int }{
		{[]int{3}, []int{2, 3}}, {[]int{2, 1}, []int{2, 3}}, {[]int{}, []int{2, 2}}, {[]int{3, 1}, []int{2, 3, 4}},
		{[]int{1, 3}, []int{2, 1, 3}}, {[]int{1, 1}, []int{2, 3}}, {[]int{2, 3}, []int{2, 3}}, {[]int{4}, []int{2, 3, 4}},
	}
	for i, p := range pairs {
		small, large := p.small, p.large
		cs = append(cs, gradCase{
			name: fmt.Sprintf("BroadcastTo%s→%s", sh(small), sh(large)),
			f:    func(xs ...ag.Var) ag.Var { return weighted(BroadcastTo(xs[0], large...)) },
			in:   []operand{gen(signed, uint64(i+1), small...)},
		})
		cs = append(cs, gradCase{
			name: fmt.Sprintf("SumTo%s→%s", sh(large), sh(small)),
			f:    func(xs ...ag.Var) ag.Var { return weighted(SumTo(xs[0], small...)) },
			in:   []operand{gen(signed, uint64(i+1), large...)},
		})
	}

	slices := []struct {
		shape           []int
		ax, start, stop int
	}{
		{[]int{4}, 0, 1, 3}, {[]int{2, 3}, 1, 0, 2}, {[]int{2, 3}, 0, 1, 2}, {[]int{2, 3, 4}, -1, 1, 4},
		{[]int{2, 3, 4}, 1, 1, 2}, {[]int{2, 3, 4}, 0, 0, 2}, {[]int{2, 3}, 1, 1, 1},
	}
	for i, c := range slices {
		c := c
		cs = append(cs, gradCase{
			name: fmt.Sprintf("Slice%s[ax%d,%d:%d]", sh(c.shape), c.ax, c.start, c.stop),
			f:    func(xs ...ag.Var) ag.Var { return weighted(Slice(xs[0], c.ax, c.start, c.stop)) },
			in:   []operand{gen(signed, uint64(i+1), c.shape...)},
		})
	}
	pads := []struct {
		shape             []int
		ax, before, after int
	}{
		{[]int{3}, 0, 1, 2}, {[]int{2, 3}, 0, 0, 1}, {[]int{2, 3}, -1, 2, 0}, {[]int{2, 3, 4}, 1, 2, 1}, {[]int{2, 3}, 1, 0, 0},
	}
	for i, c := range pads {
		c := c
		cs = append(cs, gradCase{
			name: fmt.Sprintf("Pad%s[ax%d,%d,%d]", sh(c.shape), c.ax, c.before, c.after),
			f:    func(xs ...ag.Var) ag.Var { return weighted(Pad(xs[0], c.ax, c.before, c.after)) },
			in:   []operand{gen(signed, uint64(i+1), c.shape...)},
		})
	}

	concats := []struct {
		ax     int
		shapes [][]int
	}{
		{0, [][]int{{2, 3}, {1, 3}, {3, 3}}},
		{1, [][]int{{2, 1}, {2, 3}}},
		{-1, [][]int{{2, 3, 1}, {2, 3, 2}}},
		{1, [][]int{{2, 1, 4}, {2, 2, 4}, {2, 1, 4}, {2, 1, 4}, {2, 1, 4}}}, // more operands than a node stores inline
		{0, [][]int{{3}}},
		{0, [][]int{{2}, {0}, {1}}}, // an empty operand
	}
	for i, c := range concats {
		c := c
		var in []operand
		for j, s := range c.shapes {
			in = append(in, gen(signed, uint64(10*i+j+1), s...))
		}
		cs = append(cs, gradCase{
			name: fmt.Sprintf("Concat[ax%d]%v", c.ax, c.shapes),
			f:    func(xs ...ag.Var) ag.Var { return weighted(Concat(c.ax, xs...)) },
			in:   in,
		})
	}
	// The same operand twice: both slices of g reach it.
	cs = append(cs, gradCase{
		name: "Concat(x,x)",
		f:    func(xs ...ag.Var) ag.Var { return weighted(Concat(0, xs[0], xs[0])) },
		in:   []operand{gen(signed, 1, 2, 3)},
	})
	return cs
}
