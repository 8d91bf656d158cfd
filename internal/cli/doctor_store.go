package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/keyring"
)

// checkCache checks the cache directory and its files without creating
// anything; it returns the cache when the directory exists and is safe.
func (d *doctor) checkCache() *host.Cache {
	c := d.env.adminCache()
	dir, err := c.Dir()
	if err != nil {
		d.fail("cache", err.Error(), "set KEYFOB_CACHE_DIR or HOME")
		return nil
	}
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		d.pass("cache", dir+" does not exist yet; keyfob creates it with mode 0700")
		return nil
	}
	err = c.Check()
	var pe *host.CachePermissionError
	switch {
	case errors.As(err, &pe):
		d.fail("cache", pe.Path+" "+pe.Problem, pe.Fix)
		return nil
	case err != nil:
		d.fail("cache", err.Error(), "check the directory's permissions, or set KEYFOB_CACHE_DIR")
		return nil
	}
	list, err := c.Entries()
	if err != nil {
		d.fail("cache", err.Error(), "check the directory's permissions")
		return nil
	}
	d.reportCache(dir+modeNote(fi), list)
	return c
}

// reportCache reports the entries, and each file that cannot be used.
func (d *doctor) reportCache(dir string, list []host.CacheListing) {
	counts := map[host.CacheKind]int{}
	bad := 0
	for _, l := range list {
		counts[l.Kind]++
		if l.Problem == "" {
			continue
		}
		bad++
		problem, fix, _ := strings.Cut(l.Problem, "; ")
		if !strings.Contains(problem, l.Path) {
			problem = l.Path + ": " + problem
		}
		d.fail("cache", problem, fix)
	}
	if bad == 0 {
		d.pass("cache", fmt.Sprintf("%s: %s, %s, %s", dir, plural(counts[host.CacheKindAccess], "access token"),
			plural(counts[host.CacheKindState], "refresh state"), plural(counts[host.CacheKindNegative], "remembered failure")))
	}
}

// checkKeyring asks the OS keyring as a token request does ($KEYFOB_KEYRING
// decides), creating keyfob's key there if it has none — what the next
// token request would do anyway.
func (d *doctor) checkKeyring(ctx context.Context, c *host.Cache) {
	mode, err := keyring.ParseMode(d.env.Getenv("KEYFOB_KEYRING"))
	if err != nil {
		d.fail("keyring", "KEYFOB_KEYRING: "+err.Error(), "set KEYFOB_KEYRING to auto, off or require")
		return
	}
	opts := keyring.Options{Mode: mode}
	if c != nil {
		opts.Lock = c.LockKeyring
	}
	_, st := d.keyring(ctx, opts)
	backend := st.Backend
	if backend == "" {
		backend = "none on this system"
	}
	switch {
	case st.Disabled:
		d.pass("keyring", "turned off (KEYFOB_KEYRING=off): refresh state is kept in plain files of mode 0600")
	case st.Sealed && st.Created:
		d.pass("keyring", backend+": usable; a new key for sealing refresh state was stored there")
	case st.Sealed:
		d.pass("keyring", backend+": usable; refresh state is sealed with keyfob's key there")
	case mode == keyring.Require:
		d.fail("keyring", fmt.Sprintf("%s: not usable (%v), and KEYFOB_KEYRING=require", backend, st.Err),
			"start or unlock the keyring (Linux: a Secret Service such as gnome-keyring on the session D-Bus), or unset KEYFOB_KEYRING")
	default:
		d.warn("keyring", fmt.Sprintf("%s: not usable (%v); refresh state is kept in plain files of mode 0600", backend, st.Err),
			"start or unlock the keyring (Linux: a Secret Service such as gnome-keyring on the session D-Bus), or set KEYFOB_KEYRING=off to accept plain files")
	}
}
