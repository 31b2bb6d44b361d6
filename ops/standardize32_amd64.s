//go:build amd64 && !purego

#include "textflag.h"

// The AVX-512 loops of ops/standardize32.go. Sums run over sixteen float64 lanes (element i
// in lane i mod 16: the low half of each vector of sixteen in one register, the high half in
// another), masked so that the tail adds nothing, and end in sumLanes' halving order; the
// results are the Go loops' bit for bit.

#define MASK16(lbl) \
	MOVQ $0xffff, AX \
	CMPQ CX, $16 \
	JGE  lbl \
	MOVQ $1, AX \
	SHLQ CX, AX \
	DECQ AX \
lbl: \
	KMOVW    AX, K1 \
	KSHIFTRW $8, K1, K2

#define MASK8(lbl) \
	MOVQ $0xff, AX \
	CMPQ CX, $8 \
	JGE  lbl \
	MOVQ $1, AX \
	SHLQ CX, AX \
	DECQ AX \
lbl: \
	KMOVW AX, K1

// HALVE sets lane 0 of lo to sumLanes of lo (lanes 0–7) and hi (lanes 8–15).
#define HALVE(lo, hi, ylo, yt, xlo, xt) \
	VADDPD        hi, lo, lo \
	VEXTRACTF64X4 $1, lo, yt \
	VADDPD        yt, ylo, ylo \
	VEXTRACTF128  $1, ylo, xt \
	VADDPD        xt, xlo, xlo \
	VPERMILPD     $1, xlo, xt \
	VADDSD        xt, xlo, xlo

// func laneSum32AVX512(x *float32, n int) float64
TEXT ·laneSum32AVX512(SB), NOSPLIT, $0-24
	MOVQ   x+0(FP), SI
	MOVQ   n+8(FP), CX
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11

sumloop:
	MASK16(summask)
	VMOVUPS.Z     (SI), K1, Z0
	VCVTPS2PD     Y0, Z1
	VEXTRACTF64X4 $1, Z0, Y2
	VCVTPS2PD     Y2, Z2
	VADDPD        Z1, Z10, K1, Z10
	VADDPD        Z2, Z11, K2, Z11
	ADDQ          $64, SI
	SUBQ          $16, CX
	JGT           sumloop
	HALVE(Z10, Z11, Y10, Y12, X10, X12)
	VMOVSD X10, ret+16(FP)
	VZEROUPPER
	RET

// func sqDev32AVX512(x *float32, n int, mean float64) float64
TEXT ·sqDev32AVX512(SB), NOSPLIT, $0-32
	MOVQ         x+0(FP), SI
	MOVQ         n+8(FP), CX
	VBROADCASTSD mean+16(FP), Z20
	VPXORQ       Z10, Z10, Z10
	VPXORQ       Z11, Z11, Z11

sqloop:
	MASK16(sqmask)
	VMOVUPS.Z     (SI), K1, Z0
	VCVTPS2PD     Y0, Z1
	VEXTRACTF64X4 $1, Z0, Y2
	VCVTPS2PD     Y2, Z2
	VSUBPD        Z20, Z1, Z1
	VSUBPD        Z20, Z2, Z2
	VMULPD        Z1, Z1, Z1
	VMULPD        Z2, Z2, Z2
	VADDPD        Z1, Z10, K1, Z10
	VADDPD        Z2, Z11, K2, Z11
	ADDQ          $64, SI
	SUBQ          $16, CX
	JGT           sqloop
	HALVE(Z10, Z11, Y10, Y12, X10, X12)
	VMOVSD X10, ret+24(FP)
	VZEROUPPER
	RET

// func scaleDev32AVX512(o, x *float32, n int, mean, r float64)
TEXT ·scaleDev32AVX512(SB), NOSPLIT, $0-40
	MOVQ         o+0(FP), DI
	MOVQ         x+8(FP), SI
	MOVQ         n+16(FP), CX
	VBROADCASTSD mean+24(FP), Z20
	VBROADCASTSD r+32(FP), Z21

