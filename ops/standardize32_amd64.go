//go:build amd64 && !purego

package ops

import "golang.org/x/sys/cpu"

// The AVX-512 forms of the float32 Standardize loops (ops/standardize32_amd64.s); n ≥ 1.

// standardizeAsm enables the assembly loops; tests turn it off to check the Go ones.
var standardizeAsm = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ && cpu.X86.HasAVX512VL

// laneSum32AVX512 returns Σ x in float64 over sixteen lanes.
//
//go:noescape
func laneSum32AVX512(x *float32, n int) float64

// sqDev32AVX512 returns Σ (x − mean)² in float64 over sixteen lanes.
//
//go:noescape
func sqDev32AVX512(x *float32, n int, mean float64) float64

// scaleDev32AVX512 sets o = float32((x − mean)·r).
//
//go:noescape
func scaleDev32AVX512(o, x *float32, n int, mean, r float64)

// dotDev32AVX512 returns Σ h and Σ h·(x − mean) in float64 over sixteen lanes.
//
//go:noescape
func dotDev32AVX512(h, x *float32, n int, mean float64) (sumH, sumHD float64)

// gradDev32AVX512 sets o = float32(r·(h − a − (x − mean)·r·beta)).
//
//go:noescape
func gradDev32AVX512(o, x, h *float32, n int, mean, r, a, beta float64)
