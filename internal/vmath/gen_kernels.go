//go:build ignore

// Command gen_kernels writes kernel_amd64.s, the AVX-512 and AVX2+FMA kernels
// of Exp64, Exp32, Sigmoid64 and Sigmoid32, and of the elementwise AddVV,
// SubVV, MulVV, SigmoidGrad and AddScaled (see genVV), and of the updates of
// Adam and Adadelta (see genAdam, genAdadelta). Run it with "go generate" in this
// directory.
//
// Each kernel func(o, x *T, n int) sets o[i] for i < n with the operations of
// exp64/sigmoid64 (exp32/sigmoid32) in exp_generic.go, in the same order and
// roundings. The main loop handles unroll vectors per iteration, a second loop
// one vector; the AVX-512 kernels finish with a masked vector, the AVX2 ones
// need n to be a multiple of the vector length (the Go wrapper does the rest).
package main

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"os"
	"regexp"
)

type isa struct {
	name   string // "AVX512" or "AVX2"
	reg    string // "Z" or "Y"
	vbytes int    // bytes per vector register
	unroll int    // vectors per main-loop iteration
}

type ftype struct {
	goType string // "float64" or "float32"
	es     int    // element size in bytes
	p      string // "PD" or "PS"
	i      string // integer lane suffix: "Q" or "D"
	shift  int    // mantissa bits
	table  string // constant table symbol
}

var (
	avx512 = isa{"AVX512", "Z", 64, 4}
	avx2   = isa{"AVX2", "Y", 32, 2}
	f64    = ftype{"float64", 8, "PD", "Q", 52, "c64<>"}
	f32    = ftype{"float32", 4, "PS", "D", 23, "c32<>"}
)

// Constant table: every entry is a 64-byte vector of one value, in this order,
// followed by the polynomial coefficients c[0..deg].
const (
	kLog2e = iota
	kShifter
	kLn2Hi
	kLn2Lo
	kMBias
	kLo
	kHi
	kOne
	kSign
	kCoef
)

// taylor returns 1/k! for k = 0..deg, correctly rounded to 64 bits (wide=true)
// or 32 bits.
func taylor(deg int, wide bool) []uint64 {
	var out []uint64
	fact := big.NewFloat(1).SetPrec(200)
	for k := 0; k <= deg; k++ {
		if k > 0 {
			fact.Mul(fact, big.NewFloat(float64(k)))
		}
		c := new(big.Float).SetPrec(200).Quo(big.NewFloat(1).SetPrec(200), fact)
		if wide {
			f, _ := c.Float64()
			out = append(out, math.Float64bits(f))
		} else {
			f, _ := c.Float32()
			out = append(out, uint64(math.Float32bits(f)))
		}
	}
	return out
}

func constants(t ftype) []uint64 {
	if t.es == 8 {
		b := func(f float64) uint64 { return math.Float64bits(f) }
		return append([]uint64{
			b(0x1.71547652b82fep+00), b(0x1.8p52), b(0x1.62e42fefa39efp-01), b(0x1.abc9e3b39803fp-56),
			0x4338000000000000 - 2*1023, b(-746), b(710), b(1), 1 << 63,
		}, taylor(13, true)...)
	}
	b := func(f float32) uint64 { return uint64(math.Float32bits(f)) }
	return append([]uint64{
		b(0x1.715476p+00), b(0x1.8p23), b(0x1.62e43p-01), b(-0x1.05c61p-29),
		0x4b400000 - 2*127, b(-104), b(89), b(1), 1 << 31,
	}, taylor(7, false)...)
}

func table(w *bytes.Buffer, t ftype) {
	cs := constants(t)
	for k, c := range cs {
		for j := 0; j < 64; j += t.es {
			fmt.Fprintf(w, "DATA %s+%d(SB)/%d, $%#x\n", t.table, k*64+j, t.es, c)
		}
	}
	fmt.Fprintf(w, "GLOBL %s(SB), RODATA|NOPTR, $%d\n\n", t.table, len(cs)*64)
}

