package main

import (
	"fmt"
	"io"
	"math"
	"strings"
)

// writeTruthTable prints the cases, their targets and a model's outputs: the raw output
// (column name) when raw is not nil, and the class.
func writeTruthTable(w io.Writer, name string, raw func([][]float64) []float64, class classifier) {
	var r []float64
	if raw != nil {
		r = raw(inputs)
	}
	c := class(inputs)
	fmt.Fprintf(w, "    x1 x2 | x1 xor x2 |")
	if r != nil {
		fmt.Fprintf(w, " %10s |", name)
	}
	fmt.Fprintln(w, " class")
	for i, x := range inputs {
		fmt.Fprintf(w, "     %g  %g | %9g |", x[0], x[1], targets[i])
		if r != nil {
			fmt.Fprintf(w, " %10.4f |", r[i])
		}
		mark := "✓"
		if c[i] != targets[i] {
			mark = "✗"
		}
		fmt.Fprintf(w, " %5g %s\n", c[i], mark)
	}
}

// The grid of writeRegions: x1 from −0.5 to 1.5 in steps of 1/12 (25 columns) and x2 from 1.5
// down to −0.5 in steps of 1/6 (13 rows), so that the four cases fall on grid points and a
// character cell, about twice as tall as wide, covers a square.
const (
	gridCols = 25
	gridRows = 13
)

func gridX(c int) float64 { return -0.5 + float64(c)/12 }
func gridY(r int) float64 { return 1.5 - float64(r)/6 }

// regions returns a classifier's grid: rows of '#' for class 1 and '·' for 0, with the four
// cases drawn as their target digit, or 'X' where the classifier gets one wrong.
func regions(class classifier) []string {
	X := make([][]float64, 0, gridRows*gridCols)
	for r := range gridRows {
		for c := range gridCols {
			X = append(X, []float64{gridX(c), gridY(r)})
		}
	}
	y := class(X)
	rows := make([]string, gridRows)
	for r := range gridRows {
		var b strings.Builder
		for c := range gridCols {
			v := y[r*gridCols+c]
			ch := '·'
			if v == 1 {
				ch = '#'
			}
			for i, x := range inputs {
				if x[0] == gridX(c) && x[1] == gridY(r) {
					ch = rune('0' + int(targets[i]))
					if v != targets[i] {
						ch = 'X'
					}
				}
			}
			b.WriteRune(ch)
		}
		rows[r] = b.String()
	}
	return rows
}

// writeRegions prints the grids of the classifiers, two side by side, under their titles, with
// the x2 axis on the left and the x1 axis below.
func writeRegions(w io.Writer, titles []string, classes []classifier) {
	const gap = "    "
	axis := []rune(strings.Repeat(" ", gridCols))
	copy(axis[0:], []rune("-.5"))
	axis[6], axis[18] = '0', '1' // x1 = 0 and 1
	copy(axis[gridCols-3:], []rune("1.5"))
	for lo := 0; lo < len(classes); lo += 2 {
		hi := min(lo+2, len(classes))
		grids := make([][]string, hi-lo)
		var line strings.Builder
		for i := lo; i < hi; i++ {
			grids[i-lo] = regions(classes[i])
			fmt.Fprintf(&line, "%s%-*s", gap, gridCols, clip(titles[i], gridCols))
		}
		fmt.Fprintf(w, "%8s%s\n", "", strings.TrimRight(line.String(), " "))
		for r := range gridRows {
			line.Reset()
			label := ""
			if y := gridY(r); y == math.Trunc(y) || r == 0 || r == gridRows-1 {
				label = fmt.Sprintf("x2 %4.1f", y)
			}
			fmt.Fprintf(&line, "%-8s", label)
			for _, g := range grids {
				fmt.Fprintf(&line, "%s%s", gap, g[r])
			}
			fmt.Fprintln(w, line.String())
		}
		line.Reset()
		fmt.Fprintf(&line, "%-8s", "x1")
		for range grids {
			fmt.Fprintf(&line, "%s%s", gap, string(axis))
		}
		fmt.Fprintln(w, strings.TrimRight(line.String(), " "))
		fmt.Fprintln(w)
	}
}

// clip shortens s to n runes.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
