//go:build amd64 && !purego

#include "textflag.h"

// unpool2x2Idx holds the permutations of unpool2x2Rows32: the even and the odd elements of two
// vectors, then the interleaving of two vectors' first halves and of their second halves.
DATA unpool2x2Idx<>+0(SB)/4, $0
DATA unpool2x2Idx<>+4(SB)/4, $2
DATA unpool2x2Idx<>+8(SB)/4, $4
DATA unpool2x2Idx<>+12(SB)/4, $6
DATA unpool2x2Idx<>+16(SB)/4, $8
DATA unpool2x2Idx<>+20(SB)/4, $10
DATA unpool2x2Idx<>+24(SB)/4, $12
DATA unpool2x2Idx<>+28(SB)/4, $14
DATA unpool2x2Idx<>+32(SB)/4, $16
DATA unpool2x2Idx<>+36(SB)/4, $18
DATA unpool2x2Idx<>+40(SB)/4, $20
DATA unpool2x2Idx<>+44(SB)/4, $22
DATA unpool2x2Idx<>+48(SB)/4, $24
DATA unpool2x2Idx<>+52(SB)/4, $26
DATA unpool2x2Idx<>+56(SB)/4, $28
DATA unpool2x2Idx<>+60(SB)/4, $30
DATA unpool2x2Idx<>+64(SB)/4, $1
DATA unpool2x2Idx<>+68(SB)/4, $3
DATA unpool2x2Idx<>+72(SB)/4, $5
DATA unpool2x2Idx<>+76(SB)/4, $7
DATA unpool2x2Idx<>+80(SB)/4, $9
DATA unpool2x2Idx<>+84(SB)/4, $11
DATA unpool2x2Idx<>+88(SB)/4, $13
DATA unpool2x2Idx<>+92(SB)/4, $15
DATA unpool2x2Idx<>+96(SB)/4, $17
DATA unpool2x2Idx<>+100(SB)/4, $19
DATA unpool2x2Idx<>+104(SB)/4, $21
DATA unpool2x2Idx<>+108(SB)/4, $23
DATA unpool2x2Idx<>+112(SB)/4, $25
DATA unpool2x2Idx<>+116(SB)/4, $27
DATA unpool2x2Idx<>+120(SB)/4, $29
DATA unpool2x2Idx<>+124(SB)/4, $31
DATA unpool2x2Idx<>+128(SB)/4, $0
DATA unpool2x2Idx<>+132(SB)/4, $16
DATA unpool2x2Idx<>+136(SB)/4, $1
DATA unpool2x2Idx<>+140(SB)/4, $17
DATA unpool2x2Idx<>+144(SB)/4, $2
DATA unpool2x2Idx<>+148(SB)/4, $18
DATA unpool2x2Idx<>+152(SB)/4, $3
DATA unpool2x2Idx<>+156(SB)/4, $19
DATA unpool2x2Idx<>+160(SB)/4, $4
DATA unpool2x2Idx<>+164(SB)/4, $20
DATA unpool2x2Idx<>+168(SB)/4, $5
DATA unpool2x2Idx<>+172(SB)/4, $21
DATA unpool2x2Idx<>+176(SB)/4, $6
DATA unpool2x2Idx<>+180(SB)/4, $22
DATA unpool2x2Idx<>+184(SB)/4, $7
DATA unpool2x2Idx<>+188(SB)/4, $23
DATA unpool2x2Idx<>+192(SB)/4, $8
DATA unpool2x2Idx<>+196(SB)/4, $24
DATA unpool2x2Idx<>+200(SB)/4, $9
DATA unpool2x2Idx<>+204(SB)/4, $25
DATA unpool2x2Idx<>+208(SB)/4, $10
DATA unpool2x2Idx<>+212(SB)/4, $26
DATA unpool2x2Idx<>+216(SB)/4, $11
DATA unpool2x2Idx<>+220(SB)/4, $27
DATA unpool2x2Idx<>+224(SB)/4, $12
DATA unpool2x2Idx<>+228(SB)/4, $28
DATA unpool2x2Idx<>+232(SB)/4, $13
DATA unpool2x2Idx<>+236(SB)/4, $29
DATA unpool2x2Idx<>+240(SB)/4, $14
DATA unpool2x2Idx<>+244(SB)/4, $30
DATA unpool2x2Idx<>+248(SB)/4, $15
DATA unpool2x2Idx<>+252(SB)/4, $31
GLOBL unpool2x2Idx<>(SB), RODATA, $256