func gen(w *bytes.Buffer, s isa, t ftype, sigmoid bool) {
	name := "exp"
	if sigmoid {
		name = "sigmoid"
	}
	name = fmt.Sprintf("%s%d%s", name, t.es*8, s.name)
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	c := func(k int) string { return fmt.Sprintf("%s+%d(SB)", t.table, k*64) }
	r := func(i int) string { return fmt.Sprintf("%s%d", s.reg, i) }
	lanes := s.vbytes / t.es
	deg := len(constants(t)) - kCoef - 1
	// Registers kept across the loop: the clamp bounds (which must be the
	// first source of VMIN/VMAX so that a NaN x passes through) and 1 (the
	// blend's first source).
	nregs := map[string]int{"Z": 32, "Y": 16}[s.reg]
	lo, hi, one := r(nregs-1), r(nregs-2), r(nregs-3)
	if 5*s.unroll > nregs-3 {
		panic("too many registers: " + name)
	}

	// vec emits the computation of one vector: x at off(SI), o at off(DI),
	// registers 5j..5j+4; mask is "" or the load/store mask register.
	vec := func(j, off int, mask string) {
		X, A, T, P, E := r(5*j), r(5*j+1), r(5*j+2), r(5*j+3), r(5*j+4)
		if mask == "" {
			p("VMOVUP%c %d(SI), %s", t.p[1], off, X)
		} else {
			p("VMOVUP%c.Z %d(SI), %s, %s", t.p[1], off, mask, X)
		}
		if sigmoid {
			p("VOR%s %s, %s, %s", t.p, c(kSign), X, A) // −|x|
		} else {
			p("VMIN%s %s, %s, %s", t.p, X, hi, A)
		}
		p("VMAX%s %s, %s, %s", t.p, A, lo, A)
		p("VMOVUP%c %s, %s", t.p[1], c(kShifter), T)
		p("VFMADD231%s %s, %s, %s", t.p, c(kLog2e), A, T) // t = x·log2e + shifter
		p("VSUB%s %s, %s, %s", t.p, c(kShifter), T, P)    // n
		p("VFNMADD231%s %s, %s, %s", t.p, c(kLn2Hi), P, A)
		p("VFNMADD231%s %s, %s, %s", t.p, c(kLn2Lo), P, A) // r
		p("VMOVUP%c %s, %s", t.p[1], c(kCoef+deg), P)
		for k := deg - 1; k >= 2; k-- {
			p("VFMADD213%s %s, %s, %s", t.p, c(kCoef+k), A, P) // h = h·r + c[k]
		}
		p("VMUL%s %s, %s, %s", t.p, A, A, E)          // r²
		p("VFMADD213%s %s, %s, %s", t.p, A, E, P)     // r²·h + r
		p("VADD%s %s, %s, %s", t.p, c(kOne), P, P)    // e^r
		p("VPSUB%s %s, %s, %s", t.i, c(kMBias), T, T) // m
		p("VPSRL%s $1, %s, %s", t.i, T, E)            // m1
		p("VPSUB%s %s, %s, %s", t.i, E, T, T)         // m2
		p("VPSLL%s $%d, %s, %s", t.i, t.shift, E, E)
		p("VPSLL%s $%d, %s, %s", t.i, t.shift, T, T)
		p("VMUL%s %s, %s, %s", t.p, E, P, P)
		p("VMUL%s %s, %s, %s", t.p, T, P, P) // e^x
		res := P
		if sigmoid {
			p("VADD%s %s, %s, %s", t.p, one, P, T) // d = 1 + e
			p("VSUB%s %s, %s, %s", t.p, T, one, E) // 1 − d
			p("VADD%s %s, %s, %s", t.p, P, E, E)   // dl = (1 − d) + e
			p("VDIV%s %s, %s, %s", t.p, T, one, A) // y = 1/d
			if s.reg == "Y" {
				p("VBLENDV%s %s, %s, %s, %s", t.p, X, P, one, P) // num = x < 0 ? e : 1
			} else {
				k := fmt.Sprintf("K%d", j+1)
				p("VPMOV%s2M %s, %s", t.i, X, k)
				p("VBLENDM%s %s, %s, %s, %s", t.p, P, one, k, P)
			}
			p("VMUL%s %s, %s, %s", t.p, A, P, X)       // q = num·y
			p("VFNMADD231%s %s, %s, %s", t.p, T, X, P) // r = num − q·d
			p("VFNMADD231%s %s, %s, %s", t.p, E, X, P) // r −= q·dl
			p("VFMADD231%s %s, %s, %s", t.p, P, A, X)  // q + r·y
			res = X
		}
		if mask == "" {
			p("VMOVUP%c %s, %d(DI)", t.p[1], res, off)
		} else {
			p("VMOVUP%c %s, %s, %d(DI)", t.p[1], res, mask, off)
		}
	}

	fmt.Fprintf(w, "// func %s(o, x *%s, n int)\n", name, t.goType)
	fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $0-24\n", name)
	p("MOVQ o+0(FP), DI")
	p("MOVQ x+8(FP), SI")
	p("MOVQ n+16(FP), CX")
	p("VMOVUP%c %s, %s", t.p[1], c(kLo), lo)
	if sigmoid {
		p("VMOVUP%c %s, %s", t.p[1], c(kOne), one)
	} else {
		p("VMOVUP%c %s, %s", t.p[1], c(kHi), hi)
	}
	step := s.unroll * lanes
	p("CMPQ CX, $%d", step)
	p("JLT %s_one", name)
	fmt.Fprintf(w, "%s_loop:\n", name)
	for j := 0; j < s.unroll; j++ {
		vec(j, j*s.vbytes, "")
	}
	p("ADDQ $%d, SI", step*t.es)
	p("ADDQ $%d, DI", step*t.es)
	p("SUBQ $%d, CX", step)
	p("CMPQ CX, $%d", step)
	p("JGE %s_loop", name)
	fmt.Fprintf(w, "%s_one:\n", name)
	p("CMPQ CX, $%d", lanes)
	p("JLT %s_tail", name)
	vec(0, 0, "")
	p("ADDQ $%d, SI", s.vbytes)
	p("ADDQ $%d, DI", s.vbytes)
	p("SUBQ $%d, CX", lanes)
	p("JMP %s_one", name)
	fmt.Fprintf(w, "%s_tail:\n", name)
	if s.reg == "Z" {
		maskedTail(w, name, lanes, vec)
	}
	fmt.Fprintf(w, "%s_done:\n", name)
	p("VZEROUPPER")
	p("RET\n")
}

