package layers

// normOptions holds the options of the batch normalisation layers, as given: the zero value is
// torch's default (affine=True, track_running_stats=True).
type normOptions struct {
	noAffine, noRunningStats bool
}

// WithoutAffine makes a BatchNorm without the learnable scale and shift (Weight and Bias are
// the zero Var, and it has no parameters), as torch's affine=False.
func WithoutAffine() Option { return func(o *options) { o.norm.noAffine = true } }

// WithoutRunningStats makes a BatchNorm that keeps no running statistics (RunningMean,
// RunningVar and NumBatchesTracked are the zero Var, and it has no buffers) and normalises by
// the batch's statistics in evaluation mode too, as torch's track_running_stats=False.
func WithoutRunningStats() Option { return func(o *options) { o.norm.noRunningStats = true } }
