package losses_test

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/losses"
	"github.com/gograd/gograd/ops"
)

// here returns "file:line" of its caller: the line an anomaly report must point to.
func here() string {
	_, file, line, _ := runtime.Caller(1)
	return fmt.Sprintf("%s:%d", file, line)
}

// TestAnomalyThroughLayersAndLosses checks that with layers and losses between the user's code
// and the op at fault, anomaly detection reports the first NaN or Inf with the op, the pass, the
// input shapes and the line of the user's code (this file), never a line in layers/ or losses/.
func TestAnomalyThroughLayersAndLosses(t *testing.T) {
	net := func() *layers.MLP {
		return layers.NewMLP([]int{3, 4, 1}, layers.ReLU{}, layers.LinearHead, layers.WithSeed(1))
	}
	cases := []struct {
		name string
		run  func(tp *ag.Tape) (err error, site string)
		want []string
	}{
		{"forward: overflow inside a Linear layer", func(tp *ag.Tape) (error, string) {
			x := tp.Const([]float64{1e308, 1e308, 1e308, 1, 2, 3}, 2, 3)
			m := net()
			site, err := here(), ag.Maybe(func() { m.Forward(x) })
			return err, site
		}, []string{"forward pass: ops.MatMul produced -Inf at element 2; its inputs have shapes (2,3), (3,4); created at SITE"}},
		{"forward: NaN from the user's op, found inside a loss", func(tp *ag.Tape) (error, string) {
			x := tp.Variable([]float64{1, -1, 2})
			y, site := ops.Log(x), here()
			err := ag.Maybe(func() { losses.MSE(y, tp.Const([]float64{0, 0, 0})) })
			return err, site
		}, []string{"forward pass: ops.Log produced NaN at element 1; its inputs have shapes (3); created at SITE"}},
		{"forward: Inf inside a loss, created by the loss", func(tp *ag.Tape) (error, string) {
			y := tp.Variable([]float64{1e200, 1})
			site, err := here(), ag.Maybe(func() { losses.SquaredError(y, tp.Const([]float64{0, 0})) })
			return err, site
		}, []string{"forward pass: ops.PowConst produced +Inf at element 0; its inputs have shapes (2); created at SITE"}},
		{"backward: Inf gradient below a loss and above a layer", func(tp *ag.Tape) (error, string) {
			x := tp.Const([]float64{1, 2, 3, -1, -2, -3}, 2, 3)
			m := layers.NewMLP([]int{3, 1}, nil, layers.LinearHead, layers.WithSeed(1))
			z := ops.ReLU(ops.Neg(ops.Square(m.Forward(x)))) // ≤ 0: ReLU gives exact zeros
			r, site := ops.Sqrt(z), here()
			l, err := losses.MSE(r, tp.Const([]float64{1, 1}, 2, 1))
			if err != nil {
				return err, site
			}
			return ag.Backward(l), site
		}, []string{"backward pass (rule of ops.PowConst, created at SITE): ops.PowConst produced +Inf at element 0; its inputs have shapes (2,1)"}},
		{"backward: NaN seed reaching a loss's ops", func(tp *ag.Tape) (error, string) {
			p := tp.Variable([]float64{0.5, 0.25})
			l, site := must(losses.BCE(p, tp.Const([]float64{1, 0}))), here()
			return ag.Backward(l, ag.Seed(tp.Scalar(math.NaN()))), site
		}, []string{"backward pass (rule of ops.Neg, created at SITE): input of ops.Neg (shape ()) holds NaN at element 0; it is a leaf: check the data"}},
	}
	for _, c := range cases {
		tp := ag.NewTape()
		tp.SetAnomalyDetection(true)
		err, site := c.run(tp)
		if !errors.Is(err, ag.ErrAnomaly) {
			t.Errorf("%s: err = %v, want ErrAnomaly", c.name, err)
			continue
		}
		msg := err.Error()
		for _, w := range c.want {
			if w = strings.ReplaceAll(w, "SITE", site); !strings.Contains(msg, w) {
				t.Errorf("%s: report lacks %q:\n%s", c.name, w, msg)
			}
		}
		checkSites(t, c.name, msg)
	}
}

// checkSites checks every file:line a report names is in this file: the user's code, not
// layers/, losses/ or ops/.
func checkSites(t *testing.T, name, msg string) {
	t.Helper()
	_, self, _, _ := runtime.Caller(0)
	for _, part := range strings.Split(msg, " at ")[1:] {
		if !strings.HasPrefix(part, "/") {
			continue // "at element k"
		}
		if file, _, _ := strings.Cut(part, ":"); file != self {
			t.Errorf("%s: report points to %s, not the user's file %s:\n%s", name, file, self, msg)
		}
	}
}

// TestAnomalyLeafReport checks a non-finite leaf (the user's data, or a parameter) is reported as
// such, with the op that consumes it.
func TestAnomalyLeafReport(t *testing.T) {
	tp := ag.NewTape()
	tp.SetAnomalyDetection(true)
	m := layers.NewLinear(2, 1)
	x := tp.Const([]float64{1, math.Inf(1)}, 1, 2)
	site, err := here(), ag.Maybe(func() { m.Forward(x) })
	want := "autograd: anomaly: forward pass: input of ops.MatMul (shape (1,2)) holds +Inf at element 1; it is a leaf: check the data; used at " + site
	if !errors.Is(err, ag.ErrAnomaly) || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}

// TestAnomalyOffFindsNothing checks the same NaN passes silently with detection off and that a
// tape can switch it on and off between steps.
func TestAnomalyOffFindsNothing(t *testing.T) {
	tp := ag.NewTape()
	x := tp.Variable([]float64{-1})
	l, err := losses.MSE(ops.Log(x), tp.Const([]float64{0}))
	if err != nil || !math.IsNaN(l.Item()) {
		t.Fatalf("MSE = %v, %v; want NaN and no error", l, err)
	}
	if err := ag.Backward(l); err != nil {
		t.Fatalf("Backward with detection off: %v", err)
	}
	tp.SetAnomalyDetection(true)
	tp.SetAnomalyDetection(false)
	tp.Reset()
	x = tp.Variable([]float64{-1})
	if err := ag.Maybe(func() { losses.MSE(ops.Log(x), tp.Const([]float64{0})) }); err != nil {
		t.Errorf("detection switched off again: %v", err)
	}
}
