package data_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/data"
)

// images returns n examples of shape (2, 1, 3): two channels of a 1×3
// image, value (c, 0, w) of example i being 100i + 10c + w, labelled i%4.
func images(n int) data.Dataset {
	d := data.Dataset{Rows: n, Cols: 6, Shape: []int{2, 1, 3}}
	for i := range n {
		for c := range 2 {
			for w := range 3 {
				d.X = append(d.X, float64(100*i+10*c+w))
			}
		}
		d.Y = append(d.Y, i%4)
	}
	return d
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    data.Dataset
		kind error
		msg  string
	}{
		{"flat table", table(3), nil, ""},
		{"images", images(2), nil, ""},
		{"no examples", data.Dataset{Cols: 4, Shape: []int{2, 2}}, nil, ""},
		{"empty example shape", data.Dataset{Rows: 1, Cols: 1, Shape: []int{}, X: []float64{1}}, nil, ""},
		{"shape product is not Cols", data.Dataset{Rows: 1, Cols: 4, Shape: []int{1, 28, 28}, X: make([]float64, 4)}, data.ErrShape,
			"data: example shape [1 28 28] has 784 elements but the data set has 4 columns"},
		{"negative dimension", data.Dataset{Rows: 1, Cols: 4, Shape: []int{-2, -2}}, data.ErrShape,
			"data: example shape [-2 -2] has a negative dimension"},
		{"negative rows", data.Dataset{Rows: -1, Cols: 4}, data.ErrShape,
			"data: data set of -1 rows and 4 columns; want both at least 0"},
		{"overflowing shape", data.Dataset{Rows: 0, Cols: 0, Shape: []int{1 << 32, 1 << 32, 1 << 32}}, data.ErrShape,
			"data: example shape [4294967296 4294967296 4294967296] has more than 9223372036854775807 elements"},
		{"overflowing rows × cols", data.Dataset{Rows: 1 << 40, Cols: 1 << 40}, data.ErrShape,
			"data: 1099511627776 rows of 1099511627776 columns overflow an int"},
		{"X too short for the shape", data.Dataset{Rows: 2, Cols: 6, Shape: []int{2, 3}, X: make([]float64, 6)}, data.ErrLength,
			"data: data set of 2 examples of shape [2 3] needs 12 values in X, has 6"},
		{"X too long", data.Dataset{Rows: 1, Cols: 2, X: make([]float64, 3)}, data.ErrLength,
			"data: data set of 1 rows × 2 columns needs 2 values in X, has 3"},
		{"labels", data.Dataset{Rows: 1, Cols: 1, X: []float64{1}, Y: []int{1, 2}}, data.ErrLength,
			"data: data set of 1 rows has 2 labels in Y; want one per row"},
		{"targets", data.Dataset{Rows: 1, Cols: 1, X: []float64{1}, T: []float64{}}, data.ErrLength,
			"data: data set of 1 rows has 0 targets in T; want one per row"},
	} {
		err := tc.d.Validate()
		if tc.kind == nil {
			if err != nil {
				t.Errorf("%s: Validate() = %v, want nil", tc.name, err)
			}
			continue
		}
		var e *data.Error
		if !errors.As(err, &e) || !errors.Is(err, tc.kind) || err.Error() != tc.msg {
			t.Errorf("%s: Validate() = %v (%T), want *data.Error matching %v with message %q", tc.name, err, err, tc.kind, tc.msg)
		}
	}
}

func TestBatchShape(t *testing.T) {
	buf := make([]int, 0, 4)
	for _, tc := range []struct {
		d    data.Dataset
		want []int
	}{
		{table(5), []int{5, 2}},
		{images(3), []int{3, 2, 1, 3}},
		{data.Dataset{Rows: 2, Cols: 1, Shape: []int{}}, []int{2}},
	} {
		got := tc.d.BatchShape(buf)
		if !cmp.Equal(got, tc.want) {
			t.Errorf("BatchShape of %d rows of shape %v: got %v, want %v", tc.d.Rows, tc.d.Shape, got, tc.want)
		}
	}
	d := images(3)
	if allocs := testing.AllocsPerRun(100, func() { buf = d.BatchShape(buf) }); allocs != 0 {
		t.Errorf("BatchShape into a large enough buffer: %v allocations, want 0", allocs)
	}
}

