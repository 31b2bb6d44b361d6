//go:build !amd64 || purego

package ops

// softmaxAsm is false: no assembly loops on this architecture or with the purego tag.
var softmaxAsm = false

func softmaxSub32AVX512(o, x *float32, n int)      { panic("unreachable") }
func softmaxDiv32AVX512(o *float32, n int)         { panic("unreachable") }
func softmaxGrad32AVX512(o, gr, y *float32, n int) { panic("unreachable") }