// genVV emits the kernel func(o, a, b *T, n int) of an elementwise operation
// on two vectors: op is "addVV" (o = a+b), "subVV" (a−b), "mulVV" (a·b),
// "sigmoidGrad" ((a·b)·(1−b)) or "addScaledVV" (a + c·b, with a fifth
// argument c *T). Every operation is rounded on its own, as Go
// rounds the scalar expression: no fused multiply-add. The loops are those of
// gen; a is read at SI, b at DX.
func genVV(w *bytes.Buffer, s isa, t ftype, op string) {
	name := fmt.Sprintf("%s%d%s", op, t.es*8, s.name)
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	r := func(i int) string { return fmt.Sprintf("%s%d", s.reg, i) }
	lanes := s.vbytes / t.es
	nregs := map[string]int{"Z": 32, "Y": 16}[s.reg]
	one := r(nregs - 1)
	const unroll = 4 // memory bound: enough loads in flight
	mov := "VMOVUP" + t.p[1:]

	vec := func(j, off int, mask string) {
		A, B := r(2*j), r(2*j+1)
		if mask == "" {
			p("%s %d(SI), %s", mov, off, A)
			p("%s %d(DX), %s", mov, off, B)
		} else {
			p("%s.Z %d(SI), %s, %s", mov, off, mask, A)
			p("%s.Z %d(DX), %s, %s", mov, off, mask, B)
		}
		switch op {
		case "addVV":
			p("VADD%s %s, %s, %s", t.p, B, A, A)
		case "subVV":
			p("VSUB%s %s, %s, %s", t.p, B, A, A) // a − b
		case "mulVV":
			p("VMUL%s %s, %s, %s", t.p, B, A, A)
		case "sigmoidGrad":
			p("VMUL%s %s, %s, %s", t.p, B, A, A)   // g·y
			p("VSUB%s %s, %s, %s", t.p, B, one, B) // 1 − y
			p("VMUL%s %s, %s, %s", t.p, B, A, A)   // (g·y)·(1 − y)
		case "addScaledVV":
			p("VMUL%s %s, %s, %s", t.p, one, B, B) // c·b
			p("VADD%s %s, %s, %s", t.p, B, A, A)   // a + c·b
		default:
			panic("unknown op " + op)
		}
		if mask == "" {
			p("%s %s, %d(DI)", mov, A, off)
		} else {
			p("%s %s, %s, %d(DI)", mov, A, mask, off)
		}
	}

	if op == "addScaledVV" { // one more argument: a pointer to c, broadcast into one
		fmt.Fprintf(w, "// func %s(o, a, b *%s, n int, c *%s)\n", name, t.goType, t.goType)
		fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $0-40\n", name)
	} else {
		fmt.Fprintf(w, "// func %s(o, a, b *%s, n int)\n", name, t.goType)
		fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $0-32\n", name)
	}
	p("MOVQ o+0(FP), DI")
	p("MOVQ a+8(FP), SI")
	p("MOVQ b+16(FP), DX")
	p("MOVQ n+24(FP), CX")
	switch op {
	case "sigmoidGrad":
		p("%s %s+%d(SB), %s", mov, t.table, kOne*64, one)
	case "addScaledVV":
		p("MOVQ c+32(FP), R8")
		p("VBROADCASTS%s (R8), %s", t.p[1:], one)
	}
	step := unroll * lanes
	p("CMPQ CX, $%d", step)
	p("JLT %s_one", name)
	fmt.Fprintf(w, "%s_loop:\n", name)
	for j := 0; j < unroll; j++ {
		vec(j, j*s.vbytes, "")
	}
	for _, reg := range []string{"SI", "DX", "DI"} {
		p("ADDQ $%d, %s", step*t.es, reg)
	}
	p("SUBQ $%d, CX", step)
	p("CMPQ CX, $%d", step)
	p("JGE %s_loop", name)
	fmt.Fprintf(w, "%s_one:\n", name)
	p("CMPQ CX, $%d", lanes)
	p("JLT %s_tail", name)
	vec(0, 0, "")
	for _, reg := range []string{"SI", "DX", "DI"} {
		p("ADDQ $%d, %s", s.vbytes, reg)
	}
	p("SUBQ $%d, CX", lanes)
	p("JMP %s_one", name)
	fmt.Fprintf(w, "%s_tail:\n", name)
	if s.reg == "Z" {
		maskedTail(w, name, lanes, vec)
	}
	fmt.Fprintf(w, "%s_done:\n", name)
	p("VZEROUPPER")
	p("RET\n")
}

