//go:build amd64 && !purego

#include "textflag.h"

// The AVX-512 loops of ops/softmax32.go. Sums run over sixteen float64 lanes (element i in
// lane i mod 16: Z10 holds lanes 0–7, Z11 lanes 8–15) and end in the halving order of
// sumLanes, so the results are the Go loops' bit for bit.

// tail16 sets AX to the mask of min(CX, 16) lanes.
#define TAIL16(lbl) \
	MOVQ $0xffff, AX \
	CMPQ CX, $16 \
	JGE  lbl \
	MOVQ $1, AX \
	SHLQ CX, AX \
	DECQ AX \
lbl:

#define TAIL8(lbl) \
	MOVQ $0xff, AX \
	CMPQ CX, $8 \
	JGE  lbl \
	MOVQ $1, AX \
	SHLQ CX, AX \
	DECQ AX \
lbl:

// REDUCE adds Z11 onto Z10, then halves Z10 down to its lane 0, and broadcasts it to Z10.
#define REDUCE \
	VADDPD       Z11, Z10, Z10 \
	VEXTRACTF64X4 $1, Z10, Y12 \
	VADDPD       Y12, Y10, Y10 \
	VEXTRACTF128 $1, Y10, X12 \
	VADDPD       X12, X10, X10 \
	VPERMILPD    $1, X10, X12 \
	VADDSD       X12, X10, X10 \
	VBROADCASTSD X10, Z10

// func softmaxSub32AVX512(o, x *float32, n int)
TEXT ·softmaxSub32AVX512(SB), NOSPLIT, $0-24
	MOVQ o+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	MOVQ SI, R8
	MOVQ CX, R9
	MOVL $0xff800000, AX // −∞
	VPBROADCASTD AX, Z30
	VMOVAPS Z30, Z0 // running maximum
	KXORW   K3, K3, K3 // lanes that saw a NaN

maxloop:
	TAIL16(maxfull)
	KMOVW     AX, K1
	VMOVAPS   Z30, Z2
	VMOVUPS   (SI), K1, Z2
	VCMPPS    $3, Z2, Z2, K2 // UNORD_Q
	KORW      K2, K3, K3
	VMAXPS    Z2, Z0, Z0
	ADDQ      $64, SI
	SUBQ      $16, CX
	JGT       maxloop

	VEXTRACTF64X4 $1, Z0, Y1
	VMAXPS        Y1, Y0, Y0
	VEXTRACTF128  $1, Y0, X1
	VMAXPS        X1, X0, X0
	VPERMILPS     $0x4e, X0, X1
	VMAXPS        X1, X0, X0
	VPERMILPS     $0xb1, X0, X1
	VMAXPS        X1, X0, X0
	VBROADCASTSS  X0, Z0
	KORTESTW      K3, K3
	JZ            subgo
	MOVL          $0x7fc00000, AX // a NaN: the row is all NaN
	VPBROADCASTD  AX, Z0

subgo:
	MOVQ R8, SI
	MOVQ R9, CX

subloop:
	TAIL16(subfull)
	KMOVW     AX, K1
	VMOVUPS.Z (SI), K1, Z2
	VSUBPS    Z0, Z2, Z2
	VMOVUPS   Z2, K1, (DI)
	ADDQ      $64, SI
	ADDQ      $64, DI
	SUBQ      $16, CX
	JGT       subloop
	VZEROUPPER
	RET

// func softmaxDiv32AVX512(o *float32, n int)
TEXT ·softmaxDiv32AVX512(SB), NOSPLIT, $0-16
	MOVQ o+0(FP), DI
	MOVQ n+8(FP), CX
	MOVQ DI, R8
	MOVQ CX, R9
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11

sumloop:
	TAIL16(sumfull)
	KMOVW         AX, K1
	VMOVUPS.Z     (DI), K1, Z0
	VCVTPS2PD     Y0, Z1
	VEXTRACTF64X4 $1, Z0, Y2
	VCVTPS2PD     Y2, Z2
	VADDPD        Z1, Z10, Z10
	VADDPD        Z2, Z11, Z11
	ADDQ          $64, DI
	SUBQ          $16, CX
	JGT           sumloop

	REDUCE
	MOVQ R8, DI
	MOVQ R9, CX

divloop:
	TAIL8(divfull)
	KMOVB     AX, K1
	VMOVUPS.Z (DI), K1, Y0
	VCVTPS2PD Y0, Z0
	VDIVPD    Z10, Z0, Z0
	VCVTPD2PS Z0, Y0
	VMOVUPS   Y0, K1, (DI)
	ADDQ      $32, DI
	SUBQ      $8, CX
	JGT       divloop
	VZEROUPPER
	RET

// func softmaxGrad32AVX512(o, gr, y *float32, n int)
TEXT ·softmaxGrad32AVX512(SB), NOSPLIT, $0-32
	MOVQ o+0(FP), DI
	MOVQ gr+8(FP), DX
	MOVQ y+16(FP), SI
	MOVQ n+24(FP), CX
	MOVQ DX, R8
	MOVQ SI, R9
	MOVQ CX, R10
	VPXORQ Z10, Z10, Z10
	VPXORQ Z11, Z11, Z11

dotloop:
	TAIL16(dotfull)
	KMOVW         AX, K1
	VMOVUPS.Z     (DX), K1, Z0
	VMOVUPS.Z     (SI), K1, Z1
	VCVTPS2PD     Y0, Z2
	VCVTPS2PD     Y1, Z3
	VMULPD        Z3, Z2, Z2
	VADDPD        Z2, Z10, Z10
	VEXTRACTF64X4 $1, Z0, Y2
	VEXTRACTF64X4 $1, Z1, Y3
	VCVTPS2PD     Y2, Z2
	VCVTPS2PD     Y3, Z3
	VMULPD        Z3, Z2, Z2
	VADDPD        Z2, Z11, Z11
	ADDQ          $64, DX
	ADDQ          $64, SI
	SUBQ          $16, CX
	JGT           dotloop

	REDUCE
	MOVQ R8, DX
	MOVQ R9, SI
	MOVQ R10, CX

gradloop:
	TAIL8(gradfull)
	KMOVB     AX, K1
	VMOVUPS.Z (DX), K1, Y0
	VMOVUPS.Z (SI), K1, Y1
	VCVTPS2PD Y0, Z0
	VCVTPS2PD Y1, Z1
	VSUBPD    Z10, Z0, Z0
	VMULPD    Z0, Z1, Z0
	VCVTPD2PS Z0, Y0
	VMOVUPS   Y0, K1, (DI)
	ADDQ      $32, DX
	ADDQ      $32, SI
	ADDQ      $32, DI
	SUBQ      $8, CX
	JGT       gradloop
	VZEROUPPER
	RET
