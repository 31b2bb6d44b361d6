package curve_test

import (
	"bytes"
	"errors"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gograd/gograd/train"
	"github.com/gograd/gograd/train/curve"
)

func stats(val bool, metric string) []train.EpochStats {
	var s []train.EpochStats
	for e := 1; e <= 5; e++ {
		st := train.EpochStats{Epoch: e, Loss: 1 / float64(e), MetricName: metric, Metric: 1 - 1/float64(e+1), ValLoss: math.NaN(), ValMetric: math.NaN()}
		if val {
			st.ValLoss, st.ValMetric = 1.2/float64(e), 0.9-1/float64(e+1)
		}
		s = append(s, st)
	}
	return s
}

func TestWritePNG(t *testing.T) {
	cases := []struct {
		name   string
		stats  []train.EpochStats
		wantOK bool
	}{
		{"train and validation", stats(true, "accuracy"), true},
		{"train only", stats(false, "rmse"), true},
		{"no metric", stats(false, ""), true},
		{"empty", nil, false},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		err := curve.WritePNG(&buf, c.stats)
		if !c.wantOK {
			if !errors.Is(err, curve.ErrNoEpochs) {
				t.Errorf("%s: got error %v, want ErrNoEpochs", c.name, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		cfg, err := png.DecodeConfig(&buf)
		if err != nil {
			t.Fatalf("%s: the output is not a PNG: %v", c.name, err)
		}
		if wantW := int(curve.Width.Dots(vgDPI)); cfg.Width != wantW {
			t.Errorf("%s: got a PNG %d pixels wide, want %d", c.name, cfg.Width, wantW)
		}
	}
}

// vgDPI is vgimg's default resolution.
const vgDPI = 96

func TestSavePNG(t *testing.T) {
	path := filepath.Join(t.TempDir(), "curve.png")
	if err := curve.SavePNG(path, stats(true, "accuracy")); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := png.Decode(f); err != nil {
		t.Errorf("%s is not a PNG: %v", path, err)
	}
}

// TestTrainStaysLight checks that package train does not link gonum/plot: only this package does.
func TestTrainStaysLight(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/gograd/gograd/train").Output()
	if err != nil {
		t.Skipf("go list: %v", err)
	}
	if strings.Contains(string(out), "gonum.org/v1/plot") {
		t.Errorf("package train links gonum.org/v1/plot")
	}
}
