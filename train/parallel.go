package train

import (
	"cmp"
	"fmt"
	"runtime/debug"
	"sync"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/internal/parallel"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
)

// ParallelGrad computes the gradient of the mean loss over the rows batch of ds with up to
// workers goroutines, and adds it to the gradients of m's parameters, as ag.Backward would for the
// whole batch; it returns the mean loss. The batch is split into contiguous shares, one per
// worker; each worker runs the forward pass on a tape of its own and computes its gradients with
// ag.Grad, which leaves the parameters' gradients alone, so the parameters are only read while the
// workers run. The shares' gradients are then added to the parameters' with ag.AccumulateGrad in
// worker order (0, 1, ...) on the calling goroutine, so the result is the same from run to run
// for a given worker count. With one worker the share runs on the calling goroutine and its
// gradients are those of a plain Backward over the batch. With several, the workers
// reserve the cores for themselves (unless another goroutine's kernel holds them at the start):
// the kernels they run do not split loops over the cores as they otherwise do. Tapes and buffers
// are reused from call to call; the parameters own the gradients added to them.
//
// loss must return the mean over the rows of the batch it is given (as CrossEntropy and MSE do;
// nil means CrossEntropy): each worker's loss is weighted by its share of the rows. m.Forward must
// be safe to call from several goroutines at once, as the layers of package layers are. Dropout
// in training mode draws its masks from one shared random source, so which worker gets which
// mask depends on scheduling and the result is no longer reproducible (layers.Eval switches it
// off).
//
// ParallelGrad returns an error wrapping ErrConfig if m is nil, workers < 1, the batch is empty or holds
// an index outside ds, or ds is inconsistent; the loss's error if it fails on a share; and the
// typed misuse (*autograd.Error, *data.Error, see autograd.Misuse) a worker panicked with. Any
// other panic in a worker goroutine is re-raised on the calling goroutine as a *WorkerPanic
// holding the value and the worker's stack (one worker runs on the calling goroutine, where such a
// panic goes on as it is). On error the parameters' gradients are unchanged.
func ParallelGrad(m layers.Module, loss LossFunc, ds data.Dataset, batch []int, workers int) (float64, error) {
	const op = "train.ParallelGrad"
	if isNil(m) {
		return 0, configError(op, "nil model (%T)", m)
	}
	if workers < 1 {
		return 0, configError(op, "%d workers; want at least 1", workers)
	}
	if len(batch) == 0 {
		return 0, configError(op, "empty batch")
	}
	if err := checkData(op, &ds); err != nil {
		return 0, err
	}
	for i, r := range batch {
		if r < 0 || r >= ds.Rows {
			return 0, configError(op, "batch index %d is row %d, outside [0, %d)", i, r, ds.Rows)
		}
	}
	if loss == nil {
		if ds.Y == nil {
			return 0, configError(op, "the default loss, CrossEntropy, needs labels (Dataset.Y)")
		}
		loss = CrossEntropy
	}
	params := layers.Params(m)
	dt := ag.Float64
	if len(params) > 0 {
		dt = params[0].DType()
	}
	return parallelGrad(op, m, loss, &ds, batch, workers, params, dt, nil, nil)
}

