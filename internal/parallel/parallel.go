// Package parallel splits loops over the available cores with a small pool of long-lived
// workers, so that a large kernel (an elementwise loop, the pieces of a matrix product) uses every
// core without starting goroutines.
//
// The pool works like an OpenMP runtime with an active wait policy: the caller of For posts the
// loop, runs its own chunk, then takes over any chunk no worker has claimed, and waits by
// spinning rather than parking, so it keeps its core and its cache. Idle workers poll for
// spinTime before they park, because waking a parked thread can take longer than a whole kernel
// on a virtual machine, and a training step calls For many times in a row. Worker j starts with
// chunk j, so consecutive kernels over the same arrays find their halves in the same core's cache.
//
// Splitting does not always pay, and whether it does is measured rather than guessed. On a
// virtual machine the two halves of a memory-bound loop can each run slower than the whole loop
// alone (BenchmarkForkJoin: halves of a 2 MB copy took 28-30 µs each where the whole took 41-46
// µs alone, with the worker starting 0.4 µs after the post), and the machine drifts between
// phases where a training step of such loops runs twice as fast split and phases where it runs
// two to three times slower. So For times every loop it runs while holding the pool, split or
// alone, and keeps per call site (the program counter of the call to For) and power of two of
// the loop's size the last times per element each way (decide.go). A new site splits; after 16
// loops it tries running alone for 5 loops, and from then on runs its loops the way whose median
// time was lower, trying the other way now and then, after a gap that doubles while the try
// loses (up to 1024 loops) and is at least 64 times what the last try cost, so that a loop that
// splits badly splits in few of its calls, tries cost a few percent at most, and the site
// follows the machine from phase to phase; every 8 loops it also compares its way with the
// other's last try, so that a lucky try is undone at once, and when its way's median has moved
// by a factor of 1.5 either way since the ways were last compared (the site's loops changed, as
// when a sparse embedding step follows a dense one through the same kernels, or the machine
// did), it tries the other way again after 16 loops and 64 times what a try costs at the present
// pace, rather than after a gap grown on figures of other loops. A gemm split along m or n (an
// AloneTask) run alone is one serial product; a split along k runs its pieces in turn. A site of
// ForLocal, whose split leaves data where the next loops use it, books its runs alone at 1.5
// times their time. While one site tries the other way, and for as long again after, the other
// sites do not book their runs: a try moves data between the cores, and booked, the slow loops
// it causes elsewhere made those sites try too, in a cascade. A loop a site runs alone holds the pool meanwhile, as a split one does, so
// concurrent and nested loops run alone then too. Loops run alone because the pool is busy or
// backing off are not timed.
//
// When a core is taken by another program, a worker can be descheduled in the middle of its chunk,
// and the caller then waits for it a scheduler time slice, far longer than running every chunk
// itself would have taken. For books the time each split loop saved or lost against running on
// its caller alone (backoff.go); when splitting has lost more than it saved lately, the pool
// stays out of the way (every For runs its chunks on its caller, and Free reports false) for a
// back-off time that doubles each time, from 1 ms up to 64 ms, until splitting pays again.
// Idle workers park meanwhile, which gives the cores back. The loops of a site that runs alone
// and tries splitting again are not booked: the site's figures judge them (see splitLoop).
package parallel

