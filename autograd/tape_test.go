package autograd_test

import (
	"errors"
	"math"
	"runtime"
	"strings"
	"sync"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

func TestMillionOpChainHasNoRecursion(t *testing.T) {
	if testing.Short() {
		t.Skip("long chain")
	}
	const n = 1_000_000
	tp := ag.NewTape()
	tp.SetGrowthWarning(0) // one legitimately large graph: its backward pass passes 2^20 nodes
	x := tp.ScalarVariable(1)
	y := x
	a, b := tp.Scalar(1.0000001), tp.Scalar(-1e-7)
	for i := 0; i < n/2; i++ {
		y = ops.Add(ops.Mul(y, a), b)
	}
	if err := ag.Backward(y); err != nil {
		t.Fatal(err)
	}
	// dy/dx = a^(n/2)
	want := math.Pow(1.0000001, n/2)
	if got := x.Grad().Item(); math.Abs(got-want) > 1e-9*want {
		t.Errorf("dy/dx = %v, want %v", got, want)
	}
}

func TestHeapGraphsWithoutATape(t *testing.T) {
	// micrograd's example: parameters only, no tape.
	a, b := ag.ScalarParam(-4), ag.ScalarParam(2)
	c := ops.Add(a, b)
	d := ops.Add(ops.Mul(a, b), ops.PowConst(b, 3))
	c = ops.Add(c, ops.AddScalar(c, 1))
	c = ops.Add(c, ops.Add(ops.AddScalar(c, 1), ops.Neg(a)))
	d = ops.Add(d, ops.Add(ops.MulScalar(d, 2), ops.ReLU(ops.Add(b, a))))
	d = ops.Add(d, ops.Add(ops.MulScalar(d, 3), ops.ReLU(ops.Sub(b, a))))
	e := ops.Sub(c, d)
	f := ops.PowConst(e, 2)
	g := ops.Add(ops.MulScalar(f, 0.5), ops.Div(ag.Scalar(10), f))
	if err := ag.Backward(g); err != nil {
		t.Fatal(err)
	}
	// values from micrograd's README: g = 24.7041, dg/da = 138.8338, dg/db = 645.5773
	for _, c := range []struct {
		name      string
		got, want float64
	}{{"g", g.Item(), 24.7041}, {"dg/da", a.Grad().Item(), 138.8338}, {"dg/db", b.Grad().Item(), 645.5773}} {
		if math.Abs(c.got-c.want) > 1e-4 { // the README prints four decimals
			t.Errorf("%s = %.6f, want %.4f", c.name, c.got, c.want)
		}
	}
}

func TestHeapTermInsideATapedStep(t *testing.T) {
	// A weight penalty computed from parameters alone lives on the heap; the data term lives on
	// the tape; their sum goes on the tape, and both gradients arrive.
	w := ag.NewParam([]float64{1, -2}, 2)
	tp := ag.NewTape()
	penalty := ops.Sum(ops.Square(w)) // heap
	data := ops.Sum(ops.Mul(w, tp.Const([]float64{3, 5})))
	if err := ag.Backward(ops.Add(data, penalty)); err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{3 + 2*1, 5 + 2*-2} {
		if got := w.Grad().At(i); got != want {
			t.Errorf("grad[%d] = %v, want %v", i, got, want)
		}
	}
}

func TestResetReusesMemory(t *testing.T) {
	w := ag.NewParam(make([]float64, 32*16), 32, 16)
	x := make([]float64, 8*32)
	tp := ag.NewTape()
	step := func() {
		tp.Reset()
		h := ops.Tanh(ops.MatMul(tp.Const(x, 8, 32), w))
		if err := ag.Backward(ops.Mean(ops.Square(h))); err != nil {
			t.Fatal(err)
		}
	}
	step()
	step()
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	if allocs := testing.AllocsPerRun(50, step); allocs > 0 {
		t.Errorf("a steady training step allocates %v times, want 0", allocs)
	}
}

func TestMemoryIsFlatOverManySteps(t *testing.T) {
	w := ag.NewParam([]float64{0.5, -0.5, 0.25, 0.1}, 2, 2)
	tp := ag.NewTape()
	step := func() {
		tp.Reset()
		x := tp.Const([]float64{1, 2, 3, 4}, 2, 2)
		loss := ops.Mean(ops.Sigmoid(ops.MatMul(x, w)))
		if err := ag.Backward(loss); err != nil {
			t.Fatal(err)
		}
		ag.ZeroGrad(w)
	}
	var before, after runtime.MemStats
	for i := 0; i < 100; i++ {
		step()
	}
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := 0; i < 10_000; i++ {
		step()
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	// A leak of even one 8-byte value per step would add 80 kB; allow GC noise well below that.
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 32<<10 {
		t.Errorf("heap grew by %d bytes over 10,000 steps", grew)
	}
}

func TestStaleAndNilVars(t *testing.T) {
	tp := ag.NewTape()
	old := tp.Const([]float64{1, 2})
	tp.Reset()
	fresh := tp.Const([]float64{3, 4})
	for _, c := range []struct {
		name string
		fn   func()
		kind error
		msg  string
	}{
		{"stale operand", func() { ops.Add(old, fresh) }, ag.ErrReleased,
			"ops.Add: Var was released by Tape.Reset; recompute it in the current step"},
		{"nil operand", func() { ops.Mul(ag.Var{}, fresh) }, ag.ErrNilVar,
			"ops.Mul: nil Var (the zero Var is not a value; create one with NewParam or Tape.Const)"},
		{"two tapes", func() { ops.Add(fresh, ag.NewTape().Const([]float64{1, 2})) }, ag.ErrTapes,
			"ops.Add: operands are recorded on different tapes; compute them on one tape"},
	} {
		err := ag.Maybe(c.fn)
		if !errors.Is(err, c.kind) || err.Error() != c.msg {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.msg)
		}
	}
}

func TestTraceShowsUpstreamTimesLocal(t *testing.T) {
	tp := ag.NewTape()
	x, w := tp.ScalarVariable(2), tp.ScalarVariable(3)
	y := ops.Sigmoid(ops.Mul(x, w))
	var tr ag.Trace
	if err := ag.Backward(y, ag.WithTrace(&tr)); err != nil {
		t.Fatal(err)
	}
	if len(tr.Steps) != 3 {
		t.Fatalf("trace has %d steps, want 3 (sigmoid, mul×2):\n%s", len(tr.Steps), tr.String())
	}
	s := 1 / (1 + math.Exp(-6))
	for i, step := range tr.Steps {
		if step.Local == nil {
			t.Fatalf("step %d has no local gradient", i)
		}
		if got, want := step.Product[0], step.Upstream[0]*step.Local[0]; math.Abs(got-want) > 1e-15 {
			t.Errorf("step %d (%s): product %v, upstream×local %v", i, step.Op, got, want)
		}
	}
	if got, want := tr.Steps[0].Local[0], s*(1-s); math.Abs(got-want) > 1e-15 {
		t.Errorf("sigmoid local gradient = %v, want σ(1-σ) = %v", got, want)
	}
	if !strings.Contains(tr.String(), "ops.Sigmoid") {
		t.Errorf("trace table lacks the op name:\n%s", tr.String())
	}
}

func TestWriteDOT(t *testing.T) {
	tp := ag.NewTape()
	w := ag.NewParam([]float64{1, 2}, 2)
	y := ops.Sum(ops.Mul(w, tp.Const([]float64{3, 4})))
	var b strings.Builder
	if err := ag.WriteDOT(&b, y); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"digraph autograd", "ops.Mul", "ops.SumTo", "param", "const", "->"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("DOT output lacks %q:\n%s", want, b.String())
		}
	}
}

