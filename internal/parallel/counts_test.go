package parallel

import "testing"

// TestCountsSplitAndAlone checks that Counts books a loop For splits as split, a loop run inside
// the caller's chunk of another (the pool busy) as alone, and a loop too small to split as
// neither (TestFreeFollowsThePool checks that a Free reporting false books a loop run alone).
func TestCountsSplitAndAlone(t *testing.T) {
	if Chunks(1<<20, Grain) < 2 {
		t.Skip("one core: nothing to split")
	}
	forgetBackoff()
	defer forgetBackoff()
	defer SetSiteDecisions(SetSiteDecisions(false)) // every loop that can split splits
	const n = 1 << 20
	s0, a0 := Counts()
	For(Grain, Grain, func(lo, hi int) {})
	if s, a := Counts(); s != s0 || a != a0 {
		t.Fatalf("a loop of Grain elements: Counts went from (%d, %d) to (%d, %d), want no change", s0, a0, s, a)
	}
	For(n, n/2, func(lo, hi int) {
		if lo == 0 { // chunk 0 runs on the caller, which holds the pool
			For(n, n/2, func(lo, hi int) {})
		}
	})
	if s, a := Counts(); s != s0+1 || a != a0+1 {
		t.Errorf("a split loop running a loop in its caller's chunk: Counts went from (%d, %d) to (%d, %d), want (%d, %d)", s0, a0, s, a, s0+1, a0+1)
	}
	SetSiteDecisions(true)
	forgetSites()
	forgetBackoff() // the loop above may have made the pool back off
	s0, a0 = Counts()
	For(n, n/2, func(lo, hi int) {}) // a new site splits
	if s, a := Counts(); s != s0+1 || a != a0 {
		t.Errorf("a new site's first loop: Counts went from (%d, %d) to (%d, %d), want (%d, %d)", s0, a0, s, a, s0+1, a0)
	}
}
