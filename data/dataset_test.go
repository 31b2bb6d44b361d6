package data_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/data"
)

// table returns a data set of n rows of 2 features 10i and 10i+1, with
// label i%3 and target -i.
func table(n int) data.Dataset {
	d := data.Dataset{Rows: n, Cols: 2}
	for i := range n {
		d.X = append(d.X, float64(10*i), float64(10*i+1))
		d.Y = append(d.Y, i%3)
		d.T = append(d.T, float64(-i))
	}
	return d
}

func TestGather(t *testing.T) {
	d := table(5)
	var got data.Dataset
	d.Gather(&got, []int{4, 0, 4})
	want := data.Dataset{Rows: 3, Cols: 2, X: []float64{40, 41, 0, 1, 40, 41}, Y: []int{1, 0, 1}, T: []float64{-4, 0, -4}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Gather([4 0 4]) mismatch (-want +got):\n%s", diff)
	}
	d.Y, d.T = nil, nil
	d.Gather(&got, []int{1})
	want = data.Dataset{Rows: 1, Cols: 2, X: []float64{10, 11}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Gather([1]) without labels mismatch (-want +got):\n%s", diff)
	}
}

func TestSubset(t *testing.T) {
	d := table(3)
	got := d.Subset([]int{2, 1, 0})
	got.X[0] = 99 // Must not change d.
	want := data.Dataset{Rows: 3, Cols: 2, X: []float64{99, 21, 10, 11, 0, 1}, Y: []int{2, 1, 0}, T: []float64{-2, -1, 0}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Subset([2 1 0]) mismatch (-want +got):\n%s", diff)
	}
	if d.X[4] != 20 {
		t.Errorf("Subset changed the original: X[4] = %v, want 20", d.X[4])
	}
}

func TestSplit(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4} {
		d := table(4)
		head, tail := data.Split(d, n)
		if head.Rows != n || tail.Rows != 4-n || len(head.X) != 2*n || len(tail.X) != 2*(4-n) || len(head.Y) != n || len(tail.T) != 4-n {
			t.Errorf("Split(4 rows, %d): got heads of %d rows, %d values, tail of %d rows, %d values", n, head.Rows, len(head.X), tail.Rows, len(tail.X))
			continue
		}
		if tail.Rows > 0 && (tail.X[0] != float64(10*n) || tail.Y[0] != n%3 || tail.T[0] != float64(-n)) {
			t.Errorf("Split(4 rows, %d): tail starts with %v, %d, %v, want row %d", n, tail.X[:2], tail.Y[0], tail.T[0], n)
		}
		// Appending to head must not overwrite tail.
		head.X = append(head.X, -1)
		if tail.Rows > 0 && tail.X[0] != float64(10*n) {
			t.Errorf("Split(4 rows, %d): append to head overwrote tail", n)
		}
	}
}

func TestClasses(t *testing.T) {
	for _, tc := range []struct {
		y    []int
		want int
	}{{nil, 0}, {[]int{0}, 1}, {[]int{2, 0, 1}, 3}, {[]int{9, 3}, 10}} {
		d := data.Dataset{Y: tc.y}
		if got := d.Classes(); got != tc.want {
			t.Errorf("Classes() of labels %v: got %d, want %d", tc.y, got, tc.want)
		}
	}
}

