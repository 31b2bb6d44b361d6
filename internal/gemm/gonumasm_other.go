//go:build !amd64 || noasm || gccgo || safe

package gemm

// gonumHasAsm reports whether gonum's BLAS uses its own assembly in this build: it has none
// off amd64, nor with the tags that gonum's internal/asm honours (noasm, safe), nor with gccgo.
const gonumHasAsm = false
