package ops

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
)

// matmulSumCases covers matmulSum, Σₙ op(Aₙ)·op(Bₙ), with all four transpose flags, alone and
// under a Tanh so that order 2 sees a nonlinear function of its output.
func matmulSumCases() []gradCase {
	var cs []gradCase
	for i, ta := range []bool{false, true} {
		for j, tb := range []bool{false, true} {
			sa, sb := []int{3, 2, 4}, []int{3, 4, 5} // op(A) (3,2,4), op(B) (3,4,5)
			if ta {
				sa = []int{3, 4, 2}
			}
			if tb {
				sb = []int{3, 5, 4}
			}
			seed := uint64(40 + 2*(2*i+j))
			cs = append(cs, gradCase{
				name: fmt.Sprintf("MatMulSum(tA=%v,tB=%v)", ta, tb),
				f:    func(xs ...ag.Var) ag.Var { return Tanh(matmulSum(xs[0], xs[1], ta, tb)) },
				in:   []operand{gen(signed, seed, sa...), gen(shifted, seed+1, sb...)},
			})
		}
	}
	return cs
}

// TestMatMulSumIsSummedMatMul checks matmulSum against MatMulT followed by SumTo over the batch,
// for every pair of flags and a batch of 0.
func TestMatMulSumIsSummedMatMul(t *testing.T) {
	for _, batch := range []int{0, 1, 5} {
		for _, ta := range []bool{false, true} {
			for _, tb := range []bool{false, true} {
				sa, sb := []int{batch, 6, 7}, []int{batch, 7, 3}
				if ta {
					sa = []int{batch, 7, 6}
				}
				if tb {
					sb = []int{batch, 3, 7}
				}
				tp := ag.NewTape()
				oa, ob := gen(signed, 50, sa...), gen(shifted, 51, sb...)
				a, b := tp.Variable(oa.data, sa...), tp.Variable(ob.data, sb...)
				got := matmulSum(a, b, ta, tb).Float64s()
				want := SumTo(MatMulT(a, b, ta, tb), 1, 6, 3).Float64s()
				// Sums of up to 35 products of magnitude ≤ 2.25 in another order: float64 rounding.
				if d := cmp.Diff(want, got, cmpopts.EquateApprox(0, 1e-12)); d != "" {
					t.Errorf("batch %d, tA=%v, tB=%v: matmulSum differs from SumTo(MatMulT) (-want +got):\n%s", batch, ta, tb, d)
				}
			}
		}
	}
}
