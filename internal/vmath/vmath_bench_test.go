package vmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// bench64 times f on n inputs in [−10, 10] and reports ns per element.
func bench64(b *testing.B, n int, f func(o, x []float64)) {
	x := rand64(rand.New(rand.NewPCG(1, 1)), n, -10, 10)
	o := make([]float64, n)
	for b.Loop() {
		f(o, x)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
}

// bench32 is bench64 for float32.
func bench32(b *testing.B, n int, f func(o, x []float32)) {
	x := rand32(rand.New(rand.NewPCG(1, 1)), n, -10, 10)
	o := make([]float32, n)
	for b.Loop() {
		f(o, x)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
}

// with returns f running on the kernels of the given name, or skips b if
// this machine has none.
func with[T any](b *testing.B, name string, f func(o, x []T)) func(o, x []T) {
	for _, k := range allKernels() {
		if k.name == name {
			return func(o, x []T) {
				saved := impl
				impl = k
				f(o, x)
				impl = saved
			}
		}
	}
	b.Skip("no " + name + " kernels here")
	return nil
}

// The baselines: math.Exp and the scalar sigmoid built on it.

func mathExp64(o, x []float64) {
	for i := range o {
		o[i] = math.Exp(x[i])
	}
}

func mathExp32(o, x []float32) {
	for i := range o {
		o[i] = float32(math.Exp(float64(x[i])))
	}
}

func scalarSigmoid64(o, x []float64) {
	for i, v := range x[:len(o)] {
		if v >= 0 {
			o[i] = 1 / (1 + math.Exp(-v))
		} else {
			e := math.Exp(v)
			o[i] = e / (1 + e)
		}
	}
}

// scalarSigmoid32 spells the formula out: calling refSigmoid32 here runs
// about five times slower for reasons unrelated to the arithmetic.
func scalarSigmoid32(o, x []float32) {
	for i, v := range x[:len(o)] {
		w := float64(v)
		if w >= 0 {
			o[i] = float32(1 / (1 + math.Exp(-w)))
		} else {
			e := math.Exp(w)
			o[i] = float32(e / (1 + e))
		}
	}
}

func BenchmarkExp64_1e3(b *testing.B)            { bench64(b, 1e3, Exp64) }
func BenchmarkExp64_1e6(b *testing.B)            { bench64(b, 1e6, Exp64) }
func BenchmarkExp32_1e3(b *testing.B)            { bench32(b, 1e3, Exp32) }
func BenchmarkExp32_1e6(b *testing.B)            { bench32(b, 1e6, Exp32) }
func BenchmarkSigmoid64_1e3(b *testing.B)        { bench64(b, 1e3, Sigmoid64) }
func BenchmarkSigmoid64_1e6(b *testing.B)        { bench64(b, 1e6, Sigmoid64) }
func BenchmarkSigmoid32_1e3(b *testing.B)        { bench32(b, 1e3, Sigmoid32) }
func BenchmarkSigmoid32_1e6(b *testing.B)        { bench32(b, 1e6, Sigmoid32) }
func BenchmarkMathExp64_1e3(b *testing.B)        { bench64(b, 1e3, mathExp64) }
func BenchmarkMathExp64_1e6(b *testing.B)        { bench64(b, 1e6, mathExp64) }
func BenchmarkMathExp32_1e3(b *testing.B)        { bench32(b, 1e3, mathExp32) }
func BenchmarkMathExp32_1e6(b *testing.B)        { bench32(b, 1e6, mathExp32) }
func BenchmarkScalarSigmoid64_1e3(b *testing.B)  { bench64(b, 1e3, scalarSigmoid64) }
func BenchmarkScalarSigmoid64_1e6(b *testing.B)  { bench64(b, 1e6, scalarSigmoid64) }
func BenchmarkScalarSigmoid32_1e3(b *testing.B)  { bench32(b, 1e3, scalarSigmoid32) }
func BenchmarkScalarSigmoid32_1e6(b *testing.B)  { bench32(b, 1e6, scalarSigmoid32) }
func BenchmarkAVX2Exp64_1e3(b *testing.B)        { bench64(b, 1e3, with(b, "avx2", Exp64)) }
func BenchmarkAVX2Sigmoid64_1e3(b *testing.B)    { bench64(b, 1e3, with(b, "avx2", Sigmoid64)) }
func BenchmarkAVX2Exp32_1e3(b *testing.B)        { bench32(b, 1e3, with(b, "avx2", Exp32)) }
func BenchmarkAVX2Sigmoid32_1e3(b *testing.B)    { bench32(b, 1e3, with(b, "avx2", Sigmoid32)) }
func BenchmarkGenericExp64_1e3(b *testing.B)     { bench64(b, 1e3, with(b, "generic", Exp64)) }
func BenchmarkGenericSigmoid64_1e3(b *testing.B) { bench64(b, 1e3, with(b, "generic", Sigmoid64)) }
func BenchmarkGenericExp32_1e3(b *testing.B)     { bench32(b, 1e3, with(b, "generic", Exp32)) }
func BenchmarkGenericSigmoid32_1e3(b *testing.B) { bench32(b, 1e3, with(b, "generic", Sigmoid32)) }

// benchVV64 times f on two inputs of n elements and reports ns per element.
func benchVV64(b *testing.B, n int, f func(o, a, b []float64)) {
	r := rand.New(rand.NewPCG(1, 1))
	x, y := rand64(r, n, -10, 10), rand64(r, n, 0, 1)
	o := make([]float64, n)
	for b.Loop() {
		f(o, x, y)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
}

// benchVV32 is benchVV64 for float32.
func benchVV32(b *testing.B, n int, f func(o, a, b []float32)) {
	r := rand.New(rand.NewPCG(1, 1))
	x, y := rand32(r, n, -10, 10), rand32(r, n, 0, 1)
	o := make([]float32, n)
	for b.Loop() {
		f(o, x, y)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/elem")
}

// The elementwise kernels beside the plain Go loops (goAdd64 etc.).

func BenchmarkAddVV64_1e3(b *testing.B)         { benchVV64(b, 1e3, AddVV64) }
func BenchmarkAddVV64_1e5(b *testing.B)         { benchVV64(b, 1e5, AddVV64) }
func BenchmarkAddVV64_1e6(b *testing.B)         { benchVV64(b, 1e6, AddVV64) }
func BenchmarkGoAddVV64_1e3(b *testing.B)       { benchVV64(b, 1e3, goAdd64) }
func BenchmarkGoAddVV64_1e5(b *testing.B)       { benchVV64(b, 1e5, goAdd64) }
func BenchmarkGoAddVV64_1e6(b *testing.B)       { benchVV64(b, 1e6, goAdd64) }
func BenchmarkSubVV64_1e3(b *testing.B)         { benchVV64(b, 1e3, SubVV64) }
func BenchmarkSubVV64_1e5(b *testing.B)         { benchVV64(b, 1e5, SubVV64) }
func BenchmarkSubVV64_1e6(b *testing.B)         { benchVV64(b, 1e6, SubVV64) }
func BenchmarkGoSubVV64_1e3(b *testing.B)       { benchVV64(b, 1e3, goSub64) }
func BenchmarkGoSubVV64_1e5(b *testing.B)       { benchVV64(b, 1e5, goSub64) }
func BenchmarkGoSubVV64_1e6(b *testing.B)       { benchVV64(b, 1e6, goSub64) }
func BenchmarkMulVV64_1e3(b *testing.B)         { benchVV64(b, 1e3, MulVV64) }
func BenchmarkMulVV64_1e5(b *testing.B)         { benchVV64(b, 1e5, MulVV64) }
func BenchmarkMulVV64_1e6(b *testing.B)         { benchVV64(b, 1e6, MulVV64) }
func BenchmarkGoMulVV64_1e3(b *testing.B)       { benchVV64(b, 1e3, goMul64) }
func BenchmarkGoMulVV64_1e5(b *testing.B)       { benchVV64(b, 1e5, goMul64) }
func BenchmarkGoMulVV64_1e6(b *testing.B)       { benchVV64(b, 1e6, goMul64) }
func BenchmarkSigmoidGrad64_1e3(b *testing.B)   { benchVV64(b, 1e3, SigmoidGrad64) }
func BenchmarkSigmoidGrad64_1e5(b *testing.B)   { benchVV64(b, 1e5, SigmoidGrad64) }
func BenchmarkSigmoidGrad64_1e6(b *testing.B)   { benchVV64(b, 1e6, SigmoidGrad64) }
func BenchmarkGoSigmoidGrad64_1e3(b *testing.B) { benchVV64(b, 1e3, goSigmoidGrad64) }
func BenchmarkGoSigmoidGrad64_1e5(b *testing.B) { benchVV64(b, 1e5, goSigmoidGrad64) }
func BenchmarkGoSigmoidGrad64_1e6(b *testing.B) { benchVV64(b, 1e6, goSigmoidGrad64) }
func BenchmarkAddVV32_1e3(b *testing.B)         { benchVV32(b, 1e3, AddVV32) }
func BenchmarkAddVV32_1e5(b *testing.B)         { benchVV32(b, 1e5, AddVV32) }
func BenchmarkAddVV32_1e6(b *testing.B)         { benchVV32(b, 1e6, AddVV32) }
func BenchmarkGoAddVV32_1e3(b *testing.B)       { benchVV32(b, 1e3, goAdd32) }
func BenchmarkGoAddVV32_1e5(b *testing.B)       { benchVV32(b, 1e5, goAdd32) }
func BenchmarkGoAddVV32_1e6(b *testing.B)       { benchVV32(b, 1e6, goAdd32) }
func BenchmarkSubVV32_1e3(b *testing.B)         { benchVV32(b, 1e3, SubVV32) }
func BenchmarkSubVV32_1e5(b *testing.B)         { benchVV32(b, 1e5, SubVV32) }
func BenchmarkSubVV32_1e6(b *testing.B)         { benchVV32(b, 1e6, SubVV32) }
func BenchmarkGoSubVV32_1e3(b *testing.B)       { benchVV32(b, 1e3, goSub32) }
func BenchmarkGoSubVV32_1e5(b *testing.B)       { benchVV32(b, 1e5, goSub32) }
func BenchmarkGoSubVV32_1e6(b *testing.B)       { benchVV32(b, 1e6, goSub32) }
func BenchmarkMulVV32_1e3(b *testing.B)         { benchVV32(b, 1e3, MulVV32) }
func BenchmarkMulVV32_1e5(b *testing.B)         { benchVV32(b, 1e5, MulVV32) }
func BenchmarkMulVV32_1e6(b *testing.B)         { benchVV32(b, 1e6, MulVV32) }
func BenchmarkGoMulVV32_1e3(b *testing.B)       { benchVV32(b, 1e3, goMul32) }
func BenchmarkGoMulVV32_1e5(b *testing.B)       { benchVV32(b, 1e5, goMul32) }
func BenchmarkGoMulVV32_1e6(b *testing.B)       { benchVV32(b, 1e6, goMul32) }
func BenchmarkSigmoidGrad32_1e3(b *testing.B)   { benchVV32(b, 1e3, SigmoidGrad32) }
func BenchmarkSigmoidGrad32_1e5(b *testing.B)   { benchVV32(b, 1e5, SigmoidGrad32) }
func BenchmarkSigmoidGrad32_1e6(b *testing.B)   { benchVV32(b, 1e6, SigmoidGrad32) }
func BenchmarkGoSigmoidGrad32_1e3(b *testing.B) { benchVV32(b, 1e3, goSigmoidGrad32) }
func BenchmarkGoSigmoidGrad32_1e5(b *testing.B) { benchVV32(b, 1e5, goSigmoidGrad32) }
func BenchmarkGoSigmoidGrad32_1e6(b *testing.B) { benchVV32(b, 1e6, goSigmoidGrad32) }
