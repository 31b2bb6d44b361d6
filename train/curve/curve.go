// Package curve draws the training curves of train.Fit, the loss and the metric per epoch on
// the training and validation sets, as a PNG image with gonum.org/v1/plot. It is a package of
// its own so that package train does not link gonum/plot and its fonts into every program.
package curve

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/gograd/gograd/train"
)

// ErrNoEpochs reports statistics without any epoch to draw.
var ErrNoEpochs = errors.New("curve: no epochs")

// Width and Height are the size of the image WritePNG draws: two panels side by side.
const (
	Width  = 24 * vg.Centimeter
	Height = 9 * vg.Centimeter
)

// WritePNG draws the loss per epoch (left) and the metric per epoch (right, when the statistics
// name one) of stats, each on the training set and, where EpochStats.ValLoss is not NaN, on the
// validation set, and writes the image as PNG to w. It returns an error wrapping ErrNoEpochs if
// stats is empty, and w's error.
func WritePNG(w io.Writer, stats []train.EpochStats) error {
	if len(stats) == 0 {
		return fmt.Errorf("curve.WritePNG: %w", ErrNoEpochs)
	}
	loss, err := panel("loss", stats, func(s train.EpochStats) (float64, float64) { return s.Loss, s.ValLoss })
	if err != nil {
		return err
	}
	row := []*plot.Plot{loss}
	if name := stats[0].MetricName; name != "" {
		metric, err := panel(name, stats, func(s train.EpochStats) (float64, float64) { return s.Metric, s.ValMetric })
		if err != nil {
			return err
		}
		row = append(row, metric)
	}
	img := vgimg.New(Width, Height)
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 1, Cols: len(row), PadX: vg.Centimeter, PadTop: vg.Millimeter * 3, PadBottom: vg.Millimeter * 3, PadLeft: vg.Millimeter * 3, PadRight: vg.Millimeter * 3}
	canvases := plot.Align([][]*plot.Plot{row}, tiles, dc)
	for i, p := range row {
		p.Draw(canvases[0][i])
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&buf); err != nil {
		return fmt.Errorf("curve.WritePNG: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// SavePNG writes the image of WritePNG to the file path, creating or truncating it.
func SavePNG(path string, stats []train.EpochStats) error {
	var buf bytes.Buffer
	if err := WritePNG(&buf, stats); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// panel returns a plot of the training and validation values that get returns per epoch,
// leaving out NaN and infinite values.
func panel(name string, stats []train.EpochStats, get func(train.EpochStats) (tr, val float64)) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = name
	p.X.Label.Text = "epoch"
	p.Add(plotter.NewGrid())
	var tr, val plotter.XYs
	for _, s := range stats {
		t, v := get(s)
		if !math.IsNaN(t) && !math.IsInf(t, 0) {
			tr = append(tr, plotter.XY{X: float64(s.Epoch), Y: t})
		}
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			val = append(val, plotter.XY{X: float64(s.Epoch), Y: v})
		}
	}
	var lines []any
	if len(tr) > 0 {
		lines = append(lines, "train", tr)
	}
	if len(val) > 0 {
		lines = append(lines, "validation", val)
	}
	if err := plotutil.AddLinePoints(p, lines...); err != nil {
		return nil, fmt.Errorf("curve.WritePNG: %s: %w", name, err)
	}
	return p, nil
}
