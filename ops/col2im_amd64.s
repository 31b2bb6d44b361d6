//go:build amd64 && !purego

#include "textflag.h"

// func addRows32(dst, src *float32, rows, n, dstStride, srcStride int)
// For r < rows and i < n: dst[r·dstStride+i] += src[r·srcStride+i], sixteen elements at a time,
// the last n mod 16 of each row under a mask. Strides are in elements.
TEXT ·addRows32(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ rows+16(FP), R8
	MOVQ n+24(FP), R9
	MOVQ dstStride+32(FP), R10
	MOVQ srcStride+40(FP), R11
	SHLQ $2, R10
	SHLQ $2, R11
	// The tail mask: the last n mod 16 lanes of a row.
	MOVQ R9, CX
	ANDQ $15, CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1

row:
	TESTQ R8, R8
	JLE   done
	MOVQ  DI, DX
	MOVQ  SI, BX
	MOVQ  R9, CX

vec:
	CMPQ   CX, $16
	JLT    tail
	VMOVUPS (BX), Z0
	VADDPS (DX), Z0, Z0
	VMOVUPS Z0, (DX)
	ADDQ   $64, BX
	ADDQ   $64, DX
	SUBQ   $16, CX
	JMP    vec

tail:
	TESTQ CX, CX
	JZ    next
	VMOVUPS.Z (BX), K1, Z0
	VMOVUPS.Z (DX), K1, Z1
	VADDPS Z0, Z1, Z1
	VMOVUPS Z1, K1, (DX)

next:
	ADDQ R10, DI
	ADDQ R11, SI
	DECQ R8
	JMP  row

done:
	VZEROUPPER
	RET

// func addRows64(dst, src *float64, rows, n, dstStride, srcStride int)
// addRows32 for float64, eight elements at a time.
TEXT ·addRows64(SB), NOSPLIT, $0-48
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ rows+16(FP), R8
	MOVQ n+24(FP), R9
	MOVQ dstStride+32(FP), R10
	MOVQ srcStride+40(FP), R11
	SHLQ $3, R10
	SHLQ $3, R11
	// The tail mask: the last n mod 8 lanes of a row.
	MOVQ R9, CX
	ANDQ $7, CX
	MOVQ $1, AX
	SHLQ CX, AX
	DECQ AX
	KMOVW AX, K1

row64:
	TESTQ R8, R8
	JLE   done64
	MOVQ  DI, DX
	MOVQ  SI, BX
	MOVQ  R9, CX

vec64:
	CMPQ   CX, $8
	JLT    tail64
	VMOVUPD (BX), Z0
	VADDPD (DX), Z0, Z0
	VMOVUPD Z0, (DX)
	ADDQ   $64, BX
	ADDQ   $64, DX
	SUBQ   $8, CX
	JMP    vec64

tail64:
	TESTQ CX, CX
	JZ    next64
	VMOVUPD.Z (BX), K1, Z0
	VMOVUPD.Z (DX), K1, Z1
	VADDPD Z0, Z1, Z1
	VMOVUPD Z1, K1, (DX)

next64:
	ADDQ R10, DI
	ADDQ R11, SI
	DECQ R8
	JMP  row64

done64:
	VZEROUPPER
	RET
