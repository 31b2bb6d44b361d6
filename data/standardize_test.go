package data_test

import (
	"errors"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gograd/gograd/data"
)

// approx allows for rounding in sums and square roots over a few values:
// a relative error of 1e-12 is many ulps but far below any real mistake.
var approx = cmpopts.EquateApprox(1e-12, 1e-12)

func TestStandardize(t *testing.T) {
	// Columns: varying, constant 0.1 (whose mean is inexact in floating
	// point), constant 0.
	train := data.Dataset{Rows: 3, Cols: 3, X: []float64{
		1, 0.1, 0,
		2, 0.1, 0,
		6, 0.1, 0,
	}}
	test := data.Dataset{Rows: 1, Cols: 3, X: []float64{3, 5, -1}}
	s, err := data.Standardize(&train, &test)
	if err != nil {
		t.Fatalf("Standardize: %v", err)
	}
	std := math.Sqrt((4.0 + 1 + 9) / 3) // Population deviation of 1, 2, 6 around 3.
	want := data.Scaler{Mean: []float64{3, 0.1, 0}, Std: []float64{std, 1, 1}}
	if diff := cmp.Diff(want, s, approx); diff != "" {
		t.Errorf("Standardize scaler mismatch (-want +got):\n%s", diff)
	}
	wantTrain := []float64{-2 / std, 0, 0, -1 / std, 0, 0, 3 / std, 0, 0}
	if diff := cmp.Diff(wantTrain, train.X, approx); diff != "" {
		t.Errorf("standardized train mismatch (-want +got):\n%s", diff)
	}
	// Constant columns map exactly to 0 on the training set.
	for i := range 3 {
		if train.X[3*i+1] != 0 {
			t.Errorf("standardized constant column, row %d: got %v, want exactly 0", i, train.X[3*i+1])
		}
	}
	wantTest := []float64{0, 5 - 0.1, -1}
	if diff := cmp.Diff(wantTest, test.X, approx); diff != "" {
		t.Errorf("standardized test mismatch (-want +got):\n%s", diff)
	}
}

func TestStandardizeErrors(t *testing.T) {
	empty := data.Dataset{Cols: 2}
	if _, err := data.Standardize(&empty); !errors.Is(err, data.ErrEmpty) {
		t.Errorf("Standardize of no rows: got error %v, want ErrEmpty", err)
	}
	train := data.Dataset{Rows: 2, Cols: 1, X: []float64{1, 2}}
	other := data.Dataset{Rows: 1, Cols: 2, X: []float64{1, 2}}
	if _, err := data.Standardize(&train, &other); !errors.Is(err, data.ErrLength) {
		t.Errorf("Standardize with mismatched columns: got error %v, want ErrLength", err)
	}
	if train.X[0] != 1 || other.X[0] != 1 {
		t.Errorf("Standardize with mismatched columns changed data: %v, %v", train.X, other.X)
	}
	s, _ := data.FitScaler(train)
	if err := s.Apply(&other); !errors.Is(err, data.ErrLength) {
		t.Errorf("Apply with mismatched columns: got error %v, want ErrLength", err)
	}
}

// TestStandardizeLeavesTheCallersSliceAlone checks Standardize(all[0], all[1:2]...) does not
// write into the spare capacity of all.
func TestStandardizeLeavesTheCallersSliceAlone(t *testing.T) {
	a := data.Dataset{Rows: 2, Cols: 1, X: []float64{1, 3}}
	b := data.Dataset{Rows: 1, Cols: 1, X: []float64{2}}
	c := data.Dataset{Rows: 1, Cols: 1, X: []float64{5}}
	all := []*data.Dataset{&a, &b, &c}
	if _, err := data.Standardize(all[0], all[1:2]...); err != nil {
		t.Fatal(err)
	}
	if all[2] != &c {
		t.Errorf("all[2] = %p after data.Standardize(all[0], all[1:2]...), want the third data set %p", all[2], &c)
	}
	if c.X[0] != 5 {
		t.Errorf("the third data set, not passed, was changed to %v", c.X)
	}
}

// TestStandardizeTinySpread checks a column whose deviations underflow when squared is treated
// as constant instead of being divided by a zero deviation.
func TestStandardizeTinySpread(t *testing.T) {
	d := data.Dataset{Rows: 2, Cols: 1, X: []float64{1e-200, 2e-200}}
	if _, err := data.Standardize(&d); err != nil {
		t.Fatal(err)
	}
	for i, x := range d.X {
		if math.IsInf(x, 0) || math.IsNaN(x) {
			t.Errorf("standardized value %d = %v, want a finite value", i, x)
		}
	}
}