// genAdam emits the kernel func(p, g, m, v *T, n int, c *T) of one Adam
// step without weight decay, for i < n, with the seven scalars at c in the
// order of AdamCoef (β₁, 1−β₁, β₂, 1−β₂, √(1−β₂ᵗ), ε, step size s):
//
//	m ← β₁·m + (1−β₁)·g
//	v ← β₂·v + ((1−β₂)·g)·g
//	p ← p − (s·m) / (√v / √(1−β₂ᵗ) + ε)
//
// every operation rounded on its own, as the Go loop of adamGeneric: no fused
// multiply-add. The loops are those of gen; p is at DI, g (grad) at SI, m at DX, v at
// R8.
func genAdam(w *bytes.Buffer, s isa, t ftype) {
	name := fmt.Sprintf("adam%d%s", t.es*8, s.name)
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	r := func(i int) string { return fmt.Sprintf("%s%d", s.reg, i) }
	nregs := map[string]int{"Z": 32, "Y": 16}[s.reg]
	unroll := map[string]int{"Z": 4, "Y": 2}[s.reg]
	// The scalars, broadcast into the last seven registers.
	b1, ob1, b2, ob2, bc2, eps, lr := r(nregs-7), r(nregs-6), r(nregs-5), r(nregs-4), r(nregs-3), r(nregs-2), r(nregs-1)
	if 4*unroll > nregs-7 {
		panic("too many registers: " + name)
	}
	mov := "VMOVUP" + t.p[1:]

	vec := func(j, off int, mask string) {
		G, M, V, T := r(4*j), r(4*j+1), r(4*j+2), r(4*j+3)
		load := func(base, dst string) {
			if mask == "" {
				p("%s %d(%s), %s", mov, off, base, dst)
			} else {
				p("%s.Z %d(%s), %s, %s", mov, off, base, mask, dst)
			}
		}
		store := func(src, base string) {
			if mask == "" {
				p("%s %s, %d(%s)", mov, src, off, base)
			} else {
				p("%s %s, %s, %d(%s)", mov, src, mask, off, base)
			}
		}
		load("SI", G)
		load("DX", M)
		load("R8", V)
		p("VMUL%s %s, %s, %s", t.p, b1, M, M)  // β₁·m
		p("VMUL%s %s, %s, %s", t.p, ob1, G, T) // (1−β₁)·g
		p("VADD%s %s, %s, %s", t.p, T, M, M)   // m
		store(M, "DX")
		p("VMUL%s %s, %s, %s", t.p, ob2, G, T) // (1−β₂)·g
		p("VMUL%s %s, %s, %s", t.p, G, T, T)   // ((1−β₂)·g)·g
		p("VMUL%s %s, %s, %s", t.p, b2, V, V)  // β₂·v
		p("VADD%s %s, %s, %s", t.p, T, V, V)   // v
		store(V, "R8")
		p("VSQRT%s %s, %s", t.p, V, V)         // √v
		p("VDIV%s %s, %s, %s", t.p, bc2, V, V) // √v / √(1−β₂ᵗ)
		p("VADD%s %s, %s, %s", t.p, eps, V, V) // the denominator
		p("VMUL%s %s, %s, %s", t.p, lr, M, T)  // s·m
		p("VDIV%s %s, %s, %s", t.p, V, T, T)   // (s·m) / denominator
		load("DI", G)
		p("VSUB%s %s, %s, %s", t.p, T, G, G) // p − (s·m)/denominator
		store(G, "DI")
	}

	fmt.Fprintf(w, "// func %s(p, grad, m, v *%s, n int, c *%s)\n", name, t.goType, t.goType)
	genUpdateLoop(w, s, t, name, unroll, []string{b1, ob1, b2, ob2, bc2, eps, lr}, vec)
}

