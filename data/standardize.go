package data

import (
	"fmt"
	"math"

	ag "github.com/gograd/gograd/autograd"
)

// Per says over which values a Scaler computes each mean and standard
// deviation.
type Per int

const (
	// PerFeature standardizes each of the Cols values of an example on
	// its own, over the examples: Mean and Std have Cols entries. It is
	// the usual choice for a table of features.
	PerFeature Per = iota
	// PerChannel standardizes each channel, the first axis of an
	// example's shape (axis 1 of the data set as a tensor of shape
	// (Rows, C, H, W)), over the examples and the other axes, as
	// torchvision's Normalize with per-channel statistics: Mean and Std
	// have C entries. An example without Shape is one channel per
	// feature, the same as PerFeature.
	PerChannel
	// Global standardizes all values together, with one mean and one
	// standard deviation, as is usual for grey images.
	Global
)

// String returns the name of the constant, such as "PerChannel".
func (p Per) String() string {
	switch p {
	case PerFeature:
		return "PerFeature"
	case PerChannel:
		return "PerChannel"
	case Global:
		return "Global"
	}
	return fmt.Sprintf("Per(%d)", int(p))
}

// Scaler standardizes values: it maps every value x of group g, a feature,
// a channel or all values as Per says, to (x-Mean[g])/Std[g]. The zero
// Per is PerFeature, so Scaler{Mean: m, Std: s} scales features.
type Scaler struct {
	Mean, Std []float64
	Per       Per
}

// FitScaler returns the Scaler that gives every feature of d mean 0 and
// standard deviation 1; it is FitScalerPer(d, PerFeature).
func FitScaler(d Dataset) (Scaler, error) { return FitScalerPer(d, PerFeature) }

// FitScalerPer returns the Scaler that gives every group of values of d,
// as per says, mean 0 and standard deviation 1, the standard deviation
// being that of the population (dividing by the number of values). A group
// whose values are all equal has Std 1 rather than 0, so that it maps to 0
// instead of dividing by zero. Groups of values near the float64 range
// (±1e308), whose sum or squared deviations would overflow to +Inf, are
// computed scaled by their largest magnitude, so their Mean and Std are
// finite (NumPy 1.x and PyTorch 1.13 give Std = +Inf there, and Mean = ±Inf
// when the sum overflows, so every value then standardizes to 0 or NaN).
// FitScalerPer returns an error matching
// ErrEmpty if d has no values, that of Validate if d is inconsistent, and
// one matching ErrRange if per is not one of the constants.
func FitScalerPer(d Dataset, per Per) (Scaler, error) {
	if err := d.Validate(); err != nil {
		return Scaler{}, err
	}
	if d.Rows == 0 || d.Cols == 0 {
		return Scaler{}, &Error{Err: ag.Errorf("", ErrEmpty, "no values to fit a scaler to")}
	}
	group, n, err := groups(per, &d)
	if err != nil {
		return Scaler{}, err
	}
	s := Scaler{Mean: make([]float64, n), Std: make([]float64, n), Per: per}
	first := make([]float64, n)
	constant := make([]bool, n)
	count := make([]float64, n)
	for j, g := range group {
		first[g], constant[g] = d.X[j], true
	}
	for i := range d.Rows {
		for j, v := range d.X[i*d.Cols : (i+1)*d.Cols] {
			g := group[j]
			s.Mean[g] += v
			count[g]++
			constant[g] = constant[g] && v == first[g]
		}
	}
	for g := range s.Mean {
		s.Mean[g] /= count[g]
	}
	for i := range d.Rows {
		for j, v := range d.X[i*d.Cols : (i+1)*d.Cols] {
			dv := v - s.Mean[group[j]]
			s.Std[group[j]] += dv * dv
		}
	}
	for g := range s.Std {
		s.Std[g] = math.Sqrt(s.Std[g] / count[g])
		if inf := math.Inf(1); !(math.Abs(s.Mean[g]) < inf && s.Std[g] < inf) {
			s.Mean[g], s.Std[g] = scaledMoments(&d, group, g, count[g])
		}
		if constant[g] {
			s.Mean[g], s.Std[g] = first[g], 1
		}
		if s.Std[g] == 0 { // deviations too small to square (1e-200): treat as constant
			s.Std[g] = 1
		}
	}
	return s, nil
}

