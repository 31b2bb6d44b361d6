//go:build ignore

// Command gen_direct writes direct_amd64.s, the AVX-512 and AVX2+FMA kernels of the direct
// (unpacked) path for small products, and their declarations. Run it with "go generate" in this
// directory.
//
// A direct kernel computes an r×w tile C = alpha·op(A)·B + beta·C, r ≤ 8 rows and w ≤ 3
// vectors of columns (6 and 2 with AVX2), reading the operands where they lie: op(A)(i, p) at a + i·ars + p·aps
// (elements), so plain and transposed A cost the same, and row p of B at b + p·ldb. The last
// vector of each row is loaded and stored under the lane mask (mask), so no column edge needs
// a buffer, and nothing past the tile is read or written. Each step broadcasts one value of A
// per row and multiplies it into the nv vectors of the B row, in the order of the packed
// kernels of gen_kernels.go (one fused multiply-add per step, p from 0 to k−1), so both paths
// give the same bits. When beta is ±0, C is not read.
package main

import (
	"bytes"
	"fmt"
	"os"
)

// dspec is one direct kernel.
type dspec struct {
	avx2   bool // AVX2+FMA with Y registers instead of AVX-512
	es     int  // element size in bytes: 8 or 4
	mr, nv int  // rows, vectors per row
}

func (s dspec) name() string {
	t, isa := "d", ""
	if s.es == 4 {
		t = "s"
	}
	if s.avx2 {
		isa = "AVX2"
	}
	return fmt.Sprintf("%sdirect%s%dx%d", t, isa, s.mr, s.nv)
}

// vbytes is the vector length in bytes.
func (s dspec) vbytes() int {
	if s.avx2 {
		return 32
	}
	return 64
}

// maxRows and maxVecs bound the tile of each instruction set: AVX2's 16 registers hold a 6×2
// tile with its 2 B vectors and 2 broadcasts; AVX-512's 32 an 8×3 tile.
func maxRows(avx2 bool) int {
	if avx2 {
		return 6
	}
	return 8
}

func maxVecs(avx2 bool) int {
	if avx2 {
		return 2
	}
	return 3
}

func (s dspec) sfx() string {
	if s.es == 8 {
		return "PD"
	}
	return "PS"
}

func (s dspec) bcast() string {
	if s.es == 8 {
		return "VBROADCASTSD"
	}
	return "VBROADCASTSS"
}

func (s dspec) z(i int) string {
	if s.avx2 {
		return fmt.Sprintf("Y%d", i)
	}
	return fmt.Sprintf("Z%d", i)
}

// rowAddr is the operand addressing row r of A: SI holds row 0, R9 row 3, R13 row 6 and R10
// the row stride in bytes.
func rowAddr(r int) string {
	return [8]string{"(SI)", "(SI)(R10*1)", "(SI)(R10*2)", "(R9)", "(SI)(R10*4)", "(R9)(R10*2)", "(R13)", "(R13)(R10*1)"}[r]
}

