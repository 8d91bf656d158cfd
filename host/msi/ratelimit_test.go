package msi

import (
	"testing"
	"time"
)

func TestBucket(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	b := newBucket(2, 3, func() time.Time { return now })
	for i := range 3 {
		if ok, _ := b.take(); !ok {
			t.Fatalf("request %d of the burst of 3 refused", i+1)
		}
	}
	ok, wait := b.take()
	if ok || wait != 1 {
		t.Fatalf("fourth request at once: ok=%v, Retry-After %d; want refused, 1", ok, wait)
	}
	now = now.Add(500 * time.Millisecond) // one token at 2/s
	if ok, _ := b.take(); !ok {
		t.Fatal("request after 500ms at 2/s refused")
	}
	if ok, _ := b.take(); ok {
		t.Fatal("second request after 500ms at 2/s served")
	}
	now = now.Add(time.Hour)
	for i := range 3 {
		if ok, _ := b.take(); !ok {
			t.Fatalf("request %d after an idle hour refused: the bucket holds only its burst", i+1)
		}
	}
	if ok, _ := b.take(); ok {
		t.Fatal("the bucket grew past its burst")
	}
}

func TestBucketSlowRate(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	b := newBucket(0.1, 1, func() time.Time { return now })
	b.take()
	if _, wait := b.take(); wait != 10 {
		t.Fatalf("Retry-After at 0.1/s = %d, want 10", wait)
	}
}
