// Package figure draws the line plots of the examples as PNG files with gonum.org/v1/plot.
package figure

import (
	"fmt"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// Line is one curve: Y[i] over X[i].
type Line struct {
	Name string
	X, Y []float64
}

// Figure describes a plot of lines.
type Figure struct {
	Title, XLabel, YLabel string
	// YMin and YMax fix the y range when YMin < YMax; otherwise it fits the data.
	YMin, YMax float64
	// LogY draws the y axis on a logarithmic scale; every Y must then be positive.
	LogY bool
	// LegendBottomRight moves the legend from the top left corner to the bottom right one.
	LegendBottomRight bool
	Lines             []Line
}

// Save draws f into the PNG file name in dir, creating dir if needed, and returns the file's
// path.
func Save(dir, name string, f Figure) (string, error) {
	p := plot.New()
	p.Title.Text = f.Title
	p.X.Label.Text = f.XLabel
	p.Y.Label.Text = f.YLabel
	p.Add(plotter.NewGrid())
	var vs []any
	for _, l := range f.Lines {
		if len(l.X) != len(l.Y) {
			return "", fmt.Errorf("figure: line %q has %d x and %d y values", l.Name, len(l.X), len(l.Y))
		}
		xys := make(plotter.XYs, len(l.X))
		for i := range l.X {
			xys[i].X, xys[i].Y = l.X[i], l.Y[i]
		}
		vs = append(vs, l.Name, xys)
	}
	if err := plotutil.AddLines(p, vs...); err != nil {
		return "", fmt.Errorf("figure: %w", err)
	}
	if f.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	if f.YMin < f.YMax {
		p.Y.Min, p.Y.Max = f.YMin, f.YMax
	}
	p.Legend.Top, p.Legend.Left = !f.LegendBottomRight, !f.LegendBottomRight
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, name)
	if err := p.Save(16*vg.Centimeter, 10*vg.Centimeter, path); err != nil {
		return "", fmt.Errorf("figure: %w", err)
	}
	return path, nil
}
