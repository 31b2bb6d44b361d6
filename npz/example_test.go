package npz_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gograd/gograd/npz"
)

func Example() {
	dir, err := os.MkdirTemp("", "npz-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "model.npz")

	weights := []npz.Array{
		npz.Float32("layer0/w", []float32{0.5, -1, 2, 0.25, 1, -0.5}, 2, 3),
		npz.Float32("layer0/b", []float32{0, 0.1, 0}, 3),
		npz.Int64("step", []int64{1000}), // rank 0
	}
	if err := npz.WriteFile(path, weights); err != nil {
		fmt.Println(err)
		return
	}
	arrays, err := npz.ReadFile(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range arrays {
		fmt.Println(a.Name, a.Dtype(), a.Shape, a.Len())
	}
	// Output:
	// layer0/w float32 [2 3] 6
	// layer0/b float32 [3] 3
	// step int64 [] 1
}

func ExampleRead() {
	var buf bytes.Buffer
	if err := npz.Write(&buf, []npz.Array{npz.Float64("x", []float64{1, 2, 3}, 3)}); err != nil {
		fmt.Println(err)
		return
	}
	arrays, err := npz.Read(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	fmt.Println(arrays[0].Name, arrays[0].F64, err)

	// Cut the archive short.
	_, err = npz.Read(bytes.NewReader(buf.Bytes()[:100]), 100)
	fmt.Println(err)
	// Output:
	// x [1 2 3] <nil>
	// npz: zip: not a valid zip file
}

func ExampleReadFile() {
	// numpy.npz was written by numpy.savez (see testdata/make_numpy.py).
	arrays, err := npz.ReadFile("testdata/numpy.npz")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, a := range arrays[:3] {
		fmt.Println(a.Name, a.Dtype(), a.Shape, a.F64, a.F32, a.I64)
	}
	// Output:
	// w float64 [2 3] [1.5 -0 +Inf -Inf 5e-324 2] [] []
	// scalar float32 [] [] [3.25] []
	// labels int64 [4] [] [] [0 1 2 -7]
}
