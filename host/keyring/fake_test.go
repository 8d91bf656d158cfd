package keyring

import (
	"errors"
	"sync"

	zkeyring "github.com/zalando/go-keyring"
)

// fakeStore is a keyring in memory, safe for concurrent use. getErr and
// setErr make those calls fail; hang, when not nil, makes every call wait
// until it is closed.
type fakeStore struct {
	mu             sync.Mutex
	m              map[string]string
	getErr, setErr error
	hang           chan struct{}
	gets, sets     int
}

func (f *fakeStore) Get(service, account string) (string, error) {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gets++
	if f.getErr != nil {
		return "", f.getErr
	}
	v, ok := f.m[service+"/"+account]
	if !ok {
		return "", zkeyring.ErrNotFound
	}
	return v, nil
}

func (f *fakeStore) Set(service, account, secret string) error {
	f.wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sets++
	if f.setErr != nil {
		return f.setErr
	}
	if f.m == nil {
		f.m = map[string]string{}
	}
	f.m[service+"/"+account] = secret
	return nil
}

func (f *fakeStore) wait() {
	if f.hang != nil {
		<-f.hang
	}
}

func (f *fakeStore) put(account, v string) {
	if err := f.Set(Service, account, v); err != nil {
		panic(err)
	}
}

func (f *fakeStore) calls() (gets, sets int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.gets, f.sets
}

var errLocked = errors.New("prompt dismissed: collection is locked")
