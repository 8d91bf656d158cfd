package tokenkey

import (
	"fmt"

	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/plugin/secretref"
)

// volatileKeys are inputs that change by design on every request: a
// federated token file (client_assertion_file; a path, whose content is
// never read here) and incoming assertions or tokens. They stay out of
// the credential fingerprint, or no token of such a profile would ever be
// served from the cache (subject-bound tokens are not cached at all).
// Issue 13 moves this list into each provider's declaration.
var volatileKeys = map[string]bool{
	"client_assertion_file": true, "assertion": true, "subject_token": true, "actor_token": true,
}

// keyFileKeys name files of key material in use (a client certificate
// with its key, a key that signs assertions): their content enters the
// fingerprint, so a file replaced at the same path is another credential.
var keyFileKeys = []string{"client_certificate", "assertion_key"}

// userCredentialKeys are the user's own credential, part of the state
// key: the password grant's password, and the refresh_token provider's
// configured refresh token, which stands for an account keyfob cannot
// name.
var userCredentialKeys = map[string]bool{"password": true, "refresh_token": true}

// maxKeyFileSize bounds a certificate or key file read for the
// fingerprint.
const maxKeyFileSize = 1 << 20

// Keyed returns r with its Credential and UserCredential set: the keyed
// fingerprints (cache.Fingerprint under salt) of the resolved values of
// its secret keys (isSecret; volatile ones left out), of the certificate
// and key files it uses, and of the user's own credential. lookup reads
// the environment for env: references (os.LookupEnv when nil). An error
// names the key whose reference or file cannot be read, never a value.
func Keyed(r Request, salt []byte, isSecret func(string) bool, lookup func(string) (string, bool)) (Request, error) {
	all, user := map[string][]byte{}, map[string][]byte{}
	for k, v := range r.Values {
		if v == "" || volatileKeys[k] || !isSecret(k) {
			continue
		}
		s, err := secretref.Read(v, lookup)
		if err != nil {
			return r, fmt.Errorf("key %s: %w", k, err)
		}
		all[k] = []byte(s)
		if userCredentialKeys[k] {
			user[k] = []byte(s)
		}
	}
	if err := addKeyFiles(all, r.Values); err != nil {
		return r, err
	}
	r.Credential, r.UserCredential = cache.Fingerprint(salt, all), cache.Fingerprint(salt, user)
	return r, nil
}

// addKeyFiles adds the content of the profile's key material files to
// values, under the key that names each file.
func addKeyFiles(values map[string][]byte, profile map[string]string) error {
	for _, k := range keyFileKeys {
		path := profile[k]
		if path == "" {
			continue
		}
		b, err := secretref.ReadFile(secretref.ExpandHome(path), maxKeyFileSize)
		if err != nil {
			return fmt.Errorf("key %s: file %w", k, err)
		}
		values[k] = b
	}
	return nil
}
