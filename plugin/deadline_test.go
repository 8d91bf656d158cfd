package plugin

import (
	"context"
	"testing"
	"time"
)

func TestWithReplyMargin(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		left      time.Duration
		minMargin time.Duration
		maxMargin time.Duration
	}{
		"long deadline: capped margin": {left: time.Minute, minMargin: maxReplyMargin - 50*time.Millisecond, maxMargin: maxReplyMargin},
		"short deadline: a tenth":      {left: time.Second, minMargin: 80 * time.Millisecond, maxMargin: 100 * time.Millisecond},
		"deadline passed":              {left: -time.Second, minMargin: 0, maxMargin: 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			parent, cancel := context.WithDeadline(context.Background(), time.Now().Add(tc.left))
			defer cancel()
			ctx, cancel2 := withReplyMargin(parent)
			defer cancel2()
			pd, _ := parent.Deadline()
			d, ok := ctx.Deadline()
			if !ok {
				t.Fatal("the deadline was dropped")
			}
			if m := pd.Sub(d); m < tc.minMargin || m > tc.maxMargin {
				t.Errorf("margin %v, want between %v and %v", m, tc.minMargin, tc.maxMargin)
			}
		})
	}
	t.Run("no deadline", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := withReplyMargin(context.Background())
		defer cancel()
		if _, ok := ctx.Deadline(); ok {
			t.Error("a deadline appeared")
		}
	})
}