func gen(w *bytes.Buffer, s dspec) {
	p := func(format string, args ...any) { fmt.Fprintf(w, "\t"+format+"\n", args...) }
	z := s.z
	acc := func(row, v int) string { return z(row*s.nv + v) }
	nacc := s.mr * s.nv
	breg := func(v int) string { return z(nacc + v) }
	bc := func(row int) string { return z(nacc + s.nv + row%2) }
	vb := s.vbytes()
	// AVX-512 masks the last vector with K1 and uses Z31 for C; AVX2 has no mask registers:
	// BX points at a mask vector (all ones in the first lanes) in directMaskTable, loaded into
	// the last B register before each masked load, and the epilogue takes the registers after
	// the accumulators for alpha, beta, the mask and C.
	tmp, alpha, beta, vmask := z(31), breg(0), bc(0), ""
	if s.avx2 {
		alpha, beta, vmask, tmp = z(nacc), z(nacc+1), z(nacc+2), z(nacc+3)
		if nacc+4 > 16 || nacc+s.nv+2 > 16 {
			panic("too many registers: " + s.name())
		}
	}
	typ, argSize, alphaOff, betaOff, maskOff := "float64", 88, 64, 72, 80
	if s.es == 4 {
		typ, argSize, alphaOff, betaOff, maskOff = "float32", 80, 64, 68, 72
	}
	shift := map[int]int{8: 3, 4: 2}[s.es]
	mov := "VMOVUP" + s.sfx()[1:]
	last := s.nv - 1
	fmt.Fprintf(w, "// func %s(k int, a *%s, ars, aps int, b *%s, ldb int, c *%s, ldc int, alpha, beta %s, mask uint64)\n",
		s.name(), typ, typ, typ, typ)
	fmt.Fprintf(w, "TEXT ·%s(SB), NOSPLIT, $0-%d\n", s.name(), argSize)
	p("MOVQ k+0(FP), CX")
	p("MOVQ a+8(FP), SI")
	p("MOVQ ars+16(FP), R10")
	p("SHLQ $%d, R10", shift)
	p("MOVQ aps+24(FP), R11")
	p("SHLQ $%d, R11", shift)
	p("MOVQ b+32(FP), DI")
	p("MOVQ ldb+40(FP), R12")
	p("SHLQ $%d, R12", shift)
	p("MOVQ c+48(FP), DX")
	p("MOVQ ldc+56(FP), R8")
	p("SHLQ $%d, R8", shift)
	p("MOVQ mask+%d(FP), AX", maskOff)
	if s.avx2 {
		// BX = &directMaskTable + 32 − lanes·es, lanes = popcount(mask).
		p("POPCNTQ AX, AX")
		p("SHLQ $%d, AX", shift)
		p("LEAQ ·directMaskTable+32(SB), BX")
		p("SUBQ AX, BX")
	} else {
		p("KMOVW AX, K1")
	}
	p("LEAQ (SI)(R10*2), R9")
	p("ADDQ R10, R9")
	p("LEAQ (R9)(R10*2), R13")
	p("ADDQ R10, R13")
	zero := "VPXORQ"
	if s.avx2 {
		zero = "VPXOR"
	}
	for i := 0; i < nacc; i++ {
		p("%s %s, %s, %s", zero, z(i), z(i), z(i))
	}
	fmt.Fprintf(w, "%s_loop:\n", s.name())
	for v := 0; v < s.nv; v++ {
		switch {
		case v == last && s.avx2:
			p("VMOVDQU (BX), %s", breg(v))
			p("VMASKMOV%s %d(DI), %s, %s", s.sfx(), v*vb, breg(v), breg(v))
		case v == last:
			p("%s.Z %d(DI), K1, %s", mov, v*vb, breg(v))
		default:
			p("%s %d(DI), %s", mov, v*vb, breg(v))
		}
	}
	for row := 0; row < s.mr; row++ {
		p("%s %s, %s", s.bcast(), rowAddr(row), bc(row))
		for v := 0; v < s.nv; v++ {
			p("VFMADD231%s %s, %s, %s", s.sfx(), breg(v), bc(row), acc(row, v))
		}
	}
	p("ADDQ R11, SI")
	if s.mr > 3 {
		p("ADDQ R11, R9")
	}
	if s.mr > 6 {
		p("ADDQ R11, R13")
	}
	p("ADDQ R12, DI")
	p("DECQ CX")
	p("JNZ %s_loop", s.name())
	p("%s alpha+%d(FP), %s", s.bcast(), alphaOff, alpha)
	for i := 0; i < nacc; i++ {
		p("VMUL%s %s, %s, %s", s.sfx(), alpha, z(i), z(i))
	}
	if s.es == 8 {
		p("MOVQ beta+%d(FP), AX", betaOff)
		p("SHLQ $1, AX")
	} else {
		p("MOVL beta+%d(FP), AX", betaOff)
		p("SHLL $1, AX")
	}
	p("JZ %s_store", s.name())
	p("%s beta+%d(FP), %s", s.bcast(), betaOff, beta)
	if s.avx2 {
		p("VMOVDQU (BX), %s", vmask)
	}
	for row := 0; row < s.mr; row++ {
		for v := 0; v < s.nv; v++ {
			switch {
			case v == last && s.avx2:
				p("VMASKMOV%s %d(DX), %s, %s", s.sfx(), v*vb, vmask, tmp)
				p("VFMADD231%s %s, %s, %s", s.sfx(), tmp, beta, acc(row, v))
				p("VMASKMOV%s %s, %s, %d(DX)", s.sfx(), acc(row, v), vmask, v*vb)
			case v == last:
				p("%s.Z %d(DX), K1, %s", mov, v*vb, tmp)
				p("VFMADD231%s %s, %s, %s", s.sfx(), tmp, beta, acc(row, v))
				p("%s %s, K1, %d(DX)", mov, acc(row, v), v*vb)
			default:
				p("VFMADD231%s %d(DX), %s, %s", s.sfx(), v*vb, beta, acc(row, v))
				p("%s %s, %d(DX)", mov, acc(row, v), v*vb)
			}
		}
		if row < s.mr-1 {
			p("ADDQ R8, DX")
		}
	}
	p("VZEROUPPER")
	p("RET")
	fmt.Fprintf(w, "%s_store:\n", s.name())
	if s.avx2 {
		p("VMOVDQU (BX), %s", vmask)
	}
	for row := 0; row < s.mr; row++ {
		for v := 0; v < s.nv; v++ {
			switch {
			case v == last && s.avx2:
				p("VMASKMOV%s %s, %s, %d(DX)", s.sfx(), acc(row, v), vmask, v*vb)
			case v == last:
				p("%s %s, K1, %d(DX)", mov, acc(row, v), v*vb)
			default:
				p("%s %s, %d(DX)", mov, acc(row, v), v*vb)
			}
		}
		if row < s.mr-1 {
			p("ADDQ R8, DX")
		}
	}
	p("VZEROUPPER")
	p("RET")
	fmt.Fprintln(w)
}

