package keyring

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestStatusString(t *testing.T) {
	t.Parallel()
	ms := 3 * time.Millisecond
	tests := map[string]struct {
		st   Status
		want string
	}{
		"sealed":  {Status{Backend: "Secret Service", Sealed: true, Elapsed: ms}, "refresh state is encrypted with the key in the OS keyring (Secret Service, 3ms)"},
		"created": {Status{Backend: "macOS Keychain", Sealed: true, Created: true, Elapsed: ms}, "refresh state is encrypted with a new key stored in the OS keyring (macOS Keychain, 3ms)"},
		"off":     {Status{Backend: "Secret Service", Disabled: true}, "OS keyring turned off; refresh state is stored in plain files protected by file permissions only"},
		"failed": {Status{Backend: "Secret Service", Err: errors.New("no D-Bus session bus"), Elapsed: ms},
			"OS keyring not usable (Secret Service, 3ms: no D-Bus session bus); refresh state is stored in plain files protected by file permissions only"},
		"no backend": {Status{Err: errors.New("unsupported platform: plan9")},
			"OS keyring not usable (none, 0s: unsupported platform: plan9); refresh state is stored in plain files protected by file permissions only"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, tc.st.String()); diff != "" {
				t.Errorf("String() (-want +got):\n%s", diff)
			}
		})
	}
}
