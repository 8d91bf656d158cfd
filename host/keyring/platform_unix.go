//go:build unix && !darwin

package keyring

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// errNoSessionBus is returned when no D-Bus session bus can be found.
var errNoSessionBus = errors.New("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset and there is no /run/user/<uid>/bus)")

// checkPlatform finds the D-Bus session bus the way godbus does, but
// without its last resort: running dbus-launch, which starts a new bus
// daemon that outlives keyfob (and a Secret Service activated on it would
// have no login collection anyway).
func checkPlatform() error {
	return findSessionBus(os.Getenv, os.Getuid(), exists)
}

// findSessionBus returns nil when godbus would find a session bus without
// launching one: DBUS_SESSION_BUS_ADDRESS, or /run/user/<uid>/bus or
// /run/user/<uid>/dbus-session.
func findSessionBus(getenv func(string) string, uid int, exists func(string) bool) error {
	if a := getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return nil
	}
	dir := fmt.Sprintf("/run/user/%d", uid)
	for _, name := range []string{"bus", "dbus-session"} {
		if exists(filepath.Join(dir, name)) {
			return nil
		}
	}
	return errNoSessionBus
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// backend names the keyring for Status.
const backend = "Secret Service"
