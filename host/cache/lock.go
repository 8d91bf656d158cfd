package cache

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/gofrs/flock"
)

// Poll interval bounds while waiting for a lock held elsewhere.
const (
	lockPollMin = 10 * time.Millisecond
	lockPollMax = 25 * time.Millisecond
)

// Lock takes the cross-process lock for key, so that parallel keyfob
// processes (and goroutines) make at most one token request for it: take
// it after a miss, look in the cache again, and fetch only if still
// missing. Lock the StateKey as well when a refresh token will be used,
// since servers may rotate it.
//
// The lock is an flock on the file lk-<hash>.lock, separate from the data.
// The kernel releases it when its holder dies, so a crashed process never
// blocks anyone. Lock polls every 10–25 ms until it wins or ctx is done;
// onWait, if not nil, is called once, the first time it has to wait (to
// tell the user "waiting for another keyfob ..."). When ctx ends first the
// error wraps ctx.Err() (context.DeadlineExceeded on a timeout).
//
// unlock releases the lock; calling it again does nothing.
func (c *Cache) Lock(ctx context.Context, key string, onWait func()) (unlock func(), err error) {
	path := c.path(prefixLock, key, extLock)
	waited := false
	for {
		fl, err := tryLock(path)
		if err != nil {
			return nil, err
		}
		if fl != nil {
			return onceUnlock(fl), nil
		}
		if !waited && onWait != nil {
			onWait()
		}
		waited = true
		if err := sleepCtx(ctx, lockPollMin+rand.N(lockPollMax-lockPollMin)); err != nil {
			return nil, fmt.Errorf("waiting for the cache lock %s (another keyfob is getting the same token): %w", path, err)
		}
	}
}

// lockFlags open a lock file: created if missing, never through a
// symbolic link (one planted at a lock path would otherwise make keyfob
// create its target), and without blocking on a FIFO. AIX and Solaris
// cannot take an exclusive flock on a read-only file.
var lockFlags = os.O_CREATE | lockAccess() | openNoFollow | openNonBlock

func lockAccess() int {
	switch runtime.GOOS {
	case "aix", "solaris", "illumos":
		return os.O_RDWR
	}
	return os.O_RDONLY
}

// tryLock takes the lock on path without waiting; nil, nil means someone
// else holds it. A file replaced (removed by Clear) between opening and
// locking it is not the lock any more: it tries the new file again. A
// symbolic link or anything but a regular file at path is refused with a
// *PermissionError.
func tryLock(path string) (*flock.Flock, error) {
	for range 3 {
		fl := flock.New(path, flock.SetFlag(lockFlags), flock.SetPermissions(0o600))
		ok, err := fl.TryLock()
		if err != nil {
			return nil, lockError(path, err)
		}
		if !ok {
			return nil, nil
		}
		current, err := lockIsCurrent(fl, path)
		if current || err != nil {
			return unlockOnError(fl, err)
		}
		_ = fl.Unlock()
	}
	return nil, nil
}

// lockError explains a lock file that cannot be opened or locked.
func lockError(path string, err error) error {
	if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return &PermissionError{What: whatFile, Path: path, Problem: "is a symbolic link", Fix: "remove it"}
	}
	return fmt.Errorf("lock %s: %w", path, err)
}

// unlockOnError returns fl, or releases it and returns err.
func unlockOnError(fl *flock.Flock, err error) (*flock.Flock, error) {
	if err != nil {
		_ = fl.Unlock()
		return nil, err
	}
	return fl, nil
}

// lockIsCurrent reports whether the locked file is still the one at path;
// an error when it is not a regular file.
func lockIsCurrent(fl *flock.Flock, path string) (bool, error) {
	held, err := fl.Stat()
	if err != nil {
		return false, nil
	}
	if !held.Mode().IsRegular() {
		return false, &PermissionError{What: whatFile, Path: path, Problem: "is not a regular file", Fix: "remove it"}
	}
	cur, err := os.Lstat(path)
	return err == nil && os.SameFile(held, cur), nil
}

// lockHandle is what removeLockFile needs of a held lock.
type lockHandle interface{ Unlock() error }

// onceUnlock returns a function that unlocks fl the first time it is called.
func onceUnlock(fl *flock.Flock) func() {
	var once sync.Once
	return func() { once.Do(func() { _ = fl.Unlock() }) }
}

// sleepCtx waits for d, or returns ctx.Err() if ctx ends first.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
