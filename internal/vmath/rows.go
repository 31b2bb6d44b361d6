package vmath

import "fmt"

// AddScaledRows64 sets w[p·d+i] += c·g[j·d+i] for i < d, for each j < len(rows)
// whose position p = rows[j] lies in [lo, hi), in the order of j: the update
// of gradient descent (c = −η) applied to the rows of a table w that a sparse
// gradient g names, row j of g going to row rows[j] of w. Each row is computed
// as AddScaled64 computes it (the product rounded before the sum), with one
// call for all the rows rather than one per row. [lo, hi) lets goroutines
// update disjoint parts of w at once. g must not overlap w.
// AddScaledRows64 panics if d < 0, g holds fewer than len(rows)·d elements, or a
// position in [lo, hi) is negative or names a row past the end of w.
func AddScaledRows64(w, g []float64, d int, rows []int, lo, hi int, c float64) {
	checkRows(len(w), len(g), d, len(rows), "AddScaledRows64")
	impl.addScaledRows64(w, g, d, rows, lo, hi, c)
}

// AddScaledRows32 is AddScaledRows64 for float32, in float32 arithmetic.
func AddScaledRows32(w, g []float32, d int, rows []int, lo, hi int, c float32) {
	checkRows(len(w), len(g), d, len(rows), "AddScaledRows32")
	impl.addScaledRows32(w, g, d, rows, lo, hi, c)
}

func checkRows(nw, ng, d, n int, name string) {
	if d < 0 || ng < n*d {
		panic(fmt.Sprintf("vmath: %s: %d rows of %d need %d gradient elements, have %d", name, n, d, n*d, ng))
	}
}

// rowAt returns row p of w, of d elements, panicking if it lies outside w.
func rowAt[T float32 | float64](w []T, p, d int, name string) []T {
	if p < 0 || (p+1)*d > len(w) {
		panic(fmt.Sprintf("vmath: %s: position %d outside a table of %d elements in rows of %d", name, p, len(w), d))
	}
	return w[p*d : (p+1)*d]
}

// addScaledRows64Generic is the pure-Go AddScaledRows64.
func addScaledRows64Generic(w, g []float64, d int, rows []int, lo, hi int, c float64) {
	for j, p := range rows {
		if p < lo || p >= hi {
			continue
		}
		r := rowAt(w, p, d, "AddScaledRows64")
		addScaledGo64(r, r, g[j*d:(j+1)*d], c)
	}
}

// addScaledRows32Generic is the pure-Go AddScaledRows32.
func addScaledRows32Generic(w, g []float32, d int, rows []int, lo, hi int, c float32) {
	for j, p := range rows {
		if p < lo || p >= hi {
			continue
		}
		r := rowAt(w, p, d, "AddScaledRows32")
		addScaledGo32(r, r, g[j*d:(j+1)*d], c)
	}
}
