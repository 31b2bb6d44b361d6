package ops

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
)

// noGradInputs lists, per primitive, the inputs no gradient flows through (their rule is nil).
// Every other input must have a rule.
var noGradInputs = map[string][]int{
	"ops.Sign":         {0},
	"ops.Step":         {0},
	"ops.Greater":      {0, 1},
	"ops.GreaterEqual": {0, 1},
	"ops.Less":         {0, 1},
	"ops.LessEqual":    {0, 1},
	"ops.Equal":        {0, 1},
	"ops.Where":        {0},
	"ops.MaxUnpool":    {1, 2},
	"ops.MaxRoute":     {1, 2},
	"ops.ReLUGrad":     {1},
	"ops.GELUGrad":     {2},
}

// usage records, per operation name, the numbers of inputs it was called with.
type usage map[string]map[int]bool

func (u usage) add(op string, arity int) {
	if u[op] == nil {
		u[op] = make(map[int]bool)
	}
	u[op][arity] = true
}

// record adds every node of the graphs behind roots to u.
func (u usage) record(roots ...ag.Var) {
	seen := make(map[ag.Var]bool)
	stack := append([]ag.Var(nil), roots...)
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if v.IsNil() || seen[v] {
			continue
		}
		seen[v] = true
		if op := v.Op(); op != "" {
			u.add(op, len(v.Inputs()))
		}
		stack = append(stack, v.Inputs()...)
	}
}

// caseUsage builds c's function and its recorded backward pass (CreateGraph), and returns the
// operations of both graphs: backward-only primitives such as SigmoidGrad count as exercised,
// since CheckGrad's order-2 check differentiates them.
func caseUsage(c gradCase) (usage, error) {
	u := make(usage)
	err := ag.Maybe(func() {
		tp := ag.NewTape()
		xs := c.vars(tp)
		y := c.f(xs...)
		u.record(y)
		if !y.RequiresGrad() {
			return
		}
		seed := tp.Full(y.DType(), 1, y.Shape()...)
		gs, err := ag.Grad([]ag.Var{y}, xs, ag.CreateGraph(), ag.Seed(seed), ag.AllowUnused())
		if err != nil {
			panic(err)
		}
		u.record(gs...)
	})
	return u, err
}

// tableProblems checks a table of primitives against the usage of the gradient-check cases: every
// primitive must have a case, have exactly one rule per input it is called with (unless
// variadic), have a rule for every input not in noGrad, and every ops.* operation met must be a
// listed primitive.
func tableProblems(prims []*ag.Op, used usage, noGrad map[string][]int) []string {
	var probs []string
	listed := make(map[string]bool)
	for _, p := range prims {
		if p == nil {
			probs = append(probs, "nil primitive in the table")
			continue
		}
		if listed[p.Name] {
			probs = append(probs, fmt.Sprintf("%s: listed twice", p.Name))
		}
		listed[p.Name] = true
		arities, ok := used[p.Name]
		if !ok {
			probs = append(probs, fmt.Sprintf("%s: no gradient-check case exercises it", p.Name))
		}
		if p.Variadic != nil {
			if len(p.Grads) != 0 {
				probs = append(probs, fmt.Sprintf("%s: both Variadic and %d Grads", p.Name, len(p.Grads)))
			}
			continue
		}
		for a := range arities {
			if len(p.Grads) != a {
				probs = append(probs, fmt.Sprintf("%s: %d rules, called with %d inputs", p.Name, len(p.Grads), a))
			}
		}
		for i, r := range p.Grads {
			if want := !slices.Contains(noGrad[p.Name], i); (r != nil) != want {
				probs = append(probs, fmt.Sprintf("%s: rule for input %d is nil = %v, want %v", p.Name, i, r == nil, !want))
			}
		}
	}
	for name := range used {
		if strings.HasPrefix(name, "ops.") && !listed[name] {
			probs = append(probs, fmt.Sprintf("%s: recorded on the tape but not in primitives", name))
		}
	}
	for name := range noGrad {
		if !listed[name] {
			probs = append(probs, fmt.Sprintf("%s: in noGradInputs but not in primitives", name))
		}
	}
	sort.Strings(probs)
	return probs
}

// TestPrimitivesComplete fails if a primitive of vjp.go has no gradient-check case, or has a
// number of rules different from the number of inputs it is called with, or lacks a rule.
func TestPrimitivesComplete(t *testing.T) {
	used := make(usage)
	for _, c := range allGradCases() {
		u, err := caseUsage(c)
		if err != nil {
			t.Fatalf("%s: building the graph: %v", c.name, err)
		}
		for op, as := range u {
			for a := range as {
				used.add(op, a)
			}
		}
	}
	if len(primitives) < 30 {
		t.Errorf("len(primitives) = %d, want every primitive of vjp.go (at least 30)", len(primitives))
	}
	for _, p := range tableProblems(primitives, used, noGradInputs) {
		t.Error(p)
	}
}

// TestTableProblems checks that tableProblems catches each defect it exists for.
func TestTableProblems(t *testing.T) {
	rule := func(g, y ag.Var) ag.Var { return g }
	variadic := func(g, y ag.Var, i int) ag.Var { return g }
	cases := []struct {
		name   string
		prims  []*ag.Op
		used   usage
		noGrad map[string][]int
		want   []string
	}{
		{
			name:  "complete",
			prims: []*ag.Op{{Name: "ops.A", Grads: []func(g, y ag.Var) ag.Var{rule, rule}}, {Name: "ops.V", Variadic: variadic}},
			used:  usage{"ops.A": {2: true}, "ops.V": {1: true, 3: true}, "accumulate": {2: true}},
		},
		{
			name:  "no case",
			prims: []*ag.Op{{Name: "ops.A", Grads: []func(g, y ag.Var) ag.Var{rule}}},
			used:  usage{},
			want:  []string{"ops.A: no gradient-check case exercises it"},
		},
		{
			name:  "missing rule",
			prims: []*ag.Op{{Name: "ops.A", Grads: []func(g, y ag.Var) ag.Var{rule}}},
			used:  usage{"ops.A": {2: true}},
			want:  []string{"ops.A: 1 rules, called with 2 inputs"},
		},
		{
			name:  "nil rule",
			prims: []*ag.Op{{Name: "ops.A", Grads: []func(g, y ag.Var) ag.Var{rule, nil}}},
			used:  usage{"ops.A": {2: true}},
			want:  []string{"ops.A: rule for input 1 is nil = true, want false"},
		},
		{
			name:   "rule where none is expected",
			prims:  []*ag.Op{{Name: "ops.Cmp", Grads: []func(g, y ag.Var) ag.Var{rule}}},
			used:   usage{"ops.Cmp": {1: true}},
			noGrad: map[string][]int{"ops.Cmp": {0}},
			want:   []string{"ops.Cmp: rule for input 0 is nil = false, want true"},
		},
		{
			name:  "unlisted primitive",
			prims: nil,
			used:  usage{"ops.New": {1: true}},
			want:  []string{"ops.New: recorded on the tape but not in primitives"},
		},
		{
			name:  "listed twice",
			prims: []*ag.Op{{Name: "ops.A", Grads: []func(g, y ag.Var) ag.Var{rule}}, {Name: "ops.A", Grads: []func(g, y ag.Var) ag.Var{rule}}},
			used:  usage{"ops.A": {1: true}},
			want:  []string{"ops.A: listed twice"},
		},
	}
	for _, c := range cases {
		got := tableProblems(c.prims, c.used, c.noGrad)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: tableProblems = %q, want %q", c.name, got, c.want)
		}
	}
}