// scaledMoments returns the mean and population standard deviation of
// the n values of group g of d, computed on the values divided by their
// largest magnitude (rounded down to a power of two, so the division is
// exact) and multiplied back, so that neither the sum nor the squares
// overflow: values near ±1e308 then get a finite Mean and Std, where NumPy
// and PyTorch give Inf and NaN and every value standardizes to 0 or NaN.
func scaledMoments(d *Dataset, group []int, g int, n float64) (mean, std float64) {
	m := 0.0
	for i, v := range d.X {
		if group[i%d.Cols] == g {
			m = math.Max(m, math.Abs(v))
		}
	}
	_, e := math.Frexp(m)
	m = math.Ldexp(1, e-1) // a power of two: every |x|/m is below 2
	sum := 0.0
	for i, v := range d.X {
		if group[i%d.Cols] == g {
			sum += v / m
		}
	}
	mu := sum / n
	ss := 0.0
	for i, v := range d.X {
		if group[i%d.Cols] == g {
			dv := v/m - mu
			ss += dv * dv
		}
	}
	return mu * m, math.Sqrt(ss/n) * m
}

// groups returns the group of every value of an example of d under per,
// and the number of groups.
func groups(per Per, d *Dataset) ([]int, int, error) {
	group := make([]int, d.Cols)
	switch per {
	case PerFeature:
		for j := range group {
			group[j] = j
		}
		return group, d.Cols, nil
	case Global:
		return group, 1, nil
	case PerChannel:
		c := channels(d)
		inner := d.Cols / c
		for j := range group {
			group[j] = j / inner
		}
		return group, c, nil
	}
	return nil, 0, &Error{Err: ag.Errorf("", ErrRange, "scaler kind %v; want PerFeature, PerChannel or Global", per)}
}

// channels returns the number of channels of the examples of d, which has
// at least one value: the first dimension of its example shape, or 1 for a
// scalar example.
func channels(d *Dataset) int {
	if s := d.ExampleShape(); len(s) > 0 {
		return s[0]
	}
	return 1
}

// fits returns an error matching ErrLength if s does not fit d.
func (s Scaler) fits(d *Dataset) error {
	if err := d.Validate(); err != nil {
		return err
	}
	want, what := 0, ""
	switch s.Per {
	case PerFeature:
		want, what = d.Cols, "columns"
	case Global:
		want, what = 1, "groups (Global)"
	case PerChannel:
		want, what = 1, "channels"
		if d.Cols > 0 {
			want = channels(d)
		}
	default:
		return &Error{Err: ag.Errorf("", ErrRange, "scaler kind %v; want PerFeature, PerChannel or Global", s.Per)}
	}
	if len(s.Mean) != want || len(s.Std) != want {
		return &Error{Err: ag.Errorf("", ErrLength, "data set of example shape %v has %d %s, scaler has %d means and %d deviations", d.ExampleShape(), want, what, len(s.Mean), len(s.Std))}
	}
	return nil
}

// Apply standardizes the values of d in place. It returns an error
// matching ErrLength, changing nothing, if d does not have as many
// columns (PerFeature) or channels (PerChannel) as s has means, and that
// of Validate if d is inconsistent.
func (s Scaler) Apply(d *Dataset) error {
	if err := s.fits(d); err != nil {
		return err
	}
	if d.Cols == 0 {
		return nil
	}
	group, _, _ := groups(s.Per, d) // cannot fail: s.Per was checked
	for i := range d.Rows {
		row := d.X[i*d.Cols : (i+1)*d.Cols]
		for j, g := range group {
			row[j] = (row[j] - s.Mean[g]) / s.Std[g]
		}
	}
	return nil
}

// Standardize is StandardizePer(PerFeature, train, others...).
func Standardize(train *Dataset, others ...*Dataset) (Scaler, error) {
	return StandardizePer(PerFeature, train, others...)
}

// StandardizePer fits a Scaler to train, as FitScalerPer does, and applies
// it in place to train and to the others, such as a test set, which
// therefore use the mean and standard deviation of train. If a data set
// does not fit the scaler (see Apply), StandardizePer returns an error
// matching ErrLength and changes no data set.
func StandardizePer(per Per, train *Dataset, others ...*Dataset) (Scaler, error) {
	s, err := FitScalerPer(*train, per)
	if err != nil {
		return Scaler{}, err
	}
	for _, d := range others {
		if err := s.fits(d); err != nil {
			return Scaler{}, err
		}
	}
	for _, d := range others {
		s.Apply(d) // Cannot fail: checked above.
	}
	s.Apply(train) // last: the others were checked against it (no append: others may alias the caller's slice)
	return s, nil
}
