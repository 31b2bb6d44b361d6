package parallel

import (
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// fakeSite drives a siteStats with a fake clock: each loop costs cost[way] per element, and the
// clock advances by the loop's time.
type fakeSite struct {
	s    siteStats
	t    time.Duration
	cost [2]time.Duration // per element
	work int
}

func newFakeSite(t *testing.T, aloneCost, splitCost time.Duration) *fakeSite {
	// A fake site's try, on its own clock, must not hold back another's bookings, nor real
	// sites' in the tests after this one.
	aftermath.by = nil
	t.Cleanup(func() { aftermath.by = nil })
	return &fakeSite{s: siteStats{chosen: split, gap: minLoops}, cost: [2]time.Duration{aloneCost, splitCost}, work: 1000}
}

// loop runs one loop the way the site chooses, taking extra on top of its cost, and returns the
// way.
func (f *fakeSite) loop(extra time.Duration) int {
	w := f.s.choose(f.t)
	d := f.cost[w]*time.Duration(f.work) + extra
	f.t += d
	f.s.record(w, d, f.work, f.t)
	return w
}

// loops runs n loops and returns how many of them were split.
func (f *fakeSite) loops(n int) (splits int) {
	for range n {
		splits += f.loop(0)
	}
	return splits
}

var wayName = [2]string{"alone", "split"}

// TestSiteStartsSplitThenTriesAlone checks that a new site splits its first minLoops loops,
// then runs tryRuns loops alone, then runs the way that was faster, in both directions; a
// ForLocal site (aloneExtra 0.5) books its runs alone at 1.5 times their time before comparing.
func TestSiteStartsSplitThenTriesAlone(t *testing.T) {
	for _, c := range []struct {
		name             string
		aloneNs, splitNs time.Duration
		aloneExtra       float64
		want             int
	}{
		{"split halves the time", 10, 5, 0, split},
		{"split takes 2.5 times as long", 10, 25, 0, alone},
		{"alone is 5% faster, within the margin", 100, 105, 0, split},
		{"alone is 15% faster", 100, 115, 0, alone},
		{"local: alone 20% faster, booked 1.2 times split", 80, 100, localAloneExtra, split},
		{"local: alone 38% faster, booked 0.93 times split, within the margin", 62, 100, localAloneExtra, split},
		{"local: alone half the time, booked 0.75 times split", 50, 100, localAloneExtra, alone},
		{"local: split takes 2.5 times as long (a core taken)", 10, 25, localAloneExtra, alone},
	} {
		f := newFakeSite(t, c.aloneNs, c.splitNs)
		f.s.aloneExtra = c.aloneExtra
		var got []int
		for range minLoops + tryRuns {
			got = append(got, f.loop(0))
		}
		for i, w := range got {
			if want := map[bool]int{true: split, false: alone}[i < minLoops]; w != want {
				t.Errorf("%s: loop %d ran %s, want %s (%d split, then %d alone)", c.name, i, wayName[w], wayName[want], minLoops, tryRuns)
			}
		}
		if f.s.chosen != c.want {
			t.Errorf("%s: chose %s after the first try, want %s", c.name, wayName[f.s.chosen], wayName[c.want])
		}
		// Until the next try, every loop runs the chosen way.
		for i := range minLoops {
			if w := f.loop(0); w != c.want {
				t.Fatalf("%s: loop %d after the first try ran %s, want %s", c.name, i, wayName[w], wayName[c.want])
			}
		}
	}
}

// TestSiteTriesLessOftenWhileTheChoiceHolds checks that the way not chosen is tried tryRuns
// loops at a time, after gaps that double from minLoops to maxLoops loops while it loses and last
// at least tryShare times the try, so that a site that splits badly pays for few split loops.
func TestSiteTriesLessOftenWhileTheChoiceHolds(t *testing.T) {
	f := newFakeSite(t, 10, 30) // loops of 10 µs alone, 30 µs split
	f.loops(minLoops + tryRuns)
	if f.s.chosen != alone {
		t.Fatalf("after the first try: chose %s, want alone", wayName[f.s.chosen])
	}
	// In alone loops, tryShare times the last try: tryRuns alone loops for the first gap,
	// tryRuns split loops for the later ones.
	loopsInGap := func(tryLoop time.Duration) int {
		return int(max(minGap, tryShare*tryRuns*tryLoop) / (10 * time.Microsecond))
	}
	want := max(minLoops, loopsInGap(10*time.Microsecond))
	gap := minLoops
	for i := range 9 {
		n := 0
		for f.s.choose(f.t) == alone {
			f.loop(0)
			n++
		}
		if n != want {
			t.Errorf("try %d of split came after %d alone loops, want %d", i+1, n, want)
		}
		if splits := f.loops(tryRuns); splits != tryRuns {
			t.Errorf("try %d: %d of %d loops split, want all", i+1, splits, tryRuns)
		}
		if f.s.chosen != alone {
			t.Fatalf("try %d: switched to split, which takes 3 times as long", i+1)
		}
		gap = min(2*gap, maxLoops)
		want = max(gap, loopsInGap(30*time.Microsecond))
	}
	// Over a long run at the longest gap, tryRuns loops in maxLoops split.
	const n = 100_000
	splits := f.loops(n)
	if got, want := float64(splits)/n, float64(tryRuns)/(maxLoops+tryRuns); got > want*1.01 {
		t.Errorf("%.3f%% of loops split at the longest gap, want at most %.3f%%", 100*got, 100*want)
	}
}

// TestSiteFollowsPhases checks that a site follows the machine from a phase where split loops
// take half the time to one where they take 2.7 times as long and back, within the longest gap
// and a try of each change.
func TestSiteFollowsPhases(t *testing.T) {
	f := newFakeSite(t, 10, 5)
	f.loops(minLoops + tryRuns)
	if f.s.chosen != split {
		t.Fatalf("fast phase: chose %s, want split", wayName[f.s.chosen])
	}
	for i, phase := range []struct {
		splitNs time.Duration
		want    int
	}{{27, alone}, {5, split}, {27, alone}, {5, split}} {
		f.loops(10 * maxLoops) // a long while in the old phase: the gap has grown
		f.cost[split] = phase.splitNs
		n := 0
		for ; f.s.chosen != phase.want && n <= maxLoops+2*tryRuns; n++ {
			f.loop(0)
		}
		if f.s.chosen != phase.want {
			t.Errorf("phase %d (split %d ns, alone 10 ns per element): still %s after %d loops, want %s within %d", i+1, phase.splitNs, wayName[f.s.chosen], n, wayName[phase.want], maxLoops+2*tryRuns)
		}
	}
}

// TestSiteIgnoresOneSlowRun checks that one run interrupted by another program (a time slice
// of 4 ms on a 10 µs loop), or the first split loop after the workers parked, changes no choice:
// whichever of the first tryRuns alone loops or the last split loops before them it hits, and
// in a try of split after the phase changed.
func TestSiteIgnoresOneSlowRun(t *testing.T) {
	const slice = 4 * time.Millisecond
	for _, c := range []struct {
		name             string
		aloneNs, splitNs time.Duration
		want             int
	}{{"split pays", 10, 5, split}, {"split loses", 10, 20, alone}} {
		for i := minLoops - tryRuns; i < minLoops+tryRuns; i++ {
			f := newFakeSite(t, c.aloneNs, c.splitNs)
			for j := range minLoops + tryRuns {
				if j == i {
					f.loop(slice)
				} else {
					f.loop(0)
				}
			}
			if f.s.chosen != c.want {
				t.Errorf("%s, loop %d slow by %v: chose %s, want %s", c.name, i, slice, wayName[f.s.chosen], wayName[c.want])
			}
		}
	}
	f := newFakeSite(t, 10, 20)
	f.loops(minLoops + tryRuns)
	f.cost[split] = 5 // the phase changes: splitting now pays
	for f.s.choose(f.t) == alone {
		f.loop(0)
	}
	f.loop(slice) // the first split loop of the try is interrupted
	f.loops(tryRuns - 1)
	if f.s.chosen != split {
		t.Errorf("a try of split with one loop slow by %v: stayed %s, want split", slice, wayName[f.s.chosen])
	}
}

// TestTryDoesNotCascade checks that another site's loops, slowed by a site's try (which moves
// data between the cores) during it and for as long again after it, are not booked: the other
// site neither switches nor tries early, and books its loops again once the aftermath is over.
func TestTryDoesNotCascade(t *testing.T) {
	a, b := newFakeSite(t, 10, 5), newFakeSite(t, 10, 5)
	clock := time.Duration(0)
	step := func(extraB bool) (wayA, wayB int) { // one loop of each site, on one clock
		for i, f := range []*fakeSite{a, b} {
			f.t = clock
			d := time.Duration(0)
			if i == 1 && extraB {
				d = 2 * f.cost[split] * time.Duration(f.work) // three times as slow
			}
			w := f.loop(d)
			clock = f.t
			if i == 0 {
				wayA = w
			} else {
				wayB = w
			}
		}
		return wayA, wayB
	}
	for range maxLoops / 2 { // a starts half a gap before b, so that their own tries are apart
		a.t = clock
		a.loop(0)
		clock = a.t
	}
	b.t = clock
	for range 10 * maxLoops { // a long while: both gaps have grown
		step(false)
	}
	for a.s.trying == 0 && b.s.trying == 0 { // until one of them tries
		step(false)
	}
	if b.s.trying > 0 {
		a, b = b, a // the site that tries is a
	}
	var tryLoops int
	for a.s.trying > 0 { // a's try: b's loops are slowed during it
		step(true)
		tryLoops++
	}
	for range tryLoops { // and for as many loops after it
		step(true)
	}
	// Booked, the slowed loops made b switch at its next comparison (loop 1 after them); b's
	// own next try is hundreds of loops away.
	limit := 3*keptRuns + minLoops
	for i := range limit {
		if _, wb := step(false); wb == alone {
			t.Fatalf("loop %d after the other site's try: ran alone, want split (its slowed loops were booked)", i)
		}
	}
	if b.s.chosen != split {
		t.Errorf("after the other site's try: chose %s, want split", wayName[b.s.chosen])
	}
}

// TestSizesAndSitesAreApart checks that loops of different sizes, or from different call
// sites, have their own figures, and that ForWork buckets by the declared work.
func TestSizesAndSitesAreApart(t *testing.T) {
	busy.Lock()
	defer busy.Unlock()
	defer func() { // no program counter is 1 or 2: forget them
		for k := range sites {
			if k.pc <= 2 {
				delete(sites, k)
			}
		}
	}()
	a, b, c := siteOf(1, 1000, false), siteOf(1, 5000, false), siteOf(2, 1000, false)
	if a == b || a == c || b == c {
		t.Errorf("siteOf(1, 1000), siteOf(1, 5000), siteOf(2, 1000) = %p, %p, %p; want three different figures", a, b, c)
	}
	if d := siteOf(1, 1023, false); d != a {
		t.Errorf("siteOf(1, 1023) = %p, want %p as siteOf(1, 1000) (same power of two)", d, a)
	}
	if a.aloneExtra != 0 {
		t.Errorf("siteOf(1, 1000, false).aloneExtra = %v, want 0", a.aloneExtra)
	}
	if l := siteOf(3, 1000, true); l.aloneExtra != localAloneExtra {
		t.Errorf("siteOf(3, 1000, true).aloneExtra = %v, want %v (a ForLocal site)", l.aloneExtra, localAloneExtra)
	}
}

// TestForStopsSplittingWhatSplitsBadly runs, through For, a loop whose chunks take 16 times as
// long on a worker as on the caller (as when the halves of a memory-bound loop fight each other
// in a slow phase), and checks that after its first try of running alone the site runs its
// chunks on the caller until the next try (minLoops loops later at the soonest).
func TestForStopsSplittingWhatSplitsBadly(t *testing.T) {
	if Chunks(1<<20, Grain) < 2 {
		t.Skip("one core: nothing to split")
	}
	forgetSites()
	forgetBackoff()
	defer forgetBackoff()
	const n = 1 << 20
	caller := goroutineID()
	var elsewhere atomic.Int32
	run := func() {
		For(n, n/2, func(lo, hi int) {
			if goroutineID() == caller {
				awaitWorker(lo)
				busyFor(500 * time.Microsecond) // time.Sleep may take a millisecond more
				return
			}
			elsewhere.Add(1)
			busyFor(8 * time.Millisecond) // under the 10 ms after which Go preempts a goroutine
		})
	}
	// One call of run, so that the compiler cannot inline it into two call sites of For.
	for i := range minLoops + tryRuns + minLoops - 1 { // fewer loops than the gap before a try
		if i == minLoops {
			if got := elsewhere.Load(); got != minLoops {
				t.Fatalf("%d of the first %d loops ran a chunk on a worker, want all", got, minLoops)
			}
			elsewhere.Store(0)
		}
		run()
		forgetBackoff() // the back-off would hide the site's choice
	}
	if got := elsewhere.Load(); got != 0 {
		t.Errorf("after the first try, %d chunks ran on a worker, want 0 (run on the caller, where they take 16 times less)", got)
	}
}

// TestForKeepsSplittingWhatPays runs, through For, a loop whose chunks wait 10 ms each wherever
// they run, so that split loops take half the time, and checks that the site goes back to
// splitting after its first try of running alone, and keeps splitting.
func TestForKeepsSplittingWhatPays(t *testing.T) {
	if Chunks(1<<20, Grain) < 2 {
		t.Skip("one core: nothing to split")
	}
	forgetSites()
	forgetBackoff()
	defer forgetBackoff()
	const n, after = 1 << 20, 8
	caller := goroutineID()
	var elsewhere atomic.Int32
	run := func() {
		For(n, n/2, func(lo, hi int) {
			if goroutineID() == caller {
				awaitWorker(lo)
			} else {
				elsewhere.Add(1)
			}
			time.Sleep(10 * time.Millisecond)
		})
	}
	// One call of run, so that the compiler cannot inline it into two call sites of For.
	for i := range minLoops + tryRuns + after {
		if i == minLoops+tryRuns {
			elsewhere.Store(0)
		}
		run()
		forgetBackoff() // a worker's sleep overslept on a busy machine would make the pool back off
	}
	if got := elsewhere.Load(); got != after {
		t.Errorf("%d of %d loops after the first try ran a chunk on a worker, want all (split loops take half the time)", got, after)
	}
}

// awaitWorker makes the caller's chunk lo of a split loop of two chunks wait until a worker has
// claimed the other chunk, so that a busy machine that runs the worker late cannot make the caller
// run both: the loop then costs what the test means split loops to cost. In a loop run alone it
// returns at once.
func awaitWorker(lo int) {
	if lo != 0 || !cur.open.Load() {
		return
	}
	deadline := time.Now().Add(time.Second)
	for cur.claimed.Load()&2 == 0 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
}

// forgetSites forgets what every site learned (an earlier run of the same test, with -count),
// so that the test's sites start anew.
func forgetSites() {
	busy.Lock()
	clear(sites)
	busy.Unlock()
}

// busyFor keeps its goroutine running for d.
func busyFor(d time.Duration) {
	for start := time.Now(); time.Since(start) < d; {
	}
}

// TestAloneLoopPanicFreesThePool checks that a loop a site runs on its caller, which holds the
// pool meanwhile, frees the pool when body panics, and that the panic reaches the caller.
func TestAloneLoopPanicFreesThePool(t *testing.T) {
	if !busy.TryLock() {
		t.Fatal("the pool is held before the test")
	}
	s := &siteStats{gap: minLoops}
	got := func() (r any) {
		defer func() { r = recover() }()
		timeAlone(s, funcTask(func(lo, hi int) { panic("boom") }), 100, 50, 100, now())
		return nil
	}()
	if got != "boom" {
		t.Errorf("timeAlone with a panicking body: recovered %v, want boom", got)
	}
	if !busy.TryLock() {
		t.Fatal("the pool stayed held after a panic in a loop run alone")
	}
	busy.Unlock()
}

// TestSiteTriesCostLittleOfLongLoops checks that for long loops (1 ms split, 2 ms alone, as a
// large matrix product's pieces) the tries of running alone after the first cost at most
// 1/tryShare of the time, before the gap in loops has grown.
func TestSiteTriesCostLittleOfLongLoops(t *testing.T) {
	f := newFakeSite(t, 2000, 1000)
	f.loops(minLoops + tryRuns) // the first try, after minLoops loops whatever they cost
	start, alones := f.t, 0
	const n = 1000
	for range n {
		alones += 1 - f.loop(0)
	}
	extra := time.Duration(alones) * time.Millisecond // each alone loop cost 1 ms more
	if share := float64(extra) / float64(f.t-start); share > 1.0/tryShare {
		t.Errorf("tries of running alone took %.1f%% of the time (%d alone loops in %d), want at most %.1f%%", 100*share, alones, n, 100.0/tryShare)
	}
}

// countingTask counts the calls of Run and RunAlone.
type countingTask struct{ runs, alones atomic.Int32 }

func (c *countingTask) Run(lo, hi int) { c.runs.Add(1) }
func (c *countingTask) RunAlone()      { c.alones.Add(1) }

// TestAloneTaskRunsWholeOnTheCaller checks that For calls an AloneTask's RunAlone, once and
// no Run, when it runs the loop on its caller (here with the pool reserved), and its chunks when
// it splits (a new site splits).
func TestAloneTaskRunsWholeOnTheCaller(t *testing.T) {
	if Chunks(1<<20, Grain) < 2 {
		t.Skip("one core: nothing to split")
	}
	forgetSites()
	forgetBackoff()
	defer forgetBackoff()
	const n = 1 << 20
	for _, reserved := range []bool{true, false} {
		var c countingTask
		if reserved && !Reserve() {
			t.Fatal("Reserve of an idle pool reported false")
		}
		ForTask(n, n/2, &c)
		if reserved {
			Release()
		}
		wantRuns, wantAlones := int32(2), int32(0)
		if reserved {
			wantRuns, wantAlones = 0, 1
		}
		if c.runs.Load() != wantRuns || c.alones.Load() != wantAlones {
			t.Errorf("reserved %v: %d calls of Run and %d of RunAlone, want %d and %d", reserved, c.runs.Load(), c.alones.Load(), wantRuns, wantAlones)
		}
	}
}

// TestSiteUndoesALuckyTry checks that a try of splitting that was lucky (the machine happened to
// be quiet for those loops) makes the site split for at most keptRuns loops before it goes back
// to running alone, rather than for a whole gap.
func TestSiteUndoesALuckyTry(t *testing.T) {
	f := newFakeSite(t, 10, 27)
	f.loops(minLoops + tryRuns)
	for range 5000 { // a long while alone: the gap has grown
		f.loop(0)
	}
	for f.s.choose(f.t) == alone {
		f.loop(0)
	}
	f.cost[split] = 5
	f.loops(tryRuns) // the lucky try
	if f.s.chosen != split {
		t.Fatalf("after a try at 5 ns per element against 10 alone: chose %s, want split", wayName[f.s.chosen])
	}
	f.cost[split] = 27
	if splits := f.loops(2*keptRuns + tryRuns); splits > keptRuns {
		t.Errorf("after a lucky try, %d loops split at 27 ns per element against 10 alone, want at most %d", splits, keptRuns)
	}
	if f.s.chosen != alone {
		t.Errorf("after a lucky try and %d loops: chose %s, want alone", 2*keptRuns+tryRuns, wayName[f.s.chosen])
	}
}

// TestSiteRetriesWhenItsLoopsChange checks that a site whose loops change pace (a call site
// shared by a dense embedding step, whose loops find their data out of cache, and a sparse one
// run after it, whose loops find it hot) tries the other way again soon, rather than after the
// longest gap on the strength of figures measured on the old loops: from splitting at 43 ns per
// element against 47 alone, to loops of 20 ns split and 6 ns alone.
func TestSiteRetriesWhenItsLoopsChange(t *testing.T) {
	f := newFakeSite(t, 47, 43)
	f.loops(10 * maxLoops) // a long while: the gap has grown to maxLoops
	for f.s.trying == 0 {  // up to the end of a try, so that the next is a whole gap away
		f.loop(0)
	}
	for f.s.trying > 0 {
		f.loop(0)
	}
	if f.s.chosen != split {
		t.Fatalf("old loops (split 43 ns, alone 47 ns per element): chose %s, want split", wayName[f.s.chosen])
	}
	f.cost = [2]time.Duration{6, 20}
	// Noticing the change takes up to keptRuns loops, then minLoops to the try, and the try
	// waits tryShare times its cost at the new split pace (tryShare·tryRuns loops).
	limit := keptRuns + minLoops + tryShare*tryRuns + tryRuns + keptRuns
	n := 0
	for ; f.s.chosen != alone && n < 2*maxLoops; n++ {
		f.loop(0)
	}
	if n > limit {
		t.Errorf("new loops (split 20 ns, alone 6 ns per element): chose alone after %d loops, want at most %d", n, limit)
	}
}