// TestShapeKept checks that Gather, Subset and Split keep the example
// shape and move whole examples, also when shuffled.
func TestShapeKept(t *testing.T) {
	d := images(5)
	perm := rand.New(rand.NewPCG(1, 2)).Perm(5)
	s := d.Subset(perm)
	if !cmp.Equal(s.Shape, d.Shape) || s.Rows != 5 || s.Cols != 6 {
		t.Fatalf("Subset(%v): %d rows of %d columns, shape %v; want 5 of 6, shape %v", perm, s.Rows, s.Cols, s.Shape, d.Shape)
	}
	for k, i := range perm {
		if !cmp.Equal(s.Row(k), d.Row(i)) || s.Y[k] != d.Y[i] {
			t.Errorf("Subset(%v) example %d: got %v label %d, want example %d: %v label %d", perm, k, s.Row(k), s.Y[k], i, d.Row(i), d.Y[i])
		}
	}
	var g data.Dataset
	d.Gather(&g, []int{3})
	want := data.Dataset{Rows: 1, Cols: 6, Shape: []int{2, 1, 3}, X: []float64{300, 301, 302, 310, 311, 312}, Y: []int{3}}
	if diff := cmp.Diff(want, g); diff != "" {
		t.Errorf("Gather([3]) mismatch (-want +got):\n%s", diff)
	}
	head, tail := data.Split(d, 2)
	if !cmp.Equal(head.Shape, d.Shape) || !cmp.Equal(tail.Shape, d.Shape) {
		t.Errorf("Split(d, 2) shapes: got %v and %v, want %v", head.Shape, tail.Shape, d.Shape)
	}
	if err := head.Validate(); err != nil {
		t.Errorf("Split head: %v", err)
	}
	if err := tail.Validate(); err != nil {
		t.Errorf("Split tail: %v", err)
	}
}

// TestInconsistentPanics checks that functions that panic on misuse
// panic with a typed error naming the sizes, not an index out of range,
// on a data set whose slices do not match its sizes.
func TestInconsistentPanics(t *testing.T) {
	bad := data.Dataset{Rows: 2, Cols: 784, Shape: []int{1, 28, 28}, X: make([]float64, 784)}
	for _, tc := range []struct {
		name string
		fn   func()
		msg  string
	}{
		{"Row", func() { bad.Row(1) }, "data.Dataset.Row: data set of 2 examples of shape [1 28 28] needs 1568 values in X, has 784"},
		{"Gather", func() { bad.Gather(&data.Dataset{}, []int{1}) }, "data.Dataset.Gather: data set of 2 examples of shape [1 28 28] needs 1568 values in X, has 784"},
		{"Subset", func() { bad.Subset([]int{1}) }, "data.Dataset.Subset: data set of 2 examples of shape [1 28 28] needs 1568 values in X, has 784"},
		{"Split", func() { data.Split(bad, 1) }, "data.Split: data set of 2 examples of shape [1 28 28] needs 1568 values in X, has 784"},
	} {
		r := panicValue(tc.fn)
		e, ok := r.(*data.Error)
		if !ok || !errors.Is(e, data.ErrLength) || e.Error() != tc.msg {
			t.Errorf("%s of an inconsistent data set: panicked with %v (%T), want *data.Error matching ErrLength %q", tc.name, r, r, tc.msg)
		}
	}
}

