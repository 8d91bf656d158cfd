package cache

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Kind says what a cache file holds.
type Kind string

// The kinds of files List shows.
const (
	KindAccess   Kind = "access"   // an access token Entry
	KindState    Kind = "state"    // a plugin's opaque state
	KindNegative Kind = "negative" // a remembered failure
)

// Listing describes one cache file without any secret: never a token,
// ID token or state value.
type Listing struct {
	Kind Kind `json:"kind"`
	// Profile is the entry's profile (access), or the state key's.
	Profile string `json:"profile,omitempty"`
	// Account is the signed-in account or user, when known.
	Account string `json:"account,omitempty"`
	// Scopes are the scopes asked for (access, negative).
	Scopes []string `json:"scopes,omitempty"`
	// ExpiresAt is the token's expiry E (access) or the end of a negative
	// entry; zero for state.
	ExpiresAt time.Time `json:"expires_at,omitzero"`
	// Detail is the negative entry's kind, e.g. "throttled".
	Detail string `json:"detail,omitempty"`
	// Sealed is true for state encrypted with a Sealer.
	Sealed bool `json:"sealed,omitempty"`
	// Path is the file.
	Path string `json:"path"`
	// Problem, when not empty, says why the file could not be read.
	Problem string `json:"problem,omitempty"`
}

// List describes the access, state and negative entries in the cache,
// ordered by kind, profile and path. Files it cannot read are listed with
// a Problem rather than failing the listing.
func (c *Cache) List() ([]Listing, error) {
	names, err := c.names()
	if err != nil {
		return nil, err
	}
	var out []Listing
	for _, name := range names {
		if kind, ok := kindOf(name); ok {
			out = append(out, describe(kind, filepath.Join(c.dir, name)))
		}
	}
	slices.SortFunc(out, func(a, b Listing) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Profile, b.Profile), cmp.Compare(a.Path, b.Path))
	})
	return out, nil
}

// Clear removes every entry, state, negative entry and leftover temporary
// file, and the lock files nobody holds. Files whose names keyfob does not
// use are left alone. Errors are joined; Clear goes on past them.
func (c *Cache) Clear() error {
	names, err := c.names()
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range names {
		errs = append(errs, c.clearFile(name))
	}
	return errors.Join(errs...)
}

// ClearProfile removes the access entries whose Profile is profile and the
// state whose StateKeyParts.Profile is profile. State keyed by account
// alone is not matched: remove it with DeleteState.
func (c *Cache) ClearProfile(profile string) error {
	if profile == "" {
		return errors.New("clear profile: empty profile name")
	}
	list, err := c.List()
	if err != nil {
		return err
	}
	var errs []error
	for _, l := range list {
		if l.Profile == profile && l.Kind != KindNegative && l.Problem == "" {
			errs = append(errs, removeFile(l.Path))
		}
	}
	return errors.Join(errs...)
}

// names returns the names of the regular files in the cache directory.
func (c *Cache) names() ([]string, error) {
	ents, err := os.ReadDir(c.dir)
	if err != nil {
		return nil, fmt.Errorf("list cache: %w", err)
	}
	var names []string
	for _, e := range ents {
		if e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// clearFile removes one file for Clear, if its name is one of ours.
func (c *Cache) clearFile(name string) error {
	path := filepath.Join(c.dir, name)
	if _, ok := kindOf(name); ok || strings.HasPrefix(name, prefixTemp) {
		return removeFile(path)
	}
	if isName(name, prefixLock, extLock) {
		return removeUnheldLock(path)
	}
	return nil
}

// removeUnheldLock removes a lock file if nobody holds it. A lock file
// holds nothing, so failing to remove one is not an error.
func removeUnheldLock(path string) error {
	fl, err := tryLock(path)
	if err != nil || fl == nil {
		return nil // held, or gone: leave it
	}
	return removeLockFile(fl, path)
}

// kindOf classifies an entry file name.
func kindOf(name string) (Kind, bool) {
	switch {
	case isName(name, prefixAccess, extAccess):
		return KindAccess, true
	case isName(name, prefixState, extState):
		return KindState, true
	case isName(name, prefixNegative, extNegative):
		return KindNegative, true
	}
	return "", false
}

// isName reports whether name is prefix, 64 hex digits, ext.
func isName(name, prefix, ext string) bool {
	h, okPrefix := strings.CutPrefix(name, prefix)
	h, okExt := strings.CutSuffix(h, ext)
	if !okPrefix || !okExt || len(h) != 64 {
		return false
	}
	return strings.Trim(h, "0123456789abcdef") == ""
}