// parallelGrad is ParallelGrad after the checks, with the states of the shares, one per worker
// at least (taken from the pool when nil). When outs is not nil, it receives the model's outputs
// for the batch, row-major in the batch's order. With one worker the share runs on the calling
// goroutine and Backward collects its gradients directly into the parameters; with several, each
// worker computes its share's gradients with ag.Grad on a tape of its own, and they are added
// to the parameters with ag.AccumulateGrad in worker order.
func parallelGrad(op string, m layers.Module, loss LossFunc, ds *data.Dataset, batch []int, workers int, params []ag.Var, dt ag.DType, outs *[]float64, states []*shareState) (float64, error) {
	workers = min(workers, len(batch))
	n := len(batch)
	if states == nil {
		states = make([]*shareState, workers)
		for w := range states {
			states[w] = shareStates.Get().(*shareState)
		}
		defer func() {
			for _, st := range states {
				shareStates.Put(st)
			}
		}()
	}
	if workers == 1 {
		st := states[0]
		var l ag.Var
		var lossErr error
		err := ag.Maybe(func() {
			var out ag.Var
			if out, l, lossErr = st.forward(op, m, loss, ds, batch, dt); lossErr != nil {
				return
			}
			if outs != nil {
				*outs = appendFloat64s((*outs)[:0], out)
			}
			lossErr = ag.Backward(l)
		})
		if err = cmp.Or(lossErr, err); err != nil {
			return 0, err
		}
		return l.Item(), nil
	}

	// While the workers below use the cores, the kernels inside them run on their own goroutine
	// instead of handing chunks to the pool's workers, which would compete for the cores.
	reserved := parallel.Reserve()
	release := func() {
		if reserved {
			reserved = false
			parallel.Release()
		}
	}
	defer release() // on a panic before the workers are done

	type share struct {
		loss  float64
		grads []ag.Var // on the share's tape, valid until its next Reset
		out   ag.Var
		err   error
		pnc   *WorkerPanic // a panic that is not a typed misuse, re-raised on the caller's goroutine
		done  bool         // the goroutine ran to its end (runtime.Goexit skips it)
	}
	shares := make([]share, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		s, st := &shares[w], states[w]
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					s.pnc = &WorkerPanic{Value: r, Worker: w, Stack: debug.Stack()}
				}
			}()
			var lossErr error
			err := ag.Maybe(func() {
				var l ag.Var
				if s.out, l, lossErr = st.forward(op, m, loss, ds, batch[lo:hi], dt); lossErr != nil {
					return
				}
				weighted := ops.MulScalar(l, float64(hi-lo)/float64(n))
				if s.grads, lossErr = ag.Grad([]ag.Var{weighted}, params, ag.AllowUnused()); lossErr != nil {
					return
				}
				s.loss = weighted.Item()
			})
			s.err = cmp.Or(lossErr, err)
			s.done = true
		}()
	}
	wg.Wait()
	release() // summing the gradients may use the cores again
	for w := range shares {
		if shares[w].pnc != nil {
			panic(shares[w].pnc)
		}
	}
	for w := range shares {
		if !shares[w].done {
			return 0, fmt.Errorf("%s: worker %d of %d ended without a result (did the model call runtime.Goexit?)", op, w, workers)
		}
		if err := shares[w].err; err != nil {
			return 0, fmt.Errorf("%s: worker %d of %d (rows %d to %d of the batch): %w", op, w, workers, w*n/workers, (w+1)*n/workers, err)
		}
	}
	total := 0.0
	if outs != nil {
		*outs = (*outs)[:0]
	}
	for w := range shares {
		total += shares[w].loss
		if outs != nil {
			*outs = appendFloat64s(*outs, shares[w].out)
		}
	}
	return total, ag.Maybe(func() {
		for w := range shares {
			for i, p := range params {
				ag.AccumulateGrad(p, shares[w].grads[i])
			}
		}
	})
}

// WorkerPanic is what ParallelGrad (and Fit with Workers > 1) panics with on the calling
// goroutine when a worker panicked with a value other than a typed misuse (which becomes an
// error): the value and the worker's stack at the panic, which a re-raised panic would
// otherwise lose. An uncaught WorkerPanic prints both.
type WorkerPanic struct {
	Value  any    // the value the worker panicked with
	Worker int    // the worker's number, from 0
	Stack  []byte // the worker goroutine's stack when it panicked (runtime/debug.Stack)
}

// Error returns the value and the worker's stack.
func (p *WorkerPanic) Error() string {
	return fmt.Sprintf("%v\n\n[train: re-raised from worker %d, which panicked at:]\n%s", p.Value, p.Worker, p.Stack)
}

// Unwrap returns the value if it is an error (such as a runtime.Error), or nil.
func (p *WorkerPanic) Unwrap() error {
	err, _ := p.Value.(error)
	return err
}

// shareState is what one share of ParallelGrad reuses from batch to batch: its tape, its rows
// and their shape, so that a training step does not allocate them anew.
type shareState struct {
	tp    *ag.Tape
	rows  data.Dataset
	shape []int // the shape of rows as a tensor
}

var shareStates = sync.Pool{New: func() any { return newShareState() }}

func newShareState() *shareState { return &shareState{tp: ag.NewTape()} }

// forward resets the share's tape, gathers the rows of ds into the share's batch, wraps it as
// the model's input (no further copy) in dtype dt, and returns the model's output and loss. It
// returns the loss function's error, and panics with an *autograd.Error if the loss has more than
// one element.
func (st *shareState) forward(op string, m layers.Module, loss LossFunc, ds *data.Dataset, rows []int, dt ag.DType) (out, l ag.Var, err error) {
	st.tp.Reset()
	b := &st.rows
	ds.Gather(b, rows)
	st.shape = b.BatchShape(st.shape)
	out = m.Forward(ops.Cast(st.tp.Wrap(b.X, st.shape...), dt))
	if l, err = loss(out, b); err != nil {
		return out, l, err
	}
	if l.Len() != 1 {
		ag.Panicf(op, ag.ErrShape, "the loss has shape %s; want one value, the mean over the batch", ag.FormatShape(l.Shape()))
	}
	return out, l, nil
}

// appendFloat64s appends g's values to dst, converted to float64.
func appendFloat64s(dst []float64, g ag.Var) []float64 {
	if g.DType() == ag.Float32 {
		for _, v := range g.Data32() {
			dst = append(dst, float64(v))
		}
		return dst
	}
	return append(dst, g.Data64()...)
}
