package layers

import (
	"math/rand/v2"
	"sync"
)

// DefaultSeed seeds the package's generator when the program starts.
const DefaultSeed = 0x5eed

// seeds is the package's generator: every layer built without WithSeed or WithRand (and every
// Dropout given no generator) seeds a PCG generator of its own with the next value it draws.
var seeds = struct {
	sync.Mutex
	rng *rand.Rand
}{rng: rand.New(rand.NewPCG(DefaultSeed, 0))}

// SetSeed reseeds the package's generator, as torch.manual_seed does torch's. Layers built
// without WithSeed or WithRand draw their initial weights from generators seeded, one per
// constructor call, from the package's: two layers built one after the other differ, and a
// program that builds its model in the same order after the same SetSeed (or none: the
// generator starts from DefaultSeed) gets the same weights from run to run. WithSeed and
// WithRand make a layer independent of the package's generator and of the order of
// construction. SetSeed is safe for concurrent use, but layers built concurrently draw their
// seeds in an order that depends on scheduling.
func SetSeed(seed uint64) {
	seeds.Lock()
	defer seeds.Unlock()
	seeds.rng = rand.New(rand.NewPCG(seed, 0))
}

// nextRand returns a generator seeded with the next value of the package's.
func nextRand() *rand.Rand {
	seeds.Lock()
	defer seeds.Unlock()
	return rand.New(rand.NewPCG(seeds.rng.Uint64(), seeds.rng.Uint64()))
}
