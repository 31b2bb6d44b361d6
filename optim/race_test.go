//go:build race

package optim

// raceEnabled: allocation counts are not meaningful under the race detector.
const raceEnabled = true
