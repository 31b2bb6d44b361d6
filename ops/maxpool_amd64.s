//go:build amd64 && !purego

#include "textflag.h"

// maxPool2x2Idx holds the permutations of maxPool2x2Rows32: the even and the odd elements of two
// vectors.
DATA maxPool2x2Idx<>+0(SB)/4, $0
DATA maxPool2x2Idx<>+4(SB)/4, $2
DATA maxPool2x2Idx<>+8(SB)/4, $4
DATA maxPool2x2Idx<>+12(SB)/4, $6
DATA maxPool2x2Idx<>+16(SB)/4, $8
DATA maxPool2x2Idx<>+20(SB)/4, $10
DATA maxPool2x2Idx<>+24(SB)/4, $12
DATA maxPool2x2Idx<>+28(SB)/4, $14
DATA maxPool2x2Idx<>+32(SB)/4, $16
DATA maxPool2x2Idx<>+36(SB)/4, $18
DATA maxPool2x2Idx<>+40(SB)/4, $20
DATA maxPool2x2Idx<>+44(SB)/4, $22
DATA maxPool2x2Idx<>+48(SB)/4, $24
DATA maxPool2x2Idx<>+52(SB)/4, $26
DATA maxPool2x2Idx<>+56(SB)/4, $28
DATA maxPool2x2Idx<>+60(SB)/4, $30
DATA maxPool2x2Idx<>+64(SB)/4, $1
DATA maxPool2x2Idx<>+68(SB)/4, $3
DATA maxPool2x2Idx<>+72(SB)/4, $5
DATA maxPool2x2Idx<>+76(SB)/4, $7
DATA maxPool2x2Idx<>+80(SB)/4, $9
DATA maxPool2x2Idx<>+84(SB)/4, $11
DATA maxPool2x2Idx<>+88(SB)/4, $13
DATA maxPool2x2Idx<>+92(SB)/4, $15
DATA maxPool2x2Idx<>+96(SB)/4, $17
DATA maxPool2x2Idx<>+100(SB)/4, $19
DATA maxPool2x2Idx<>+104(SB)/4, $21
DATA maxPool2x2Idx<>+108(SB)/4, $23
DATA maxPool2x2Idx<>+112(SB)/4, $25
DATA maxPool2x2Idx<>+116(SB)/4, $27
DATA maxPool2x2Idx<>+120(SB)/4, $29
DATA maxPool2x2Idx<>+124(SB)/4, $31
GLOBL maxPool2x2Idx<>(SB), RODATA, $128
// maxPool2x2Idx64 holds the permutations of maxPool2x2Rows64: the even and the odd elements of
// two vectors of float64.
DATA maxPool2x2Idx64<>+0(SB)/8, $0
DATA maxPool2x2Idx64<>+8(SB)/8, $2
DATA maxPool2x2Idx64<>+16(SB)/8, $4
DATA maxPool2x2Idx64<>+24(SB)/8, $6
DATA maxPool2x2Idx64<>+32(SB)/8, $8
DATA maxPool2x2Idx64<>+40(SB)/8, $10
DATA maxPool2x2Idx64<>+48(SB)/8, $12
DATA maxPool2x2Idx64<>+56(SB)/8, $14
DATA maxPool2x2Idx64<>+64(SB)/8, $1
DATA maxPool2x2Idx64<>+72(SB)/8, $3
DATA maxPool2x2Idx64<>+80(SB)/8, $5
DATA maxPool2x2Idx64<>+88(SB)/8, $7
DATA maxPool2x2Idx64<>+96(SB)/8, $9
DATA maxPool2x2Idx64<>+104(SB)/8, $11
DATA maxPool2x2Idx64<>+112(SB)/8, $13
DATA maxPool2x2Idx64<>+120(SB)/8, $15
GLOBL maxPool2x2Idx64<>(SB), RODATA, $128


