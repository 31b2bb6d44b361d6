// Package datasets embeds small real data sets for tests and examples.
//
// Sources and licences (see README.md in this directory):
//
//   - digits.csv.gz: 8x8 handwritten digits, pixel counts 0..16, label
//     0..9; 1797 rows, 64 features + label, no header. Test set of the UCI
//     "Optical Recognition of Handwritten Digits" data set (E. Alpaydin,
//     C. Kaynak, 1998), CC BY 4.0.
//   - iris.csv: Fisher's iris measurements, class 0..2; 150 rows, 4
//     features + label; first line is a header
//     `150,4,setosa,versicolor,virginica`. UCI "Iris" data set
//     (R. A. Fisher, 1936), CC BY 4.0.
//
// A fixed, documented split keeps results comparable: for digits, rows
// 0..1346 train and rows 1347..1796 test, in file order.
package datasets

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"

	"github.com/gograd/gograd/data"
)

//go:embed digits.csv.gz
var digitsGz []byte

//go:embed iris.csv
var irisCSV []byte

// Sizes of the embedded data sets.
const (
	DigitsTrainRows = 1347 // rows 0..1346 of digits.csv.gz
	DigitsTestRows  = 450  // rows 1347..1796 of digits.csv.gz
	DigitsCols      = 64   // 8x8 pixel counts 0..16
	DigitsClasses   = 10   // digits 0..9

	IrisRows    = 150
	IrisCols    = 4 // sepal length, sepal width, petal length, petal width in cm
	IrisClasses = 3 // setosa, versicolor, virginica
)

// Digits returns the handwritten digits data set split in file order into
// its first DigitsTrainRows rows for training and the remaining
// DigitsTestRows rows for testing. Each call returns fresh copies.
func Digits() (train, test data.Dataset, err error) {
	zr, err := gzip.NewReader(bytes.NewReader(digitsGz))
	if err != nil {
		return data.Dataset{}, data.Dataset{}, fmt.Errorf("datasets: digits.csv.gz: %w", err)
	}
	d, err := data.ReadCSV(zr)
	if err != nil {
		return data.Dataset{}, data.Dataset{}, named(err, "digits.csv.gz")
	}
	if d.Rows != DigitsTrainRows+DigitsTestRows || d.Cols != DigitsCols {
		return data.Dataset{}, data.Dataset{}, fmt.Errorf("datasets: digits.csv.gz: %d rows of %d features, want %d of %d", d.Rows, d.Cols, DigitsTrainRows+DigitsTestRows, DigitsCols)
	}
	train, test = data.Split(d, DigitsTrainRows)
	return train, test, nil
}

// Iris returns Fisher's iris data set in file order. Each call returns a
// fresh copy.
func Iris() (data.Dataset, error) {
	d, err := data.ReadCSV(bytes.NewReader(irisCSV), data.SkipLines(1))
	if err != nil {
		return data.Dataset{}, named(err, "iris.csv")
	}
	if d.Rows != IrisRows || d.Cols != IrisCols {
		return data.Dataset{}, fmt.Errorf("datasets: iris.csv: %d rows of %d features, want %d of %d", d.Rows, d.Cols, IrisRows, IrisCols)
	}
	return d, nil
}

// named sets the path of a *data.Error from reading the embedded file.
func named(err error, file string) error {
	var e *data.Error
	if errors.As(err, &e) {
		e.Path = file
		return e
	}
	return fmt.Errorf("datasets: %s: %w", file, err)
}

// IrisClassNames returns the names of the iris classes 0, 1 and 2.
func IrisClassNames() []string {
	return []string{"setosa", "versicolor", "virginica"}
}
