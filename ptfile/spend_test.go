package ptfile

import (
	"path/filepath"
	"testing"
)

// TestSpendOfRealPickles checks that the state_dicts torch.save writes stay well below the
// pickle machine's spending limit (spendPerByte per byte, beyond the slack).
func TestSpendOfRealPickles(t *testing.T) {
	paths, _ := filepath.Glob("../layers/testdata/torch_interop_*.pt")
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
