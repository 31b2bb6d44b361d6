package layers

import (
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// values returns copies of the values of m's parameters, by name.
func values(m Module) map[string][]float64 {
	out := map[string][]float64{}
	for _, p := range m.NamedParams() {
		out[p.Name] = p.Var.Float64s()
	}
	return out
}

// names returns the names of m's parameters, in order.
func names(m Module) []string {
	var out []string
	for _, p := range m.NamedParams() {
		out = append(out, p.Name)
	}
	return out
}

// panicMsg returns the message of the *autograd.Error fn panics with, or "" if it does not.
func panicMsg(t *testing.T, fn func()) string {
	t.Helper()
	err := ag.Maybe(fn)
	if err == nil {
		return ""
	}
	return err.Error()
}

// sumSquares returns Σ x² with the activation layers' operations.
func sumSquares(x ag.Var) ag.Var { return ops.Sum(ops.Square(x)) }
