package keyring

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/keyfob/keyfob/host/cache"
	zkeyring "github.com/zalando/go-keyring"
)

// Where the key lives in the keyring, and what it is. The value is the
// standard base64 of KeySize random bytes. To start over, delete the item
// (e.g. `secret-tool clear service keyfob username cache-key-v1`); state
// sealed with it is then lost and the plugins sign in again.
const (
	// Service is the keyring item's service.
	Service = "keyfob"
	// Account is the keyring item's account (user name); the version
	// names the value's format.
	Account = "cache-key-v1"
	// KeySize is the key's length in bytes: AES-256.
	KeySize = 32
)

// DefaultTimeout is the time budget of a Sealer call when Options.Timeout
// is zero.
const DefaultTimeout = 3 * time.Second

// Options configure Sealer. The zero value is valid: Auto, 3 s, no lock.
type Options struct {
	// Mode turns the keyring off or makes it required; see Mode.
	Mode Mode
	// Timeout bounds all of the call's keyring operations together
	// (zero means DefaultTimeout). Whatever has not answered by then is
	// abandoned and the call falls back.
	Timeout time.Duration
	// Lock, if set, serialises creating the key between processes: when
	// the keyring has no key yet, Sealer takes it, looks again, and only
	// then stores a new key, so two first runs at once do not each seal
	// state with a key the other overwrites. It must respect ctx. The CLI
	// passes a cache lock (cache.Cache.Lock).
	Lock func(ctx context.Context) (unlock func(), err error)
}

// Sealer returns a cache.Sealer keyed by the per-user key in the OS
// keyring, creating and storing the key on first use, and a Status for
// an info-level log line. When no key can be had within opts.Timeout, or
// opts.Mode is Off, it returns nil and the Status says why: the caller
// then stores state unsealed (or, with Require, reports Status.Err). It
// never returns a Sealer that cannot seal, and never blocks past the
// budget or ctx. It is safe for concurrent use.
func Sealer(ctx context.Context, opts Options) (cache.Sealer, Status) {
	return sealer(ctx, opts, osStore{}, Account)
}

// sealer is Sealer with the keyring and the account as parameters.
func sealer(ctx context.Context, opts Options, s store, account string) (cache.Sealer, Status) {
	st := Status{Backend: backend}
	if opts.Mode == Off {
		st.Disabled = true
		return nil, st
	}
	start := time.Now()
	timeout := orDefault(opts.Timeout, DefaultTimeout)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	k := keyOps{store: s, account: account, lock: opts.Lock}
	key, created, err := k.getOrCreate(ctx)
	st.Elapsed = time.Since(start)
	if err != nil {
		st.Err = explain(err, timeout)
		return nil, st
	}
	st.Sealed, st.Created = true, created
	return cache.AESGCMSealer(key), st
}

// explain turns a timeout into a sentence naming the budget.
func explain(err error, timeout time.Duration) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w (budget %s): %w", ErrTimeout, timeout, err)
	}
	return err
}

// ErrTimeout is in Status.Err when the keyring did not answer within the
// budget.
var ErrTimeout = errors.New("the keyring did not answer in time")

// errNoKey means the keyring holds no usable key yet.
var errNoKey = errors.New("no key in the keyring")

// keyOps gets or creates the key in one keyring.
type keyOps struct {
	store   store
	account string
	lock    func(context.Context) (func(), error)
}

// getOrCreate returns the key, and whether this call created it.
func (k keyOps) getOrCreate(ctx context.Context) ([]byte, bool, error) {
	key, err := k.get(ctx)
	if !errors.Is(err, errNoKey) {
		return key, false, err
	}
	return k.create(ctx)
}

// get reads the key. A missing or malformed one is errNoKey: state sealed
// with a malformed key could never be opened, so replacing it loses
// nothing.
func (k keyOps) get(ctx context.Context) ([]byte, error) {
	v, err := call(ctx, func() (string, error) { return k.store.Get(Service, k.account) })
	if errors.Is(err, zkeyring.ErrNotFound) {
		return nil, errNoKey
	}
	if err != nil {
		return nil, fmt.Errorf("read the key from the keyring: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(v)
	if err != nil || len(key) != KeySize {
		return nil, errNoKey
	}
	return key, nil
}

// create stores a new random key, under the lock when there is one,
// looking again first in case another process just stored one.
func (k keyOps) create(ctx context.Context) ([]byte, bool, error) {
	if k.lock != nil {
		unlock, err := k.lock(ctx)
		if err != nil {
			return nil, false, fmt.Errorf("lock for creating the keyring key: %w", err)
		}
		defer unlock()
		key, err := k.get(ctx)
		if !errors.Is(err, errNoKey) {
			return key, false, err
		}
	}
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, false, fmt.Errorf("create the keyring key: %w", err)
	}
	v := base64.StdEncoding.EncodeToString(key)
	if _, err := call(ctx, func() (struct{}, error) { return struct{}{}, k.store.Set(Service, k.account, v) }); err != nil {
		return nil, false, fmt.Errorf("store the key in the keyring: %w", err)
	}
	return key, true, nil
}

// orDefault returns d, or def when d is not positive.
func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
