package cache

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// secrets are values that must never appear in a listing.
var secrets = []string{"AT-SECRET-1", "IDT-SECRET-2", "RT-SECRET-3", "AT-SECRET-4"}

// fillCache stores two profiles' tokens and state and a negative entry.
func fillCache(t *testing.T, c *Cache) (keys []string) {
	t.Helper()
	graphKey := AccessKey(KeyParts{ClientID: "c1", Scopes: []string{"graph"}})
	reposKey := AccessKey(KeyParts{ClientID: "c2", User: "bob", Scopes: []string{"repos"}})
	stateKey := StateKey(StateKeyParts{ClientID: "c2", Account: "bob", Profile: "repos"})
	must(t, c.Put(graphKey, &Entry{AccessToken: secrets[0], IDToken: secrets[1], ExpiresAt: fixed,
		Profile: "graph", Account: "alice", Scopes: []string{"graph"}}))
	must(t, c.Put(reposKey, &Entry{AccessToken: secrets[3], ExpiresAt: fixed.Add(time.Hour),
		Profile: "repos", Scopes: []string{"repos"}}))
	must(t, c.PutState(stateKey, []byte(secrets[2])))
	must(t, c.PutNegative(reposKey, Negative{Until: fixed, Kind: NegativeThrottled, Message: "slow down"}))
	return []string{graphKey, reposKey, stateKey}
}

func TestList(t *testing.T) {
	t.Parallel()
	tests := map[string]Options{"plain": {}, "sealed": {Sealer: AESGCMSealer(testKey(9))}}
	for name, opts := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCache(t, opts)
			k := fillCache(t, c)
			must(t, os.WriteFile(filepath.Join(c.Path(), "at-"+keyHash("bad")+".json"), []byte("{"), 0o600))
			must(t, os.WriteFile(filepath.Join(c.Path(), "notes.txt"), []byte("not ours"), 0o600))
			got, err := c.List()
			must(t, err)
			want := []Listing{
				{Kind: KindAccess, Path: c.path(prefixAccess, "bad", extAccess), Problem: problemCorrupt},
				{Kind: KindAccess, Profile: "graph", Account: "alice", Scopes: []string{"graph"}, ExpiresAt: fixed, Path: c.path(prefixAccess, k[0], extAccess)},
				{Kind: KindAccess, Profile: "repos", Scopes: []string{"repos"}, ExpiresAt: fixed.Add(time.Hour), Path: c.path(prefixAccess, k[1], extAccess)},
				{Kind: KindNegative, Account: "bob", Scopes: []string{"repos"}, ExpiresAt: fixed, Detail: NegativeThrottled, Path: c.path(prefixNegative, k[1], extNegative)},
				{Kind: KindState, Profile: "repos", Account: "bob", Sealed: opts.Sealer != nil, Path: c.path(prefixState, k[2], extState)},
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("List (-want +got):\n%s", diff)
			}
			assertNoSecrets(t, got)
		})
	}
}

// assertNoSecrets fails if any rendering of v shows a secret.
func assertNoSecrets(t *testing.T, v any) {
	t.Helper()
	js, err := json.Marshal(v)
	must(t, err)
	out := fmt.Sprintf("%v\n%+v\n%#v\n%s", v, v, v, js)
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("listing shows secret %q:\n%s", s, out)
		}
	}
}

func TestClear(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	fillCache(t, c)
	held, err := c.Lock(context.Background(), "held", nil)
	must(t, err)
	defer held()
	free, err := c.Lock(context.Background(), "free", nil)
	must(t, err)
	free()
	must(t, os.WriteFile(filepath.Join(c.Path(), "tmp-123"), nil, 0o600))
	must(t, os.WriteFile(filepath.Join(c.Path(), "notes.txt"), nil, 0o600))

	must(t, c.Clear())
	want := []string{"lk-" + keyHash("held") + ".lock", "notes.txt"}
	if diff := cmp.Diff(want, dirNames(t, c.Path())); diff != "" {
		t.Errorf("files left (-want +got):\n%s", diff)
	}
	// The held lock still works: nobody else gets it.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Lock(ctx, "held", nil); err == nil {
		t.Error("got a lock that is still held after Clear")
	}
}

func TestClearProfile(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	k := fillCache(t, c)
	must(t, c.ClearProfile("repos"))
	want := sorted([]string{filepath.Base(c.path(prefixAccess, k[0], extAccess)), filepath.Base(c.path(prefixNegative, k[1], extNegative))})
	if diff := cmp.Diff(want, dirNames(t, c.Path())); diff != "" {
		t.Errorf("files left (-want +got):\n%s", diff)
	}
	if err := c.ClearProfile(""); err == nil {
		t.Error("ClearProfile(\"\") succeeded")
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	must(t, err)
	names := []string{}
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
