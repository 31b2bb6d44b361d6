package datasets_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/data/datasets"
)

// mnistStats is what testdata/mnist_stats.py computes with NumPy.
type mnistStats struct {
	Rows          int     `json:"rows"`
	ClassCounts   []int   `json:"class_counts"`
	FirstLabels   []int   `json:"first_labels"`
	Mean          float64 `json:"mean"`
	Std           float64 `json:"std"`
	FirstImageSum float64 `json:"first_image_sum"`
}

// loadMNIST returns MNIST from the module cache, skipping the test if
// the go command or the network is unavailable.
func loadMNIST(t *testing.T) (train, test data.Dataset) {
	t.Helper()
	train, test, err := datasets.MNIST("")
	if errors.Is(err, datasets.ErrMNISTUnavailable) {
		t.Skipf("skipping: %v", err)
	}
	if err != nil {
		t.Fatalf("MNIST(\"\"): %v", err)
	}
	return train, test
}

// TestMNIST checks the loaded data against facts computed by NumPy from
// the same files.
func TestMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: reads 55 MB of MNIST")
	}
	b, err := os.ReadFile(filepath.Join("testdata", "mnist_stats.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want map[string]mnistStats
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	train, test := loadMNIST(t)
	// FitScalerPer adds 47 million values one after the other, NumPy
	// pairwise: the sequential sum's rounding error is bounded by about
	// n·ε = 1e-8 relative and is 5e-11 here; 1e-9 is still far below any
	// real mistake (one wrong pixel of 47 million moves the mean by 2e-8).
	approx := cmpopts.EquateApprox(1e-9, 0)
	for _, tc := range []struct {
		name string
		d    data.Dataset
		want mnistStats
	}{{"train", train, want["train"]}, {"test", test, want["test"]}} {
		if err := tc.d.Validate(); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if tc.d.Rows != tc.want.Rows || !cmp.Equal(tc.d.Shape, []int{1, 28, 28}) {
			t.Errorf("%s: %d examples of shape %v, want %d of shape [1 28 28]", tc.name, tc.d.Rows, tc.d.Shape, tc.want.Rows)
		}
		counts := make([]int, datasets.MNISTClasses)
		for _, y := range tc.d.Y {
			counts[y]++
		}
		if !cmp.Equal(counts, tc.want.ClassCounts) || !cmp.Equal(tc.d.Y[:10], tc.want.FirstLabels) {
			t.Errorf("%s: class counts %v, first labels %v; want %v, %v", tc.name, counts, tc.d.Y[:10], tc.want.ClassCounts, tc.want.FirstLabels)
		}
		lo, hi, first := 1.0, 0.0, 0.0
		for i, x := range tc.d.X {
			lo, hi = min(lo, x), max(hi, x)
			if i < 784 {
				first += x
			}
		}
		if lo != 0 || hi != 1 {
			t.Errorf("%s: pixels in [%v, %v], want [0, 1]", tc.name, lo, hi)
		}
		s, err := data.FitScalerPer(tc.d, data.Global)
		if err != nil {
			t.Fatal(err)
		}
		got := []float64{s.Mean[0], s.Std[0], first}
		if w := []float64{tc.want.Mean, tc.want.Std, tc.want.FirstImageSum}; !cmp.Equal(got, w, approx) {
			t.Errorf("%s: mean, deviation and first image's sum %v; NumPy gives %v", tc.name, got, w)
		}
	}
}

// TestMNISTFromFolder checks a folder of plain (not gzipped) files, and a
// missing folder.
func TestMNISTFromFolder(t *testing.T) {
	if _, _, err := datasets.MNIST(t.TempDir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("MNIST of an empty folder: got %v, want os.ErrNotExist", err)
	}
	dir := t.TempDir()
	write := func(name string, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	header := func(dims ...uint32) []byte {
		b := []byte{0, 0, 8, byte(len(dims))}
		for _, d := range dims {
			b = append(b, byte(d>>24), byte(d>>16), byte(d>>8), byte(d))
		}
		return b
	}
	write("train-images-idx3-ubyte", append(header(2, 28, 28), make([]byte, 2*784)...))
	write("train-labels-idx1-ubyte", append(header(2), 3, 4))
	write("t10k-images-idx3-ubyte", append(header(1, 28, 28), make([]byte, 784)...))
	write("t10k-labels-idx1-ubyte", append(header(1), 5))
	_, _, err := datasets.MNIST(dir)
	if want := "datasets: " + filepath.Join(dir, "train-images-idx3-ubyte") + ": 2 images of 784 pixels, want 60000 of 784"; err == nil || err.Error() != want {
		t.Errorf("MNIST of a folder of 2 training images: got %v, want %q", err, want)
	}
}
