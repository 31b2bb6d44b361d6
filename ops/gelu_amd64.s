//go:build amd64 && !purego

#include "textflag.h"

// The AVX-512 loops of geluFwd32 (ops/gelu_amd64.go), eight float64 lanes at a time. They
// take the Go loop's operations in its order (products and sums apart unless the Go loop fuses
// them with math.FMA, divisions as divisions), so the results are the Go loop's bit for bit.

// erfcPoly's coefficients, highest degree first (erfcCoef, ops/gelu.go).
DATA geluc<>+0(SB)/8, $0.17087277765582576
DATA geluc<>+8(SB)/8, $-0.8221522343184886
DATA geluc<>+16(SB)/8, $1.4885158890409456
DATA geluc<>+24(SB)/8, $-1.1352040001619352
DATA geluc<>+32(SB)/8, $0.2788680843355061
DATA geluc<>+40(SB)/8, $-0.18628806161898986
DATA geluc<>+48(SB)/8, $0.09678418948030174
DATA geluc<>+56(SB)/8, $0.37409195971957104
DATA geluc<>+64(SB)/8, $1.0000236801577793
DATA geluc<>+72(SB)/8, $-1.2655122251416069
DATA geluc<>+80(SB)/8, $0x3fe6a09e667f3bcd // 1/√2, rounded as Go rounds the constant
DATA geluc<>+88(SB)/8, $0.5
DATA geluc<>+96(SB)/8, $1.0
DATA geluc<>+104(SB)/8, $0x7fffffffffffffff // |·| mask
DATA geluc<>+112(SB)/8, $1e30 // geluT's clamp of the divisor
DATA geluc<>+120(SB)/8, $2.0
GLOBL geluc<>(SB), RODATA|NOPTR, $128

// func geluArg32AVX512(e, t *float64, x *float32, n int)
// t[i] = geluT(z), e[i] = −z² + P(t[i]) fused, z = |x[i]|·(1/√2).
TEXT ·geluArg32AVX512(SB), NOSPLIT, $0-32
	MOVQ e+0(FP), DI
	MOVQ t+8(FP), DX
	MOVQ x+16(FP), SI
	MOVQ n+24(FP), CX
	VBROADCASTSD geluc<>+0(SB), Z10
	VBROADCASTSD geluc<>+8(SB), Z11
	VBROADCASTSD geluc<>+16(SB), Z12
	VBROADCASTSD geluc<>+24(SB), Z13
	VBROADCASTSD geluc<>+32(SB), Z14
	VBROADCASTSD geluc<>+40(SB), Z15
	VBROADCASTSD geluc<>+48(SB), Z16
	VBROADCASTSD geluc<>+56(SB), Z17
	VBROADCASTSD geluc<>+64(SB), Z18
	VBROADCASTSD geluc<>+72(SB), Z19
	VBROADCASTSD geluc<>+80(SB), Z20 // 1/√2
	VBROADCASTSD geluc<>+88(SB), Z21 // ½
	VBROADCASTSD geluc<>+96(SB), Z22 // 1
	VPBROADCASTQ geluc<>+104(SB), Z23
	VBROADCASTSD geluc<>+112(SB), Z24 // 10³⁰
	VBROADCASTSD geluc<>+120(SB), Z25 // 2
	MOVL         $0x3f800000, AX      // float32 1
	VPBROADCASTD AX, Y26

argloop:
	TESTQ CX, CX
	JZ    argdone
	MOVQ  $0xff, AX
	CMPQ  CX, $8
	JGE   argfull
	MOVQ  $1, AX
	SHLQ  CX, AX
	DECQ  AX

argfull:
	KMOVB       AX, K1
	VMOVUPS.Z   (SI), K1, Y0
	VCVTPS2PD   Y0, Z0
	VPANDQ      Z23, Z0, Z0 // |x|
	VMULPD      Z20, Z0, Z0 // z
	VMULPD      Z21, Z0, Z1
	VADDPD      Z22, Z1, Z1 // d = 1 + z/2
	VMINPD      Z24, Z1, Z1 // d < 10³⁰ ? d : 10³⁰ (NaN too)
	VCVTPD2PS   Z1, Y2
	VDIVPS      Y2, Y26, Y2 // float32 1/d
	VCVTPS2PD   Y2, Z2      // t₀
	VMULPD      Z2, Z1, Z3
	VSUBPD      Z3, Z25, Z3 // 2 − d·t₀
	VMULPD      Z3, Z2, Z1  // t
	VMOVUPD     Z1, K1, (DX)
	VMOVAPD     Z10, Z2
	VFMADD213PD Z11, Z1, Z2
	VFMADD213PD Z12, Z1, Z2
	VFMADD213PD Z13, Z1, Z2
	VFMADD213PD Z14, Z1, Z2
	VFMADD213PD Z15, Z1, Z2
	VFMADD213PD Z16, Z1, Z2
	VFMADD213PD Z17, Z1, Z2
	VFMADD213PD Z18, Z1, Z2
	VFMADD213PD Z19, Z1, Z2  // P(t)
	VFNMADD231PD Z0, Z0, Z2  // P(t) − z², one rounding
	VMOVUPD     Z2, K1, (DI)
	ADDQ        $32, SI
	ADDQ        $64, DI
	ADDQ        $64, DX
	SUBQ        $8, CX
	JGT         argloop

