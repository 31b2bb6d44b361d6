package autograd

import (
	"fmt"
	"math"
	"runtime"
	"strings"
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
		// node would double the cost of anomaly detection). A user-defined Op's rule is the
		// user's code, so its nodes still record their own stack.
		a.nsite = copy(a.sitePCs[:], t.passSite[:t.nPass])
	} else {
		a.nsite = runtime.Callers(3, a.sitePCs[:]) // resolved into file:line only when reported
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

// libraryPrefix marks frames of this module's engine packages, which anomaly reports skip to
// name the user's code.
const libraryPrefix = "github.com/gograd/gograd/"

var enginePackages = []string{"autograd.", "ops.", "layers.", "losses."}

// siteOf returns "file:line" of the first caller outside the engine packages in the stack that
// created n, or "unknown".
func siteOf(n *node) string {
	a := n.attrs()
	if a.nsite == 0 {
		return "unknown"
	}
	frames := runtime.CallersFrames(a.sitePCs[:a.nsite])
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

// isEngineOp reports whether op is one of the engine's primitives (package ops names them
// "ops.X") or its gradient accumulation.
func isEngineOp(op *Op) bool { return op == accumOp || strings.HasPrefix(op.Name, "ops.") }

func isEngineFrame(fn string) bool {
	rest, ok := strings.CutPrefix(fn, libraryPrefix)
	if !ok {
		return false
	}
	for _, p := range enginePackages {
		if strings.HasPrefix(rest, p) {
			return true
		}
	}
	return false
}
