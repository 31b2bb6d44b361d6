package ptfile_test

import (
	"fmt"

	"github.com/gograd/gograd/ptfile"
)

// A state_dict that torch.save wrote (testdata/make_pt.py), read without Python: each tensor
// with its storage's dtype and its shape.
func ExampleReadFile() {
	ts, err := ptfile.ReadFile("testdata/dtypes.pt")
	if err != nil {
		panic(err)
	}
	for _, t := range ts[:2] {
		fmt.Println(t.Name, t.Dtype, t.Shape)
	}
	// Output:
	// float64 F64 [3 4]
	// float32 F32 [3 4]
}
