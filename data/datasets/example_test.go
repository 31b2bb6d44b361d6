package datasets_test

import (
	"fmt"

	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/data/datasets"
)

func ExampleDigits() {
	train, test, err := datasets.Digits()
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := data.Standardize(&train, &test); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(train.Rows, test.Rows, train.Cols, train.Classes())
	// Output: 1347 450 64 10
}

func ExampleIris() {
	d, err := datasets.Iris()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Rows, d.Cols, d.Row(0), datasets.IrisClassNames()[d.Y[0]])
	// Output: 150 4 [5.1 3.5 1.4 0.2] setosa
}

// MNIST from the Go module cache, standardized with the training set's
// mean and deviation (about 0.1307 and 0.3081). Not run by go test: it
// may need the network the first time.
func ExampleMNIST() {
	train, test, err := datasets.MNIST("") // or the folder of the four IDX files
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := data.StandardizePer(data.Global, &train, &test); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(train.Rows, test.Rows, train.Shape)
}
