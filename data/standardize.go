package data

import (
	"fmt"
	"math"
)

// Scaler standardizes features: it maps feature j to (x-Mean[j])/Std[j].
type Scaler struct {
	Mean, Std []float64
}

// FitScaler returns the Scaler that gives every feature of d mean 0 and
// standard deviation 1, the standard deviation being that of the
// population (dividing by d.Rows). A column whose values are all equal has
// Std 1 rather than 0, so that it maps to 0 instead of dividing by zero.
// Columns of values near the float64 range (±1e308), whose sum or squared
// deviations would overflow to +Inf, are computed scaled by their largest
// magnitude, so their Mean and Std are finite (NumPy 1.x and PyTorch 1.13
// give Std = +Inf there, and Mean = ±Inf when the sum overflows, so every
// value then standardizes to 0 or NaN).
// FitScaler returns an error matching ErrEmpty if d has no rows, and one
// matching ErrLength if d fails Check.
func FitScaler(d Dataset) (Scaler, error) {
	if err := d.Check(); err != nil {
		return Scaler{}, err
	}
	if d.Rows == 0 {
		return Scaler{}, &Error{Err: errorf(ErrEmpty, "no rows to fit a scaler to")}
	}
	s := Scaler{Mean: make([]float64, d.Cols), Std: make([]float64, d.Cols)}
	for j := range d.Cols {
		first, constant := d.X[j], true
		sum := 0.0
		for i := range d.Rows {
			v := d.X[i*d.Cols+j]
			sum += v
			constant = constant && v == first
		}
		if constant {
			s.Mean[j], s.Std[j] = first, 1
			continue
		}
		mean := sum / float64(d.Rows)
		ss := 0.0
		for i := range d.Rows {
			dv := d.X[i*d.Cols+j] - mean
			ss += dv * dv
		}
		std := math.Sqrt(ss / float64(d.Rows))
		if math.IsInf(std, 0) || math.IsInf(mean, 0) || math.IsNaN(std) || math.IsNaN(mean) {
			mean, std = scaledMoments(d, j)
		}
		s.Mean[j], s.Std[j] = mean, std
		if s.Std[j] == 0 { // deviations too small to square (1e-200): treat as constant
			s.Std[j] = 1
		}
	}
	return s, nil
}

// scaledMoments returns the mean and population standard deviation of
// column j of d, computed on the values divided by the largest magnitude
// (rounded down to a power of two, so the division is exact) and multiplied back by m,
// so that neither the sum nor the squares overflow.
func scaledMoments(d Dataset, j int) (mean, std float64) {
	m := 0.0
	for i := range d.Rows {
		m = math.Max(m, math.Abs(d.X[i*d.Cols+j]))
	}
	_, e := math.Frexp(m)
	m = math.Ldexp(1, e-1) // a power of two: every |x|/m is below 2
	n := float64(d.Rows)
	sum := 0.0
	for i := range d.Rows {
		sum += d.X[i*d.Cols+j] / m
	}
	mu := sum / n
	ss := 0.0
	for i := range d.Rows {
		dv := d.X[i*d.Cols+j]/m - mu
		ss += dv * dv
	}
	return mu * m, math.Sqrt(ss/n) * m
}

// Apply standardizes the features of d in place. It returns an error
// matching ErrLength if d does not have as many columns as s or fails
// Check.
func (s Scaler) Apply(d *Dataset) error {
	if err := d.Check(); err != nil {
		return err
	}
	if d.Cols != len(s.Mean) || d.Cols != len(s.Std) {
		return &Error{Err: errorf(ErrLength, fmt.Sprintf("data set has %d columns, scaler has %d", d.Cols, len(s.Mean)))}
	}
	for i := range d.Rows {
		row := d.X[i*d.Cols : (i+1)*d.Cols]
		for j := range row {
			row[j] = (row[j] - s.Mean[j]) / s.Std[j]
		}
	}
	return nil
}

// Standardize fits a Scaler to train, as FitScaler does, and applies it in
// place to train and to the others, such as a test set, which therefore
// use the mean and standard deviation of train. If a data set does not
// have as many columns as train or fails Check, Standardize returns an
// error matching ErrLength and changes no data set.
func Standardize(train *Dataset, others ...*Dataset) (Scaler, error) {
	s, err := FitScaler(*train)
	if err != nil {
		return Scaler{}, err
	}
	for _, d := range others {
		if err := d.Check(); err != nil {
			return Scaler{}, err
		}
		if d.Cols != train.Cols {
			return Scaler{}, &Error{Err: errorf(ErrLength, fmt.Sprintf("data set has %d columns, training set has %d", d.Cols, train.Cols))}
		}
	}
	for _, d := range others {
		s.Apply(d) // Cannot fail: the columns match.
	}
	s.Apply(train) // last: the others were checked against its columns (no append: others may alias the caller's slice)
	return s, nil
}
