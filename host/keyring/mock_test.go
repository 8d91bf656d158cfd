package keyring

import (
	"errors"
	"testing"

	zkeyring "github.com/zalando/go-keyring"
)

// The real Sealer path with go-keyring's own mock provider in place of the
// OS keyring. MockInit replaces the provider for the whole process, hence
// the child process. The dummy bus address only gets past checkPlatform on
// Linux; the mock never connects.
func TestSealerWithLibraryMock(t *testing.T) {
	if !inChild(t, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/keyfob-mock-bus") {
		return
	}
	zkeyring.MockInit()
	s1, st1 := Sealer(t.Context(), Options{})
	s2, st2 := Sealer(t.Context(), Options{})
	if s1 == nil || s2 == nil || !st1.Created || st2.Created {
		t.Fatalf("Sealer = %v, %+v then %v, %+v; want a new key, then the same", s1, st1, s2, st2)
	}
	if err := roundTrip(t, s1, s2); err != nil {
		t.Errorf("second sealer does not open the first's: %v", err)
	}
	if v, err := zkeyring.Get(Service, Account); err != nil || len(v) != 44 {
		t.Errorf("stored key = %d characters, %v; want 44 (base64 of 32 bytes)", len(v), err)
	}

	errLibrary := errors.New("mock keyring failure")
	zkeyring.MockInitWithError(errLibrary)
	s, st := Sealer(t.Context(), Options{})
	if s != nil || !errors.Is(st.Err, errLibrary) {
		t.Fatalf("with a failing keyring: Sealer = %v, %+v; want nil and the error", s, st)
	}
	t.Log(st)
}
