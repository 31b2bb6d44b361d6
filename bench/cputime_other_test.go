//go:build !unix

package bench

import "time"

// cpuTime returns 0 where getrusage is missing: cpu-ns/op then reads 0.
func cpuTime() time.Duration { return 0 }
