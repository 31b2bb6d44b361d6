package autograd

import (
	"bytes"
	"strings"
	"testing"
)

// TestGrowthWarning checks that a tape which is never reset warns exactly once after passing its
// threshold, that one reset every step keeps it quiet, and that SetGrowthWarning(0) turns the
// warning off. Each step records the same 6-node graph, as a hand-written loop would.
func TestGrowthWarning(t *testing.T) {
	step := func(tp *Tape) {
		a := tp.Const([]float64{1, 2}, 2)
		b := tp.Const([]float64{3, 4}, 2)
		for range 4 {
			tp.Const([]float64{1}, 1)
		}
		_, _ = a, b
	}
	cases := []struct {
		name      string
		limit     int // passed to SetGrowthWarning; -2 leaves the default
		reset     bool
		steps     int
		wantWarns int
	}{
		{"no reset past 300", 300, false, 200, 1}, // 1200 nodes
		{"no reset below 3000", 3000, false, 200, 0},
		{"reset every step", 300, true, 200, 0},
		{"turned off", 0, false, 200, 0},
		{"default", -2, false, 200, 0}, // far below DefaultGrowthWarning
	}
	saved := warnOutput
	defer func() { warnOutput = saved }()
	for _, c := range cases {
		var buf bytes.Buffer
		warnOutput = &buf
		tp := NewTape()
		if c.limit != -2 {
			tp.SetGrowthWarning(c.limit)
		}
		for range c.steps {
			if c.reset {
				tp.Reset()
			}
			step(tp)
		}
		if got := strings.Count(buf.String(), "autograd: warning:"); got != c.wantWarns {
			t.Errorf("%s: %d warnings, want %d; output %q", c.name, got, c.wantWarns, buf.String())
		}
		if c.wantWarns > 0 && !strings.Contains(buf.String(), "Tape.Reset") {
			t.Errorf("%s: warning %q does not name Tape.Reset", c.name, buf.String())
		}
	}
}
