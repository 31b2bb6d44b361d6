package ops

import "math"

// The float32 rows of Standardize and standardizeGrad: their sums run in float64 over sixteen
// lanes in sumLanes' order, the order of the AVX-512 loops (ops/standardize32_amd64.s), which
// compute the same bits as the Go loops here (whose products are explicitly rounded, so that
// no architecture fuses them into the sums).

// rowStats32 returns the mean of x and 1/√(var + eps).
func rowStats32(x []float32, eps float64) (mean, rstd float64) {
	n := float64(len(x))
	var sum, sq float64
	if standardizeAsm {
		sum = laneSum32AVX512(&x[0], len(x))
	} else {
		var acc [16]float64
		for i, v := range x {
			acc[i%16] += float64(v)
		}
		sum = sumLanes(&acc)
	}
	mean = sum / n
	if standardizeAsm {
		sq = sqDev32AVX512(&x[0], len(x), mean)
	} else {
		var acc [16]float64
		for i, v := range x {
			d := float64(v) - mean
			acc[i%16] += float64(d * d)
		}
		sq = sumLanes(&acc)
	}
	return mean, 1 / math.Sqrt(sq/n+eps)
}

// standardizeRow32 sets o = (x − mean)·r for one row.
func standardizeRow32(o, x []float32, eps float64) {
	x = x[:len(o)]
	mean, r := rowStats32(x, eps)
	if standardizeAsm {
		scaleDev32AVX512(&o[0], &x[0], len(o), mean, r)
		return
	}
	for i, v := range x {
		o[i] = float32(float64(float64(v)-mean) * r)
	}
}

// standardizeGradRow32 sets o = r·(h − mean(h) − x̂·mean(h·x̂)) for one row.
func standardizeGradRow32(o, x, h []float32, eps float64) {
	x, h = x[:len(o)], h[:len(o)]
	mean, r := rowStats32(x, eps)
	var sumH, sumHD float64 // Σ h, Σ h·(x − mean)
	if standardizeAsm {
		sumH, sumHD = dotDev32AVX512(&h[0], &x[0], len(o), mean)
	} else {
		var acc, accD [16]float64
		for i, v := range x {
			acc[i%16] += float64(h[i])
			accD[i%16] += float64(float64(h[i]) * (float64(v) - mean))
		}
		sumH, sumHD = sumLanes(&acc), sumLanes(&accD)
	}
	n := float64(len(o))
	a, beta := sumH/n, sumHD*r/n // mean(h), mean(h·x̂)
	if standardizeAsm {
		gradDev32AVX512(&o[0], &x[0], &h[0], len(o), mean, r, a, beta)
		return
	}
	for i, v := range x {
		t := float64(float64(float64(v)-mean)*r) * beta
		o[i] = float32(r * (float64(h[i]) - a - t))
	}
}
