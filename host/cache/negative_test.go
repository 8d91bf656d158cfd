package cache

import (
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNegative(t *testing.T) {
	t.Parallel()
	n := Negative{Until: fixed.Add(time.Minute), Kind: NegativeThrottled,
		Message: "login.example: HTTP 429:\n  retry\tlater", ExitCode: 5}
	want := n
	want.Message = "login.example: HTTP 429: retry later"
	tests := map[string]struct {
		now  time.Time
		want *Negative
	}{
		"before Until": {fixed, &want},
		"just before":  {fixed.Add(time.Minute - 1), &want},
		"at Until":     {fixed.Add(time.Minute), nil},
		"after Until":  {fixed.Add(time.Hour), nil},
		"long before":  {fixed.Add(-time.Hour), &want},
	}
	c := newCache(t, Options{})
	if err := c.PutNegative("k", n); err != nil {
		t.Fatal(err)
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := c.GetNegative("k", tt.now)
			if ok != (tt.want != nil) {
				t.Fatalf("GetNegative ok = %v", ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestNegativeAcrossCaches(t *testing.T) {
	t.Parallel()
	a := newCache(t, Options{})
	b, err := Open(a.Path(), Options{}) // another process, in effect
	if err != nil {
		t.Fatal(err)
	}
	n := Negative{Until: fixed.Add(time.Minute), Kind: NegativeInvalidClient, Message: "invalid_client", ExitCode: 3}
	if err := a.PutNegative("k", n); err != nil {
		t.Fatal(err)
	}
	got, ok := b.GetNegative("k", fixed)
	if diff := cmp.Diff(&n, got); !ok || diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, ok := b.GetNegative("other", fixed); ok {
		t.Error("negative entry found under another key")
	}
	if err := b.DeleteNegative("k"); err != nil {
		t.Fatal(err)
	}
	if _, ok := a.GetNegative("k", fixed); ok {
		t.Error("negative entry found after delete")
	}
}

func TestNegativeInvalid(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	for name, n := range map[string]Negative{
		"no until": {Kind: NegativeThrottled},
		"no kind":  {Until: fixed},
	} {
		if err := c.PutNegative("k", n); err == nil {
			t.Errorf("%s: PutNegative succeeded", name)
		}
	}
	if err := os.WriteFile(c.path(prefixNegative, "k", extNegative), []byte("{trunc"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.GetNegative("k", fixed); ok {
		t.Error("corrupt negative entry hit")
	}
}

// TestSigninCooldownListing checks that a sign-in cooldown, kept under a
// StateKey, is listed with its account and kind.
func TestSigninCooldownListing(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	key := StateKey(StateKeyParts{TokenURL: "https://idp/t", ClientID: "cli", Account: "alice"})
	if err := c.PutNegative(key, Negative{Until: fixed.Add(time.Minute), Kind: NegativeSigninDeclined, ExitCode: 4}); err != nil {
		t.Fatal(err)
	}
	list, err := c.List()
	if err != nil || len(list) != 1 {
		t.Fatalf("List() = %v, %v", list, err)
	}
	l := list[0]
	if l.Kind != KindNegative || l.Account != "alice" || l.Detail != NegativeSigninDeclined || !l.ExpiresAt.Equal(fixed.Add(time.Minute)) {
		t.Errorf("listing %+v", l)
	}
}
