package autograd

import (
	"fmt"
	"strings"
)

// Var is a handle to a value on a tape, or to a parameter. The zero Var is nil and invalid as an
// operand. Vars are small and passed by value.
type Var struct {
	n   *node
	gen uint64
}

// IsNil reports whether v is the zero Var.
func (v Var) IsNil() bool { return v.n == nil }

// live reports whether v is non-nil and its node has not been released. A handle takes its
// node's generation; Tape.Reset sets the generation of every node it releases to 0, which no
// handle of a tape node has (tape generations start at 1), and a reused node takes the tape's
// new generation.
func (v Var) live() bool {
	n := v.n
	return n != nil && v.gen == n.gen
}

// The messages of the two ways a Var can be unusable.
const (
	nilVarMsg   = "nil Var (the zero Var is not a value; create one with NewParam or Tape.Const)"
	releasedMsg = "Var was released by Tape.Reset; recompute it in the current step"
)

// check panics with an *Error naming op if v is nil or stale. It panics with literals rather than
// calling a reporting function, which keeps it cheap enough to inline, and the one-line accessors
// built on it (Operand, Shape, Check, ...) with it: every operation checks its operands.
func (v Var) check(op string) *node {
	n := v.n
	if n == nil {
		panic(&Error{Op: op, Kind: ErrNilVar, Msg: nilVarMsg})
	}
	if v.gen != n.gen {
		panic(&Error{Op: op, Kind: ErrReleased, Msg: releasedMsg})
	}
	return n
}

// Check panics with an *Error naming op if v is nil or stale, and returns v. Packages defining
// operations call it on every operand.
func (v Var) Check(op string) Var {
	v.check(op)
	return v
}

// Shape returns the shape of v; rank 0 for a scalar. The slice must not be modified.
// Shape panics if v is nil or stale, as do all accessors.
func (v Var) Shape() []int { return v.check("autograd.Var.Shape").shape }

// Rank returns the number of dimensions of v.
func (v Var) Rank() int { return len(v.check("autograd.Var.Rank").shape) }

// Len returns the number of elements of v.
func (v Var) Len() int { return v.check("autograd.Var.Len").numel() }

// DType returns v's element type.
func (v Var) DType() DType { return v.check("autograd.Var.DType").dtype }

// RequiresGrad reports whether gradients flow to v.
func (v Var) RequiresGrad() bool { return v.check("autograd.Var.RequiresGrad").requiresGrad }

// IsParam reports whether v is a parameter (a long-lived leaf).
func (v Var) IsParam() bool { return v.check("autograd.Var.IsParam").param }

// Tape returns the tape v is recorded on, or nil for a parameter.
func (v Var) Tape() *Tape { return v.check("autograd.Var.Tape").tape }

// Data64 returns the backing slice of a float64 Var. Writing to it changes the value; the slice is
// recycled by Tape.Reset unless v is a parameter. Data64 panics if v is not float64.
func (v Var) Data64() []float64 {
	n := v.check("autograd.Var.Data64")
	if n.dtype != Float64 { // the other dtype is float32: a literal keeps Data64 inlinable
		panic(&Error{Op: "autograd.Var.Data64", Kind: ErrDType, Msg: "Var is float32; use Data32"})
	}
	return n.f64
}

// Data32 returns the backing slice of a float32 Var; see Data64. Data32 panics if v is not
// float32.
func (v Var) Data32() []float32 {
	n := v.check("autograd.Var.Data32")
	if n.dtype != Float32 {
		panic(&Error{Op: "autograd.Var.Data32", Kind: ErrDType, Msg: "Var is float64; use Data64"})
	}
	return n.f32
}

// Float64s returns a copy of v's values converted to float64.
func (v Var) Float64s() []float64 {
	n := v.check("autograd.Var.Float64s")
	out := make([]float64, n.numel())
	if n.dtype == Float32 {
		for i, x := range n.f32 {
			out[i] = float64(x)
		}
	} else {
		copy(out, n.f64)
	}
	return out
}

// At returns element i of v in row-major order, as a float64. At panics if i is out of range.
func (v Var) At(i int) float64 {
	n := v.check("autograd.Var.At")
	if i < 0 || i >= n.numel() {
		Panicf("autograd.Var.At", ErrValue, "index %d out of range for shape %s", i, FormatShape(n.shape))
	}
	if n.dtype == Float32 {
		return float64(n.f32[i])
	}
	return n.f64[i]
}

// Item returns the value of a one-element Var. Item panics if v has more than one element.
func (v Var) Item() float64 {
	n := v.check("autograd.Var.Item")
	if n.numel() != 1 {
		Panicf("autograd.Var.Item", ErrShape, "Var of shape %s has %d elements, want 1", FormatShape(n.shape), n.numel())
	}
	return v.At(0)
}

// Op returns the name of the operation that produced v, or "" for a leaf.
func (v Var) Op() string {
	n := v.check("autograd.Var.Op")
	if n.op == nil {
		return ""
	}
	return n.op.Name
}

// Inputs returns the operands of the operation that produced v (nil for a leaf or an
// unrecorded result). The slice must not be modified.
func (v Var) Inputs() []Var { return v.check("autograd.Var.Inputs").inputs }

// Ints returns the integer attributes the producing operation stored (axes, shapes, ...).
func (v Var) Ints() []int { return v.check("autograd.Var.Ints").attrs().ints }

// FloatAttr returns the float attribute the producing operation stored (an exponent, a slope,
// ...), or 0 if it stored none. It is not v's value: use Item or At for that.
func (v Var) FloatAttr() float64 { return v.check("autograd.Var.FloatAttr").attrs().float }

// Aux returns the auxiliary attribute the producing operation stored.
func (v Var) Aux() any { return v.check("autograd.Var.Aux").attrs().aux }

// String formats v's shape, dtype and up to 8 values.
func (v Var) String() string {
	if v.n == nil {
		return "Var(nil)"
	}
	if !v.live() {
		return "Var(released)"
	}
	n := v.n
	var b strings.Builder
	fmt.Fprintf(&b, "Var%s %v [", FormatShape(n.shape), n.dtype)
	m := n.numel()
	for i := 0; i < m && i < 8; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%.6g", v.At(i))
	}
	if m > 8 {
		b.WriteString(" ...")
	}
	b.WriteByte(']')
	return b.String()
}

func (n *node) opName() string {
	if n.op == nil {
		return "leaf"
	}
	return n.op.Name
}

// FormatShape formats a shape as "(2,3)", or "()" for a scalar.
func FormatShape(shape []int) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, d := range shape {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprint(&b, d)
	}
	b.WriteByte(')')
	return b.String()
}
