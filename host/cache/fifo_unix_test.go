//go:build unix

package cache

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// within fails the test if f does not return within a few seconds.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s blocked", what)
	}
}

func TestFIFOAtCachePathDoesNotBlock(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	paths := map[string]string{
		"access":   c.path(prefixAccess, "k", extAccess),
		"state":    c.path(prefixState, "k", extState),
		"negative": c.path(prefixNegative, "k", extNegative),
		"salt":     c.saltPath(),
		"lock":     c.path(prefixLock, "k", extLock),
	}
	for _, p := range paths {
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	within(t, "GetChecked", func() {
		if _, ok, err := c.GetChecked("k"); ok || !errors.Is(err, ErrInsecure) {
			t.Errorf("GetChecked on a FIFO = %v, %v; want ErrInsecure", ok, err)
		}
	})
	within(t, "GetState", func() {
		if _, ok, err := c.GetState("k"); ok || !errors.Is(err, ErrInsecure) {
			t.Errorf("GetState on a FIFO = %v, %v; want ErrInsecure", ok, err)
		}
	})
	within(t, "GetNegative", func() {
		if _, ok := c.GetNegative("k", fixed); ok {
			t.Error("GetNegative on a FIFO found an entry")
		}
	})
	within(t, "Salt", func() {
		if _, err := c.Salt(); !errors.Is(err, ErrInsecure) {
			t.Errorf("Salt on a FIFO: %v; want ErrInsecure", err)
		}
	})
	within(t, "Lock", func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if _, err := c.Lock(ctx, "k", nil); !errors.Is(err, ErrInsecure) {
			t.Errorf("Lock on a FIFO: %v; want ErrInsecure", err)
		}
	})
}

func TestSymlinkAtLockPathRefused(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	target := filepath.Join(t.TempDir(), "victim")
	if err := os.Symlink(target, c.path(prefixLock, "k", extLock)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	unlock, err := c.Lock(ctx, "k", nil)
	if err == nil {
		unlock()
		t.Fatal("Lock followed a symbolic link at the lock path")
	}
	var pe *PermissionError
	if !errors.As(err, &pe) || pe.Problem != "is a symbolic link" {
		t.Errorf("Lock error = %v; want a *PermissionError about the symbolic link", err)
	}
	if _, err := os.Lstat(target); !os.IsNotExist(err) {
		t.Errorf("the symbolic link's target was created: %v", err)
	}
}