func TestAnomalyDetection(t *testing.T) {
	tp := ag.NewTape()
	tp.SetAnomalyDetection(true)
	x := tp.Variable([]float64{1, -1})
	y := ops.Log(x) // log(-1) = NaN: found when the next op consumes it
	err := ag.Maybe(func() { ops.Sum(y) })
	if !errors.Is(err, ag.ErrAnomaly) {
		t.Fatalf("forward NaN: err = %v, want ErrAnomaly", err)
	}
	for _, want := range []string{"forward pass", "ops.Log", "NaN", "(2)", "tape_test.go:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("anomaly report %q lacks %q", err, want)
		}
	}

	tp.Reset()
	z := tp.Variable([]float64{0, 1})
	loss := ops.Sum(ops.Sqrt(z)) // forward is finite; d√z/dz at 0 is +Inf
	err = ag.Backward(loss)
	if !errors.Is(err, ag.ErrAnomaly) || !strings.Contains(err.Error(), "backward pass") || !strings.Contains(err.Error(), "ops.PowConst") {
		t.Errorf("backward Inf: err = %v, want an ErrAnomaly naming the backward pass and ops.PowConst", err)
	}
}

// TestAnomalyDetectionReported checks that Tape.AnomalyDetection follows SetAnomalyDetection,
// and is false on a nil *Tape.
func TestAnomalyDetectionReported(t *testing.T) {
	tp := ag.NewTape()
	for i, set := range []bool{false, true, true, false} {
		if i > 0 {
			tp.SetAnomalyDetection(set)
		}
		if got := tp.AnomalyDetection(); got != set {
			t.Errorf("step %d: AnomalyDetection() = %v after SetAnomalyDetection(%v), want %v", i, got, set, set)
		}
	}
	var nilTape *ag.Tape
	if nilTape.AnomalyDetection() {
		t.Errorf("nil *Tape: AnomalyDetection() = true, want false")
	}
}

