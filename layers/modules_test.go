package layers

import (
	"testing"
)

// twoHeads is a user model that holds one Linear in two fields (tied weights) and a Sequential.
type twoHeads struct {
	Body  *Sequential
	A, B  *Linear
	Extra []Module
}

func (m *twoHeads) NamedParams() []Param { return Collect(m) }

// TestModules checks that Modules lists a model and every module in it once, depth first, m
// first, leaving nil modules out.
func TestModules(t *testing.T) {
	l1, l2, shared := NewLinear(2, 3), NewLinear(3, 3), NewLinear(3, 1)
	act := &Dropout{}
	body := NewSequential(l1, NewResidual(NewSequential(l2, act)))
	m := &twoHeads{Body: body, A: shared, B: shared, Extra: []Module{nil, shared}}
	res := body.Layers[1].(*Residual)
	want := []Model{m, body, l1, res, res.Body, l2, act, shared}
	got := Modules(m)
	if len(got) != len(want) {
		t.Fatalf("Modules lists %d modules %v, want %d %v", len(got), got, len(want), want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("module %d is %T %p, want %T %p", i, got[i], got[i], want[i], want[i])
		}
	}
	if got := Modules(nil); len(got) != 0 {
		t.Errorf("Modules(nil) = %v, want none", got)
	}
}
