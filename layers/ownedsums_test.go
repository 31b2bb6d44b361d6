package layers

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// TestBackwardOwnedSumsMatchGrad checks the sums Backward keeps in place against Grad's, on
// layers large enough for them. Backward gives every result of 256 elements or more a buffer of
// its own, keeps a rule's new result as the input's sum, adds the input's later gradients into
// it, and from the input's second use lets a rule add into it (GradsInto: a weight's product at
// each step, a Slice's block of a GRU's projections); Grad keeps results in the tape's arena
// and sums into new buffers, with GradsInto from the third use. The gradients of the input and
// of every parameter must agree up to the order of additions.
func TestBackwardOwnedSumsMatchGrad(t *testing.T) {
	// Relative 1e-12: the two passes add the same float64 terms, but a GradsInto product with
	// β = 1 adds block by block into the sum, where the sum into a new buffer adds the whole
	// product, so the order may differ where a product's depth spans several cache blocks
	// (here the two agree exactly).
	tol := cmpopts.EquateApprox(1e-12, 1e-14)
	for _, c := range []struct {
		name  string
		model Model
		shape []int
	}{
		{"GRU", NewGRU(16, 64, 2, WithSeed(1)), []int{4, 6, 16}},
		{"LSTM", NewLSTM(16, 64, 2, WithSeed(2)), []int{4, 6, 16}},
		{"TransformerBlock", NewTransformerBlock(32, 4, 64, 0, true, WithSeed(3)), []int{2, 8, 32}},
	} {
		rng := rand.New(rand.NewPCG(5, 6))
		n := c.shape[0] * c.shape[1] * c.shape[2]
		data := make([]float64, n)
		for i := range data {
			data[i] = 2*rng.Float64() - 1
		}
		params := Params(c.model)
		tp := ag.NewTape()
		loss := func() (ag.Var, ag.Var) {
			tp.Reset()
			x := tp.Variable(data, c.shape...)
			out := c.model.(Module).Forward(x)
			return ops.Sum(ops.Mul(out, out)), x // a gradient that varies across the output
		}

		l, x := loss()
		want, err := ag.Grad([]ag.Var{l}, append([]ag.Var{x}, params...))
		if err != nil {
			t.Fatalf("%s: Grad: %v", c.name, err)
		}
		wantVals := make([][]float64, len(want))
		for i, g := range want {
			wantVals[i] = g.Float64s()
		}

		ag.ZeroGrad(params...)
		l, x = loss()
		if err := ag.Backward(l); err != nil {
			t.Fatalf("%s: Backward: %v", c.name, err)
		}
		got := []ag.Var{x.Grad()}
		for _, p := range params {
			got = append(got, p.Grad())
		}
		for i, g := range got {
			if d := cmp.Diff(wantVals[i], g.Float64s(), tol); d != "" {
				t.Errorf("%s: gradient %d of %d (0 the input) from Backward (-Grad +Backward):\n%s", c.name, i, len(got), d)
			}
		}
	}
}