import (
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// Grain is the smallest number of elements worth handing to another core: below it, starting
// and joining the work costs more than it saves. For splits from 2·Grain = 32768 elements, as
// PyTorch does: with spinning workers a hand-off costs about a microsecond, and two halves of a
// 1e5-element kernel fit in two cores' caches where the whole does not fit in one
// (BenchmarkFor; sum(sigmoid(x·w+b)) over 1e5 float64 went from 5.4 to 2.7 ns/element).
const Grain = 1 << 14

// maxChunks bounds the chunks of one loop: one bit each in job.claimed.
const maxChunks = 64

// job is the loop being run. Its plain fields are written by the caller of For only while open
// is false, and read by workers only after they see open true; close waits for the workers inside
// to leave before the next For may write them again.
type job struct {
	body     Task
	n, chunk int
	k        int
	open     atomic.Bool   // workers may join
	inside   atomic.Int32  // workers that have joined and not yet left
	claimed  atomic.Uint64 // bit i: chunk i is taken
	finished atomic.Int32  // chunks done
	panicked atomic.Pointer[workerPanic]
}

// workerPanic is the first value a body panicked with on a worker, re-raised by the caller.
type workerPanic struct{ v any }

// worker is one pooled goroutine's wake-up state.
type worker struct {
	id     int
	asleep atomic.Bool
	wake   chan struct{}
}

var (
	start   sync.Once
	workers []*worker
	busy    sync.Mutex    // held by the For using the pool; others run their chunks alone
	posted  atomic.Uint64 // number of loops posted; workers compare it to the last they saw
	cur     job
)

// startWorkers starts one worker per extra core: more would spin against the ones working.
func startWorkers() {
	for i := 1; i < min(runtime.GOMAXPROCS(0), runtime.NumCPU(), maxChunks); i++ {
		w := &worker{id: i, wake: make(chan struct{}, 1)}
		workers = append(workers, w)
		go w.loop()
	}
}

// spinTime is how long an idle worker keeps polling before it parks. With 100 µs the worker
// parked between the split products of a GRU step in some runs, and each product then waited for
// it to wake: the pool backed off after nearly every split loop (48 back-offs for 48 split loops
// in a traced run) or its sites chose to run alone, and BenchmarkGRUStep, alone in its process,
// took 29.8–43.9 ms over 5 runs, against 28.4–29.4 with 250 µs. Longer costs the caller's serial
// work when another program takes a core: with 1 ms and a busy loop running, the float64 MLP step
// took 1.0–1.2 ms against 0.82–0.90 with 100 µs; with 250 µs, 843 against 898 µs (medians of 6
// alternated runs; bench/README.md).
const spinTime = 250 * time.Microsecond

// yieldEvery is how many polls a spinning goroutine makes between yields of its processor, so
// that other goroutines (the user's, or callers of For waiting for the pool) still run.
const yieldEvery = 256

// loop waits for loops and joins them. It never returns; if a body ends the goroutine with
// runtime.Goexit, a new one takes its place.
func (w *worker) loop() {
	defer func() { go w.loop() }()
	seen := uint64(0)
	for {
		seen = w.await(seen)
		join(w.id)
	}
}

// await polls for a loop posted after the seen-th, parking after spinTime, and returns the new
// count.
func (w *worker) await(seen uint64) uint64 {
	last := time.Now()
	for polls := 1; ; polls++ {
		if p := posted.Load(); p != seen {
			return p
		}
		if polls%yieldEvery != 0 {
			continue
		}
		if time.Since(last) < spinTime {
			runtime.Gosched()
			continue
		}
		// Announce the sleep, then look again: a poster either sees asleep and wakes us, or
		// posted before the second look.
		w.asleep.Store(true)
		if posted.Load() == seen {
			<-w.wake
		}
		w.asleep.Store(false)
		last = time.Now()
	}
}

// join runs the chunks of the open loop that no one has claimed, starting with chunk first. A
// worker whose chunk the loop does not have (a short loop on a machine with many cores) stays
// out, so that it does not contend for the others' chunks.
func join(first int) {
	j := &cur
	j.inside.Add(1)
	defer j.inside.Add(-1)
	if j.open.Load() && first < j.k {
		j.runFrom(first, true)
	}
}

// runFrom claims and runs chunks, chunk first and then the others in order, and returns how
// many it ran. On a worker, a panic in body is kept for the caller of For, and the chunk still
// counts as done.
func (j *job) runFrom(first int, onWorker bool) (ran int) {
	for i := 0; i < j.k; i++ {
		c := (first + i) % j.k
		bit := uint64(1) << c
		if j.claimed.Load()&bit != 0 || j.claimed.Or(bit)&bit != 0 {
			continue
		}
		if onWorker {
			j.runGuarded(c)
		} else {
			j.run(c)
		}
		ran++
	}
	return ran
}

// run runs chunk c and counts it done.
func (j *job) run(c int) {
	lo := c * j.chunk
	j.body.Run(lo, min(j.n, lo+j.chunk))
	j.finished.Add(1)
}

// runGuarded runs chunk c on a worker: a panic is recorded instead of crashing the program, and
// the chunk counts as done even if body panics or calls runtime.Goexit, so the caller never waits
// forever.
func (j *job) runGuarded(c int) {
	defer func() {
		if r := recover(); r != nil {
			j.panicked.CompareAndSwap(nil, &workerPanic{r})
		}
		j.finished.Add(1)
	}()
	lo := c * j.chunk
	j.body.Run(lo, min(j.n, lo+j.chunk))
}

// For calls body over [0, n) in contiguous chunks, one per core, when n is at least 2·grain
// and splitting has paid at this call site for loops of this size (see the package
// documentation); otherwise it calls body on the calling goroutine, over the same chunks. The
// chunks depend only on n, grain and the number of cores at first use, so results are
// reproducible on a machine; when another For holds the pool (a concurrent or nested call), the
// caller runs the same chunks itself. The caller always runs the first chunk. body must be safe
// to call concurrently on disjoint ranges. If body panics, For panics with the same value on the
// calling goroutine once every chunk has finished; body should not call runtime.Goexit (on a
// worker, it only ends that chunk).
func For(n, grain int, body func(lo, hi int)) { forTask(n, grain, n, false, funcTask(body)) }

// Task is a loop body held by a long-lived value (a pointer to a struct that keeps the loop's
// operands in fields), so that handing it to ForTask allocates nothing, where a closure given to
// For escapes to the heap.
type Task interface {
	Run(lo, hi int)
}

// funcTask adapts a closure to Task.
type funcTask func(lo, hi int)

func (f funcTask) Run(lo, hi int) { f(lo, hi) }

// ForTask is For with the loop body as a Task.
func ForTask(n, grain int, body Task) { forTask(n, grain, n, false, body) }

// ForWork is ForTask for loops whose elements are not alike from call to call, such as the pieces
// of matrix products of many shapes: work is the loop's whole cost in some unit of the caller's
// (multiply-adds, say), by which the pool compares loops of the same call site and buckets them by
// size, where For uses n.
func ForWork(n, grain, work int, body Task) { forTask(n, grain, work, false, body) }

// ForLocal is ForWork for a loop whose split leaves on each core data that the loops after it
// read or write there: a matrix product split along its depth reads on each core the rows of a
// weight that the core updates after the backward pass (gemm's splitsK). Running such a loop
// alone costs the loops after it more than its own time shows, so its site books each run alone
// at 1 + localAloneExtra times its time when it compares the two ways.
func ForLocal(n, grain, work int, body Task) { forTask(n, grain, work, true, body) }

// localAloneExtra is the share of its own time that a ForLocal loop run alone is charged for
// what it costs the loops after it. BenchmarkMLPStep's forward product x·W₁ (float64) split
// along k took about 220 µs, and 330 µs alone; the SGD update of W₁ after it took 28 µs, where
// it took 105 µs after the product split along n, which had each core read every row of W₁
// (medians of 600 steps). Without the charge, 4 of 12 runs of the benchmark's float64 step took
// 730-794 µs, against 475-640 µs for the others; with it, none of 12 took more than 640 µs.
const localAloneExtra = 0.5

// forTask runs For. It must be called directly by For, ForTask, ForWork or ForLocal: it names
// the call site by their caller's program counter.
//
//go:noinline
func forTask(n, grain, work int, local bool, body Task) {
	k := Chunks(n, grain)
	if k <= 1 {
		body.Run(0, n)
		return
	}
	chunk := (n + k - 1) / k
	if backingOff() || !busy.TryLock() {
		aloneLoops.Add(1)
		runAlone(body, n, chunk)
		return
	}
	if !siteDecisions.Load() {
		splitLoops.Add(1)
		splitLoop(body, n, chunk, k, now(), true)
		busy.Unlock()
		return
	}
	var pc [1]uintptr
	runtime.Callers(3, pc[:]) // runtime.Callers, forTask, For: the caller of For
	site := siteOf(pc[0], work, local)
	start := now()
	if site.choose(start) == alone {
		aloneLoops.Add(1)
		timeAlone(site, body, n, chunk, work, start)
		return
	}
	splitLoops.Add(1)
	splitLoop(body, n, chunk, k, start, site.chosen == split) // a try of splitting: see splitLoop
	end := now()
	site.record(split, end-start, work, end)
	busy.Unlock()
}

// AloneTask is a Task with a cheaper way to run the whole loop on one core than its chunks one
// after another: the pieces of a matrix product each repeat some packing that one serial product
// does once. For calls RunAlone instead of the chunks when it runs the loop on its caller (the
// pool busy or backing off, or the call site better off alone); RunAlone must leave the same
// results as Run over every chunk.
type AloneTask interface {
	Task
	RunAlone()
}

// runAlone runs body on the caller: its chunks of [0, n) one after another, or RunAlone.
func runAlone(body Task, n, chunk int) {
	if a, ok := body.(AloneTask); ok {
		a.RunAlone()
		return
	}
	for lo := 0; lo < n; lo += chunk {
		body.Run(lo, min(n, lo+chunk))
	}
}

// timeAlone runs body's chunks on the caller, which holds the pool, books their time to site
// and frees the pool, also when body panics.
func timeAlone(site *siteStats, body Task, n, chunk, work int, start time.Duration) {
	defer busy.Unlock()
	runAlone(body, n, chunk)
	end := now()
	site.record(alone, end-start, work, end)
}

// splitLoop runs body's k chunks on the pool, whose lock the caller holds. It leaves the lock held, also when body
// panics (on the caller or a worker): the panic is re-raised after the pool is closed. With
// backOff set it books the time the split saved or lost (observe); a site that runs alone and
// tries splitting again does not, since its own figures judge the try: a back-off would run every
// loop alone and park the worker, which then wakes too late for the next loop of the try (a
// parked worker took 92–140 µs to wake at the median, longer than half of BenchmarkMLPStep's
// largest product), that loop straggles too, and the pool can stay alone for good. Started with every
// site alone, 5 of 20 one-second runs of the float64 MLP step still ran most of their loops alone
// when tries fed the back-off, none of 20 when they did not (bench/README.md).
func splitLoop(body Task, n, chunk, k int, start time.Duration, backOff bool) {
	j := &cur
	j.body, j.n, j.chunk, j.k = body, n, chunk, k
	j.claimed.Store(1) // chunk 0 is the caller's, for its cache
	j.finished.Store(0)
	j.panicked.Store(nil)
	j.open.Store(true)
	posted.Add(1)
	for _, w := range workers[:k-1] {
		if w.asleep.Load() {
			select {
			case w.wake <- struct{}{}:
			default:
			}
		}
	}
	panicking := true
	defer func() {
		j.close()
		if panicking {
			busy.Unlock() // the pool must not stay locked
		}
	}()
	j.run(0)
	mine := 1 + j.runFrom(1, false)
	worked := now()
	j.waitFor(int32(k))
	if backOff {
		observe(worked-start, now()-worked, mine, k)
	}
	if p := j.panicked.Load(); p != nil {
		panic(p.v)
	}
	panicking = false
}

// waitFor spins until k chunks are done.
func (j *job) waitFor(k int32) {
	for polls := 1; j.finished.Load() != k; polls++ {
		if polls%yieldEvery == 0 {
			runtime.Gosched()
		}
	}
}

// close stops workers from joining and waits for those inside to leave.
func (j *job) close() {
	j.open.Store(false)
	for polls := 1; j.inside.Load() != 0; polls++ {
		if polls%yieldEvery == 0 {
			runtime.Gosched()
		}
	}
	j.body = nil
}

// Reserve takes the pool, if no loop holds it, and reports whether it did; Release gives it back.
// Until then every For runs its chunks on its own caller. Code that splits work over goroutines
// itself (train.ParallelGrad) reserves the pool, so that the pool's workers do not compete with
// its goroutines for the cores.
func Reserve() bool { return busy.TryLock() }

// Release gives back the pool taken by a Reserve that returned true.
func Release() { busy.Unlock() }

// Free reports whether the pool is free at this moment, a hint for callers that would rather
// not split their work when For would run every chunk on its caller anyway (gemm, whose pieces
// each repeat some packing). A caller told false runs its work on one core instead of calling
// For, and Counts books it as a loop run alone.
func Free() bool {
	if !backingOff() && busy.TryLock() {
		busy.Unlock()
		return true
	}
	aloneLoops.Add(1)
	return false
}

// Worth reports whether For would split n elements with this grain. Callers test it before
// building the closure for For, which escapes to the heap: small loops then allocate nothing.
func Worth(n, grain int) bool { return n >= 2*grain }

// Chunks returns how many chunks For would split n elements into: one per core at most, of
// ⌈n/k⌉ elements each, every one of them non-empty.
func Chunks(n, grain int) int {
	if n < 2*grain {
		return 1
	}
	start.Do(startWorkers)
	k := max(1, min(len(workers)+1, n/grain))
	chunk := (n + k - 1) / k
	return (n + chunk - 1) / chunk
}