scaleloop:
	MASK8(scalemask)
	VMOVUPS.Z (SI), K1, Y0
	VCVTPS2PD Y0, Z0
	VSUBPD    Z20, Z0, Z0
	VMULPD    Z21, Z0, Z0
	VCVTPD2PS Z0, Y0
	VMOVUPS   Y0, K1, (DI)
	ADDQ      $32, SI
	ADDQ      $32, DI
	SUBQ      $8, CX
	JGT       scaleloop
	VZEROUPPER
	RET

// func dotDev32AVX512(h, x *float32, n int, mean float64) (sumH, sumHD float64)
TEXT ·dotDev32AVX512(SB), NOSPLIT, $0-48
	MOVQ         h+0(FP), DX
	MOVQ         x+8(FP), SI
	MOVQ         n+16(FP), CX
	VBROADCASTSD mean+24(FP), Z20
	VPXORQ       Z10, Z10, Z10
	VPXORQ       Z11, Z11, Z11
	VPXORQ       Z12, Z12, Z12
	VPXORQ       Z13, Z13, Z13

dotloop:
	MASK16(dotmask)
	VMOVUPS.Z     (DX), K1, Z0
	VCVTPS2PD     Y0, Z1
	VEXTRACTF64X4 $1, Z0, Y2
	VCVTPS2PD     Y2, Z2 // h, low and high
	VMOVUPS.Z     (SI), K1, Z0
	VCVTPS2PD     Y0, Z3
	VEXTRACTF64X4 $1, Z0, Y4
	VCVTPS2PD     Y4, Z4 // x, low and high
	VADDPD        Z1, Z10, K1, Z10
	VADDPD        Z2, Z11, K2, Z11
	VSUBPD        Z20, Z3, Z3
	VSUBPD        Z20, Z4, Z4
	VMULPD        Z3, Z1, Z3
	VMULPD        Z4, Z2, Z4
	VADDPD        Z3, Z12, K1, Z12
	VADDPD        Z4, Z13, K2, Z13
	ADDQ          $64, DX
	ADDQ          $64, SI
	SUBQ          $16, CX
	JGT           dotloop
	HALVE(Z10, Z11, Y10, Y14, X10, X14)
	HALVE(Z12, Z13, Y12, Y14, X12, X14)
	VMOVSD X10, sumH+32(FP)
	VMOVSD X12, sumHD+40(FP)
	VZEROUPPER
	RET

// func gradDev32AVX512(o, x, h *float32, n int, mean, r, a, beta float64)
TEXT ·gradDev32AVX512(SB), NOSPLIT, $0-64
	MOVQ         o+0(FP), DI
	MOVQ         x+8(FP), SI
	MOVQ         h+16(FP), DX
	MOVQ         n+24(FP), CX
	VBROADCASTSD mean+32(FP), Z20
	VBROADCASTSD r+40(FP), Z21
	VBROADCASTSD a+48(FP), Z22
	VBROADCASTSD beta+56(FP), Z23

gradloop:
	MASK8(gradmask)
	VMOVUPS.Z (SI), K1, Y0
	VCVTPS2PD Y0, Z0
	VMOVUPS.Z (DX), K1, Y1
	VCVTPS2PD Y1, Z1
	VSUBPD    Z20, Z0, Z0 // x − mean
	VMULPD    Z21, Z0, Z0
	VMULPD    Z23, Z0, Z0 // t
	VSUBPD    Z22, Z1, Z1 // h − a
	VSUBPD    Z0, Z1, Z1
	VMULPD    Z21, Z1, Z1
	VCVTPD2PS Z1, Y1
	VMOVUPS   Y1, K1, (DI)
	ADDQ      $32, SI
	ADDQ      $32, DX
	ADDQ      $32, DI
	SUBQ      $8, CX
	JGT       gradloop
	VZEROUPPER
	RET
