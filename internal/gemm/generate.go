package gemm

// The assembly of this package is generated: kernel_amd64.s by gen_kernels.go, pack_amd64.s by
// gen_pack.go, direct_amd64.s and its declarations direct_amd64_decl.go by gen_direct.go,
// kernel_arm64.s by gen_neon.go. The directives sit in a file without build constraints so that
// "go generate" runs them on any machine; .ci/run checks that the committed files are what they
// write.

//go:generate go run gen_kernels.go
//go:generate go run gen_pack.go
//go:generate go run gen_direct.go
//go:generate go run gen_neon.go
