package cache

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestSaltCreatedOnceAndShared(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	if _, ok, err := c.ExistingSalt(); ok || err != nil {
		t.Fatalf("ExistingSalt before any = %v, %v; want none", ok, err)
	}
	const n = 16
	salts := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			other, err := Open(c.Path(), Options{})
			if err == nil {
				salts[i], err = other.Salt()
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	for i, s := range salts {
		if len(s) != SaltSize || string(s) != string(salts[0]) {
			t.Fatalf("salt %d differs from salt 0 or has %d bytes", i, len(s))
		}
	}
	fi, err := os.Stat(filepath.Join(c.Path(), saltName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("salt file: %v, mode %v; want 0600", err, fi.Mode().Perm())
	}
	if tmp, _ := filepath.Glob(filepath.Join(c.Path(), prefixTemp+"*")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

func TestSaltCorruptIsReplaced(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	if err := os.WriteFile(filepath.Join(c.Path(), saltName), []byte("short"), 0o600); err != nil {
		t.Fatal(err)
	}
	salt, err := c.Salt()
	if err != nil || len(salt) != SaltSize {
		t.Fatalf("Salt = %d bytes, %v; want a new salt", len(salt), err)
	}
}

func TestFingerprint(t *testing.T) {
	t.Parallel()
	salt := []byte(strings.Repeat("s", SaltSize))
	base := Fingerprint(salt, map[string][]byte{"client_secret": []byte("a"), "password": []byte("b")})
	if !strings.HasPrefix(base, fingerprintPrefix) {
		t.Fatalf("fingerprint %q lacks its prefix", base)
	}
	differ := map[string]string{
		"other value":         Fingerprint(salt, map[string][]byte{"client_secret": []byte("a"), "password": []byte("c")}),
		"value moved to name": Fingerprint(salt, map[string][]byte{"client_secreta": nil, "password": []byte("b")}),
		"other key":           Fingerprint(salt, map[string][]byte{"client_secret": []byte("a"), "refresh_token": []byte("b")}),
		"other salt":          Fingerprint([]byte(strings.Repeat("t", SaltSize)), map[string][]byte{"client_secret": []byte("a"), "password": []byte("b")}),
	}
	for name, fp := range differ {
		if fp == base {
			t.Errorf("%s: same fingerprint", name)
		}
	}
	if again := Fingerprint(salt, map[string][]byte{"password": []byte("b"), "client_secret": []byte("a")}); again != base {
		t.Error("the same values give another fingerprint")
	}
	if fp := Fingerprint(salt, nil); fp != "" {
		t.Errorf("no values: %q, want empty", fp)
	}
}

func TestEntryBoundToItsKey(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	if err := c.Put("right", fullEntry()); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(c.path(prefixAccess, "right", extAccess))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(c.path(prefixAccess, "other", extAccess), b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("other"); ok {
		t.Error("an entry copied to another key's file was served there")
	}
	if _, ok := c.Get("right"); !ok {
		t.Error("the entry is not served under its own key")
	}
}

func TestTamperedEntryIsMiss(t *testing.T) {
	t.Parallel()
	tests := map[string]func(e *Entry){
		"CRLF in the token":    func(e *Entry) { e.AccessToken = "tok\r\nX-Injected: evil" },
		"space in the token":   func(e *Entry) { e.AccessToken = "tok en" },
		"escape in the token":  func(e *Entry) { e.AccessToken = "tok\x1b]0;x\a" },
		"odd token type":       func(e *Entry) { e.TokenType = "Bearer\r\nX-Evil: 1" },
		"mac token type":       func(e *Entry) { e.TokenType = "mac" },
		"CRLF in the ID token": func(e *Entry) { e.IDToken = "id\ntoken" },
	}
	for name, tamper := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCache(t, Options{})
			e := fullEntry()
			tamper(e)
			if err := c.Put("k", e); err == nil {
				t.Error("Put stored a token keyfob could not present")
			}
			b := []byte(`{"key":"k",` + strings.TrimPrefix(mustJSON(e), "{"))
			if err := os.WriteFile(c.path(prefixAccess, "k", extAccess), b, 0o600); err != nil {
				t.Fatal(err)
			}
			if got, ok, err := c.GetChecked("k"); ok || err != nil {
				t.Errorf("GetChecked = %v, %v, %v; want a miss", got, ok, err)
			}
		})
	}
}

func TestOldEntryWithoutKeyIsMiss(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	if err := os.WriteFile(c.path(prefixAccess, "k", extAccess), []byte(mustJSON(fullEntry())), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := c.GetChecked("k"); ok || err != nil {
		t.Errorf("GetChecked = %v, %v; want a miss", ok, err)
	}
	if err := c.Put("k", fullEntry()); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get("k"); !ok {
		t.Error("the entry written over the old one is not served")
	}
}

func TestStaleTempFilesSwept(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	stale, fresh := filepath.Join(c.Path(), prefixTemp+"killed"), filepath.Join(c.Path(), prefixTemp+"writing")
	for _, p := range []string{stale, fresh} {
		if err := os.WriteFile(p, []byte("token"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-2 * staleTemp)
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if err := c.Put("k", fullEntry()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a crashed writer's temporary file survived the next write: %v", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("a concurrent writer's temporary file was removed: %v", err)
	}
}

func TestCacheExpiry(t *testing.T) {
	t.Parallel()
	now := fixed
	tests := map[string]struct {
		token     string
		expiresAt time.Time
		want      time.Time
	}{
		"an hour":               {"opaque", now.Add(time.Hour), now.Add(time.Hour)},
		"ten years":             {"opaque", now.Add(10 * 365 * 24 * time.Hour), now.Add(MaxLifetime)},
		"JWT exp earlier":       {jwtWithExp(now.Add(10 * time.Minute)), now.Add(time.Hour), now.Add(10 * time.Minute)},
		"JWT exp later":         {jwtWithExp(now.Add(2 * time.Hour)), now.Add(time.Hour), now.Add(time.Hour)},
		"already expired":       {"opaque", now.Add(-time.Minute), now.Add(-time.Minute)},
		"JWT already expired":   {jwtWithExp(now.Add(-time.Minute)), now.Add(time.Hour), now.Add(-time.Minute)},
		"ten years, JWT a week": {jwtWithExp(now.Add(7 * 24 * time.Hour)), now.Add(10 * 365 * 24 * time.Hour), now.Add(MaxLifetime)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := CacheExpiry(&Entry{AccessToken: tc.token, ExpiresAt: tc.expiresAt}, now)
			if !got.Equal(tc.want) {
				t.Errorf("CacheExpiry = %v, want %v", got, tc.want)
			}
		})
	}
}

// jwtWithExp is an unsigned JWT whose exp claim is exp.
func jwtWithExp(exp time.Time) string {
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"none"}`)) + "." + enc([]byte(fmt.Sprintf(`{"exp":%d}`, exp.Unix()))) + ".sig"
}
