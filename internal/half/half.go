// Package half converts IEEE 754 half-precision (float16) numbers to and from float32, for the
// file readers and writers of gograd.
package half

import "math"

// ToFloat32 returns the half-precision number of bits h as a float32, exactly: every float16 is
// a float32. NaN payloads are kept.
func ToFloat32(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // infinity or NaN
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp != 0: // normal: rebias 15 → 127
		return math.Float32frombits(sign | (exp+112)<<23 | frac<<13)
	case frac == 0:
		return math.Float32frombits(sign)
	}
	v := float32(frac) * (1.0 / (1 << 24)) // subnormal: frac · 2⁻²⁴, exact in float32
	if sign != 0 {
		v = -v
	}
	return v
}

// FromFloat32 returns the bits of the half-precision number nearest to f, ties to even, as
// NumPy's astype(float16) rounds: ±Inf beyond the largest finite half (65504). A NaN keeps its
// sign and the top 10 bits of its payload (made quiet if they are all zero), so that a NaN read
// by ToFloat32 converts back to its own bits.
func FromFloat32(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23) & 0xff
	frac := b & 0x7fffff
	switch {
	case exp == 0xff && frac != 0:
		if p := uint16(frac >> 13); p != 0 {
			return sign | 0x7c00 | p
		}
		return sign | 0x7e00
	case exp == 0xff:
		return sign | 0x7c00
	}
	e := exp - 127 + 15
	if e >= 0x1f {
		return sign | 0x7c00
	}
	if e <= 0 { // subnormal half (or zero): round frac·2^(exp−150) to a multiple of 2⁻²⁴
		if e < -10 {
			return sign // below half the smallest subnormal
		}
		m := frac | 0x800000 // implicit bit
		shift := uint32(14 - e)
		h := m >> shift
		rem := m & (1<<shift - 1)
		half := uint32(1) << (shift - 1)
		if rem > half || rem == half && h&1 == 1 {
			h++
		}
		return sign | uint16(h)
	}
	h := uint32(e)<<10 | frac>>13
	rem := frac & 0x1fff
	if rem > 0x1000 || rem == 0x1000 && h&1 == 1 {
		h++ // may carry into the exponent, up to infinity: correct
	}
	return sign | uint16(h)
}
