package cache

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"io"
	"slices"
)

// fingerprintPrefix names the fingerprint's algorithm and encoding, so a
// future one does not collide with it.
const fingerprintPrefix = "hmac-sha256:"

// Fingerprint returns the keyed fingerprint of a credential: HMAC-SHA-256
// under salt (see Cache.Salt) of values, each a name (a profile key) and
// its resolved value or file content, in a canonical length-prefixed
// encoding sorted by name. It is "" when values is empty. Without the
// salt it cannot be checked against a guessed secret, so it may appear in
// keys, which are stored in cleartext.
func Fingerprint(salt []byte, values map[string][]byte) string {
	if len(values) == 0 {
		return ""
	}
	mac := hmac.New(sha256.New, salt)
	names := make([]string, 0, len(values))
	for name := range values {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		writeField(mac, []byte(name))
		writeField(mac, values[name])
	}
	return fingerprintPrefix + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// writeField writes b with its length before it, so no two lists of
// fields encode alike.
func writeField(w io.Writer, b []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(b)))
	_, _ = w.Write(n[:])
	_, _ = w.Write(b)
}