// genUpdateLoop emits the body of an optimizer's kernel func(p, grad, s1, s2 *T, n int, c *T):
// the arguments into DI, SI, DX and R8, CX and R9, the scalars at c broadcast into consts, and
// the loops of gen around vec(j, off, mask), which updates vector j at byte offset off.
func genUpdateLoop(w *bytes.Buffer, s isa, t ftype, name string, unroll int, consts []string, vec func(j, off int, mask string)) {
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	lanes := s.vbytes / t.es
	fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $0-48\n", name)
	p("MOVQ p+0(FP), DI")
	p("MOVQ grad+8(FP), SI")
	p("MOVQ m+16(FP), DX")
	p("MOVQ v+24(FP), R8")
	p("MOVQ n+32(FP), CX")
	p("MOVQ c+40(FP), R9")
	for k, reg := range consts {
		p("VBROADCASTS%s %d(R9), %s", t.p[1:], k*t.es, reg)
	}
	bases := []string{"DI", "SI", "DX", "R8"}
	step := unroll * lanes
	p("CMPQ CX, $%d", step)
	p("JLT %s_one", name)
	fmt.Fprintf(w, "%s_loop:\n", name)
	for j := 0; j < unroll; j++ {
		vec(j, j*s.vbytes, "")
	}
	for _, reg := range bases {
		p("ADDQ $%d, %s", step*t.es, reg)
	}
	p("SUBQ $%d, CX", step)
	p("CMPQ CX, $%d", step)
	p("JGE %s_loop", name)
	fmt.Fprintf(w, "%s_one:\n", name)
	p("CMPQ CX, $%d", lanes)
	p("JLT %s_tail", name)
	vec(0, 0, "")
	for _, reg := range bases {
		p("ADDQ $%d, %s", s.vbytes, reg)
	}
	p("SUBQ $%d, CX", lanes)
	p("JMP %s_one", name)
	fmt.Fprintf(w, "%s_tail:\n", name)
	if s.reg == "Z" {
		maskedTail(w, name, lanes, vec)
	}
	fmt.Fprintf(w, "%s_done:\n", name)
	p("VZEROUPPER")
	p("RET\n")
}