argdone:
	VZEROUPPER
	RET

// func geluOut32AVX512(o, x *float32, e, t *float64, n int)
// half = ½·e[i]·t[i]; o[i] = x[i]·(1 − half) where x[i] > 0, else x[i]·half.
TEXT ·geluOut32AVX512(SB), NOSPLIT, $0-40
	MOVQ o+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ e+16(FP), DX
	MOVQ t+24(FP), BX
	MOVQ n+32(FP), CX
	VBROADCASTSD geluc<>+88(SB), Z21
	VBROADCASTSD geluc<>+96(SB), Z22
	VPXORQ       Z24, Z24, Z24

outloop:
	TESTQ CX, CX
	JZ    outdone
	MOVQ  $0xff, AX
	CMPQ  CX, $8
	JGE   outfull
	MOVQ  $1, AX
	SHLQ  CX, AX
	DECQ  AX

outfull:
	KMOVB     AX, K1
	VMOVUPS.Z (SI), K1, Y0
	VCVTPS2PD Y0, Z0      // v
	VMOVUPD.Z (DX), K1, Z2
	VMOVUPD.Z (BX), K1, Z1
	VMULPD    Z21, Z2, Z2 // ½e
	VMULPD    Z1, Z2, Z2  // half
	VSUBPD    Z2, Z22, Z3 // 1 − half
	VCMPPD    $0x1e, Z24, Z0, K2 // v > 0 (GT_OQ)
	VMOVAPD   Z3, K2, Z2
	VMULPD    Z2, Z0, Z2
	VCVTPD2PS Z2, Y2
	VMOVUPS   Y2, K1, (DI)
	ADDQ      $32, SI
	ADDQ      $64, DX
	ADDQ      $64, BX
	ADDQ      $32, DI
	SUBQ      $8, CX
	JGT       outloop

outdone:
	VZEROUPPER
	RET

// func geluSq32AVX512(o, x *float32, n int)
// o[i] = −½·x[i]·x[i] in float32, the exponent of φ for geluBwd.
TEXT ·geluSq32AVX512(SB), NOSPLIT, $0-24
	MOVQ o+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	MOVL $0xbf000000, AX // −½
	VPBROADCASTD AX, Z20

sqloop:
	TESTQ CX, CX
	JZ    sqdone
	MOVQ  $0xffff, AX
	CMPQ  CX, $16
	JGE   sqfull
	MOVQ  $1, AX
	SHLQ  CX, AX
	DECQ  AX

sqfull:
	KMOVW     AX, K1
	VMOVUPS.Z (SI), K1, Z0
	VMULPS    Z0, Z20, Z1
	VMULPS    Z0, Z1, Z1
	VMOVUPS   Z1, K1, (DI)
	ADDQ      $64, SI
	ADDQ      $64, DI
	SUBQ      $16, CX
	JGT       sqloop

sqdone:
	VZEROUPPER
	RET

// func geluBwd32AVX512(o, x, gr, y *float32, n int)
// With o[i] = e^(−x²/2) on entry: o[i] = gr[i]·(Φ + x[i]·o[i]·(1/√(2π))), Φ = y[i]/x[i] where
// x[i] ≠ 0 (NaN included), else ½; in float32, in geluBwd's order.
TEXT ·geluBwd32AVX512(SB), NOSPLIT, $0-40
	MOVQ o+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ gr+16(FP), DX
	MOVQ y+24(FP), BX
	MOVQ n+32(FP), CX
	MOVL $0x3ecc422a, AX // float32(1/√(2π))
	VPBROADCASTD AX, Z20
	MOVL $0x3f000000, AX // ½
	VPBROADCASTD AX, Z21
	VPXORD       Z22, Z22, Z22

bwdloop:
	TESTQ CX, CX
	JZ    bwddone
	MOVQ  $0xffff, AX
	CMPQ  CX, $16
	JGE   bwdfull
	MOVQ  $1, AX
	SHLQ  CX, AX
	DECQ  AX

bwdfull:
	KMOVW     AX, K1
	VMOVUPS.Z (SI), K1, Z0 // v
	VMOVUPS.Z (DI), K1, Z1 // e
	VMOVUPS.Z (DX), K1, Z2 // g
	VMOVUPS.Z (BX), K1, Z3 // y
	VCMPPS    $4, Z22, Z0, K2 // v ≠ 0 (NEQ_UQ: NaN too)
	VMOVAPS   Z21, Z4
	VDIVPS    Z0, Z3, K2, Z4 // Φ = y/v where v ≠ 0, else ½
	VMULPS    Z1, Z0, Z5
	VMULPS    Z20, Z5, Z5
	VADDPS    Z5, Z4, Z4
	VMULPS    Z4, Z2, Z4
	VMOVUPS   Z4, K1, (DI)
	ADDQ      $64, SI
	ADDQ      $64, DI
	ADDQ      $64, DX
	ADDQ      $64, BX
	SUBQ      $16, CX
	JGT       bwdloop

bwddone:
	VZEROUPPER
	RET
