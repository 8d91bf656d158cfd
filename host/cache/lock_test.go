package cache

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestLockMutualExclusion(t *testing.T) {
	t.Parallel()
	const goroutines, procs, iters = 16, 4, 10
	c := newCache(t, Options{})
	counter := filepath.Join(t.TempDir(), "counter")
	env := []string{helperCounterEnv + "=" + counter, helperItersEnv + "=" + strconv.Itoa(iters)}

	var wait []func() error
	var gates []func() error
	for range procs {
		cmd, stdin, stdout := helper(t, "count", c.Path(), env...)
		expectLine(t, stdout, "ready")
		wait, gates = append(wait, cmd.Wait), append(gates, stdin.Close)
	}
	for _, open := range gates { // all helpers start now, with the goroutines
		_ = open()
	}
	errs := make(chan error, goroutines*iters)
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			for range iters {
				errs <- increment(c, counter)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	for i, w := range wait {
		if err := w(); err != nil {
			t.Errorf("helper %d: %v", i, err)
		}
	}
	b, err := os.ReadFile(counter)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(strconv.Itoa((goroutines+procs)*iters), string(b)); diff != "" {
		t.Errorf("counter (-want +got):\n%s", diff)
	}
}

func TestLockCrashedHolderReleases(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	cmd, _, stdout := helper(t, "hold", c.Path())
	expectLine(t, stdout, "locked")

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := c.Lock(ctx, counterKey, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Lock while the helper holds it: err = %v, want DeadlineExceeded", err)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL on Unix: no cleanup runs
		t.Fatal(err)
	}
	_ = cmd.Wait()

	ctx, cancel = context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	unlock, err := c.Lock(ctx, counterKey, nil)
	if err != nil {
		t.Fatalf("Lock after the holder was killed: %v", err)
	}
	unlock()
}

func TestLockTimeout(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	unlock, err := c.Lock(context.Background(), "k", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()

	var waits atomic.Int32
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Millisecond)
	defer cancel()
	_, err = c.Lock(ctx, "k", func() { waits.Add(1) })
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want DeadlineExceeded", err)
	}
	lockFile := c.path(prefixLock, "k", extLock)
	if !strings.Contains(err.Error(), lockFile) || !strings.Contains(err.Error(), "another keyfob") {
		t.Errorf("error %q does not name %s and explain", err, lockFile)
	}
	if got := waits.Load(); got != 1 {
		t.Errorf("onWait called %d times, want 1", got)
	}
}

func TestLockNoWaitNoCallback(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	called := false
	unlock, err := c.Lock(context.Background(), "k", func() { called = true })
	if err != nil {
		t.Fatal(err)
	}
	unlock()
	unlock() // a second call is harmless
	if called {
		t.Error("onWait called without waiting")
	}
	// Released: another Lock gets it at once, even with a done context.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	unlock, err = c.Lock(ctx, "k", nil)
	if err != nil {
		t.Fatalf("Lock after unlock: %v", err)
	}
	unlock()
}

func TestLockKeysIndependent(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	unlockA, err := c.Lock(context.Background(), "a", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer unlockA()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	unlockB, err := c.Lock(ctx, "b", nil)
	if err != nil {
		t.Fatalf("Lock(b) while a is held: %v", err)
	}
	unlockB()
}

// Clear removes unheld lock files while others contend for them; the lock
// must still exclude.
func TestLockSurvivesClear(t *testing.T) {
	t.Parallel()
	const goroutines, iters = 8, 15
	c := newCache(t, Options{})
	counter := filepath.Join(t.TempDir(), "counter")
	done := make(chan struct{})
	clearer := make(chan error, 1)
	go func() {
		defer close(clearer)
		for {
			select {
			case <-done:
				return
			default:
			}
			if err := c.Clear(); err != nil {
				clearer <- err
				return
			}
		}
	}()
	var wg sync.WaitGroup
	var failures atomic.Int32
	for range goroutines {
		wg.Go(func() {
			for range iters {
				if err := increment(c, counter); err != nil {
					t.Error(err)
					failures.Add(1)
				}
			}
		})
	}
	wg.Wait()
	close(done)
	if err := <-clearer; err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(counter)
	if got, want := string(b), strconv.Itoa(goroutines*iters); got != want && failures.Load() == 0 {
		t.Errorf("counter = %s, want %s", got, want)
	}
}
