package optim

import (
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// WarmupCosine warms the learning rate up linearly from 0 to η₀ over Warmup steps, then anneals
// it along half a cosine to ηmin at step Total, and holds it at ηmin after: after e calls of
// Step the learning rate is
//
//	η₀ e / Warmup                                            for e < Warmup,
//	ηmin + (η₀ − ηmin)(1 + cos(π (e − Warmup)/(Total − Warmup))) / 2   for Warmup ≤ e ≤ Total,
//
// η₀ being the optimizer's learning rate when the schedule was made (with ηmin = 0, the
// schedule of transformers' get_cosine_schedule_with_warmup, a LambdaLR in PyTorch). The
// schedule sets the rate of step 0 when it is made, so a hand-written loop calls Step after each
// optimizer step; train.Fit calls it once per epoch, so give it epochs there.
type WarmupCosine struct {
	opt                  LRSetter
	base, etaMin         float64
	warmup, total, epoch int
}

// NewWarmupCosine returns a warm-up and cosine schedule of opt and sets opt's learning rate to
// its value at step 0 (0 if warmup > 0). It returns an error wrapping ErrHyper if warmup is
// negative or total is not above warmup, and one wrapping ErrLR if etaMin is NaN, infinite,
// negative or above the optimizer's rate.
func NewWarmupCosine(opt LRSetter, warmup, total int, etaMin float64) (*WarmupCosine, error) {
	const op = "optim.NewWarmupCosine"
	if opt == nil {
		return nil, ag.Errorf(op, ErrHyper, "nil optimizer; pass the optimizer whose learning rate to schedule")
	}
	if warmup < 0 || total <= warmup {
		return nil, ag.Errorf(op, ErrHyper, "warm-up %d and total %d steps; want 0 ≤ warm-up < total", warmup, total)
	}
	if err := checkLR(op, etaMin); err != nil {
		return nil, err
	}
	if etaMin > opt.LR() {
		return nil, ag.Errorf(op, ErrLR, "ηmin %g above the optimizer's learning rate %g", etaMin, opt.LR())
	}
	s := &WarmupCosine{opt: opt, base: opt.LR(), etaMin: etaMin, warmup: warmup, total: total}
	opt.SetLR(s.at(0))
	return s, nil
}

// at returns the learning rate after e steps.
func (s *WarmupCosine) at(e int) float64 {
	if e < s.warmup {
		return s.base * float64(e) / float64(s.warmup)
	}
	frac := math.Min(1, float64(e-s.warmup)/float64(s.total-s.warmup))
	return math.Max(0, s.etaMin+(s.base-s.etaMin)*(1+math.Cos(math.Pi*frac))/2)
}

// Step ends a step (or an epoch): it sets the optimizer's learning rate for the next one and
// returns it.
func (s *WarmupCosine) Step() float64 {
	s.epoch++
	lr := s.at(s.epoch)
	s.opt.SetLR(lr)
	return lr
}

// Epoch returns the number of calls to Step so far.
func (s *WarmupCosine) Epoch() int { return s.epoch }

var _ Scheduler = (*WarmupCosine)(nil)
