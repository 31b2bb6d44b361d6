package ops

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	ag "github.com/gograd/gograd/autograd"
)

// TestOnTape checks that OnTape views a parameter on the tape without copying it, that the
// gradient reaches the parameter, and that it leaves taped values and a nil tape alone.
func TestOnTape(t *testing.T) {
	tp := ag.NewTape()
	p := ag.NewParam([]float64{1, -2, 3}, 3)
	v := OnTape(tp, p)
	if v.Tape() != tp {
		t.Errorf("OnTape(tp, param).Tape() = %p, want the tape %p", v.Tape(), tp)
	}
	if &v.Data64()[0] != &p.Data64()[0] {
		t.Errorf("OnTape(tp, param) copied the parameter's values; want a view")
	}
	if err := ag.Backward(Sum(Mul(v, v))); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]float64{2, -4, 6}, p.Grad().Float64s()); diff != "" { // ∂Σv²/∂p = 2p, exact
		t.Errorf("gradient of Σ OnTape(p)² (-want +got):\n%s", diff)
	}
	x := tp.Variable([]float64{1}, 1)
	if got := OnTape(tp, x); got != x {
		t.Errorf("OnTape(tp, x on a tape) = %v, want x itself", got)
	}
	if got := OnTape(nil, p); got != p {
		t.Errorf("OnTape(nil, param) = %v, want the parameter itself", got)
	}
}
