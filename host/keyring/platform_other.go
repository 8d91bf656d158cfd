//go:build !unix || darwin

package keyring

import "runtime"

// checkPlatform has nothing to check before asking the keyring here.
func checkPlatform() error { return nil }

// backend names the keyring for Status.
var backend = map[string]string{
	"darwin":  "macOS Keychain",
	"ios":     "macOS Keychain",
	"windows": "Windows Credential Manager",
}[runtime.GOOS]
