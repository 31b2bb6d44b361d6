package main

import (
	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/ops"
)

// The Lotka–Volterra model of prey x and predators y: ẋ = αx − βxy, ẏ = δxy − γy, with the
// rates θ = (α, β, δ, γ) as one parameter vector.
var paramNames = []string{"α", "β", "δ", "γ"}

// lotkaVolterra returns the time derivative of the state s = (x, y) under the rates theta.
func lotkaVolterra(s, theta ag.Var) ag.Var {
	x, y := ops.Slice(s, 0, 0, 1), ops.Slice(s, 0, 1, 2)
	rate := func(i int) ag.Var { return ops.Slice(theta, 0, i, i+1) }
	xy := ops.Mul(x, y)
	dx := ops.Sub(ops.Mul(rate(0), x), ops.Mul(rate(1), xy))
	dy := ops.Sub(ops.Mul(rate(2), xy), ops.Mul(rate(3), y))
	return ops.Concat(0, dx, dy)
}

// rk4 integrates ds/dt = f(s, theta) from s0 over steps steps of length h by the classical
// fourth-order Runge–Kutta method, written with ops so that the whole solution can be
// differentiated, and returns the states at the steps' ends, s0 first, as a (steps+1)×d matrix
// for a state of d elements.
func rk4(f func(s, theta ag.Var) ag.Var, s0, theta ag.Var, h float64, steps int) ag.Var {
	states := make([]ag.Var, 0, steps+1)
	states = append(states, s0)
	s := s0
	for range steps {
		k1 := f(s, theta)
		k2 := f(ops.Add(s, ops.MulScalar(k1, h/2)), theta)
		k3 := f(ops.Add(s, ops.MulScalar(k2, h/2)), theta)
		k4 := f(ops.Add(s, ops.MulScalar(k3, h)), theta)
		slope := ops.Add(ops.Add(k1, k4), ops.MulScalar(ops.Add(k2, k3), 2))
		s = ops.Add(s, ops.MulScalar(slope, h/6))
		states = append(states, s)
	}
	return ops.Reshape(ops.Concat(0, states...), steps+1, s0.Len())
}
