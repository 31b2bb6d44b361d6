package data_test

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/gograd/gograd/data"
)

func ExampleReadCSV() {
	in := "sepal,petal,class\n5.1,1.4,0\n7.0,4.7,1\n"
	d, err := data.ReadCSV(strings.NewReader(in), data.SkipLines(1))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Rows, d.Cols, d.X, d.Y)

	_, err = data.ReadCSV(strings.NewReader("1,2,0\n3,abc,1\n"))
	fmt.Println(err)
	// Output:
	// 2 2 [5.1 1.4 7 4.7] [0 1]
	// data: line 2, column 2: "abc" is not a finite number
}

func ExampleNewBatches() {
	d := data.Dataset{Rows: 5, Cols: 1, X: []float64{0, 10, 20, 30, 40}, Y: []int{0, 1, 0, 1, 0}}
	b := data.NewBatches(d.Rows, 2, rand.New(rand.NewPCG(1, 0)))
	var batch data.Dataset // Reused by every Gather.
	for epoch := range 2 {
		for _, idx := range b.Epoch() {
			d.Gather(&batch, idx)
			fmt.Println(epoch, idx, batch.X, batch.Y)
		}
	}
	// Output:
	// 0 [1 0] [10 0] [1 0]
	// 0 [3 4] [30 40] [1 0]
	// 0 [2] [20] [0]
	// 1 [0 2] [0 20] [0 0]
	// 1 [3 1] [30 10] [1 1]
	// 1 [4] [40] [0]
}

func ExampleStandardize() {
	train := data.Dataset{Rows: 2, Cols: 2, X: []float64{1, 7, 3, 7}}
	test := data.Dataset{Rows: 1, Cols: 2, X: []float64{5, 8}}
	s, err := data.Standardize(&train, &test)
	if err != nil {
		fmt.Println(err)
		return
	}
	// The second column is constant, so its Std is 1, not 0.
	fmt.Println(s.Mean, s.Std)
	fmt.Println(train.X, test.X)
	// Output:
	// [2 7] [1 1]
	// [-1 0 1 0] [3 1]
}

func ExampleAccuracy() {
	scores := []float64{
		0.1, 0.7, 0.2, // row 0: class 1
		0.8, 0.1, 0.1, // row 1: class 0
		0.3, 0.3, 0.4, // row 2: class 2
	}
	pred := data.Argmax(nil, scores, 3)
	acc, err := data.Accuracy(pred, []int{1, 0, 0})
	fmt.Println(pred, acc, err)
	// Output: [1 0 2] 0.6666666666666666 <nil>
}

// Two images of two channels of 1×2 pixels, standardized per channel: each
// channel gets mean 0 and deviation 1 over the images and pixels.
func ExampleStandardizePer() {
	d := data.Dataset{Rows: 2, Cols: 4, Shape: []int{2, 1, 2}, X: []float64{
		0, 2, 10, 10, // image 0: channel 0, then channel 1
		2, 4, 30, 30, // image 1
	}}
	s, err := data.StandardizePer(data.PerChannel, &d)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.Mean, s.Std, d.BatchShape(nil))
	fmt.Printf("%.4f\n", d.X)

	d.Shape = []int{3, 1, 2}
	fmt.Println(d.Validate())
	// Output:
	// [2 20] [1.4142135623730951 10] [2 2 1 2]
	// [-1.4142 0.0000 -1.0000 -1.0000 0.0000 1.4142 1.0000 1.0000]
	// data: example shape [3 1 2] has 6 elements but the data set has 4 columns
}
