package ptfile

import (
	"path/filepath"
	"testing"
)

// TestSpendOfRealPickles checks that the state_dicts torch.save writes stay well below the
// pickle machine's spending limit (spendPerByte per byte, beyond the slack).
func TestSpendOfRealPickles(t *testing.T) {
	paths, _ := filepath.Glob("../checkpoint/testdata/torch_interop_*.pt")
	if len(paths) == 0 {
		t.Fatal("no ../checkpoint/testdata/torch_interop_*.pt: the fixtures moved; point the test at them")
	}
	paths = append(paths, "testdata/dtypes.pt")
	for _, p := range paths {
		if _, err := ReadFile(p); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %.1f per byte", p, lastSpend)
		if lastSpend > spendPerByte {
			t.Errorf("%s: the pickle spends %.1f per byte; the limit is %d beyond the slack", p, lastSpend, spendPerByte)
		}
	}
}
