package cache

import (
	"context"
	"encoding/base64"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestAccountsFor(t *testing.T) {
	t.Parallel()
	a, b := SignedIn{ID: "id-a", Username: "alice"}, SignedIn{ID: "id-b", Username: "bob"}
	tests := map[string]struct {
		accounts Accounts
		want     string
		several  bool
	}{
		"none signed in":            {},
		"one signed in, unbound":    {accounts: Accounts{SignedIn: []SignedIn{a}}, want: "id-a"},
		"two signed in, unbound":    {accounts: Accounts{SignedIn: []SignedIn{a, b}}, several: true},
		"two signed in, bound":      {accounts: Accounts{SignedIn: []SignedIn{a, b}, Bindings: map[string]string{"p": "id-b"}}, want: "id-b"},
		"bound to a signed-out one": {accounts: Accounts{SignedIn: []SignedIn{a}, Bindings: map[string]string{"p": "id-b"}}, want: "id-b"},
		"another profile bound":     {accounts: Accounts{SignedIn: []SignedIn{a, b}, Bindings: map[string]string{"q": "id-b"}}, several: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := tc.accounts.For("p")
			if tc.several != errors.Is(err, ErrSeveralAccounts) || got != tc.want {
				t.Errorf("For() = %q, %v; want %q, several=%v", got, err, tc.want, tc.several)
			}
		})
	}
}

func TestUpdateAccountsBindAndForget(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	ctx := context.Background()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	bind := func(profile string, s SignedIn) {
		t.Helper()
		if err := c.UpdateAccounts(ctx, "scope", func(a *Accounts) { a.Client, a.Server = "cli", "https://idp"; a.Bind(profile, s) }); err != nil {
			t.Fatal(err)
		}
	}
	bind("work", SignedIn{ID: "a", Username: "alice", At: at})
	bind("personal", SignedIn{ID: "b", Username: "bob", At: at})
	bind("work", SignedIn{ID: "b", Username: "bob", At: at.Add(time.Hour)})
	got, err := c.GetAccounts("scope")
	if err != nil {
		t.Fatal(err)
	}
	want := &Accounts{Client: "cli", Server: "https://idp",
		SignedIn: []SignedIn{{ID: "a", Username: "alice", At: at}, {ID: "b", Username: "bob", At: at.Add(time.Hour)}},
		Bindings: map[string]string{"work": "b", "personal": "b"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("accounts (-want +got):\n%s", diff)
	}
	if other, _ := c.GetAccounts("another scope"); len(other.SignedIn) != 0 {
		t.Errorf("another scope sees %v", other.SignedIn)
	}
	err = c.UpdateAccounts(ctx, "scope", func(a *Accounts) { a.Unbind("work"); a.Unbind("personal"); a.Forget("a"); a.Forget("b") })
	if err != nil {
		t.Fatal(err)
	}
	if files, _ := filepath.Glob(filepath.Join(c.Path(), prefixAccounts+"*")); len(files) != 0 {
		t.Errorf("empty accounts left files %v", files)
	}
}

func TestAccountsFileIsPrivateAndListed(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	err := c.UpdateAccounts(context.Background(), "scope", func(a *Accounts) {
		a.Client, a.Server = "cli", "https://idp"
		a.Bind("work", SignedIn{ID: "a", Username: "alice"})
		a.SignedIn = append(a.SignedIn, SignedIn{ID: "b"})
		a.Bindings["old"] = "gone"
	})
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(c.Path(), prefixAccounts+"*"+extAccounts))
	if len(files) != 1 {
		t.Fatalf("files %v, want one", files)
	}
	if fi, err := os.Stat(files[0]); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("accounts file mode %v, %v; want 0600", fi.Mode(), err)
	}
	list, err := c.AccountListings()
	if err != nil {
		t.Fatal(err)
	}
	var got [][2]string
	for _, l := range list {
		got = append(got, [2]string{l.Profile, l.Account})
	}
	want := [][2]string{{"work", "alice (a)"}, {"", "b"}, {"old", "gone"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("listings (-want +got):\n%s", diff)
	}
	if err := c.ClearAccounts(); err != nil {
		t.Fatal(err)
	}
	if list, _ := c.AccountListings(); len(list) != 0 {
		t.Errorf("after ClearAccounts: %v", list)
	}
}

func TestAccountsCorruptFileStartsAfresh(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	if err := os.WriteFile(c.accountsPath("scope"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAccounts("scope"); err == nil {
		t.Error("a corrupt accounts file read without error")
	}
	if err := c.UpdateAccounts(context.Background(), "scope", func(a *Accounts) { a.Bind("p", SignedIn{ID: "a"}) }); err != nil {
		t.Fatal(err)
	}
	if a, err := c.GetAccounts("scope"); err != nil || a.Bindings["p"] != "a" {
		t.Errorf("after rewriting: %+v, %v", a, err)
	}
}

func TestAccountOf(t *testing.T) {
	t.Parallel()
	jwt := func(payload string) string {
		return "e30." + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".sig"
	}
	tests := map[string]struct {
		idToken, label string
		want           SignedIn
	}{
		"entra oid":        {idToken: jwt(`{"oid":"o","sub":"s","preferred_username":"a@b"}`), label: "l", want: SignedIn{ID: "o", Username: "a@b"}},
		"sub":              {idToken: jwt(`{"sub":"s","preferred_username":"a@b"}`), want: SignedIn{ID: "s", Username: "a@b"}},
		"no id token":      {label: "alice", want: SignedIn{ID: "alice", Username: "alice"}},
		"garbled id token": {idToken: "x.!!.y", label: "alice", want: SignedIn{ID: "alice", Username: "alice"}},
		"nothing":          {},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := AccountOf(tc.idToken, tc.label); got != tc.want {
				t.Errorf("AccountOf() = %+v, want %+v", got, tc.want)
			}
		})
	}
}
