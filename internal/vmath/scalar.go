package vmath

// The scalar forms of the kernels, for one value: each returns what the kernel computes for an
// element, bit for bit, as the scalar fast path of package ops needs (a scalar graph's node
// must hold the value its one-element tensor would).

// ScalarExp64 returns e^x as Exp64 computes it.
func ScalarExp64(x float64) float64 { return exp64(x) }

// ScalarSigmoid64 returns 1/(1+e^−x) as Sigmoid64 computes it.
func ScalarSigmoid64(x float64) float64 { return sigmoid64(x) }

// ScalarSigmoidGrad64 returns g·y·(1−y) as SigmoidGrad64 computes it.
func ScalarSigmoidGrad64(g, y float64) float64 { return float64(g*y) * (1 - y) }
