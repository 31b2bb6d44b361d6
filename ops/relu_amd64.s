//go:build amd64 && !purego

#include "textflag.h"

// The AVX-512 loops of ops/relu_amd64.go. Each lane is selected by a compare mask and a
// zeroing move, so the results are those of the Go loops bit for bit.

// func relu32AVX512(o, x *float32, n int)
// o[i] = x[i] where x[i] > 0 or x[i] is NaN, else +0.
TEXT ·relu32AVX512(SB), NOSPLIT, $0-24
	MOVQ o+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VPXORD Z31, Z31, Z31

relu32loop:
	CMPQ CX, $16
	JLT  relu32tail
	VMOVUPS (SI), Z0
	VCMPPS  $0x1e, Z31, Z0, K1 // x > 0 (GT_OQ)
	VCMPPS  $3, Z0, Z0, K2     // x is NaN (UNORD_Q)
	KORW    K1, K2, K1
	VMOVUPS.Z Z0, K1, Z1
	VMOVUPS Z1, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     relu32loop

relu32tail:
	TESTQ CX, CX
	JZ    relu32done
	MOVQ  $1, AX
	SHLQ  CX, AX
	DECQ  AX
	KMOVW AX, K3
	VMOVUPS.Z (SI), K3, Z0
	VCMPPS  $0x1e, Z31, Z0, K1
	VCMPPS  $3, Z0, Z0, K2
	KORW    K1, K2, K1
	VMOVUPS.Z Z0, K1, Z1
	VMOVUPS Z1, K3, (DI)

relu32done:
	VZEROUPPER
	RET

// func relu64AVX512(o, x *float64, n int)
TEXT ·relu64AVX512(SB), NOSPLIT, $0-24
	MOVQ o+0(FP), DI
	MOVQ x+8(FP), SI
	MOVQ n+16(FP), CX
	VPXORD Z31, Z31, Z31

relu64loop:
	CMPQ CX, $8
	JLT  relu64tail
	VMOVUPD (SI), Z0
	VCMPPD  $0x1e, Z31, Z0, K1
	VCMPPD  $3, Z0, Z0, K2
	KORW    K1, K2, K1
	VMOVUPD.Z Z0, K1, Z1
	VMOVUPD Z1, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DI
	SUBQ    $8, CX
	JMP     relu64loop

relu64tail:
	TESTQ CX, CX
	JZ    relu64done
	MOVQ  $1, AX
	SHLQ  CX, AX
	DECQ  AX
	KMOVW AX, K3
	VMOVUPD.Z (SI), K3, Z0
	VCMPPD  $0x1e, Z31, Z0, K1
	VCMPPD  $3, Z0, Z0, K2
	KORW    K1, K2, K1
	VMOVUPD.Z Z0, K1, Z1
	VMOVUPD Z1, K3, (DI)

relu64done:
	VZEROUPPER
	RET

// func reluGrad32AVX512(o, gr, a *float32, n int)
// o[i] = gr[i] where a[i] > 0, else +0.
TEXT ·reluGrad32AVX512(SB), NOSPLIT, $0-32
	MOVQ o+0(FP), DI
	MOVQ gr+8(FP), DX
	MOVQ a+16(FP), SI
	MOVQ n+24(FP), CX
	VPXORD Z31, Z31, Z31

rg32loop:
	CMPQ CX, $16
	JLT  rg32tail
	VMOVUPS (SI), Z0
	VCMPPS  $0x1e, Z31, Z0, K1
	VMOVUPS.Z (DX), K1, Z1
	VMOVUPS Z1, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DX
	ADDQ    $64, DI
	SUBQ    $16, CX
	JMP     rg32loop

rg32tail:
	TESTQ CX, CX
	JZ    rg32done
	MOVQ  $1, AX
	SHLQ  CX, AX
	DECQ  AX
	KMOVW AX, K3
	VMOVUPS.Z (SI), K3, Z0
	VCMPPS  $0x1e, Z31, Z0, K1
	KANDW   K3, K1, K1
	VMOVUPS.Z (DX), K1, Z1
	VMOVUPS Z1, K3, (DI)

rg32done:
	VZEROUPPER
	RET

// func reluGrad64AVX512(o, gr, a *float64, n int)
TEXT ·reluGrad64AVX512(SB), NOSPLIT, $0-32
	MOVQ o+0(FP), DI
	MOVQ gr+8(FP), DX
	MOVQ a+16(FP), SI
	MOVQ n+24(FP), CX
	VPXORD Z31, Z31, Z31

rg64loop:
	CMPQ CX, $8
	JLT  rg64tail
	VMOVUPD (SI), Z0
	VCMPPD  $0x1e, Z31, Z0, K1
	VMOVUPD.Z (DX), K1, Z1
	VMOVUPD Z1, (DI)
	ADDQ    $64, SI
	ADDQ    $64, DX
	ADDQ    $64, DI
	SUBQ    $8, CX
	JMP     rg64loop

rg64tail:
	TESTQ CX, CX
	JZ    rg64done
	MOVQ  $1, AX
	SHLQ  CX, AX
	DECQ  AX
	KMOVW AX, K3
	VMOVUPD.Z (SI), K3, Z0
	VCMPPD  $0x1e, Z31, Z0, K1
	KANDW   K3, K1, K1
	VMOVUPD.Z (DX), K1, Z1
	VMOVUPD Z1, K3, (DI)

rg64done:
	VZEROUPPER
	RET

// func reluGrad32Stream(o, gr, a *float32, n int)
// reluGrad32AVX512 with non-temporal stores, which write whole lines without reading them
// first: o is 64-byte aligned and n a positive multiple of 16. SFENCE orders the stores before
// whatever the caller does next, as the pool's hand-off to another core.
TEXT ·reluGrad32Stream(SB), NOSPLIT, $0-32
	MOVQ o+0(FP), DI
	MOVQ gr+8(FP), DX
	MOVQ a+16(FP), SI
	MOVQ n+24(FP), CX
	VPXORD Z31, Z31, Z31

rgs32loop:
	VMOVUPS   (SI), Z0
	VCMPPS    $0x1e, Z31, Z0, K1
	VMOVUPS.Z (DX), K1, Z1
	VMOVNTPS  Z1, (DI)
	ADDQ      $64, SI
	ADDQ      $64, DX
	ADDQ      $64, DI
	SUBQ      $16, CX
	JNZ       rgs32loop
	SFENCE
	VZEROUPPER
	RET

// func reluGrad64Stream(o, gr, a *float64, n int)
// reluGrad32Stream for float64: n a positive multiple of 8.
TEXT ·reluGrad64Stream(SB), NOSPLIT, $0-32
	MOVQ o+0(FP), DI
	MOVQ gr+8(FP), DX
	MOVQ a+16(FP), SI
	MOVQ n+24(FP), CX
	VPXORD Z31, Z31, Z31

rgs64loop:
	VMOVUPD   (SI), Z0
	VCMPPD    $0x1e, Z31, Z0, K1
	VMOVUPD.Z (DX), K1, Z1
	VMOVNTPD  Z1, (DI)
	ADDQ      $64, SI
	ADDQ      $64, DX
	ADDQ      $64, DI
	SUBQ      $8, CX
	JNZ       rgs64loop
	SFENCE
	VZEROUPPER
	RET
