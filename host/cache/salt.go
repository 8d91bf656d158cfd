package cache

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// saltName is the file of the cache's fingerprint salt.
const saltName = "salt.bin"

// SaltSize is the length of the salt in bytes.
const SaltSize = 32

// Salt returns the cache's random salt, which keys the credential
// fingerprints in cache keys (CONTRACT §7): without it a fingerprint
// cannot be checked against a guessed secret. The first call creates it,
// SaltSize random bytes in a 0600 file: written to a temporary file and
// linked to its name, which fails if another process won the race, whose
// salt is then read. A salt of the wrong size is replaced, which turns
// every keyed entry into a miss. Errors are as for GetChecked.
func (c *Cache) Salt() ([]byte, error) {
	if salt, ok, err := c.ExistingSalt(); ok || err != nil {
		return salt, err
	}
	if err := c.createSalt(); err != nil {
		return nil, err
	}
	salt, ok, err := c.ExistingSalt()
	if err == nil && !ok {
		err = errors.New("read cache salt: unusable after creating it")
	}
	return salt, err
}

// ExistingSalt is Salt without creating one: ok is false when the cache
// has no usable salt yet, so nothing in it can match a keyed entry. The
// front's cache-hit path uses it, writing nothing.
func (c *Cache) ExistingSalt() (salt []byte, ok bool, err error) {
	b, err := readFile(c.saltPath())
	if err != nil {
		return nil, false, missOrError(err)
	}
	return b, len(b) == SaltSize, nil
}

// createSalt writes a new salt and links it into place; if a salt is
// there already it is kept when usable and replaced when not.
func (c *Cache) createSalt() error {
	salt := make([]byte, SaltSize)
	if _, err := rand.Read(salt); err != nil {
		return fmt.Errorf("create cache salt: %w", err)
	}
	tmp, err := c.writeTemp(salt)
	if err != nil {
		return fmt.Errorf("create cache salt: %w", err)
	}
	defer os.Remove(tmp)
	err = os.Link(tmp, c.saltPath())
	if errors.Is(err, fs.ErrExist) {
		if _, ok, rerr := c.ExistingSalt(); ok || rerr != nil {
			return rerr
		}
		err = os.Rename(tmp, c.saltPath()) // a corrupt salt: replace it
	}
	if err != nil {
		return fmt.Errorf("create cache salt: %w", err)
	}
	return nil
}

func (c *Cache) saltPath() string { return filepath.Join(c.dir, saltName) }
