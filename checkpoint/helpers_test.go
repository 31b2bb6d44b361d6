package checkpoint

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
	"github.com/gograd/gograd/optim"
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

// savedBytes saves m to dir/name and returns the path and the file's bytes, with a function
// that writes bytes to another file of dir and returns its path: a good checkpoint to spoil.
func savedBytes(t *testing.T, dir, name string, m layers.Model, opt ...optim.Stateful) (path string, raw []byte, write func(name string, b []byte) string) {
	t.Helper()
	path = filepath.Join(dir, name)
	if err := Save(path, m, opt...); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	write = func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	return path, raw, write
}
