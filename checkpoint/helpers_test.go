package checkpoint

import (
	"strconv"
	"strings"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
)

// values returns copies of the values of m's parameters, by name.
func values(m layers.Model) map[string][]float64 {
	out := map[string][]float64{}
	for _, p := range m.NamedParams() {
		out[p.Name] = p.Var.Float64s()
	}
	return out
}

// names returns the names of m's parameters, in order.
func names(m layers.Model) []string {
	var out []string
	for _, p := range m.NamedParams() {
		out = append(out, p.Name)
	}
	return out
}

// sumSquares returns Σ x², a loss built without the losses package.
func sumSquares(x ag.Var) ag.Var { return ops.Sum(ops.Square(x)) }

// pyRepr formats x as Python's repr of a float does (shortest round-trip form).
func pyRepr(x float64) string {
	s := strconv.FormatFloat(x, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}
