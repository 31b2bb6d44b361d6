package datasets_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/data/datasets"
)

// checkLabels reports labels outside [0, classes) and returns the count
// of each class.
func checkLabels(t *testing.T, name string, d data.Dataset, classes int) []int {
	t.Helper()
	counts := make([]int, classes)
	for i, y := range d.Y {
		if y < 0 || y >= classes {
			t.Errorf("%s: label %d is %d, want one in [0, %d)", name, i, y, classes)
			continue
		}
		counts[y]++
	}
	return counts
}

func TestDigits(t *testing.T) {
	train, test, err := datasets.Digits()
	if err != nil {
		t.Fatalf("Digits: %v", err)
	}
	for _, tc := range []struct {
		name       string
		d          data.Dataset
		rows       int
		counts     []int // per class, from awk over the file
		first      []float64
		firstLabel int
	}{
		{
			name: "train", d: train, rows: 1347,
			counts: []int{135, 136, 134, 136, 133, 137, 134, 134, 133, 135},
			// Line 1 of digits.csv.gz.
			first:      []float64{0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0, 0, 3, 15, 2, 0, 11, 8, 0, 0, 4, 12, 0, 0, 8, 8, 0, 0, 5, 8, 0, 0, 9, 8, 0, 0, 4, 11, 0, 1, 12, 7, 0, 0, 2, 14, 5, 10, 12, 0, 0, 0, 0, 6, 13, 10, 0, 0, 0},
			firstLabel: 0,
		},
		{
			name: "test", d: test, rows: 450,
			counts: []int{178 - 135, 182 - 136, 177 - 134, 183 - 136, 181 - 133, 182 - 137, 181 - 134, 179 - 134, 174 - 133, 180 - 135},
			// Line 1348 of digits.csv.gz.
			first:      []float64{0, 0, 7, 16, 16, 14, 0, 0, 0, 0, 16, 12, 10, 15, 1, 0, 0, 0, 10, 4, 16, 10, 0, 0, 0, 0, 0, 9, 16, 11, 1, 0, 0, 0, 0, 0, 7, 16, 8, 0, 0, 0, 0, 0, 0, 16, 7, 0, 0, 0, 8, 4, 10, 15, 2, 0, 0, 0, 12, 16, 16, 6, 0, 0},
			firstLabel: 3,
		},
	} {
		d := tc.d
		if d.Rows != tc.rows || d.Cols != 64 || len(d.X) != tc.rows*64 || len(d.Y) != tc.rows {
			t.Fatalf("Digits %s: got %d rows, %d cols, %d values, %d labels, want %d rows of 64", tc.name, d.Rows, d.Cols, len(d.X), len(d.Y), tc.rows)
		}
		for i, v := range d.X {
			if v < 0 || v > 16 || v != float64(int(v)) {
				t.Fatalf("Digits %s: value %d is %v, want an integer in [0, 16]", tc.name, i, v)
			}
		}
		if got := checkLabels(t, "Digits "+tc.name, d, datasets.DigitsClasses); !cmp.Equal(got, tc.counts) {
			t.Errorf("Digits %s: got class counts %v, want %v", tc.name, got, tc.counts)
		}
		if got := d.Row(0); !cmp.Equal(got, tc.first) || d.Y[0] != tc.firstLabel {
			t.Errorf("Digits %s row 0: got %v, label %d, want %v, label %d", tc.name, got, d.Y[0], tc.first, tc.firstLabel)
		}
	}
	// The last row, line 1797 of the file, ends with 12,1,0,8.
	if got := test.Row(449)[61:]; !cmp.Equal(got, []float64{12, 1, 0}) || test.Y[449] != 8 {
		t.Errorf("Digits test row 449: ends with %v, label %d, want [12 1 0], label 8", got, test.Y[449])
	}
}

func TestIris(t *testing.T) {
	d, err := datasets.Iris()
	if err != nil {
		t.Fatalf("Iris: %v", err)
	}
	if d.Rows != 150 || d.Cols != 4 || len(d.X) != 600 || len(d.Y) != 150 {
		t.Fatalf("Iris: got %d rows, %d cols, %d values, %d labels, want 150 rows of 4", d.Rows, d.Cols, len(d.X), len(d.Y))
	}
	if got := checkLabels(t, "Iris", d, datasets.IrisClasses); !cmp.Equal(got, []int{50, 50, 50}) {
		t.Errorf("Iris: got class counts %v, want [50 50 50]", got)
	}
	for _, tc := range []struct {
		row   int
		want  []float64
		label int
	}{
		{0, []float64{5.1, 3.5, 1.4, 0.2}, 0},   // line 2 of iris.csv
		{1, []float64{4.9, 3.0, 1.4, 0.2}, 0},   // line 3
		{149, []float64{5.9, 3.0, 5.1, 1.8}, 2}, // line 151
	} {
		if got := d.Row(tc.row); !cmp.Equal(got, tc.want) || d.Y[tc.row] != tc.label {
			t.Errorf("Iris row %d: got %v, label %d, want %v, label %d", tc.row, got, d.Y[tc.row], tc.want, tc.label)
		}
	}
	if got := datasets.IrisClassNames(); !cmp.Equal(got, []string{"setosa", "versicolor", "virginica"}) {
		t.Errorf("IrisClassNames: got %q", got)
	}
}

// TestFresh checks that each call returns data the caller may change.
func TestFresh(t *testing.T) {
	a, _ := datasets.Iris()
	a.X[0] = -1
	b, _ := datasets.Iris()
	if b.X[0] != 5.1 {
		t.Errorf("Iris after changing an earlier result: X[0] = %v, want 5.1", b.X[0])
	}
}