// func maxPool2x2Rows32(y, r0, r1 *float32, n int)
// y[k] = max(r0[2k], r0[2k+1], r1[2k], r1[2k+1]) for k < n, as Go's max: NaN if any is NaN, and
// −0 < +0. VRANGEPS with imm8 5 (the maximum, its sign from the comparison) orders the zeros so
// (VMAXPS would return its second operand) but may return the other operand of a quiet NaN: lanes
// where either operand is NaN take their sum, a NaN, instead.
TEXT ·maxPool2x2Rows32(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ r0+8(FP), SI
	MOVQ r1+16(FP), R9
	MOVQ n+24(FP), CX
	LEAQ maxPool2x2Idx<>(SB), AX
	VMOVUPS 0(AX), Z20  // evens
	VMOVUPS 64(AX), Z21 // odds

	KXNORW K5, K5, K5 // full vectors: every lane
	KXNORW K6, K6, K6
	KXNORW K7, K7, K7

loop:
	CMPQ CX, $0
	JLE  done
	CMPQ CX, $16
	JGE  body
	// The last n < 16 windows: lanes masked, n in K5, the rows' 2n elements in K6, K7.
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
	VMOVUPS.Z (R9), K6, Z2
	VMOVUPS.Z 64(R9), K7, Z3
	VCMPPS $3, Z2, Z0, K1 // UNORD_Q: r0 or r1 is NaN
	VCMPPS $3, Z3, Z1, K2
	VADDPS Z2, Z0, Z8 // a NaN where K1 is set
	VADDPS Z3, Z1, Z9
	VRANGEPS $5, Z2, Z0, Z0 // max(r0, r1), element by element
	VRANGEPS $5, Z3, Z1, Z1
	VMOVAPS Z8, K1, Z0 // NaN propagates
	VMOVAPS Z9, K2, Z1
	VMOVAPS Z0, Z4
	VPERMT2PS Z1, Z20, Z4 // left columns
	VPERMT2PS Z1, Z21, Z0 // right columns
	VCMPPS $3, Z0, Z4, K3
	VADDPS Z0, Z4, Z10
	VRANGEPS $5, Z0, Z4, Z4
	VMOVAPS Z10, K3, Z4
	VMOVUPS Z4, K5, (DI)
	ADDQ $128, SI
	ADDQ $128, R9
	ADDQ $64, DI
	SUBQ $16, CX
	JMP  loop

done:
	VZEROUPPER
	RET

// func maxPool2x2Rows64(y, r0, r1 *float64, n int)
// maxPool2x2Rows32 for float64, eight windows at a time.
TEXT ·maxPool2x2Rows64(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	MOVQ r0+8(FP), SI
	MOVQ r1+16(FP), R9
	MOVQ n+24(FP), CX
	LEAQ maxPool2x2Idx64<>(SB), AX
	VMOVUPD 0(AX), Z20  // evens
	VMOVUPD 64(AX), Z21 // odds

	KXNORW K5, K5, K5 // full vectors: every lane
	KXNORW K6, K6, K6
	KXNORW K7, K7, K7

loop64:
	CMPQ CX, $0
	JLE  done64
	CMPQ CX, $8
	JGE  body64
	// The last n < 8 windows: lanes masked, n in K5, the rows' 2n elements in K6, K7.
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K5
	MOVQ $1, AX
	SHLQ CX, AX
	SHLQ CX, AX // 1<<2n
	DECQ AX
	KMOVW AX, K6
	SHRQ $8, AX
	KMOVW AX, K7
	MOVQ $8, CX // ends the loop after this pass

body64:
	VMOVUPD.Z (SI), K6, Z0
	VMOVUPD.Z 64(SI), K7, Z1
	VMOVUPD.Z (R9), K6, Z2
	VMOVUPD.Z 64(R9), K7, Z3
	VCMPPD $3, Z2, Z0, K1 // UNORD_Q: r0 or r1 is NaN
	VCMPPD $3, Z3, Z1, K2
	VADDPD Z2, Z0, Z8 // a NaN where K1 is set
	VADDPD Z3, Z1, Z9
	VRANGEPD $5, Z2, Z0, Z0 // max(r0, r1), element by element
	VRANGEPD $5, Z3, Z1, Z1
	VMOVAPD Z8, K1, Z0 // NaN propagates
	VMOVAPD Z9, K2, Z1
	VMOVAPD Z0, Z4
	VPERMT2PD Z1, Z20, Z4 // left columns
	VPERMT2PD Z1, Z21, Z0 // right columns
	VCMPPD $3, Z0, Z4, K3
	VADDPD Z0, Z4, Z10
	VRANGEPD $5, Z0, Z4, Z4
	VMOVAPD Z10, K3, Z4
	VMOVUPD Z4, K5, (DI)
	ADDQ $128, SI
	ADDQ $128, R9
	ADDQ $64, DI
	SUBQ $8, CX
	JMP  loop64

done64:
	VZEROUPPER
	RET
