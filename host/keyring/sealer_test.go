package keyring

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/host/cache"
)

// roundTrip seals with a and opens with b.
func roundTrip(t *testing.T, a, b cache.Sealer) error {
	t.Helper()
	sealed, err := a.Seal([]byte("refresh-secret"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Open(sealed)
	if err == nil && string(got) != "refresh-secret" {
		t.Fatalf("Open = %q", got)
	}
	return err
}

func TestSealerCreatesThenReuses(t *testing.T) {
	t.Parallel()
	fs := &fakeStore{}
	s1, st1 := sealer(t.Context(), Options{}, fs, Account)
	if s1 == nil || !st1.Sealed || !st1.Created || st1.Err != nil {
		t.Fatalf("first call: %v, %+v", s1, st1)
	}
	key, err := base64.StdEncoding.DecodeString(fs.m[Service+"/"+Account])
	if err != nil || len(key) != KeySize {
		t.Fatalf("stored key %q: %v, %d bytes", fs.m[Service+"/"+Account], err, len(key))
	}
	s2, st2 := sealer(t.Context(), Options{}, fs, Account)
	if s2 == nil || !st2.Sealed || st2.Created {
		t.Fatalf("second call: %v, %+v", s2, st2)
	}
	if err := roundTrip(t, s1, s2); err != nil {
		t.Errorf("second sealer does not open the first's: %v", err)
	}
	if err := roundTrip(t, s1, cache.AESGCMSealer(key)); err != nil {
		t.Errorf("sealer is not AES-GCM with the stored key: %v", err)
	}
	if _, sets := fs.calls(); sets != 1 {
		t.Errorf("%d Set calls, want 1", sets)
	}
}

func TestSealerFallsBack(t *testing.T) {
	t.Parallel()
	errDBus := errors.New("org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets was not provided by any .service files")
	tests := map[string]struct {
		store *fakeStore
		want  error
	}{
		"no secret service": {&fakeStore{getErr: errDBus}, errDBus},
		"locked":            {&fakeStore{getErr: errLocked}, errLocked},
		"set refused":       {&fakeStore{setErr: errLocked}, errLocked},
		"get hangs":         {&fakeStore{hang: make(chan struct{})}, ErrTimeout},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if tc.store.hang != nil {
				t.Cleanup(func() { close(tc.store.hang) })
			}
			s, st := sealer(t.Context(), Options{Timeout: 50 * time.Millisecond}, tc.store, Account)
			if s != nil || st.Sealed || !errors.Is(st.Err, tc.want) {
				t.Fatalf("Sealer = %v, %+v; want nil and an error matching %v", s, st, tc.want)
			}
			if msg := st.String(); !strings.Contains(msg, "not usable") || !strings.Contains(msg, tc.want.Error()) {
				t.Errorf("Status.String() = %q; want it to say why", msg)
			}
		})
	}
}

// A keyring that never answers costs the budget, not more.
func TestSealerTimeBudget(t *testing.T) {
	t.Parallel()
	const budget = 200 * time.Millisecond
	tests := map[string]*fakeStore{
		"Get hangs": {hang: make(chan struct{})},
		"Set hangs": {},
	}
	for name, fs := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var opts Options
			opts.Timeout = budget
			if fs.hang == nil { // let Get answer "not found", then hang Set
				opts.Lock = func(context.Context) (func(), error) {
					fs.mu.Lock()
					fs.hang = make(chan struct{})
					fs.mu.Unlock()
					return func() {}, nil
				}
			}
			start := time.Now()
			s, st := sealer(t.Context(), opts, fs, Account)
			elapsed := time.Since(start)
			t.Cleanup(func() { close(fs.hang) })
			if s != nil || !errors.Is(st.Err, ErrTimeout) || !errors.Is(st.Err, context.DeadlineExceeded) {
				t.Fatalf("Sealer = %v, %+v; want nil and ErrTimeout", s, st)
			}
			if elapsed < budget || elapsed > budget+time.Second {
				t.Errorf("Sealer took %s with a budget of %s", elapsed, budget)
			}
			if !strings.Contains(st.String(), budget.String()) {
				t.Errorf("Status.String() = %q; want the budget named", st.String())
			}
		})
	}
}

func TestSealerCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	fs := &fakeStore{}
	s, st := sealer(ctx, Options{}, fs, Account)
	if s != nil || !errors.Is(st.Err, context.Canceled) {
		t.Fatalf("Sealer = %v, %+v; want nil and context.Canceled", s, st)
	}
	if gets, sets := fs.calls(); gets+sets != 0 {
		t.Errorf("keyring asked %d times after ctx was done", gets+sets)
	}
}

func TestSealerOff(t *testing.T) {
	t.Parallel()
	fs := &fakeStore{}
	s, st := sealer(t.Context(), Options{Mode: Off}, fs, Account)
	if s != nil || !st.Disabled || st.Err != nil {
		t.Fatalf("Sealer = %v, %+v; want nil, disabled", s, st)
	}
	if gets, sets := fs.calls(); gets+sets != 0 {
		t.Errorf("keyring asked %d times while off", gets+sets)
	}
}

func TestSealerReplacesMalformedKey(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"not base64": "not base64!",
		"too short":  base64.StdEncoding.EncodeToString([]byte("short")),
		"empty":      "",
	}
	for name, stored := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fs := &fakeStore{}
			fs.put(Account, stored)
			s, st := sealer(t.Context(), Options{}, fs, Account)
			if s == nil || !st.Created {
				t.Fatalf("Sealer = %v, %+v; want a new key", s, st)
			}
			if fs.m[Service+"/"+Account] == stored {
				t.Error("the malformed key was not replaced")
			}
		})
	}
}

// With a lock, Sealer looks again after taking it, and uses a key that
// another process stored meanwhile instead of overwriting it.
func TestSealerLockLooksAgain(t *testing.T) {
	t.Parallel()
	other := bytes.Repeat([]byte{7}, KeySize)
	fs := &fakeStore{}
	locked, unlocked := 0, 0
	opts := Options{Lock: func(context.Context) (func(), error) {
		locked++
		fs.put(Account, base64.StdEncoding.EncodeToString(other)) // the other process wins
		return func() { unlocked++ }, nil
	}}
	s, st := sealer(t.Context(), opts, fs, Account)
	if s == nil || st.Created || locked != 1 || unlocked != 1 {
		t.Fatalf("Sealer = %v, %+v, locked %d, unlocked %d; want the other key, lock taken once", s, st, locked, unlocked)
	}
	if err := roundTrip(t, cache.AESGCMSealer(other), s); err != nil {
		t.Errorf("Sealer did not use the key stored under the lock: %v", err)
	}
	if _, sets := fs.calls(); sets != 1 {
		t.Errorf("%d Set calls, want only the other process's", sets)
	}
}

func TestSealerLockFails(t *testing.T) {
	t.Parallel()
	errBusy := errors.New("lock busy")
	fs := &fakeStore{}
	opts := Options{Lock: func(context.Context) (func(), error) { return nil, errBusy }}
	s, st := sealer(t.Context(), opts, fs, Account)
	if s != nil || !errors.Is(st.Err, errBusy) {
		t.Fatalf("Sealer = %v, %+v; want nil and the lock's error", s, st)
	}
	if _, sets := fs.calls(); sets != 0 {
		t.Error("a key was stored without the lock")
	}
}
