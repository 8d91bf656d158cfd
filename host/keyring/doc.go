// Package keyring protects keyfob's refresh tokens at rest with the
// operating system's keyring, where one is usable, and says so when it is
// not.
//
// # Envelope design
//
// The keyring holds one thing: a random 256-bit key per user, stored as
// base64 under service [Service] and account [Account]. The cache entries
// themselves stay files in the cache directory (package
// github.com/keyfob/keyfob/host/cache); [Sealer] returns
// cache.AESGCMSealer of that key, and the cache encrypts each plugin state
// file with it. So the keyring's size limits (Windows Credential Manager
// blobs of 2,560 bytes, the macOS `security -i` line of 4 KiB) never
// matter, the keyring is asked once per token request however many
// entries there are, and `keyfob cache list` and `cache clear` work on the
// files alone.
//
// The keyrings are:
//
//   - Linux, NetBSD, OpenBSD: the freedesktop Secret Service
//     (gnome-keyring, KeePassXC, KWallet 5.97 and later) over the D-Bus
//     session bus, pure Go (godbus). go-keyring uses it on FreeBSD only in
//     cgo builds; keyfob's are not, so FreeBSD falls back.
//   - macOS: the login keychain through /usr/bin/security. go-keyring
//     v0.2.8 stores the secret by starting `security -i` and writing the
//     add-generic-password command to its standard input, so the secret is
//     never on a process's argv (where `ps` would show it); it reads the
//     secret back from the standard output of find-generic-password.
//     Checked in the module source, keyring_darwin.go.
//   - Windows: the Credential Manager (wincred), through syscalls.
//
// No cgo is needed anywhere.
//
// What this protects against: the cache files read without the user's
// keyring — a backup, a copied home directory, a disk read offline. It
// does not protect against a process running
// as the same user while the keyring is unlocked: that process can ask
// the keyring as keyfob does (on macOS, items written through `security`
// are readable by `security` without a prompt).
//
// # What is sealed, and what is not
//
// Only the plugins' state — refresh tokens, the long-lived secret — is
// sealed. Access tokens stay plain files of mode 0600: they live an hour
// or less, and the lean front (internal/front, the keyfob executable on
// Unix) answers cache hits from them without this package, because
// connecting to D-Bus costs milliseconds that a cache hit must not pay.
// For the same reason the engine asks the keyring only on the slow path,
// under the per-key lock, when state is about to be read or written.
//
// # Fallback
//
// A missing, locked or slow keyring never breaks a call. Every keyring
// call runs within one time budget (Options.Timeout, 3 s by default); a
// call that does not answer in time is abandoned, not waited for. When no
// key can be had — no D-Bus session bus, no Secret Service on it, a
// locked collection or keychain, a timeout, an unsupported system —
// Sealer returns a nil Sealer and a Status saying why, for one info-level
// log line, and the cache keeps state in plain files protected by their
// permissions only, as before. On Linux, Sealer does not connect when no
// session bus address can be found: godbus would otherwise run
// dbus-launch, which starts a bus daemon that outlives keyfob.
//
// A locked Secret Service collection may show the desktop's unlock
// prompt; if it is not answered within the budget this call falls back,
// and a later one uses the keyring.
//
// State written while no keyring was usable is plaintext. With
// cache.Options.MigratePlain the cache reads it once and seals it in
// place, so a keyring appearing later costs no sign-in. The reverse —
// sealed state met by a keyfob that cannot reach the keyring, such as an
// SSH session without the desktop's session bus — is a miss: the plugin
// signs in again and the new state is stored in plain files.
//
// [Off] turns the keyring off (the CLI's KEYFOB_KEYRING=off); [Require]
// makes a missing keyring the caller's error, for tests and for hosts
// that must not store refresh tokens in plain files.
package keyring