// genAdadelta emits the kernel func(p, grad, m, v *T, n int, c *T) of one Adadelta step
// without weight decay, for i < n, with m the mean square of the gradients, v that of the
// updates and the four scalars at c in the order of AdadeltaCoef (ρ, 1−ρ, ε, η):
//
//	m ← ρ·m + ((1−ρ)·g)·g
//	d = (√(v + ε) / √(m + ε))·g
//	v ← ρ·v + ((1−ρ)·d)·d
//	p ← p − η·d
//
// every operation rounded on its own, as the Go loop of adadeltaGeneric.
func genAdadelta(w *bytes.Buffer, s isa, t ftype) {
	name := fmt.Sprintf("adadelta%d%s", t.es*8, s.name)
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	r := func(i int) string { return fmt.Sprintf("%s%d", s.reg, i) }
	nregs := map[string]int{"Z": 32, "Y": 16}[s.reg]
	unroll := map[string]int{"Z": 4, "Y": 2}[s.reg]
	rho, orho, eps, lr := r(nregs-4), r(nregs-3), r(nregs-2), r(nregs-1)
	if 5*unroll > nregs-4 {
		panic("too many registers: " + name)
	}
	mov := "VMOVUP" + t.p[1:]

	vec := func(j, off int, mask string) {
		G, M, V, T, D := r(5*j), r(5*j+1), r(5*j+2), r(5*j+3), r(5*j+4)
		load := func(base, dst string) {
			if mask == "" {
				p("%s %d(%s), %s", mov, off, base, dst)
			} else {
				p("%s.Z %d(%s), %s, %s", mov, off, base, mask, dst)
			}
		}
		store := func(src, base string) {
			if mask == "" {
				p("%s %s, %d(%s)", mov, src, off, base)
			} else {
				p("%s %s, %s, %d(%s)", mov, src, mask, off, base)
			}
		}
		load("SI", G)
		load("DX", M)
		load("R8", V)
		p("VMUL%s %s, %s, %s", t.p, rho, M, M)  // ρ·m
		p("VMUL%s %s, %s, %s", t.p, orho, G, T) // (1−ρ)·g
		p("VMUL%s %s, %s, %s", t.p, G, T, T)    // ((1−ρ)·g)·g
		p("VADD%s %s, %s, %s", t.p, T, M, M)    // m
		store(M, "DX")
		p("VADD%s %s, %s, %s", t.p, eps, M, T) // m + ε
		p("VSQRT%s %s, %s", t.p, T, T)
		p("VADD%s %s, %s, %s", t.p, eps, V, D) // v + ε
		p("VSQRT%s %s, %s", t.p, D, D)
		p("VDIV%s %s, %s, %s", t.p, T, D, D)    // √(v + ε) / √(m + ε)
		p("VMUL%s %s, %s, %s", t.p, G, D, D)    // d
		p("VMUL%s %s, %s, %s", t.p, rho, V, V)  // ρ·v
		p("VMUL%s %s, %s, %s", t.p, orho, D, T) // (1−ρ)·d
		p("VMUL%s %s, %s, %s", t.p, D, T, T)    // ((1−ρ)·d)·d
		p("VADD%s %s, %s, %s", t.p, T, V, V)    // v
		store(V, "R8")
		p("VMUL%s %s, %s, %s", t.p, lr, D, D) // η·d
		load("DI", G)
		p("VSUB%s %s, %s, %s", t.p, D, G, G) // p − η·d
		store(G, "DI")
	}

	fmt.Fprintf(w, "// func %s(p, grad, m, v *%s, n int, c *%s)\n", name, t.goType, t.goType)
	genUpdateLoop(w, s, t, name, unroll, []string{rho, orho, eps, lr}, vec)
}

