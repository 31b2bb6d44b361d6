package optim

import (
	"math"
	"reflect"

	ag "github.com/gograd/gograd/autograd"
)

// StepLR decays the learning rate by γ every StepSize epochs, as torch.optim.lr_scheduler.StepLR:
// after e calls of Step the learning rate is η₀ γ^⌊e/StepSize⌋, η₀ being the optimizer's
// learning rate when the schedule was made.
type StepLR struct {
	opt      LRSetter
	base     float64
	stepSize int
	gamma    float64
	epoch    int
}

// NewStepLR returns a StepLR schedule of opt. It returns an error wrapping ErrHyper if stepSize
// is less than 1 or gamma is negative, NaN or infinite.
func NewStepLR(opt LRSetter, stepSize int, gamma float64) (*StepLR, error) {
	const op = "optim.NewStepLR"
	if isNilSetter(opt) {
		return nil, ag.Errorf(op, ErrHyper, "nil optimizer; pass the optimizer whose learning rate to schedule")
	}
	if stepSize < 1 {
		return nil, ag.Errorf(op, ErrHyper, "step size %d; want at least 1", stepSize)
	}
	if !(gamma >= 0) || math.IsInf(gamma, 0) {
		return nil, ag.Errorf(op, ErrHyper, "γ %g; want a finite value ≥ 0", gamma)
	}
	return &StepLR{opt: opt, base: opt.LR(), stepSize: stepSize, gamma: gamma}, nil
}

// Step ends an epoch: it sets the optimizer's learning rate for the next one and returns it.
// With γ > 1 the rate grows; once it overflows to +Inf, Step panics with the optimizer's
// SetLR error (wrapping ErrLR), where torch would set an infinite rate and train on to NaN
// parameters; train.Fit returns that panic as an error.
func (s *StepLR) Step() float64 {
	s.epoch++
	lr := s.base * math.Pow(s.gamma, float64(s.epoch/s.stepSize))
	s.opt.SetLR(lr)
	return lr
}

// Epoch returns the number of calls to Step so far.
func (s *StepLR) Epoch() int { return s.epoch }

// CosineAnnealing anneals the learning rate from η₀ to ηmin along half a cosine over TMax
// epochs, as torch.optim.lr_scheduler.CosineAnnealingLR (its closed form): after e calls of
// Step the learning rate is
//
//	ηmin + (η₀ − ηmin)(1 + cos(π e / TMax)) / 2,
//
// which keeps following the cosine past TMax, as PyTorch's does.
type CosineAnnealing struct {
	opt    LRSetter
	base   float64
	tMax   int
	etaMin float64
	epoch  int
}

// NewCosineAnnealing returns a cosine schedule of opt. It returns an error wrapping ErrHyper if
// tMax is less than 1, and one wrapping ErrLR if etaMin is NaN, infinite or negative.
func NewCosineAnnealing(opt LRSetter, tMax int, etaMin float64) (*CosineAnnealing, error) {
	const op = "optim.NewCosineAnnealing"
	if isNilSetter(opt) {
		return nil, ag.Errorf(op, ErrHyper, "nil optimizer; pass the optimizer whose learning rate to schedule")
	}
	if tMax < 1 {
		return nil, ag.Errorf(op, ErrHyper, "TMax %d; want at least 1", tMax)
	}
	if err := checkLR(op, etaMin); err != nil {
		return nil, err
	}
	return &CosineAnnealing{opt: opt, base: opt.LR(), tMax: tMax, etaMin: etaMin}, nil
}

// Step ends an epoch: it sets the optimizer's learning rate for the next one and returns it.
func (s *CosineAnnealing) Step() float64 {
	s.epoch++
	lr := s.etaMin + (s.base-s.etaMin)*(1+math.Cos(math.Pi*float64(s.epoch)/float64(s.tMax)))/2
	lr = math.Max(lr, 0) // rounding must not make it negative
	s.opt.SetLR(lr)
	return lr
}

// Epoch returns the number of calls to Step so far.
func (s *CosineAnnealing) Epoch() int { return s.epoch }

// Scheduler is implemented by StepLR and CosineAnnealing.
type Scheduler interface {
	// Step ends an epoch and returns the new learning rate.
	Step() float64
	// Epoch returns the number of epochs ended.
	Epoch() int
}

var (
	_ Scheduler = (*StepLR)(nil)
	_ Scheduler = (*CosineAnnealing)(nil)
	_ Optimizer = (*SGD)(nil)
	_ Optimizer = (*Adam)(nil)
	_ Optimizer = (*RMSProp)(nil)
	_ Stateful  = (*SGD)(nil)
	_ Stateful  = (*Adam)(nil)
	_ Stateful  = (*RMSProp)(nil)
)

// isNilSetter reports whether opt is nil or a nil pointer (a typed-nil optimizer).
func isNilSetter(opt LRSetter) bool {
	if opt == nil {
		return true
	}
	v := reflect.ValueOf(opt)
	return v.Kind() == reflect.Pointer && v.IsNil()
}
