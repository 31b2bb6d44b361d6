package ops

import (
	"slices"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// missingJVP returns the names of the primitives in prims without a forward-mode rule.
func missingJVP(prims []*ag.Op) []string {
	var names []string
	for _, p := range prims {
		if p != nil && p.JVP == nil {
			names = append(names, p.Name)
		}
	}
	return names
}

// TestJVPComplete fails if a primitive of vjp.go, or one of the flag variants of MatMul and
// MatMulSum that the list holds once, has no forward-mode rule.
func TestJVPComplete(t *testing.T) {
	prims := append([]*ag.Op{}, primitives...)
	for ta := range 2 {
		for tb := range 2 {
			prims = append(prims, matmulOps[ta][tb], matmulSumOps[ta][tb])
		}
	}
	if got := missingJVP(prims); len(got) != 0 {
		t.Errorf("primitives without a JVP rule: %q, want none", got)
	}
	// The check itself catches a rule-less primitive.
	fake := []*ag.Op{{Name: "ops.WithRule", JVP: noTangent}, {Name: "ops.Without"}}
	if got, want := missingJVP(fake), []string{"ops.Without"}; !slices.Equal(got, want) {
		t.Errorf("missingJVP(one op without a rule) = %q, want %q", got, want)
	}
}

// TestJVPCheck checks every gradient-check case in forward mode with autograd.CheckJVP at orders
// 1 and 2: J v against central differences and forward against reverse (uᵀ(J v) = (Jᵀu)ᵀv) for
// f, the same for x ↦ Jᵀu (forward-over-reverse, which runs the forward rules of the backward
// primitives), and reverse-over-forward. TestPrimitivesComplete checks that the cases exercise
// every primitive.
func TestJVPCheck(t *testing.T) {
	for _, c := range allGradCases() {
		t.Run(c.name, func(t *testing.T) {
			tp := ag.NewTape()
			opts := append([]ag.CheckOption{ag.Order(2)}, c.opts...)
			if err := ag.CheckJVP(c.f, c.vars(tp), opts...); err != nil {
				t.Errorf("%s: CheckJVP(Order(2)) = %v, want nil", c.name, err)
			}
		})
	}
}
