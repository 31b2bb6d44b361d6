package bench

import (
	"math"
	"testing"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

const chainLen = 1000

// BenchmarkScalarChain: x ← x·a, x ← x + b alternating, 1000 nodes, forward plus backward, with
// a and b leaves that need gradients; the tape is reset every step, as in a training loop.
func BenchmarkScalarChain(b *testing.B) {
	tp := ag.NewTape()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		tp.Reset()
		a, c := tp.ScalarVariable(0.999), tp.ScalarVariable(0.001)
		x := tp.ScalarVariable(1)
		for j := 0; j < chainLen/2; j++ {
			x = ops.Add(ops.Mul(x, a), c)
		}
		if err := ag.Backward(x); err != nil {
			b.Fatal(err)
		}
	}
	perUnit(b, chainLen, "ns/node")
}

// value is a micrograd-style scalar in plain Go: a value, a gradient and a closure that pushes
// the gradient to its operands.
type value struct {
	data, grad float64
	backward   func()
}

// BenchmarkScalarChainClosures is the same chain written as plain Go closures, the baseline the
// engine's scalar path is compared with: every op allocates its node and closure, and backward
// runs the closures in reverse.
func BenchmarkScalarChainClosures(b *testing.B) {
	b.ReportAllocs()
	tape := make([]*value, 0, chainLen+3)
	for i := 0; i < b.N; i++ {
		tape = tape[:0]
		a, c := &value{data: 0.999}, &value{data: 0.001}
		x := &value{data: 1}
		for j := 0; j < chainLen/2; j++ {
			m := &value{data: x.data * a.data}
			xx := x
			m.backward = func() { xx.grad += a.data * m.grad; a.grad += xx.data * m.grad }
			s := &value{data: m.data + c.data}
			s.backward = func() { m.grad += s.grad; c.grad += s.grad }
			tape = append(tape, m, s)
			x = s
		}
		x.grad = 1
		for k := len(tape) - 1; k >= 0; k-- {
			tape[k].backward()
		}
	}
	perUnit(b, chainLen, "ns/node")
}

// tanhSteps is the number of neurons of the tanh chains: three nodes each.
const tanhSteps = chainLen / 3

// BenchmarkScalarTanhChain: x ← tanh(x·a + c), 333 times (999 nodes), forward plus backward, a
// micrograd neuron's operations, with a and c leaves that need gradients; ns per node.
func BenchmarkScalarTanhChain(b *testing.B) {
	tp := ag.NewTape()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		tp.Reset()
		a, c := tp.ScalarVariable(0.9), tp.ScalarVariable(0.1)
		x := tp.ScalarVariable(0.5)
		for j := 0; j < tanhSteps; j++ {
			x = ops.Tanh(ops.Add(ops.Mul(x, a), c))
		}
		if err := ag.Backward(x); err != nil {
			b.Fatal(err)
		}
	}
	perUnit(b, 3*tanhSteps, "ns/node")
}

// BenchmarkScalarTanhChainClosures is BenchmarkScalarTanhChain written as plain Go closures.
func BenchmarkScalarTanhChainClosures(b *testing.B) {
	b.ReportAllocs()
	tape := make([]*value, 0, 3*tanhSteps)
	for i := 0; i < b.N; i++ {
		tape = tape[:0]
		a, c := &value{data: 0.9}, &value{data: 0.1}
		x := &value{data: 0.5}
		for j := 0; j < tanhSteps; j++ {
			m := &value{data: x.data * a.data}
			xx := x
			m.backward = func() { xx.grad += a.data * m.grad; a.grad += xx.data * m.grad }
			s := &value{data: m.data + c.data}
			s.backward = func() { m.grad += s.grad; c.grad += s.grad }
			h := &value{data: math.Tanh(s.data)}
			h.backward = func() { s.grad += (1 - h.data*h.data) * h.grad }
			tape = append(tape, m, s, h)
			x = h
		}
		x.grad = 1
		for k := len(tape) - 1; k >= 0; k-- {
			tape[k].backward()
		}
	}
	perUnit(b, 3*tanhSteps, "ns/node")
}
