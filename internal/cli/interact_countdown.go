package cli

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// clearLine returns the cursor to the start of the line and erases it.
const clearLine = "\r\x1b[K"

// countdown keeps one status line on a terminal up to date until stopped,
// then erases it: "keyfob: waiting for you to sign in; the code expires
// in 14:59".
type countdown struct {
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	onStop   func()
}

// startCountdown draws the line on w now and at every tick until Stop.
// onStop (a ticker's Stop, or nil) runs when it ends. w is written from
// another goroutine: give a writer that serialises writes.
func startCountdown(w io.Writer, now func() time.Time, until time.Time, ticks <-chan time.Time, onStop func()) *countdown {
	c := &countdown{stop: make(chan struct{}), done: make(chan struct{}), onStop: onStop}
	go c.run(w, now, until, ticks)
	return c
}

func (c *countdown) run(w io.Writer, now func() time.Time, until time.Time, ticks <-chan time.Time) {
	defer close(c.done)
	for {
		fmt.Fprint(w, clearLine+countdownLine(until.Sub(now())))
		select {
		case <-ticks:
		case <-c.stop:
			fmt.Fprint(w, clearLine)
			return
		}
	}
}

// Stop erases the line and waits until the countdown has ended; calling
// it again does nothing. A nil countdown is stopped already.
func (c *countdown) Stop() {
	if c == nil {
		return
	}
	c.stopOnce.Do(func() {
		close(c.stop)
		<-c.done
		if c.onStop != nil {
			c.onStop()
		}
	})
}

// countdownLine is the status line for the time left, rounded up to the
// second.
func countdownLine(left time.Duration) string {
	if left <= 0 {
		return "keyfob: the code has expired"
	}
	return "keyfob: waiting for you to sign in; the code expires in " + clock(left)
}

// expiryNote is the one line written instead of a countdown where the
// text does not go to a terminal.
func expiryNote(left time.Duration) string {
	if left <= 0 {
		return "keyfob: the code has expired\n"
	}
	return "keyfob: the code expires in " + clock(left) + "\n"
}

// clock formats d, rounded up to the second, as M:SS or H:MM:SS.
func clock(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// lockedWriter serialises writes to w, so a countdown and other messages
// do not interleave mid-line.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
