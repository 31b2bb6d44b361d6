//go:build !noasm && !gccgo && !safe

package gemm

// gonumHasAsm reports whether gonum's BLAS uses its own assembly in this build: on amd64
// unless built with the tags that gonum's internal/asm honours (noasm, safe) or by gccgo.
const gonumHasAsm = true