// zmm matches the name of a Z register.
var zmm = regexp.MustCompile(`\bZ([0-9]+)\b`)

// maskedTail emits an AVX-512 kernel's last vector: the n < lanes elements left (CX) are read
// and written under a mask, in an X register when they fit (n ≤ lanes/4), else a Y register
// (n ≤ lanes/2), else a Z register. A masked 64-byte load waits for any earlier store to the 64
// bytes it spans, the masked-off ones too, until that store retires: with small tensors the
// next tensor's bytes often lie there (on the AMD EPYC this was measured on, Sigmoid64 of 4
// elements took 35 ns with its output just after its input, 8 ns with them apart). The narrower vector spans fewer bytes beyond n, and
// computes the same bits: the operations are those of vec, lane by lane.
func maskedTail(w *bytes.Buffer, name string, lanes int, vec func(j, off int, mask string)) {
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	p("TESTQ CX, CX")
	p("JZ %s_done", name)
	p("MOVQ $1, AX")
	p("SHLQ CX, AX")
	p("DECQ AX")
	p("KMOVW AX, K7")
	for _, narrow := range []struct {
		reg, next string // the register's letter, and the next wider one's
		lanes     int
	}{{"X", "Y", lanes / 4}, {"Y", "Z", lanes / 2}} {
		p("CMPQ CX, $%d", narrow.lanes)
		p("JGT %s_tail%s", name, narrow.next)
		start := w.Len()
		vec(0, 0, "K7")
		body := zmm.ReplaceAll(w.Bytes()[start:], []byte(narrow.reg+"$1"))
		w.Truncate(start)
		w.Write(body)
		p("JMP %s_done", name)
		fmt.Fprintf(w, "%s_tail%s:\n", name, narrow.next)
	}
	vec(0, 0, "K7")
}

func main() {
	var w bytes.Buffer
	w.WriteString("// Code generated by gen_kernels.go; DO NOT EDIT.\n\n//go:build amd64 && !purego\n\n#include \"textflag.h\"\n\n")
	table(&w, f64)
	table(&w, f32)
	for _, s := range []isa{avx512, avx2} {
		for _, t := range []ftype{f64, f32} {
			gen(&w, s, t, false)
			gen(&w, s, t, true)
		}
	}
	for _, s := range []isa{avx512, avx2} {
		for _, t := range []ftype{f64, f32} {
			for _, op := range []string{"addVV", "subVV", "mulVV", "sigmoidGrad", "addScaledVV"} {
				genVV(&w, s, t, op)
			}
		}
	}
	for _, s := range []isa{avx512, avx2} {
		for _, t := range []ftype{f64, f32} {
			genAdam(&w, s, t)
			genAdadelta(&w, s, t)
		}
	}
	if err := os.WriteFile("kernel_amd64.s", w.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
