package gemm

import "testing"

// benchPurego runs bench with the pure-Go kernels in use, whatever the build tags: the speed
// non-amd64 users get (packing still uses assembly on amd64 unless built with -tags purego).
func benchPurego(b *testing.B, bench func(*testing.B, benchShape), s benchShape) {
	useGeneric(true)
	defer useGeneric(false)
	bench(b, s)
}

// The pure-Go kernels on the shapes of the Gonum benchmarks, for a side-by-side comparison:
//
//	go test -tags purego -run '^$' -bench '(Purego|Gonum)[DS]gemm(256|512|MLPForward|MLPGradW)$' ./internal/gemm
func BenchmarkPuregoDgemm256(b *testing.B) {
	benchPurego(b, benchD, benchShape{m: 256, n: 256, k: 256})
}
func BenchmarkPuregoDgemm512(b *testing.B) {
	benchPurego(b, benchD, benchShape{m: 512, n: 512, k: 512})
}
func BenchmarkPuregoSgemm256(b *testing.B) {
	benchPurego(b, benchS, benchShape{m: 256, n: 256, k: 256})
}
func BenchmarkPuregoSgemm512(b *testing.B) {
	benchPurego(b, benchS, benchShape{m: 512, n: 512, k: 512})
}

func BenchmarkPuregoDgemmMLPForward(b *testing.B) { benchPurego(b, benchD, mlpForward) }
func BenchmarkPuregoDgemmMLPGradW(b *testing.B)   { benchPurego(b, benchD, mlpGradW) }
func BenchmarkPuregoSgemmMLPForward(b *testing.B) { benchPurego(b, benchS, mlpForward) }
func BenchmarkPuregoSgemmMLPGradW(b *testing.B)   { benchPurego(b, benchS, mlpGradW) }
