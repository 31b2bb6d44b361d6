package vmath

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// The tests here measure the errors against e^x and the sigmoid computed with
// 200-bit math/big arithmetic and rounded once, rather than against math.Exp,
// which is itself up to about one ulp off.

const prec = 200

var bigLn2, _ = new(big.Float).SetPrec(prec).SetString("0.69314718055994530941723212145817656807550013436025525412068000949339362196969471560586332699641868754200148102057")

// bigExp returns e^x to about 190 bits.
func bigExp(x float64) *big.Float {
	k := math.Round(x / math.Ln2)
	r := new(big.Float).SetPrec(prec).SetFloat64(x)
	r.Sub(r, new(big.Float).SetPrec(prec).Mul(bigLn2, big.NewFloat(k)))
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	eps := new(big.Float).SetMantExp(big.NewFloat(1), -prec)
	for i := int64(1); ; i++ {
		term.Mul(term, r)
		term.Quo(term, new(big.Float).SetInt64(i))
		sum.Add(sum, term)
		if new(big.Float).Abs(term).Cmp(eps) < 0 {
			break
		}
	}
	return sum.SetMantExp(sum, int(k))
}

// bigSigmoid returns 1/(1+e^−x) to about 190 bits.
func bigSigmoid(x float64) *big.Float {
	d := bigExp(-x)
	d.Add(d, big.NewFloat(1))
	return new(big.Float).SetPrec(prec).Quo(big.NewFloat(1), d)
}

func round64(f *big.Float) float64 { v, _ := f.Float64(); return v }

func round32(f *big.Float) float32 { v, _ := f.Float32(); return v }

func TestCorrectlyRounded(t *testing.T) {
	n := 8000
	if testing.Short() || raceEnabled {
		n = 1000
	}
	r := rand.New(rand.NewPCG(13, 14))
	x64 := append(rand64(r, n, -745, 709.7), rand64(r, n, -1, 1)...)
	x32 := append(rand32(r, n, -103, 88.7), rand32(r, n, -1, 1)...)
	s64 := rand64(r, 2*n, -40, 40)
	s32 := rand32(r, 2*n, -20, 20)
	forKernels(t, func(t *testing.T) {
		for _, c := range []struct {
			name   string
			fn     func(o, x []float64)
			ref    func(float64) *big.Float
			xs     []float64
			maxUlp uint64
		}{{"Exp64", Exp64, bigExp, x64, 1}, {"Sigmoid64", Sigmoid64, bigSigmoid, s64, 2}} {
			worst := check64(t, c.name, c.fn, func(x float64) float64 { return round64(c.ref(x)) }, c.xs, c.maxUlp)
			t.Logf("%s: max error %d ulp from the correctly rounded value", c.name, worst)
		}
		for _, c := range []struct {
			name   string
			fn     func(o, x []float32)
			ref    func(float64) *big.Float
			xs     []float32
			maxUlp uint64
		}{{"Exp32", Exp32, bigExp, x32, 1}, {"Sigmoid32", Sigmoid32, bigSigmoid, s32, 2}} {
			worst := check32(t, c.name, c.fn, func(x float32) float32 { return round32(c.ref(float64(x))) }, c.xs, c.maxUlp)
			t.Logf("%s: max error %d ulp from the correctly rounded value", c.name, worst)
		}
	})
}
