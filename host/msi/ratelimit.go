package msi

import (
	"math"
	"sync"
	"time"
)

// bucket is a token bucket: burst requests at once, rate per second
// after that. It is safe for concurrent use.
type bucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
	now    func() time.Time
}

func newBucket(rate float64, burst int, now func() time.Time) *bucket {
	return &bucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: now(), now: now}
}

// take spends one token. When none is left it reports false and how long
// until one is, in whole seconds (at least 1), for Retry-After.
func (b *bucket) take() (bool, int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(b.burst, b.tokens+elapsed*b.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := (1 - b.tokens) / b.rate
	return false, max(1, int(math.Ceil(wait)))
}
