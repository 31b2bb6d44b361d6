package ops_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestMatMulWeightUsedManyTimes checks the gradient of a heap variable used as the second operand
// of several products, as a recurrent layer's weight is at every time step: from its third use on,
// Backward adds each product's contribution into the running sum with one GEMM (the rule's
// GradsInto) instead of building it apart. For every transposition and both dtypes, the
// gradient matches the sum worked out in plain loops, and the one Grad with CreateGraph
// computes, which builds every contribution apart.
func TestMatMulWeightUsedManyTimes(t *testing.T) {
	const m, k, n, uses = 3, 4, 5, 5
	rng := rand.New(rand.NewPCG(11, 12))
	normals := func(size int) []float64 {
		v := make([]float64, size)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		return v
	}
	for _, dt := range []ag.DType{ag.Float64, ag.Float32} {
		// The sums are of at most 15 terms of order 1: float64 agrees to a few ulps, float32
		// to a few of its own; the loops, the GEMM and the separate additions round apart.
		tol := cmpopts.EquateApprox(1e-12, 1e-12)
		if dt == ag.Float32 {
			tol = cmpopts.EquateApprox(1e-5, 1e-5)
		}
		for _, tr := range [][2]bool{{false, false}, {true, false}, {false, true}, {true, true}} {
			ta, tb := tr[0], tr[1]
			name := fmt.Sprintf("%v transA=%v transB=%v", dt, ta, tb)
			ws, as, rs := normals(k*n), make([][]float64, uses), make([][]float64, uses)
			for i := range uses {
				as[i], rs[i] = normals(m*k), normals(m*n)
			}
			// opA(i)[r][p] is op(A_i) (m×k); ∂op(W)[p][q] = Σ_i Σ_r op(A_i)[r][p]·R_i[r][q].
			opA := func(i, r, p int) float64 {
				if ta {
					return as[i][p*m+r] // A_i stored k×m
				}
				return as[i][r*k+p]
			}
			want := make([]float64, k*n)
			for i := range uses {
				for p := range k {
					for q := range n {
						for r := range m {
							at := p*n + q // ∂W stored k×n, or n×k when transposed
							if tb {
								at = q*k + p
							}
							want[at] += opA(i, r, p) * rs[i][r*n+q]
						}
					}
				}
			}
			aShape, wShape := []int{m, k}, []int{k, n}
			if ta {
				aShape = []int{k, m}
			}
			if tb {
				wShape = []int{n, k}
			}
			leaf := vectorOf(nil, dt, ws) // a heap variable, as a parameter is
			w := ops.Reshape(leaf, wShape...)
			tp := ag.NewTape()
			var loss ag.Var
			for i := range uses {
				a := ops.Reshape(vectorOf(tp, dt, as[i]), aShape...)
				r := ops.Reshape(vectorOf(tp, dt, rs[i]), m, n)
				term := ops.Sum(ops.Mul(ops.MatMulT(a, w, ta, tb), r))
				if i == 0 {
					loss = term
				} else {
					loss = ops.Add(loss, term)
				}
			}
			viaGraph, err := ag.Grad([]ag.Var{loss}, []ag.Var{w}, ag.CreateGraph())
			if err != nil {
				t.Fatalf("%s: Grad: %v", name, err)
			}
			if err := ag.Backward(loss); err != nil {
				t.Fatalf("%s: Backward: %v", name, err)
			}
			if d := cmp.Diff(want, leaf.Grad().Float64s(), tol); d != "" {
				t.Errorf("%s: Backward's gradient of W against the loops (-want +got):\n%s", name, d)
			}
			if d := cmp.Diff(viaGraph[0].Float64s(), leaf.Grad().Float64s(), tol); d != "" {
				t.Errorf("%s: Backward's gradient of W against Grad with CreateGraph (-want +got):\n%s", name, d)
			}
		}
	}
}
