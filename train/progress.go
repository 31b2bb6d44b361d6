package train

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// bar is Fit's progress bar; a nil *bar shows nothing.
type bar struct {
	pb *progressbar.ProgressBar
	w  io.Writer
}

// newBar returns a progress bar of total steps on w, or on standard error when w is nil and
// standard error is a terminal; otherwise nil.
func newBar(w io.Writer, total int) *bar {
	if w == nil {
		if !term.IsTerminal(int(os.Stderr.Fd())) {
			return nil
		}
		w = os.Stderr
	}
	pb := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("training"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return &bar{pb: pb, w: w}
}

// add advances the bar by one step.
func (b *bar) add() {
	if b != nil {
		b.pb.Add(1)
	}
}

// describe shows the statistics of an epoch in the bar's description.
func (b *bar) describe(s EpochStats, epochs int) {
	if b == nil {
		return
	}
	d := fmt.Sprintf("epoch %d/%d loss %.4f", s.Epoch, epochs, s.Loss)
	if s.MetricName != "" {
		d += fmt.Sprintf(" %s %.4f", s.MetricName, s.Metric)
	}
	b.pb.Describe(d)
}

// finish clears the bar and writes the last epoch's statistics on a line of their own, ending
// in a newline, so that what the program prints next starts on a clean line.
func (b *bar) finish(stats []EpochStats) {
	if b == nil {
		return
	}
	b.pb.Finish() // with OptionClearOnFinish, erases the bar's line
	if len(stats) > 0 {
		fmt.Fprintln(b.w, stats[len(stats)-1].String())
	}
}