DATA unpool2x2One<>+0(SB)/4, $1.0
GLOBL unpool2x2One<>(SB), RODATA, $4

// func unpool2x2Rows32(z0, z1, r0, r1, y, gr *float32, n int)
// For the n windows of the row pair r0, r1 with maxima y and gradients gr:
// z0[2k+j] = s_k where r0[2k+j] == y[k] else +0, z1 likewise from r1, where s_k = gr[k]/t_k and
// t_k = max(1, number of the window's four elements equal to y[k]).
TEXT ·unpool2x2Rows32(SB), NOSPLIT, $0-56
	MOVQ z0+0(FP), DI
	MOVQ z1+8(FP), R8
	MOVQ r0+16(FP), SI
	MOVQ r1+24(FP), R9
	MOVQ y+32(FP), R10
	MOVQ gr+40(FP), R11
	MOVQ n+48(FP), CX
	LEAQ unpool2x2Idx<>(SB), AX
	VMOVUPS 0(AX), Z20   // evens
	VMOVUPS 64(AX), Z21  // odds
	VMOVUPS 128(AX), Z22 // interleave first halves
	VMOVUPS 192(AX), Z23 // interleave second halves
	VBROADCASTSS unpool2x2One<>(SB), Z24

	KXNORW K5, K5, K5 // full vectors: every lane
	KXNORW K6, K6, K6
	KXNORW K7, K7, K7

loop:
	CMPQ CX, $0
	JLE  done
	CMPQ CX, $16
	JGE  body
	// The last n < 16 windows: lanes masked, n in K5, the row pairs' 2n elements in K6, K7.
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K5
	MOVQ $1, AX
	SHLQ CX, AX
	SHLQ CX, AX // 1<<2n
	DECQ AX
	KMOVW AX, K6
	SHRQ $16, AX
	KMOVW AX, K7
	MOVQ $16, CX // ends the loop after this pass

body:
	VMOVUPS.Z (SI), K6, Z0
	VMOVUPS.Z 64(SI), K7, Z1
	VMOVAPS Z0, Z2
	VPERMT2PS Z1, Z20, Z2 // r0's left taps
	VMOVAPS Z0, Z3
	VPERMT2PS Z1, Z21, Z3 // r0's right taps
	VMOVUPS.Z (R9), K6, Z4
	VMOVUPS.Z 64(R9), K7, Z5
	VMOVAPS Z4, Z6
	VPERMT2PS Z5, Z20, Z6 // r1's left taps
	VMOVAPS Z4, Z7
	VPERMT2PS Z5, Z21, Z7 // r1's right taps
	VMOVUPS.Z (R10), K5, Z8 // maxima
	VMOVUPS.Z (R11), K5, Z9 // gradients
	VCMPPS $0, Z8, Z2, K1 // EQ_OQ
	VCMPPS $0, Z8, Z3, K2
	VCMPPS $0, Z8, Z6, K3
	VCMPPS $0, Z8, Z7, K4
	VMOVAPS.Z Z24, K1, Z10
	VMOVAPS.Z Z24, K2, Z11
	VMOVAPS.Z Z24, K3, Z12
	VMOVAPS.Z Z24, K4, Z13
	VADDPS Z11, Z10, Z10
	VADDPS Z13, Z12, Z12
	VADDPS Z12, Z10, Z10
	VMAXPS Z24, Z10, Z10 // t = max(1, ties)
	VDIVPS Z10, Z9, Z9   // s = g/t
	VMOVAPS.Z Z9, K1, Z14
	VMOVAPS.Z Z9, K2, Z15
	VMOVAPS.Z Z9, K3, Z16
	VMOVAPS.Z Z9, K4, Z17
	VMOVAPS Z14, Z18
	VPERMT2PS Z15, Z22, Z18
	VMOVAPS Z14, Z19
	VPERMT2PS Z15, Z23, Z19
	VMOVUPS Z18, K6, (DI)
	VMOVUPS Z19, K7, 64(DI)
	VMOVAPS Z16, Z18
	VPERMT2PS Z17, Z22, Z18
	VMOVAPS Z16, Z19
	VPERMT2PS Z17, Z23, Z19
	VMOVUPS Z18, K6, (R8)
	VMOVUPS Z19, K7, 64(R8)
	ADDQ $128, SI
	ADDQ $128, R9
	ADDQ $128, DI
	ADDQ $128, R8
	ADDQ $64, R10
	ADDQ $64, R11
	SUBQ $16, CX
	JMP  loop

done:
	VZEROUPPER
	RET
