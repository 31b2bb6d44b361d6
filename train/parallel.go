package train

import (
	"cmp"
	"fmt"
	"sync"

	ag "github.com/gograd/gograd/autograd"
	"github.com/gograd/gograd/data"
	"github.com/gograd/gograd/layers"
	"github.com/gograd/gograd/ops"
)

// ParallelGrad computes the gradient of the mean loss over the rows batch of ds with up to
// workers goroutines, and adds it to the gradients of m's parameters, as ag.Backward would for the
// whole batch; it returns the mean loss. The batch is split into contiguous shares, one per
// worker; each worker runs the forward pass on a tape of its own and computes its gradients with
// ag.Grad, which leaves the parameters' gradients alone, so the parameters are only read while the
// workers run. The shares' gradients are then summed in worker order (0, 1, ...) on the calling
// goroutine, so the result is the same from run to run for a given worker count. With one worker
// it differs from a plain Backward over the batch only by rounding.
//
// loss must return the mean over the rows of the batch it is given (as CrossEntropy and MSE do;
// nil means CrossEntropy): each worker's loss is weighted by its share of the rows. m.Forward must
// be safe to call from several goroutines at once, as the layers of package layers are. Dropout
// in training mode draws its masks from one shared random source, so which worker gets which
// mask depends on scheduling and the result is no longer reproducible (layers.Eval switches it
// off).
//
// ParallelGrad returns an error wrapping ErrConfig if workers < 1, the batch is empty or holds
// an index outside ds, or ds is inconsistent; the loss's error if it fails on a share; and the
// *autograd.Error a worker panicked with. On error the parameters' gradients are unchanged.
func ParallelGrad(m layers.Module, loss LossFunc, ds data.Dataset, batch []int, workers int) (float64, error) {
	const op = "train.ParallelGrad"
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
	return parallelGrad(op, m, loss, &ds, batch, workers, params, dt, nil)
}

// parallelGrad is ParallelGrad after the checks. When pred is not nil, it receives the class
// of every row of the batch (see classes), each worker writing its own share.
func parallelGrad(op string, m layers.Module, loss LossFunc, ds *data.Dataset, batch []int, workers int, params []ag.Var, dt ag.DType, pred []int) (float64, error) {
	workers = min(workers, len(batch))
	n := len(batch)

	type share struct {
		loss  float64
		grads [][]float64 // per parameter, as float64 whatever its dtype
		err   error
		pnc   any // a panic that is not an *autograd.Error, re-raised on the caller's goroutine
	}
	shares := make([]share, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &shares[w]
			defer func() {
				if r := recover(); r != nil {
					s.pnc = r
				}
			}()
			var lossErr error
			err := ag.Maybe(func() {
				var b data.Dataset
				ds.Gather(&b, batch[lo:hi])
				tp := ag.NewTape()
				x := ops.Cast(tp.Const(b.X, b.Rows, b.Cols), dt)
				out := m.Forward(x)
				l, err := loss(out, &b)
				if err != nil {
					lossErr = err
					return
				}
				if l.Len() != 1 {
					ag.Panicf(op, ag.ErrShape, "the loss has shape %s; want one value, the mean over the batch", ag.FormatShape(l.Shape()))
				}
				weighted := ops.MulScalar(l, float64(hi-lo)/float64(n))
				gs, err := ag.Grad([]ag.Var{weighted}, params, ag.AllowUnused())
				if err != nil {
					lossErr = err
					return
				}
				s.loss = weighted.Item()
				if pred != nil {
					copy(pred[lo:hi], classes(nil, out))
				}
				s.grads = make([][]float64, len(gs))
				for i, g := range gs {
					s.grads[i] = g.Float64s()
				}
			})
			s.err = cmp.Or(lossErr, err)
		}()
	}
	wg.Wait()
	for w := range shares {
		if shares[w].pnc != nil {
			panic(shares[w].pnc)
		}
	}
	for w := range shares {
		if err := shares[w].err; err != nil {
			return 0, fmt.Errorf("%s: worker %d of %d (rows %d to %d of the batch): %w", op, w, workers, w*n/workers, (w+1)*n/workers, err)
		}
	}
	total := 0.0
	for w := range shares {
		total += shares[w].loss
	}
	for i, p := range params {
		sum := shares[0].grads[i]
		for w := 1; w < workers; w++ {
			for k, g := range shares[w].grads[i] {
				sum[k] += g
			}
		}
		if err := addGrad(p, sum); err != nil {
			return 0, err
		}
	}
	return total, nil
}

// addGrad adds g to the gradient of parameter p through the public API: the gradient of
// Σ p·g with respect to p is g, exactly (the products of g with the seed 1 are exact).
func addGrad(p ag.Var, g []float64) error {
	tp := ag.NewTape()
	c := tp.Const(g, p.Shape()...)
	if p.DType() == ag.Float32 {
		g32 := make([]float32, len(g))
		for k, v := range g {
			g32[k] = float32(v)
		}
		c = tp.Const32(g32, p.Shape()...)
	}
	return ag.Backward(ops.Sum(ops.Mul(p, c)))
}
