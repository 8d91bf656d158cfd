// Package cache is keyfob's on-disk token cache: access tokens, the
// plugins' opaque state (refresh tokens among it), remembered failures, and
// the cross-process locks that make parallel keyfob processes ask the
// authorization server at most once.
//
// It sits on the cache-hit fast path, so it imports only the standard
// library and github.com/gofrs/flock — no gRPC, no go-plugin, no logger —
// and does no work at package initialisation. It never logs: problems come
// back as errors for the caller to show.
//
// # Where
//
// Dir resolves the directory: $KEYFOB_CACHE_DIR, else
// $XDG_CACHE_HOME/keyfob, else ~/.cache/keyfob. Open creates it with mode
// 0700.
//
// # Layout on disk
//
// One file per entry, named by kind and the hex SHA-256 of its key, so no
// key material appears in a file name:
//
//	at-<sha256>.json   access token: an Entry and its key as JSON
//	st-<sha256>.bin    plugin state: a JSON header line {"v":1,"key":...,"sealed":...},
//	                   then the state bytes, AES-GCM sealed when Options.Sealer is set
//	ng-<sha256>.json   negative entry: a Negative and its key as JSON
//	lk-<sha256>.lock   lock file, empty; flock'ed by the holder
//	salt.bin           the salt keying credential fingerprints (Salt)
//	ac-<sha256>.json   the accounts signed in for a client at a server, and
//	                   which profile each is bound to (Accounts)
//
// Beside them, other keyfob packages keep files that hold no secret:
// ds-<sha256>.json, a discovery document (host/discovery), and
// cf-<fnv64>.idx, an index of a validated configuration file
// (internal/config's LoadIndexed), which lets a cache hit skip checking
// the whole file again while its identity is unchanged.
//
//	tmp-<random>       a write in progress (or left by a crash; the next write
//	                   removes it after a minute, Clear at once)
//
// Keys come from AccessKey and StateKey: a version prefix and the
// canonical JSON of their parts. Keys are not secret — they are stored in
// cleartext inside entries and shown by List — so key parts must never
// hold a secret value, nor an unsalted hash of one: a credential enters a
// key as its Fingerprint, an HMAC under the cache's random salt.
//
// # Security rules
//
//   - The directory is 0700 and every file 0600, owned by the current user.
//     Open refuses a directory, and reads refuse a file, that another user
//     owns or that grants group or others any permission, with a
//     *PermissionError (ErrInsecure) naming the path and the fix. Reads
//     do not follow symbolic links. On Windows modes are not checked; the
//     per-user profile directory's ACL protects the cache.
//   - Writes are atomic: a temporary file created with O_CREATE|O_EXCL and
//     mode 0600 in the same directory, flushed, closed and renamed over the
//     entry, then the directory flushed. Readers never see half a file.
//   - A corrupt entry (garbage, truncated, empty) is a miss, never an error
//     that breaks a call; the next write replaces it. So is an access entry
//     stored under another key, or whose token is not an RFC 6750
//     b64token of a type keyfob presents.
//   - No open follows a symbolic link (lock files included) or blocks on a
//     FIFO; anything but a regular file is refused.
//   - State is secret. With a Sealer it is encrypted and bound to its key;
//     state that does not open is a miss. Without one it is stored in
//     plaintext, protected only by the file modes. With a Sealer and
//     Options.MigratePlain, plaintext state written earlier is read once
//     and sealed in place.
//   - List shows profiles, accounts, scopes, expiry and paths, never token
//     or state values. Entry's String method redacts its tokens.
//
// # Expiry
//
// Margin, HostExpiry, Valid and NeedsRefresh implement CONTRACT §7 as pure
// functions of a given now: with lifetime L and expiry E the margin is
// M = min(5 min, L/10); hosts are told E − M; a token is served while
// E − M − now ≥ V. A token without an expiry is not cacheable.
//
// # Single flight
//
// On a miss: Lock the key, Get again (another process may have just
// filled it), and only then fetch and Put. The flock is released by the
// kernel when its holder dies, so a crashed keyfob never blocks another.
// Lock the StateKey too while a refresh token is used, since servers
// rotate refresh tokens and a second refresh with the old one fails.
package cache
