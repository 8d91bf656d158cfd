package keyring

import (
	"fmt"
	"time"
)

// Status says what Sealer did, for one info-level log line. It never
// holds the key.
type Status struct {
	// Backend names the keyring asked: "Secret Service", "macOS
	// Keychain", "Windows Credential Manager", or empty where there is
	// none.
	Backend string
	// Sealed is true when Sealer returned a Sealer.
	Sealed bool
	// Created is true when this call stored a new key: the first use for
	// this user, or a malformed key replaced.
	Created bool
	// Disabled is true when Options.Mode was Off; the keyring was not
	// asked.
	Disabled bool
	// Err says why the keyring is not used when it was asked and failed:
	// no session bus, no Secret Service, a locked collection, ErrTimeout,
	// an unsupported system. It never holds a secret.
	Err error
	// Elapsed is the time the keyring operations took.
	Elapsed time.Duration
}

// plainNote ends every fallback message.
const plainNote = "refresh state is stored in plain files protected by file permissions only"

// String describes the status in one line.
func (s Status) String() string {
	ms := s.Elapsed.Round(100 * time.Microsecond)
	switch {
	case s.Disabled:
		return "OS keyring turned off; " + plainNote
	case s.Sealed && s.Created:
		return fmt.Sprintf("refresh state is encrypted with a new key stored in the OS keyring (%s, %s)", s.Backend, ms)
	case s.Sealed:
		return fmt.Sprintf("refresh state is encrypted with the key in the OS keyring (%s, %s)", s.Backend, ms)
	}
	backend := s.Backend
	if backend == "" {
		backend = "none"
	}
	return fmt.Sprintf("OS keyring not usable (%s, %s: %v); %s", backend, ms, s.Err, plainNote)
}