func TestIndependentTapesInParallel(t *testing.T) {
	w := ag.NewParam([]float64{0.3, -0.7, 0.2, 0.9}, 2, 2)
	want := make([][]float64, 4)
	worker := func(i int) []float64 {
		tp := ag.NewTape()
		x := tp.Const([]float64{float64(i), 1, 2, float64(-i)}, 2, 2)
		loss := ops.Sum(ops.Tanh(ops.MatMul(x, w)))
		g, err := ag.Grad([]ag.Var{loss}, []ag.Var{w})
		if err != nil {
			t.Error(err)
			return nil
		}
		return g[0].Float64s()
	}
	for i := range want {
		want[i] = worker(i)
	}
	var wg sync.WaitGroup
	got := make([][]float64, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rep := 0; rep < 200; rep++ {
				got[i] = worker(i)
			}
		}()
	}
	wg.Wait()
	for i := range got {
		for j := range got[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("worker %d grad[%d] = %v, want %v", i, j, got[i][j], want[i][j])
			}
		}
	}
}

func TestWrapSharesTheCallersData(t *testing.T) {
	data := []float64{1, 2, 3, 4, 5, 6}
	tp := ag.NewTape()
	x := tp.Wrap(data, 2, 3)
	data[4] = 50
	if got := x.At(4); got != 50 {
		t.Errorf("Wrap copied the data: element 4 = %v, want 50", got)
	}
	if x.RequiresGrad() {
		t.Errorf("a wrapped constant requires a gradient")
	}
	err := ag.Maybe(func() { tp.Wrap(data, 4, 2) })
	const want = "autograd.Tape.Wrap: 6 values do not fill shape (4,2) (8 elements)"
	if !errors.Is(err, ag.ErrShape) || err.Error() != want {
		t.Errorf("Wrap with a wrong shape: err = %v, want %q", err, want)
	}
}

func TestNoGradRecordsNothing(t *testing.T) {
	w := ag.NewParam([]float64{1, 2}, 2)
	tp := ag.NewTape()
	var y ag.Var
	tp.NoGrad(func() {
		y = ops.Sum(ops.Mul(w, tp.Const([]float64{3, 4})))
	})
	if y.RequiresGrad() {
		t.Fatalf("a result computed under NoGrad requires a gradient")
	}
	if got, want := y.Item(), 11.0; got != want {
		t.Errorf("value under NoGrad = %v, want %v", got, want)
	}
	if err := ag.Backward(y); err == nil {
		t.Errorf("Backward of a NoGrad result succeeded; want an error saying it does not require a gradient")
	}
	if !tp.Recording() {
		t.Errorf("tape still not recording after NoGrad returned")
	}
}

func TestZeroValueTapeDetectsStaleVars(t *testing.T) {
	var tp ag.Tape // not from NewTape
	tp.Const([]float64{1, 2, 3}, 3)
	old := tp.Const([]float64{4, 5, 6}, 3) // a node the next step does not reuse
	tp.Reset()
	tp.Const([]float64{10, 11, 12, 13, 14, 15}, 6) // reuses the first node and old's buffer
	err := ag.Maybe(func() { old.Data64() })
	if !errors.Is(err, ag.ErrReleased) {
		t.Errorf("reading a Var of a zero Tape after Reset: error %v, want ErrReleased", err)
	}
}
