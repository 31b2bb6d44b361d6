package ops

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
)

// matmulVectorShapes are the 1-D cases of MatMul with the result shapes torch.matmul gives them
// (https://pytorch.org/docs/1.13/generated/torch.matmul.html): the vector's added axis is dropped.
var matmulVectorShapes = []struct {
	a, b, want []int
}{
	{[]int{3}, []int{3}, []int{}},           // dot product
	{[]int{3}, []int{3, 4}, []int{4}},       // vector·matrix
	{[]int{2, 3}, []int{3}, []int{2}},       // matrix·vector
	{[]int{2, 2, 3}, []int{3}, []int{2, 2}}, // batch·vector
	{[]int{3}, []int{2, 3, 4}, []int{2, 4}}, // vector·batch
	{[]int{1}, []int{1}, []int{}},           // 1-element dot product
}

// TestMatMulVectorValues checks the shape of every vector case against torch.matmul's and its
// values against plain loops over the matrix the vector stands for. Operands are small integers,
// so every product and sum is exact.
func TestMatMulVectorValues(t *testing.T) {
	for i, c := range matmulVectorShapes {
		name := fmt.Sprintf("%s·%s", sh(c.a), sh(c.b))
		tp := ag.NewTape()
		a, b := tp.Const(ints(numel(c.a), i), c.a...), tp.Const(ints(numel(c.b), i+7), c.b...)
		got := MatMul(a, b)
		if !cmp.Equal(got.Shape(), c.want, cmpopts.EquateEmpty()) {
			t.Errorf("%s: shape %v, want %v", name, got.Shape(), c.want)
		}
		// The same product with the vectors written as 1×k and k×1 matrices, by loops.
		am, bm := c.a, c.b
		if len(am) == 1 {
			am = []int{1, am[0]}
		}
		if len(bm) == 1 {
			bm = []int{bm[0], 1}
		}
		want := loopMatMul(a.Data64(), am, b.Data64(), bm)
		if diff := cmp.Diff(want, got.Float64s()); diff != "" {
			t.Errorf("%s: values (-loops +MatMul):\n%s", name, diff)
		}
	}
}

// TestMatMulVectorGradCheck checks the gradients of every vector case, and of a chain through
// one, against finite differences at orders 1 and 2.
func TestMatMulVectorGradCheck(t *testing.T) {
	var cs []gradCase
	for i, c := range matmulVectorShapes {
		cs = append(cs, gradCase{
			name: fmt.Sprintf("MatMul%s%s", sh(c.a), sh(c.b)),
			f:    func(xs ...ag.Var) ag.Var { return MatMul(xs[0], xs[1]) },
			in:   []operand{gen(signed, uint64(2*i+1), c.a...), gen(shifted, uint64(2*i+2), c.b...)},
		})
	}
	cs = append(cs, gradCase{ // vᵀ tanh(A v): v on both sides
		name: "MatMul(v,tanh(MatMul(A,v)))",
		f:    func(xs ...ag.Var) ag.Var { return MatMul(xs[1], Tanh(MatMul(xs[0], xs[1]))) },
		in:   []operand{gen(signed, 21, 3, 3), gen(shifted, 22, 3)},
	})
	for _, c := range cs {
		tp := ag.NewTape()
		if err := ag.CheckGrad(c.f, c.vars(tp), ag.Order(2)); err != nil {
			t.Errorf("%s: CheckGrad(Order(2)) = %v, want nil", c.name, err)
		}
	}
}

// ints returns n small distinct integers (as float64s) depending on seed.
func ints(n, seed int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64((i*5+seed)%11 - 5)
	}
	return out
}

// loopMatMul multiplies row-major operands of shapes (m,k) or (batch,m,k) by (k,n) or
// (batch,k,n) with plain loops, a 2-D operand shared by every batch.
func loopMatMul(a []float64, sa []int, b []float64, sb []int) []float64 {
	batch := 1
	if len(sa) == 3 {
		batch = sa[0]
	}
	if len(sb) == 3 {
		batch = sb[0]
	}
	m, k, n := sa[len(sa)-2], sa[len(sa)-1], sb[len(sb)-1]
	out := make([]float64, batch*m*n)
	for p := range batch {
		ap, bp := 0, 0
		if len(sa) == 3 {
			ap = p * m * k
		}
		if len(sb) == 3 {
			bp = p * k * n
		}
		for i := range m {
			for j := range n {
				s := 0.0
				for l := range k {
					s += a[ap+i*k+l] * b[bp+l*n+j]
				}
				out[p*m*n+i*n+j] = s
			}
		}
	}
	return out
}
