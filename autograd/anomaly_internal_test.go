package autograd

import (
	"runtime"
	"testing"
)

// TestFuncPackage checks the import path found for function names as runtime.Func.Name gives
// them, which anomaly reports compare with the packages that called MarkEngine.
func TestFuncPackage(t *testing.T) {
	for _, c := range []struct{ name, want string }{
		{"github.com/gograd/gograd/ops.Mul", "github.com/gograd/gograd/ops"},
		{"github.com/gograd/gograd/ops.init.func12", "github.com/gograd/gograd/ops"},
		{"github.com/gograd/gograd/layers.(*Linear).Forward", "github.com/gograd/gograd/layers"},
		{"github.com/gograd/gograd/layers.Sequential.Forward.func1", "github.com/gograd/gograd/layers"},
		{"example.com/my.ops/v2.Cube", "example.com/my.ops/v2"},
		{"gopkg.in/yaml%2ev3.Marshal", "gopkg.in/yaml%2ev3"}, // the runtime escapes dots of the last element
		{"github.com/gograd/gograd/ops.rule[go.shape.float64]", "github.com/gograd/gograd/ops"},
		{"github.com/gograd/gograd/ops.rule[example.com/x/y.T]", "github.com/gograd/gograd/ops"},
		{"main.main", "main"},
		{"main.(*model).step", "main"},
	} {
		if got := funcPackage(c.name); got != c.want {
			t.Errorf("funcPackage(%q) = %q, want %q", c.name, got, c.want)
		}
	}
	pc, _, _, _ := runtime.Caller(0)
	if self := runtime.FuncForPC(pc).Name(); !isEngineFrame(self) {
		t.Errorf("isEngineFrame(%q) = false; autograd marks itself", self)
	}
	if isEngineFrame("main.main") {
		t.Errorf("isEngineFrame(main.main) = true; want false")
	}
}

// TestCreationSiteOnlyUnderAnomalyDetection checks that a node's call stack is recorded, and
// its storage allocated, only while anomaly detection is on.
func TestCreationSiteOnlyUnderAnomalyDetection(t *testing.T) {
	op := &Op{Name: "test.Op", Grads: []func(g, y Var) Var{func(g, y Var) Var { return g }}}
	tp := NewTape()
	x := tp.Variable([]float64{1, 2}, 2)
	y := NewResult(op, Float64, []int{2}, x)
	y.SetInts(1)
	if site := y.n.attr.site; site != nil {
		t.Errorf("detection off: the node recorded %d frames, want none (and no storage)", len(site))
	}
	tp.SetAnomalyDetection(true)
	z := NewResult(op, Float64, []int{2}, x)
	if a := z.n.attr; a == nil || len(a.site) == 0 {
		t.Errorf("detection on: the node recorded no call stack")
	}
}
