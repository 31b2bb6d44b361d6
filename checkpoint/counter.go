package checkpoint

import (
	"fmt"
	"strings"

	ag "github.com/gograd/gograd/autograd"
)

// isCounter reports whether the buffer v named name is an integer counter, BatchNorm's
// num_batches_tracked: a float64 scalar in gograd, an int64 scalar in torch's state_dict and so
// in checkpoints (Save writes it as one, Load reads it from one).
func isCounter(name string, v ag.Var) bool {
	return (name == batchesTracked || strings.HasSuffix(name, "."+batchesTracked)) && v.Rank() == 0 && v.DType() == ag.Float64 && !v.RequiresGrad()
}

// matchCounter returns an error unless an array of the given shape and dtype can hold a counter:
// an int64 scalar.
func matchCounter(shape []int, dtype string) error {
	if len(shape) != 0 || dtype != "int64" {
		return fmt.Errorf("%s %s in the file; want an int64 scalar, as torch's", dtype, ag.FormatShape(shape))
	}
	return nil
}
