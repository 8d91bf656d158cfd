package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
)

// stateHeader is the first line of a state file: the format version, the
// key (no secrets, see StateKeyParts) and whether the rest is sealed.
type stateHeader struct {
	V      int    `json:"v"`
	Key    string `json:"key"`
	Sealed bool   `json:"sealed,omitempty"`
}

// GetState returns the plugin state stored under key. State that is
// missing, corrupt, stored for another key, sealed when this Cache has no
// Sealer, unsealed when it has one (unless Options.MigratePlain), or that
// does not open is a miss with a nil error. Errors are as for GetChecked.
func (c *Cache) GetState(key string) ([]byte, bool, error) {
	b, err := readFile(c.path(prefixState, key, extState))
	if err != nil {
		return nil, false, missOrError(err)
	}
	h, payload, ok := splitState(b)
	if !ok || h.Key != key {
		return nil, false, nil
	}
	if !h.Sealed && c.sealer != nil && c.migratePlain {
		return c.migrate(key, payload), true, nil
	}
	state, ok := c.unseal(key, h, payload)
	return state, ok, nil
}

// migrate seals state that was stored unsealed and returns it. If sealing
// or writing fails the plaintext file stays, to be replaced by the next
// PutState; the state is returned either way.
func (c *Cache) migrate(key string, state []byte) []byte {
	_ = c.PutState(key, state)
	return state
}

// PutState stores state under key atomically, sealed when the Cache has a
// Sealer. The bytes are secret; they are never shown by List.
func (c *Cache) PutState(key string, state []byte) error {
	h := stateHeader{V: 1, Key: key, Sealed: c.sealer != nil}
	payload := state
	if c.sealer != nil {
		var err error
		if payload, err = c.sealer.Seal(bindState(key, state)); err != nil {
			return fmt.Errorf("put state: %w", err)
		}
	}
	line, err := json.Marshal(h)
	if err != nil {
		return fmt.Errorf("put state: %w", err)
	}
	data := append(append(line, '\n'), payload...)
	return c.writeFile(c.path(prefixState, key, extState), data)
}

// DeleteState removes the state stored under key; a missing one is not an
// error.
func (c *Cache) DeleteState(key string) error {
	return removeFile(c.path(prefixState, key, extState))
}

// splitState parses a state file into its header and payload.
func splitState(b []byte) (stateHeader, []byte, bool) {
	var h stateHeader
	line, payload, ok := bytes.Cut(b, []byte{'\n'})
	if !ok || json.Unmarshal(line, &h) != nil || h.V != 1 {
		return h, nil, false
	}
	return h, payload, true
}

// unseal returns the state in payload if this Cache can read it.
func (c *Cache) unseal(key string, h stateHeader, payload []byte) ([]byte, bool) {
	if h.Sealed != (c.sealer != nil) {
		return nil, false
	}
	if c.sealer == nil {
		return payload, true
	}
	pt, err := c.sealer.Open(payload)
	if err != nil {
		return nil, false
	}
	tag := keyTag(key)
	state, ok := bytes.CutPrefix(pt, tag[:])
	return state, ok
}

// bindState prefixes state with its key's digest before sealing, so a
// sealed blob moved to another key's file does not open there.
func bindState(key string, state []byte) []byte {
	tag := keyTag(key)
	return append(tag[:], state...)
}

// keyTag is the SHA-256 of key.
func keyTag(key string) [sha256.Size]byte { return sha256.Sum256([]byte(key)) }