// goDecls writes direct_amd64_decl.go: the declarations of the kernels and their tables.
func goDecls(w *bytes.Buffer, specs []dspec) {
	w.WriteString("// Code generated by gen_direct.go; DO NOT EDIT.\n\n//go:build amd64 && !purego\n\npackage gemm\n\n")
	for _, s := range specs {
		typ := "float64"
		if s.es == 4 {
			typ = "float32"
		}
		fmt.Fprintf(w, "//go:noescape\nfunc %s(k int, a *%s, ars, aps int, b *%s, ldb int, c *%s, ldc int, alpha, beta %s, mask uint64)\n\n",
			s.name(), typ, typ, typ, typ)
	}
	for _, avx2 := range []bool{false, true} {
		for _, es := range []int{8, 4} {
			t, typ, isa := "d", "float64", "AVX512"
			if es == 4 {
				t, typ = "s", "float32"
			}
			vb := 64
			if avx2 {
				isa, vb = "AVX2", 32
			}
			fmt.Fprintf(w, "// %sdirect%s holds the %s %s direct kernels, indexed by rows−1 and vectors−1.\n", t, isa, isa, typ)
			fmt.Fprintf(w, "var %sdirect%s = directKernels[%s]{rows: %d, vecs: %d, lanes: %d, fn: [8][3]directFunc[%s]{\n",
				t, isa, typ, maxRows(avx2), maxVecs(avx2), vb/es, typ)
			for mr := 1; mr <= maxRows(avx2); mr++ {
				w.WriteString("\t{")
				for nv := 1; nv <= maxVecs(avx2); nv++ {
					if nv > 1 {
						w.WriteString(", ")
					}
					w.WriteString(dspec{avx2, es, mr, nv}.name())
				}
				w.WriteString("},\n")
			}
			w.WriteString("}}\n\n")
		}
	}
}

func main() {
	var specs []dspec
	for _, avx2 := range []bool{false, true} {
		for _, es := range []int{8, 4} {
			for mr := 1; mr <= maxRows(avx2); mr++ {
				for nv := 1; nv <= maxVecs(avx2); nv++ {
					specs = append(specs, dspec{avx2, es, mr, nv})
				}
			}
		}
	}
	var w bytes.Buffer
	w.WriteString("// Code generated by gen_direct.go; DO NOT EDIT.\n\n//go:build amd64 && !purego\n\n#include \"textflag.h\"\n\n")
	for _, s := range specs {
		gen(&w, s)
	}
	if err := os.WriteFile("direct_amd64.s", w.Bytes(), 0o644); err != nil {
		panic(err)
	}
	var d bytes.Buffer
	goDecls(&d, specs)
	if err := os.WriteFile("direct_amd64_decl.go", append(bytes.TrimRight(d.Bytes(), "\n"), '\n'), 0o644); err != nil {
		panic(err)
	}
}
