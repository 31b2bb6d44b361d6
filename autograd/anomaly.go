package autograd

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"strings"
	"sync"
)

// Anomaly detection, like torch.autograd.detect_anomaly: with Tape.SetAnomalyDetection(true),
// every node records the file and line of the user code that created it (for a node that a rule
// of the engine's ops makes, the Backward or Grad call), every operation checks its inputs for NaN
// and Inf (so the first non-finite value is reported at the operation that produced it), and the
// backward pass checks every gradient a rule returns. A finding panics with an *Error wrapping
// ErrAnomaly, which Backward and Grad return as an error. When off, the cost is one branch per
// operation.

// checkInputs reports the first operand of n holding a NaN or Inf, and records n's creation site.
func (t *Tape) checkInputs(n *node) {
	a := n.mutAttrs()
	if t.rule != nil && isEngineOp(t.rule.op) {
		// Made by a rule of the engine's table: the first frame outside the engine is the
		// Backward or Grad call, whose stack the pass recorded once (unwinding the stack per
		// node made detection on the XOR step 4 times as slow, BenchmarkAnomaly). A
		// user-defined Op's rule is the user's code, so its nodes record their own stack.
		a.site = append(a.site[:0], t.passSite...)
	} else {
		a.site = callers(4, a.site) // resolved into file:line only when reported
	}
	for _, in := range n.inputs {
		k, x := firstNonFinite(in.n)
		if k < 0 {
			continue
		}
		phase := "forward pass"
		if t.rule != nil {
			phase = "backward pass (rule of " + t.rule.op.Name + ", created at " + siteOf(t.rule) + ")"
		}
		if in.n.op == nil {
			Panicf("autograd: anomaly", ErrAnomaly, "%s: input of %s (shape %s) holds %v at element %d; it is a leaf: check the data; used at %s",
				phase, n.op.Name, FormatShape(in.n.shape), x, k, siteOf(n))
		}
		Panicf("autograd: anomaly", ErrAnomaly, "%s: %s produced %v at element %d; its inputs have shapes %s; created at %s",
			phase, in.n.op.Name, x, k, inputShapes(in.n), siteOf(in.n))
	}
}

// checkOutput reports a NaN or Inf in the value of n (used on the outputs of a backward pass,
// which no later operation consumes).
func checkOutput(n *node) {
	if k, x := firstNonFinite(n); k >= 0 && n.op != nil {
		Panicf("autograd: anomaly", ErrAnomaly, "forward pass: %s produced %v at element %d; its inputs have shapes %s; created at %s",
			n.op.Name, x, k, inputShapes(n), siteOf(n))
	}
}

// checkGrad reports a NaN or Inf in the gradient that n's rule returned for input i.
func checkGrad(n *node, i int, g Var) {
	if k, x := firstNonFinite(g.n); k >= 0 {
		Panicf("autograd: anomaly", ErrAnomaly, "backward pass: the rule of %s for input %d produced %v at element %d; the op's inputs have shapes %s; created at %s",
			n.op.Name, i, x, k, inputShapes(n), siteOf(n))
	}
}

func firstNonFinite(n *node) (int, float64) {
	for i, x := range n.f64 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return i, x
		}
	}
	for i, x := range n.f32 {
		if f := float64(x); math.IsNaN(f) || math.IsInf(f, 0) {
			return i, f
		}
	}
	return -1, 0
}

func inputShapes(n *node) string {
	parts := make([]string, len(n.inputs))
	for i, in := range n.inputs {
		parts[i] = FormatShape(in.n.shape)
	}
	return strings.Join(parts, ", ")
}

// maxSite is the number of frames a creation site keeps.
const maxSite = 24

// callers returns the program counters of the calling goroutine's stack, skipping skip frames
// as runtime.Callers does (counting callers itself), in buf's storage when it has room.
func callers(skip int, buf []uintptr) []uintptr {
	if cap(buf) < maxSite {
		buf = make([]uintptr, maxSite)
	}
	return buf[:runtime.Callers(skip, buf[:maxSite])]
}

// enginePackages holds the import paths of the packages that called MarkEngine, and autograd's.
var enginePackages sync.Map

func init() { MarkEngine() }

// MarkEngine marks the calling package as part of the engine, for anomaly reports (see
// Tape.SetAnomalyDetection): they name the first frame outside the engine as the place that
// created a value, and the nodes made by the derivative rules of an engine package's ops are
// reported at the Backward or Grad call instead of inside the rule. Packages of operations and
// layers call it from an init function; a package of user-defined operations may too.
func MarkEngine() {
	pc, _, _, ok := runtime.Caller(1)
	if f := runtime.FuncForPC(pc); ok && f != nil {
		enginePackages.Store(funcPackage(f.Name()), true)
	}
}

// funcPackage returns the import path of the package of a function named as runtime.Func.Name
// names it ("example.com/a/b.F", "example.com/a/b.(*T).M", "example.com/a/b.init.func1").
func funcPackage(name string) string {
	if i := strings.IndexByte(name, '['); i >= 0 { // type arguments may hold paths of their own
		name = name[:i]
	}
	slash := strings.LastIndexByte(name, '/') + 1
	if dot := strings.IndexByte(name[slash:], '.'); dot >= 0 {
		return name[:slash+dot]
	}
	return name
}

func isEngineFrame(fn string) bool {
	_, ok := enginePackages.Load(funcPackage(fn))
	return ok
}

// engineOps memoises isEngineOp.
var engineOps sync.Map // *Op → bool

// isEngineOp reports whether op was defined by an engine package (autograd's own gradient
// accumulation included): whether the package of its first derivative rule called MarkEngine.
func isEngineOp(op *Op) bool {
	if v, ok := engineOps.Load(op); ok {
		return v.(bool)
	}
	rule := reflect.ValueOf(op.Variadic).Pointer() // 0 for a nil rule
	for _, r := range op.Grads {
		if rule == 0 {
			rule = reflect.ValueOf(r).Pointer()
		}
	}
	engine := isEngineFrame(runtime.FuncForPC(rule).Name()) // a nil *Func (no rule) is named ""
	engineOps.Store(op, engine)
	return engine
}

// siteOf returns "file:line" of the first caller outside the engine packages in the stack that
// created n, or "unknown".
func siteOf(n *node) string {
	site := n.attrs().site
	if len(site) == 0 {
		return "unknown"
	}
	frames := runtime.CallersFrames(site)
	for {
		f, more := frames.Next()
		if !isEngineFrame(f.Function) {
			return fmt.Sprintf("%s:%d", f.File, f.Line)
		}
		if !more {
			return "unknown"
		}
	}
}
