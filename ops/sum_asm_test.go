package ops

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestSumRowAsmMatchesGo checks sumRow with the assembly blocks (where the CPU has them)
// against the Go loop alone, bit for bit, on values of every magnitude with signed zeros,
// infinities and NaNs, for lengths around the block length and its groups of four blocks.
func TestSumRowAsmMatchesGo(t *testing.T) {
	if !sumAsm {
		t.Skip("no assembly sum on this CPU or architecture")
	}
	r := rand.New(rand.NewPCG(5, 6))
	lengths := []int{0, 1, 63, 64, 65, 127, 128, 255, 256, 257, 320, 1000, 4096, 4096*128 + 17}
	for _, n := range lengths {
		for _, kind := range []string{"normal", "mixed"} {
			x64 := make([]float64, n)
			for i := range x64 {
				x64[i] = r.NormFloat64() * math.Exp(r.NormFloat64()*3)
				if kind == "mixed" {
					switch r.IntN(40) {
					case 0:
						x64[i] = math.Copysign(0, -1)
					case 1:
						x64[i] = 1e300
					case 2:
						x64[i] = math.Inf(1)
					case 3:
						x64[i] = 5e-324
					}
				}
			}
			x32 := make([]float32, n)
			for i, v := range x64 {
				x32[i] = float32(v)
			}
			t.Run(fmt.Sprintf("n=%d/%s", n, kind), func(t *testing.T) {
				check := func(name string, asm, golang float64) {
					t.Helper()
					if math.Float64bits(asm) != math.Float64bits(golang) && !(asm != asm && golang != golang) {
						t.Errorf("%s: assembly sum %v (%#x), Go loop %v (%#x)", name, asm, math.Float64bits(asm), golang, math.Float64bits(golang))
					}
				}
				asm32, asm64 := sumRow(x32), sumRow(x64)
				sumAsm = false
				go32, go64 := sumRow(x32), sumRow(x64)
				sumAsm = true
				check("float32", float64(asm32), float64(go32))
				check("float64", asm64, go64)
			})
		}
	}
}

// TestSumRowAllNegativeZeros checks that sums of −0 give +0 as the Go loop's running sums,
// which start at +0, do: with and without the assembly blocks.
func TestSumRowAllNegativeZeros(t *testing.T) {
	x := make([]float32, 300)
	for i := range x {
		x[i] = float32(math.Copysign(0, -1))
	}
	for _, asm := range []bool{false, true} {
		saved := sumAsm
		sumAsm = asm && saved
		got := sumRow(x)
		sumAsm = saved
		if math.Signbit(float64(got)) || got != 0 {
			t.Errorf("asm %v: sum of 300 −0 is %v (sign bit %v), want +0", asm, got, math.Signbit(float64(got)))
		}
	}
}

// BenchmarkSumRow: sumRow over 4096×128 values (the embedding step's loss), with the assembly
// blocks and with the Go loop alone.
func BenchmarkSumRow(b *testing.B) {
	x64 := make([]float64, 4096*128)
	for i := range x64 {
		x64[i] = float64(i%7) * 0.1
	}
	x32 := make([]float32, len(x64))
	for i, v := range x64 {
		x32[i] = float32(v)
	}
	for _, asm := range []bool{true, false} {
		name := map[bool]string{true: "asm", false: "go"}[asm]
		b.Run("float32/"+name, func(b *testing.B) {
			saved := sumAsm
			sumAsm = asm && saved
			defer func() { sumAsm = saved }()
			for b.Loop() {
				sumRow(x32)
			}
		})
		b.Run("float64/"+name, func(b *testing.B) {
			saved := sumAsm
			sumAsm = asm && saved
			defer func() { sumAsm = saved }()
			for b.Loop() {
				sumRow(x64)
			}
		})
	}
}
