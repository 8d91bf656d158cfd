package keyring

import (
	"context"

	zkeyring "github.com/zalando/go-keyring"
)

// store is a keyring: one secret per service and account. Get returns an
// error matching zkeyring.ErrNotFound when there is none. Calls may block
// for ever (a keyring waiting for an unlock prompt); callers bound them
// with call.
type store interface {
	Get(service, account string) (string, error)
	Set(service, account, secret string) error
}

// osStore is the OS keyring, through go-keyring, after checkPlatform.
// go-keyring v0.2.8 never puts the secret on a child's argv: on macOS
// (keyring_darwin.go) Set runs `/usr/bin/security -i` and writes
// "add-generic-password -U -s … -a … -w <secret>" to its stdin, and Get
// reads the secret from find-generic-password's stdout; Linux talks D-Bus
// and Windows calls wincred, in process.
type osStore struct{}

// Get implements store.
func (osStore) Get(service, account string) (string, error) {
	if err := checkPlatform(); err != nil {
		return "", err
	}
	return zkeyring.Get(service, account)
}

// Set implements store.
func (osStore) Set(service, account, secret string) error {
	if err := checkPlatform(); err != nil {
		return err
	}
	return zkeyring.Set(service, account, secret)
}

// call runs f in its own goroutine and returns its result, or ctx's error
// as soon as ctx is done. A call that has not returned by then is
// abandoned: its goroutine ends whenever the keyring answers, and its
// result is dropped.
func call[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	done := make(chan result, 1) // buffered: an abandoned call never blocks
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}
