package vmath

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestAddScaledRows checks AddScaledRows32 and AddScaledRows64 with every kernel against
// AddScaled applied to one row at a time (itself checked bit for bit against the Go loop),
// with repeated positions, positions outside [lo, hi), and row lengths that are and are not
// multiples of the vector lengths.
func TestAddScaledRows(t *testing.T) {
	for _, k := range allKernels() {
		for _, d := range []int{0, 1, 7, 8, 13, 16, 33, 128} {
			for _, span := range [][2]int{{0, 10}, {3, 7}, {-5, 100}} {
				name := fmt.Sprintf("%s/d=%d/[%d,%d)", k.name, d, span[0], span[1])
				t.Run(name, func(t *testing.T) {
					saved := impl
					impl = k
					defer func() { impl = saved }()
					checkRowsSame[float32](t, d, span[0], span[1], AddScaledRows32, AddScaled32)
					checkRowsSame[float64](t, d, span[0], span[1], AddScaledRows64, AddScaled64)
				})
			}
		}
	}
}

func checkRowsSame[T float32 | float64](t *testing.T, d, lo, hi int, rows func(w, g []T, d int, rows []int, lo, hi int, c T), one func(o, a, b []T, c T)) {
	t.Helper()
	const v, n, c = 10, 25, -0.37
	r := rand.New(rand.NewPCG(uint64(d), uint64(hi)))
	w, g := make([]T, v*d), make([]T, n*d)
	for i := range w {
		w[i] = T(r.NormFloat64())
	}
	for i := range g {
		g[i] = T(r.NormFloat64())
	}
	pos := make([]int, n)
	for j := range pos {
		pos[j] = r.IntN(v) // 25 draws from 10 rows: many repeats
	}
	want := append([]T(nil), w...)
	for j, p := range pos {
		if p >= lo && p < hi {
			row := want[p*d : (p+1)*d]
			one(row, row, g[j*d:(j+1)*d], c)
		}
	}
	got := append([]T(nil), w...)
	rows(got, g, d, pos, lo, hi, c)
	for i := range want {
		if !sameBits(got[i], want[i]) {
			t.Fatalf("%T: w[%d] (row %d) = %v, want %v (one AddScaled per row)", got[i], i, i/d, got[i], want[i])
		}
	}
}

// TestAddScaledRowsPanics checks that a short gradient and a position outside the table
// panic with the function's name rather than writing out of bounds.
func TestAddScaledRowsPanics(t *testing.T) {
	w, g := make([]float32, 4*3), make([]float32, 2*3)
	for _, tc := range []struct {
		name string
		call func()
		want string
	}{
		{"short gradient", func() { AddScaledRows32(w, g, 3, []int{0, 1, 2}, 0, 4, 1) }, "AddScaledRows32: 3 rows of 3 need 9"},
		{"position past the table", func() { AddScaledRows32(w, g, 3, []int{0, 4}, 0, 10, 1) }, "AddScaledRows32: position 4 outside"},
		{"negative position", func() { AddScaledRows64(make([]float64, 12), make([]float64, 6), 3, []int{-1, 0}, -2, 10, 1) }, "AddScaledRows64: position -1 outside"},
	} {
		got := func() (msg string) {
			defer func() { msg = fmt.Sprint(recover()) }()
			tc.call()
			return ""
		}()
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: panic %q, want it to contain %q", tc.name, got, tc.want)
		}
	}
}
