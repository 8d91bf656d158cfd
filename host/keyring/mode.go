package keyring

import (
	"fmt"
	"strings"
)

// Mode says whether Sealer asks the OS keyring. The zero value is Auto.
type Mode int

// The modes.
const (
	// Auto uses the keyring when it is usable and falls back to plain
	// files otherwise.
	Auto Mode = iota
	// Off never asks the keyring; state stays in plain files.
	Off
	// Require asks the keyring like Auto, but a nil Sealer is then an
	// error the caller reports instead of falling back.
	Require
)

// ParseMode parses a mode as written in KEYFOB_KEYRING: "auto" (or
// empty), "off" or "require", in any case and with surrounding space. An
// unknown value returns Auto and an error naming it.
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return Auto, nil
	case "off":
		return Off, nil
	case "require":
		return Require, nil
	}
	return Auto, fmt.Errorf("unknown keyring mode %q (want auto, off or require)", s)
}

// String returns the mode as ParseMode reads it.
func (m Mode) String() string {
	switch m {
	case Off:
		return "off"
	case Require:
		return "require"
	}
	return "auto"
}
