package data_test

import (
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/gograd/gograd/data"
)

// panicValue calls fn and returns the value it panics with, or nil.
func panicValue(fn func()) (r any) {
	defer func() { r = recover() }()
	fn()
	return nil
}

// TestMisusePanics checks that every misuse panics with an *Error naming
// the function, the bad value and the valid range, matching its sentinel.
func TestMisusePanics(t *testing.T) {
	d := table(5)
	for _, tc := range []struct {
		name string
		fn   func()
		op   string
		kind error
		msg  string
	}{
		{"Row past the end", func() { d.Row(5) }, "data.Dataset.Row", data.ErrRange,
			"data.Dataset.Row: index 5 out of range [0, 5)"},
		{"Row negative", func() { d.Row(-1) }, "data.Dataset.Row", data.ErrRange,
			"data.Dataset.Row: index -1 out of range [0, 5)"},
		{"Row of an empty data set", func() { (&data.Dataset{Cols: 2}).Row(0) }, "data.Dataset.Row", data.ErrRange,
			"data.Dataset.Row: index 0 out of range [0, 0)"},
		{"Subset past the end", func() { d.Subset([]int{4, 0, 7}) }, "data.Dataset.Subset", data.ErrRange,
			"data.Dataset.Subset: idx[2] = 7 out of range [0, 5)"},
		{"Subset negative", func() { d.Subset([]int{-2}) }, "data.Dataset.Subset", data.ErrRange,
			"data.Dataset.Subset: idx[0] = -2 out of range [0, 5)"},
		{"Gather past the end", func() { d.Gather(&data.Dataset{}, []int{5}) }, "data.Dataset.Gather", data.ErrRange,
			"data.Dataset.Gather: idx[0] = 5 out of range [0, 5)"},
		{"Split negative", func() { data.Split(d, -1) }, "data.Split", data.ErrRange,
			"data.Split: split point -1 out of range [0, 5]"},
		{"Split past the end", func() { data.Split(d, 6) }, "data.Split", data.ErrRange,
			"data.Split: split point 6 out of range [0, 5]"},
		{"NewBatches negative n", func() { data.NewBatches(-1, 2, nil) }, "data.NewBatches", data.ErrRange,
			"data.NewBatches: n -1; want at least 0"},
		{"NewBatches size 0", func() { data.NewBatches(3, 0, rand.New(rand.NewPCG(1, 2))) }, "data.NewBatches", data.ErrRange,
			"data.NewBatches: batch size 0; want at least 1"},
		{"NewBatches negative size", func() { data.NewBatches(3, -1, nil) }, "data.NewBatches", data.ErrRange,
			"data.NewBatches: batch size -1; want at least 1"},
		{"NewBatches both bad", func() { data.NewBatches(-1, 0, nil) }, "data.NewBatches", data.ErrRange,
			"data.NewBatches: n -1; want at least 0"},
		{"Argmax cols 0", func() { data.Argmax(nil, make([]float64, 2), 0) }, "data.Argmax", data.ErrRange,
			"data.Argmax: cols 0; want at least 1"},
		{"Argmax ragged", func() { data.Argmax(nil, make([]float64, 3), 2) }, "data.Argmax", data.ErrLength,
			"data.Argmax: 3 values in rows of 2 columns; want a multiple of 2"},
	} {
		r := panicValue(tc.fn)
		if r == nil {
			t.Errorf("%s: did not panic; want %q", tc.name, tc.msg)
			continue
		}
		e, ok := r.(*data.Error)
		if !ok {
			t.Errorf("%s: got panic %#v of type %T, want a *data.Error", tc.name, r, r)
			continue
		}
		if got := e.Error(); got != tc.msg {
			t.Errorf("%s: got message %q, want %q", tc.name, got, tc.msg)
		}
		if e.Op != tc.op {
			t.Errorf("%s: got Op %q, want %q", tc.name, e.Op, tc.op)
		}
		if !errors.Is(e, tc.kind) {
			t.Errorf("%s: got error %q not matching %v, want it to match", tc.name, e, tc.kind)
		}
	}
}

// TestGatherPanicLeavesDst checks that a Gather that panics does not
// touch dst.
func TestGatherPanicLeavesDst(t *testing.T) {
	d := table(3)
	var dst data.Dataset
	d.Gather(&dst, []int{2, 1})
	want := data.Dataset{Rows: 2, Cols: 2, X: []float64{20, 21, 10, 11}, Y: []int{2, 1}, T: []float64{-2, -1}}
	if panicValue(func() { d.Gather(&dst, []int{0, 3}) }) == nil {
		t.Fatalf("Gather([0 3]) of 3 rows: did not panic")
	}
	if diff := cmp.Diff(want, dst); diff != "" {
		t.Errorf("Gather([0 3]) of 3 rows changed dst (-want +got):\n%s", diff)
	}
}
