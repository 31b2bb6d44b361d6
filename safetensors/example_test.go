package safetensors_test

import (
	"bytes"
	"fmt"

	"github.com/gograd/gograd/safetensors"
)

// A weight and a bias written to a safetensors file and read back; the header is checked
// before any data is read.
func Example() {
	var buf bytes.Buffer
	err := safetensors.Write(&buf, safetensors.File{Tensors: []safetensors.Tensor{
		{Name: "0.weight", Shape: []int{2, 3}, F32: []float32{1, 2, 3, 4, 5, 6}},
		{Name: "0.bias", Shape: []int{2}, F32: []float32{0.5, -0.5}},
	}})
	if err != nil {
		panic(err)
	}
	f, err := safetensors.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		panic(err)
	}
	for _, t := range f.Tensors {
		fmt.Println(t.Name, t.Dtype, t.Shape, t.F32)
	}
	// Output:
	// 0.weight F32 [2 3] [1 2 3 4 5 6]
	// 0.bias F32 [2] [0.5 -0.5]
}
