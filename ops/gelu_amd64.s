//go:build amd64 && !purego

#include "textflag.h"

// The AVX-512 loops of geluFwd32 (ops/gelu_amd64.go), eight float64 lanes at a time. They
// take the Go loop's operations in its order (products and sums apart, never fused, divisions
// as divisions), so the results are the Go loop's bit for bit.

// erfcPoly's coefficients, highest degree first (ops/gelu.go).
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
DATA geluc<>+80(SB)/8, $1.4142135623730951 // √2
DATA geluc<>+88(SB)/8, $0.5
DATA geluc<>+96(SB)/8, $1.0
DATA geluc<>+104(SB)/8, $0x7fffffffffffffff // |·| mask
GLOBL geluc<>(SB), RODATA|NOPTR, $112

// func geluArg32AVX512(e *float64, x *float32, n int)
// e[i] = −z² + P(t), z = |x[i]|/√2, t = 1/(1 + ½z).
TEXT ·geluArg32AVX512(SB), NOSPLIT, $0-24
	MOVQ e+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VBROADCASTSD geluc<>+80(SB), Z20 // √2
	VBROADCASTSD geluc<>+88(SB), Z21 // ½
	VBROADCASTSD geluc<>+96(SB), Z22 // 1
	VPBROADCASTQ geluc<>+104(SB), Z23

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
	KMOVB     AX, K1
	VMOVUPS.Z (SI), K1, Y0
	VCVTPS2PD Y0, Z0
	VPANDQ    Z23, Z0, Z0 // |x|
	VDIVPD    Z20, Z0, Z0 // z
	VMULPD    Z21, Z0, Z1
	VADDPD    Z22, Z1, Z1
	VDIVPD    Z1, Z22, Z1 // t
	VBROADCASTSD geluc<>+0(SB), Z2
	VMULPD    Z1, Z2, Z2
	VBROADCASTSD geluc<>+8(SB), Z3
	VADDPD    Z3, Z2, Z2
	VMULPD    Z1, Z2, Z2
	VBROADCASTSD geluc<>+16(SB), Z3
	VADDPD    Z3, Z2, Z2
	VMULPD    Z1, Z2, Z2
	VBROADCASTSD geluc<>+24(SB), Z3
	VADDPD    Z3, Z2, Z2
	VMULPD    Z1, Z2, Z2
	VBROADCASTSD geluc<>+32(SB), Z3
	VADDPD    Z3, Z2, Z2
	VMULPD    Z1, Z2, Z2
	VBROADCASTSD geluc<>+40(SB), Z3
	VADDPD    Z3, Z2, Z2
	VMULPD    Z1, Z2, Z2
	VBROADCASTSD geluc<>+48(SB), Z3
	VADDPD    Z3, Z2, Z2
	VMULPD    Z1, Z2, Z2
	VBROADCASTSD geluc<>+56(SB), Z3
	VADDPD    Z3, Z2, Z2
	VMULPD    Z1, Z2, Z2
	VBROADCASTSD geluc<>+64(SB), Z3
	VADDPD    Z3, Z2, Z2
	VMULPD    Z1, Z2, Z2
	VBROADCASTSD geluc<>+72(SB), Z3
	VADDPD    Z3, Z2, Z2 // P(t)
	VMULPD    Z0, Z0, Z4
	VSUBPD    Z4, Z2, Z2 // P(t) − z²
	VMOVUPD   Z2, K1, (DI)
	ADDQ      $32, SI
	ADDQ      $64, DI
	SUBQ      $8, CX
	JGT       argloop

argdone:
	VZEROUPPER
	RET

// func geluOut32AVX512(o *float32, x *float32, e *float64, n int)
// half = ½·e[i]/(1 + ½z), z = |x[i]|/√2; o[i] = x[i]·(1 − half) where x[i] > 0, else x[i]·half.
TEXT ·geluOut32AVX512(SB), NOSPLIT, $0-32
	MOVQ o+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ e+16(FP), DX
	MOVQ n+24(FP), CX
	VBROADCASTSD geluc<>+80(SB), Z20
	VBROADCASTSD geluc<>+88(SB), Z21
	VBROADCASTSD geluc<>+96(SB), Z22
	VPBROADCASTQ geluc<>+104(SB), Z23
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
	VPANDQ    Z23, Z0, Z1
	VDIVPD    Z20, Z1, Z1 // z
	VMULPD    Z21, Z1, Z1
	VADDPD    Z22, Z1, Z1 // 1 + ½z
	VMOVUPD.Z (DX), K1, Z2
	VMULPD    Z21, Z2, Z2 // ½e
	VDIVPD    Z1, Z2, Z2  // half
	VSUBPD    Z2, Z22, Z3 // 1 − half
	VCMPPD    $0x1e, Z24, Z0, K2 // v > 0 (GT_OQ)
	VMOVAPD   Z3, K2, Z2
	VMULPD    Z2, Z0, Z2
	VCVTPD2PS Z2, Y2
	VMOVUPS   Y2, K1, (DI)
	ADDQ      $32, SI
	ADDQ      $64, DX
	ADDQ      $32, DI
	SUBQ      $8, CX
	JGT       outloop

outdone:
	VZEROUPPER
	RET
