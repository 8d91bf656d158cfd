package cli

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// syncBuffer is a bytes.Buffer safe for a writer goroutine and a reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitFor polls until buf holds want, or fails after a few seconds.
func waitFor(t *testing.T, buf *syncBuffer, want string) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if strings.Contains(buf.String(), want) {
			return
		}
	}
	t.Fatalf("output %q never held %q", buf.String(), want)
}

func TestCountdownRendering(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)}
	until := clock.Now().Add(15 * time.Minute)
	ticks := make(chan time.Time)
	var buf syncBuffer
	stopped := false
	cd := startCountdown(&buf, clock.Now, until, ticks, func() { stopped = true })
	waitFor(t, &buf, "expires in 15:00")

	clock.Add(time.Minute + time.Second)
	ticks <- time.Time{}
	waitFor(t, &buf, "expires in 13:59")

	clock.Add(14 * time.Minute)
	ticks <- time.Time{}
	waitFor(t, &buf, "the code has expired")

	cd.Stop()
	cd.Stop() // a second Stop does nothing
	want := clearLine + "keyfob: waiting for you to sign in; the code expires in 15:00" +
		clearLine + "keyfob: waiting for you to sign in; the code expires in 13:59" +
		clearLine + "keyfob: the code has expired" + clearLine
	if got := buf.String(); got != want {
		t.Errorf("countdown wrote\n%q\nwant\n%q", got, want)
	}
	if !stopped {
		t.Error("Stop did not stop the ticker")
	}
}

func TestClock(t *testing.T) {
	t.Parallel()
	tests := map[time.Duration]string{
		time.Millisecond:                "0:01",
		59 * time.Second:                "0:59",
		15 * time.Minute:                "15:00",
		time.Hour + 2*time.Minute + 3e9: "1:02:03",
	}
	for d, want := range tests {
		if got := clock(d); got != want {
			t.Errorf("clock(%v) = %q, want %q", d, got, want)
		}
	}
}
