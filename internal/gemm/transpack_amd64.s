//go:build amd64 && !purego

#include "textflag.h"

// func transPack32(dst, src *float32, ld, groups, blocks int)
// For g in [0,groups), p in [0,16*blocks) and i in [0,8):
// dst[(p*groups+g)*8+i] = src[(g*8+i)*ld+p], ld in elements.
// Each group's 8 rows are read 16 columns at a time and transposed in registers: two rounds of
// unpacks leave, in 128-bit lane l of U_j (U_{j+4}), rows 0-3 (4-7) of column 4l+j, which go to
// the column's 32 bytes of dst by lane.
TEXT ·transPack32(SB), NOSPLIT, $0-40
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ ld+16(FP), DX
	MOVQ groups+24(FP), BX
	MOVQ blocks+32(FP), CX
	SHLQ $2, DX             // ld in bytes
	LEAQ (DX)(DX*2), R12    // 3*ld
	MOVQ BX, R8
	SHLQ $5, R8             // a column's stride in dst: groups*32 bytes
	TESTQ CX, CX
	JZ   done

group:
	MOVQ SI, R9             // row 0 of the group, at column 0
	LEAQ (SI)(DX*4), R11    // row 4
	MOVQ DI, R10            // the group's 32 bytes of column 0
	MOVQ CX, AX

block:
	VMOVUPS (R9), Z0
	VMOVUPS (R9)(DX*1), Z1
	VMOVUPS (R9)(DX*2), Z2
	VMOVUPS (R9)(R12*1), Z3
	VMOVUPS (R11), Z4
	VMOVUPS (R11)(DX*1), Z5
	VMOVUPS (R11)(DX*2), Z6
	VMOVUPS (R11)(R12*1), Z7
	VUNPCKLPS Z1, Z0, Z8
	VUNPCKHPS Z1, Z0, Z9
	VUNPCKLPS Z3, Z2, Z10
	VUNPCKHPS Z3, Z2, Z11
	VUNPCKLPS Z5, Z4, Z12
	VUNPCKHPS Z5, Z4, Z13
	VUNPCKLPS Z7, Z6, Z14
	VUNPCKHPS Z7, Z6, Z15
	VUNPCKLPD Z10, Z8, Z0
	VUNPCKHPD Z10, Z8, Z1
	VUNPCKLPD Z11, Z9, Z2
	VUNPCKHPD Z11, Z9, Z3
	VUNPCKLPD Z14, Z12, Z4
	VUNPCKHPD Z14, Z12, Z5
	VUNPCKLPD Z15, Z13, Z6
	VUNPCKHPD Z15, Z13, Z7
	// Columns 0-3: lane 0 of U_0…U_3 and U_4…U_7.
	VMOVUPS X0, (R10)
	VMOVUPS X4, 16(R10)
	ADDQ R8, R10
	VMOVUPS X1, (R10)
	VMOVUPS X5, 16(R10)
	ADDQ R8, R10
	VMOVUPS X2, (R10)
	VMOVUPS X6, 16(R10)
	ADDQ R8, R10
	VMOVUPS X3, (R10)
	VMOVUPS X7, 16(R10)
	ADDQ R8, R10
	// Columns 4-7, 8-11, 12-15: lanes 1, 2, 3.
	VEXTRACTF32X4 $1, Z0, (R10)
	VEXTRACTF32X4 $1, Z4, 16(R10)
	ADDQ R8, R10
	VEXTRACTF32X4 $1, Z1, (R10)
	VEXTRACTF32X4 $1, Z5, 16(R10)
	ADDQ R8, R10
	VEXTRACTF32X4 $1, Z2, (R10)
	VEXTRACTF32X4 $1, Z6, 16(R10)
	ADDQ R8, R10
	VEXTRACTF32X4 $1, Z3, (R10)
	VEXTRACTF32X4 $1, Z7, 16(R10)
	ADDQ R8, R10
	VEXTRACTF32X4 $2, Z0, (R10)
	VEXTRACTF32X4 $2, Z4, 16(R10)
	ADDQ R8, R10
	VEXTRACTF32X4 $2, Z1, (R10)
	VEXTRACTF32X4 $2, Z5, 16(R10)
	ADDQ R8, R10
	VEXTRACTF32X4 $2, Z2, (R10)
	VEXTRACTF32X4 $2, Z6, 16(R10)
	ADDQ R8, R10
	VEXTRACTF32X4 $2, Z3, (R10)
	VEXTRACTF32X4 $2, Z7, 16(R10)
	ADDQ R8, R10
	VEXTRACTF32X4 $3, Z0, (R10)
	VEXTRACTF32X4 $3, Z4, 16(R10)
	ADDQ R8, R10
	VEXTRACTF32X4 $3, Z1, (R10)
	VEXTRACTF32X4 $3, Z5, 16(R10)
	ADDQ R8, R10
	VEXTRACTF32X4 $3, Z2, (R10)
	VEXTRACTF32X4 $3, Z6, 16(R10)
	ADDQ R8, R10
	VEXTRACTF32X4 $3, Z3, (R10)
	VEXTRACTF32X4 $3, Z7, 16(R10)
	ADDQ R8, R10
	ADDQ $64, R9
	ADDQ $64, R11
	DECQ AX
	JNZ  block

	ADDQ $32, DI            // the next group's 32 bytes of column 0
	LEAQ (SI)(DX*8), SI     // and its row 0
	DECQ BX
	JNZ  group

done:
	VZEROUPPER
	RET