// TestStandardizePer checks global and per-channel standardization
// against means and deviations computed in closed form.
func TestStandardizePer(t *testing.T) {
	// images(2): channel 0 holds 0 1 2 100 101 102, channel 1 the same
	// plus 10. Population deviation of {0,1,2,100,101,102}: the mean is
	// 51 and the squared deviations are 51², 50², 49², 49², 50², 51².
	sd := math.Sqrt(2 * (51*51 + 50*50 + 49*49) / 6.0)
	// All twelve values: mean 56, deviations ±5 from the channel means.
	sdAll := math.Sqrt(sd*sd + 25)
	for _, tc := range []struct {
		per  data.Per
		want data.Scaler
	}{
		{data.Global, data.Scaler{Mean: []float64{56}, Std: []float64{sdAll}, Per: data.Global}},
		{data.PerChannel, data.Scaler{Mean: []float64{51, 61}, Std: []float64{sd, sd}, Per: data.PerChannel}},
		{data.PerFeature, data.Scaler{Mean: []float64{50, 51, 52, 60, 61, 62}, Std: []float64{50, 50, 50, 50, 50, 50}}},
	} {
		train, test := images(2), images(3)
		s, err := data.StandardizePer(tc.per, &train, &test)
		if err != nil {
			t.Fatalf("StandardizePer(%v): %v", tc.per, err)
		}
		if diff := cmp.Diff(tc.want, s, approx); diff != "" {
			t.Errorf("StandardizePer(%v) scaler mismatch (-want +got):\n%s", tc.per, diff)
		}
		raw := images(3)
		for i, x := range raw.X {
			g := map[data.Per]int{data.Global: 0, data.PerChannel: (i % 6) / 3, data.PerFeature: i % 6}[tc.per]
			want := (x - tc.want.Mean[g]) / tc.want.Std[g]
			if i < 12 && !cmp.Equal(train.X[i], want, approx) {
				t.Errorf("StandardizePer(%v) train value %d: got %v, want %v", tc.per, i, train.X[i], want)
			}
			if !cmp.Equal(test.X[i], want, approx) {
				t.Errorf("StandardizePer(%v) test value %d: got %v, want %v", tc.per, i, test.X[i], want)
			}
		}
	}
}

// TestStandardizePerChannelWithoutShape checks that a flat table is one
// channel per feature.
func TestStandardizePerChannelWithoutShape(t *testing.T) {
	a, b := table(4), table(4)
	sa, err := data.StandardizePer(data.PerChannel, &a)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := data.Standardize(&b)
	if err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(sa.Mean, sb.Mean) || !cmp.Equal(sa.Std, sb.Std) || !cmp.Equal(a.X, b.X) {
		t.Errorf("PerChannel of a flat table: got %v %v %v, want PerFeature's %v %v %v", sa.Mean, sa.Std, a.X, sb.Mean, sb.Std, b.X)
	}
}

func TestStandardizePerErrors(t *testing.T) {
	train := images(2)
	other := data.Dataset{Rows: 1, Cols: 6, Shape: []int{3, 2}, X: make([]float64, 6)}
	other.X[0] = 7
	_, err := data.StandardizePer(data.PerChannel, &train, &other)
	if want := "data: data set of example shape [3 2] has 3 channels, scaler has 2 means and 2 deviations"; !errors.Is(err, data.ErrLength) || err == nil || err.Error() != want {
		t.Errorf("StandardizePer with 3 channels against 2: got %v, want ErrLength %q", err, want)
	}
	if train.X[1] != 1 || other.X[0] != 7 {
		t.Errorf("StandardizePer that failed changed data: %v, %v", train.X, other.X)
	}
	if _, err := data.FitScalerPer(train, data.Per(7)); !errors.Is(err, data.ErrRange) {
		t.Errorf("FitScalerPer(Per(7)): got %v, want ErrRange", err)
	}
	bad := data.Dataset{Rows: 2, Cols: 6, Shape: []int{2, 3}, X: make([]float64, 5)}
	if _, err := data.StandardizePer(data.Global, &bad); !errors.Is(err, data.ErrLength) {
		t.Errorf("StandardizePer of X too short: got %v, want ErrLength", err)
	}
	s := data.Scaler{Mean: []float64{0}, Std: []float64{1}, Per: data.Global}
	if err := s.Apply(&bad); !errors.Is(err, data.ErrLength) {
		t.Errorf("Apply to X too short: got %v, want ErrLength", err)
	}
}
