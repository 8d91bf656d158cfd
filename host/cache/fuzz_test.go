package cache

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Cache file kinds FuzzCacheFiles writes to.
const (
	fuzzAccess = iota
	fuzzNegative
	fuzzState
	fuzzKinds
)

// FuzzCacheFiles puts arbitrary bytes where an access entry, a negative
// entry or a state file belongs: a truncated write, another version's
// format, a file edited by hand. Reading never fails the caller: an entry
// is a usable one or a miss, a negative entry applies only before its
// end, and List never shows an access token.
func FuzzCacheFiles(f *testing.F) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	ak := AccessKey(KeyParts{Provider: "client_credentials", TokenURL: "https://idp.example/token", ClientID: "app", Scopes: []string{"api"}})
	sk := StateKey(StateKeyParts{TokenURL: "https://idp.example/token", ClientID: "app", Profile: "p"})
	entry, _ := json.Marshal(Entry{AccessToken: "at-0123456789abcdef", TokenType: "Bearer", ExpiresAt: now.Add(time.Hour),
		IssuedAt: now, RefreshAt: now.Add(30 * time.Minute), Profile: "p", Scopes: []string{"api"}})
	neg, _ := json.Marshal(negativeFile{Key: ak, Negative: Negative{Until: now.Add(time.Minute), Kind: NegativeThrottled, Message: "idp: HTTP 429", ExitCode: 5}})
	stateHdr, _ := json.Marshal(stateHeader{V: 1, Key: sk})
	for _, s := range []struct {
		data []byte
		kind uint8
	}{
		{entry, fuzzAccess},
		{[]byte(`{"access_token":"x","expires_at":"9999-12-31T23:59:59Z","issued_at":"0001-01-01T00:00:00Z"}`), fuzzAccess},
		{[]byte(`{"access_token":"x","expires_at":"2026-11-21T12:00:00Z","issued_at":"2027-01-01T00:00:00Z","refresh_at":"1970-01-01T00:00:00Z"}`), fuzzAccess},
		{entry[:len(entry)/2], fuzzAccess},
		{neg, fuzzNegative},
		{[]byte(`{"key":"other","until":"2030-01-01T00:00:00Z","kind":"throttled","exit_code":-1}`), fuzzNegative},
		{append(append(stateHdr, '\n'), "opaque state"...), fuzzState},
		{[]byte(`{"v":1,"key":"` + strings.ReplaceAll(sk, `"`, `\"`) + `","sealed":true}` + "\n\x01garbage"), fuzzState},
		{nil, fuzzState},
	} {
		f.Add(s.data, s.kind)
	}
	dir := filepath.Join(f.TempDir(), "cache") // Open makes it 0700
	f.Fuzz(func(t *testing.T, data []byte, kind uint8) {
		c, err := Open(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Clear(); err != nil {
			t.Fatal(err)
		}
		path := map[uint8]string{
			fuzzAccess:   c.path(prefixAccess, ak, extAccess),
			fuzzNegative: c.path(prefixNegative, ak, extNegative),
			fuzzState:    c.path(prefixState, sk, extState),
		}[kind%fuzzKinds]
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		checkEntry(t, c, ak, now)
		if n, ok := c.GetNegative(ak, now); ok && !now.Before(n.Until) {
			t.Fatalf("a negative entry ending %v applies at %v", n.Until, now)
		}
		_, _, _ = c.GetState(sk)
		sealed, err := Open(dir, Options{Sealer: AESGCMSealer(bytes.Repeat([]byte{7}, 32)), MigratePlain: true})
		if err != nil {
			t.Fatal(err)
		}
		_, _, _ = sealed.GetState(sk)
		checkList(t, c, data)
	})
}

// checkEntry reads the access entry and applies the validity rules to it.
func checkEntry(t *testing.T, c *Cache, key string, now time.Time) {
	e, ok := c.Get(key)
	if !ok {
		return
	}
	if e.AccessToken == "" {
		t.Fatal("Get returned an entry without an access token")
	}
	if m := Margin(e); m < 0 || m > MaxMargin {
		t.Fatalf("Margin = %v", m)
	}
	if Valid(e, now, DefaultMinValidity) && HostExpiry(e).Before(now.Add(DefaultMinValidity)) {
		t.Fatalf("Valid at %v with host expiry %v", now, HostExpiry(e))
	}
	_ = NeedsRefresh(e, now)
	if s := e.String() + e.GoString(); len(e.AccessToken) >= 8 && strings.Contains(s, e.AccessToken) && !strings.Contains(e.Profile, e.AccessToken) {
		t.Fatalf("String shows the access token: %s", s)
	}
}

// checkList lists the cache and checks that no access token shows.
func checkList(t *testing.T, c *Cache, data []byte) {
	ls, err := c.List()
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	var e Entry
	if json.Unmarshal(data, &e) != nil || len(e.AccessToken) < 8 {
		return
	}
	shown := strings.Join(append([]string{e.Profile, e.Account}, e.Scopes...), "\x00")
	for _, l := range ls {
		b, _ := json.Marshal(l)
		if strings.Contains(string(b), e.AccessToken) && !strings.Contains(shown, e.AccessToken) && !strings.Contains(l.Path, e.AccessToken) {
			t.Fatalf("List shows the access token: %s", b)
		}
	}
}
