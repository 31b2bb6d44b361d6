package data

import "math/rand/v2"

// Dataset holds Rows examples of Cols values each. An example is a row of
// Cols features, or, when Shape is set, a tensor of that shape, such as
// (1, 28, 28) for a grey MNIST image (channels, height, width) or (L) for
// a sequence; Cols is then the product of Shape. As a whole, the data set
// is a tensor of shape (Rows, Shape...), stored row-major in X, which is
// what train.Fit feeds to a model batch by batch.
//
// A data set whose sizes do not fit its slices is rejected by Validate,
// which the functions of this package and of package train call before
// using one.
type Dataset struct {
	// X holds the values in row-major order: value j of example i is
	// X[i*Cols+j]; for an example of shape (C, H, W), value (c, h, w) is
	// j = (c*H+h)*W+w.
	X []float64
	// Y holds a class label 0, 1, ... per example, or is nil.
	Y []int
	// T holds the regression targets, TargetCols per example in
	// row-major order (target k of example i is T[i*TargetCols+k]), or
	// is nil.
	T []float64
	// TargetCols is the number of targets per example; 0 means 1, so
	// that a data set of one target per row need not set it. It is the
	// width of a regression model's output, as the last dimension of
	// torch's target tensor of shape (N, TargetCols).
	TargetCols int

	Rows, Cols int

	// Shape is the shape of one example, whose product is Cols, or nil
	// for a row of Cols features, the same as (Cols). Functions that
	// copy examples, such as Gather, Subset and Split, keep it.
	Shape []int
}

// Row returns the values of example i, sharing memory with d.X.
// Row panics with an *Error matching ErrRange if i is not in
// [0, d.Rows), and with the error of Validate if d is inconsistent.
func (d *Dataset) Row(i int) []float64 {
	d.mustValidate("data.Dataset.Row")
	if i < 0 || i >= d.Rows {
		panicf("data.Dataset.Row", ErrRange, "index %d out of range [0, %d)", i, d.Rows)
	}
	return d.X[i*d.Cols : (i+1)*d.Cols : (i+1)*d.Cols]
}

// Targets returns the number of targets per example: TargetCols, or 1
// when TargetCols is 0.
func (d *Dataset) Targets() int { return max(d.TargetCols, 1) }

// Classes returns one more than the largest label in d.Y, the number of
// classes when labels are 0, 1, ..., or 0 if d has no labels.
func (d *Dataset) Classes() int {
	n := 0
	for _, y := range d.Y {
		n = max(n, y+1)
	}
	return n
}

// Gather copies the examples idx of d, in that order, into dst, reusing
// the storage of dst.X, dst.Y and dst.T when it is large enough, so that
// gathering batches of one size allocates only the first time. dst.Y and
// dst.T are set to nil when d has no labels or targets; dst.Shape is set
// to d.Shape, sharing its memory. Gather panics with an *Error matching
// ErrRange, leaving dst unchanged, if an index is not in [0, d.Rows), and
// with the error of Validate if d is inconsistent.
func (d *Dataset) Gather(dst *Dataset, idx []int) { d.gather("data.Dataset.Gather", dst, idx) }

// gather is Gather reporting misuse under the name op.
func (d *Dataset) gather(op string, dst *Dataset, idx []int) {
	d.mustValidate(op)
	for k, i := range idx {
		if i < 0 || i >= d.Rows {
			panicf(op, ErrRange, "idx[%d] = %d out of range [0, %d)", k, i, d.Rows)
		}
	}
	dst.Rows, dst.Cols, dst.Shape, dst.TargetCols = len(idx), d.Cols, d.Shape, d.TargetCols
	dst.X = grow(dst.X, len(idx)*d.Cols)
	for k, i := range idx {
		copy(dst.X[k*d.Cols:(k+1)*d.Cols], d.X[i*d.Cols:(i+1)*d.Cols])
	}
	if d.Y == nil {
		dst.Y = nil
	} else {
		dst.Y = grow(dst.Y, len(idx))
		for k, i := range idx {
			dst.Y[k] = d.Y[i]
		}
	}
	if d.T == nil {
		dst.T = nil
	} else {
		tc := d.Targets()
		dst.T = grow(dst.T, len(idx)*tc)
		for k, i := range idx {
			copy(dst.T[k*tc:(k+1)*tc], d.T[i*tc:(i+1)*tc])
		}
	}
}

// grow returns s resliced to length n, reallocated if its capacity is
// too small.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// Subset returns a new data set holding copies of the examples idx of d,
// in that order. With idx a permutation, such as one from rand.Perm, it
// shuffles d. The result has d's Shape. Subset panics as Gather does.
func (d *Dataset) Subset(idx []int) Dataset {
	var s Dataset
	d.gather("data.Dataset.Subset", &s, idx)
	return s
}

// Split returns the first n examples of d and the remaining ones. The
// results share memory with d but cannot grow into each other; both have
// d's Shape. Split panics with an *Error matching ErrRange if n is not in
// [0, d.Rows], and with the error of Validate if d is inconsistent.
func Split(d Dataset, n int) (head, tail Dataset) {
	d.mustValidate("data.Split")
	if n < 0 || n > d.Rows {
		panicf("data.Split", ErrRange, "split point %d out of range [0, %d]", n, d.Rows)
	}
	head = Dataset{Rows: n, Cols: d.Cols, Shape: d.Shape, TargetCols: d.TargetCols, X: d.X[: n*d.Cols : n*d.Cols]}
	tail = Dataset{Rows: d.Rows - n, Cols: d.Cols, Shape: d.Shape, TargetCols: d.TargetCols, X: d.X[n*d.Cols : d.Rows*d.Cols : d.Rows*d.Cols]}
	if d.Y != nil {
		head.Y, tail.Y = d.Y[:n:n], d.Y[n:d.Rows:d.Rows]
	}
	if d.T != nil {
		tc := d.Targets()
		head.T, tail.T = d.T[:n*tc:n*tc], d.T[n*tc:d.Rows*tc:d.Rows*tc]
	}
	return head, tail
}

// SplitShuffled returns n examples of d drawn at random and the
// remaining ones, each in a random order, as scikit-learn's
// train_test_split with shuffle=True: the permutation is
// rand.New(rand.NewPCG(seed, 0)).Perm(d.Rows), its first n indices
// going to head. The results are copies with d's Shape and TargetCols.
// SplitShuffled panics as Split does.
func SplitShuffled(d Dataset, n int, seed uint64) (head, tail Dataset) {
	const op = "data.SplitShuffled"
	d.mustValidate(op)
	if n < 0 || n > d.Rows {
		panicf(op, ErrRange, "split point %d out of range [0, %d]", n, d.Rows)
	}
	perm := rand.New(rand.NewPCG(seed, 0)).Perm(d.Rows)
	d.gather(op, &head, perm[:n])
	d.gather(op, &tail, perm[n:])
	return head, tail
}
