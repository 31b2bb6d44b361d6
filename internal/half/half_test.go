package half

import (
	"math"
	"testing"
)

// TestRoundTrip checks that every half, NaNs included, converts to float32 and back to itself.
func TestRoundTrip(t *testing.T) {
	for h := range 1 << 16 {
		f := ToFloat32(uint16(h))
		if got := FromFloat32(f); got != uint16(h) {
			t.Errorf("%#04x → %v → %#04x", h, f, got)
		}
	}
}

// TestRounding checks values between halves against their definition: the nearest, ties to the
// even significand.
func TestRounding(t *testing.T) {
	for _, c := range []struct {
		f    float32
		want uint16
	}{
		{1 + 1.0/2048, 0x3c00},                    // tie between 1 and 1+2⁻¹⁰: even is 1
		{1 + 3.0/2048, 0x3c02},                    // tie between 1+2⁻¹⁰ and 1+2⁻⁹: even is 1+2⁻⁹
		{1 + 1.0/2048 + 1.0/65536, 0x3c01},        // just above the tie
		{65520, 0x7c00},                           // halfway to 2¹⁶: rounds to infinity
		{65519, 0x7bff},                           // below it: the largest finite
		{float32(math.Pow(2, -25)), 0x0000},       // half the smallest subnormal: ties to 0
		{float32(math.Pow(2, -25) * 1.5), 0x0001}, // above it
		{float32(math.Pow(2, -24) * 1.5), 0x0002}, // tie between 1 and 2 subnormal steps: even
		{float32(-math.Pow(2, -14)), 0x8400},      // smallest normal, negative
		{float32(math.Inf(-1)), 0xfc00},
	} {
		if got := FromFloat32(c.f); got != c.want {
			t.Errorf("FromFloat32(%g) = %#04x, want %#04x", c.f, got, c.want)
		}
	}
}