func TestSplitShuffled(t *testing.T) {
	// Row i holds the values 10i and 10i+1, label i and targets (i, -i): every row of the results
	// must come from one row of d, and together they must hold every row once.
	d := data.Dataset{Rows: 7, Cols: 2, TargetCols: 2}
	for i := range d.Rows {
		d.X = append(d.X, float64(10*i), float64(10*i+1))
		d.Y = append(d.Y, i)
		d.T = append(d.T, float64(i), float64(-i))
	}
	cases := []struct {
		n    int
		seed uint64
	}{{0, 1}, {3, 1}, {3, 2}, {7, 1}}
	for _, c := range cases {
		head, tail := data.SplitShuffled(d, c.n, c.seed)
		if head.Rows != c.n || tail.Rows != d.Rows-c.n {
			t.Errorf("n %d: got %d and %d rows, want %d and %d", c.n, head.Rows, tail.Rows, c.n, d.Rows-c.n)
			continue
		}
		seen := make([]int, d.Rows)
		for _, part := range []data.Dataset{head, tail} {
			if err := part.Validate(); err != nil {
				t.Errorf("n %d: %v", c.n, err)
			}
			for k, i := range part.Y {
				want := []float64{float64(10 * i), float64(10*i + 1), float64(i), float64(-i)}
				got := []float64{part.X[2*k], part.X[2*k+1], part.T[2*k], part.T[2*k+1]}
				if !slices.Equal(got, want) {
					t.Errorf("n %d: row %d with label %d holds %v, want %v", c.n, k, i, got, want)
				}
				seen[i]++
			}
		}
		for i, s := range seen {
			if s != 1 {
				t.Errorf("n %d: row %d of d appears %d times, want once", c.n, i, s)
			}
		}
		again, _ := data.SplitShuffled(d, c.n, c.seed)
		if !slices.Equal(again.Y, head.Y) {
			t.Errorf("n %d seed %d: got %v then %v from the same seed", c.n, c.seed, head.Y, again.Y)
		}
	}
	a, _ := data.SplitShuffled(d, 7, 1)
	b, _ := data.SplitShuffled(d, 7, 2)
	if slices.Equal(a.Y, b.Y) {
		t.Errorf("seeds 1 and 2 gave the same order %v", a.Y)
	}
	for _, n := range []int{-1, 8} {
		func() {
			defer func() {
				if err, ok := recover().(error); !ok || !errors.Is(err, data.ErrRange) {
					t.Errorf("n %d: got panic %v, want one matching ErrRange", n, err)
				}
			}()
			data.SplitShuffled(d, n, 1)
		}()
	}
}

func TestTargetCols(t *testing.T) {
	cases := []struct {
		name string
		d    data.Dataset
		want error // nil for a valid data set
	}{
		{"one target, TargetCols 0", data.Dataset{Rows: 2, Cols: 1, X: []float64{1, 2}, T: []float64{3, 4}}, nil},
		{"two targets", data.Dataset{Rows: 2, Cols: 1, X: []float64{1, 2}, T: []float64{3, 4, 5, 6}, TargetCols: 2}, nil},
		{"two targets, TargetCols 0", data.Dataset{Rows: 2, Cols: 1, X: []float64{1, 2}, T: []float64{3, 4, 5, 6}}, data.ErrLength},
		{"too few targets", data.Dataset{Rows: 2, Cols: 1, X: []float64{1, 2}, T: []float64{3, 4, 5}, TargetCols: 2}, data.ErrLength},
		{"negative TargetCols", data.Dataset{Rows: 2, Cols: 1, X: []float64{1, 2}, TargetCols: -1}, data.ErrShape},
	}
	for _, c := range cases {
		if err := c.d.Validate(); !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
	}
	d := cases[1].d
	head, tail := data.Split(d, 1)
	if !slices.Equal(head.T, []float64{3, 4}) || !slices.Equal(tail.T, []float64{5, 6}) || head.TargetCols != 2 {
		t.Errorf("Split: got targets %v and %v (TargetCols %d), want [3 4] and [5 6] (2)", head.T, tail.T, head.TargetCols)
	}
	var b data.Dataset
	d.Gather(&b, []int{1, 0, 1})
	if want := []float64{5, 6, 3, 4, 5, 6}; !slices.Equal(b.T, want) || b.TargetCols != 2 {
		t.Errorf("Gather: got targets %v (TargetCols %d), want %v (2)", b.T, b.TargetCols, want)
	}
}
