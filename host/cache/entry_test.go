package cache

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func fullEntry() *Entry {
	return &Entry{
		AccessToken: "eyJ0eXAi.access.secret",
		TokenType:   "Bearer",
		ExpiresAt:   fixed.Add(time.Hour),
		IssuedAt:    fixed,
		RefreshAt:   fixed.Add(30 * time.Minute),
		Scope:       "api://x/.default",
		IDToken:     "eyJ0eXAi.id.secret",
		Account:     "alice@example.com",
		Profile:     "graph",
		Scopes:      []string{"api://x/.default"},
	}
}

func TestEntryRoundTrip(t *testing.T) {
	t.Parallel()
	tests := map[string]*Entry{
		"full":    fullEntry(),
		"minimal": {AccessToken: "t", ExpiresAt: fixed},
		"non-UTC": {AccessToken: "t", ExpiresAt: fixed.In(time.FixedZone("X", 3600))},
	}
	for name, want := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCache(t, Options{})
			if err := c.Put("k", want); err != nil {
				t.Fatal(err)
			}
			got, ok, err := c.GetChecked("k")
			if err != nil || !ok {
				t.Fatalf("GetChecked = %v, %v", ok, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("entry (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetMiss(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	if e, ok, err := c.GetChecked("nothing"); e != nil || ok || err != nil {
		t.Errorf("GetChecked = %v, %v, %v; want a miss", e, ok, err)
	}
}

func TestPutReplacesAndDelete(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	first, second := fullEntry(), fullEntry()
	second.AccessToken = "second"
	for _, e := range []*Entry{first, second} {
		if err := c.Put("k", e); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := c.Get("k")
	if diff := cmp.Diff(second, got); diff != "" {
		t.Errorf("after two Puts (-want +got):\n%s", diff)
	}
	for range 2 { // deleting twice is fine
		if err := c.Delete("k"); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := c.Get("k"); ok {
		t.Error("Get after Delete hit")
	}
}

func TestPutNotCacheable(t *testing.T) {
	t.Parallel()
	tests := map[string]*Entry{
		"nil":       nil,
		"no token":  {ExpiresAt: fixed},
		"no expiry": {AccessToken: "t"},
	}
	for name, e := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCache(t, Options{})
			if err := c.Put("k", e); !errors.Is(err, ErrNotCacheable) {
				t.Errorf("Put = %v, want ErrNotCacheable", err)
			}
		})
	}
}

func TestCorruptEntryIsMiss(t *testing.T) {
	t.Parallel()
	valid := `{"access_token":"t","expires_at":"2026-03-01T13:00:00Z"}`
	tests := map[string]string{
		"empty":          "",
		"garbage":        "\x00\xff not json at all",
		"truncated":      valid[:len(valid)/2],
		"wrong type":     `{"access_token":42}`,
		"no token":       `{"expires_at":"2026-03-01T13:00:00Z"}`,
		"json array":     `[1,2,3]`,
		"too large":      `{"access_token":"` + strings.Repeat("a", maxFileSize) + `"}`,
		"bad time field": `{"access_token":"t","expires_at":"yesterday"}`,
	}
	for name, content := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := newCache(t, Options{})
			if err := os.WriteFile(c.path(prefixAccess, "k", extAccess), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			if e, ok, err := c.GetChecked("k"); e != nil || ok || err != nil {
				t.Fatalf("GetChecked = %v, %v, %v; want a miss with no error", e, ok, err)
			}
			want := fullEntry()
			if err := c.Put("k", want); err != nil {
				t.Fatalf("Put over a corrupt entry: %v", err)
			}
			got, ok := c.Get("k")
			if diff := cmp.Diff(want, got); !ok || diff != "" {
				t.Errorf("after Put (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPutLeavesNoTempFiles(t *testing.T) {
	t.Parallel()
	c := newCache(t, Options{})
	for i := range 20 {
		if err := c.Put(fmt.Sprint("k", i%3), fullEntry()); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.PutState("s", []byte("state")); err != nil {
		t.Fatal(err)
	}
	if err := c.PutNegative("n", Negative{Until: fixed, Kind: NegativeThrottled}); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(c.Path())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	want := []string{}
	for _, k := range []string{"k0", "k1", "k2"} {
		want = append(want, "at-"+keyHash(k)+".json")
	}
	want = append(want, "ng-"+keyHash("n")+".json", "st-"+keyHash("s")+".bin")
	if diff := cmp.Diff(sorted(want), names); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func TestEntryStringRedacts(t *testing.T) {
	t.Parallel()
	e := fullEntry()
	for _, format := range []string{"%v", "%+v", "%s", "%#v"} {
		for _, v := range []any{e, *e} {
			out := fmt.Sprintf(format, v)
			if strings.Contains(out, e.AccessToken) || strings.Contains(out, e.IDToken) {
				t.Errorf("%s of %T shows a token: %s", format, v, out)
			}
		}
	}
}
