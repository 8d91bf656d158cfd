package terraform

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/keyfob/keyfob/internal/golden"
)

func TestMinValidity(t *testing.T) {
	t.Parallel()
	tests := map[time.Duration]time.Duration{
		0:                LongValidity,
		time.Hour:        30 * time.Minute,
		24 * time.Hour:   30 * time.Minute,
		5 * time.Minute:  150 * time.Second,
		75 * time.Minute: 30 * time.Minute,
	}
	for lifetime, want := range tests {
		if got := MinValidity(lifetime); got != want {
			t.Errorf("MinValidity(%v) = %v, want %v", lifetime, got, want)
		}
	}
}

func TestParseStore(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      string
		want    string
		wantErr string
	}{
		"token":          {in: `{"token":"abc"}` + "\n", want: "abc"},
		"other property": {in: `{"token":"abc","refresh":"x","a":1}`, wantErr: "a, refresh"},
		"no token":       {in: `{}`, wantErr: "token"},
		"token number":   {in: `{"token":3}`, wantErr: "token"},
		"null":           {in: `null`, wantErr: "object"},
		"not json":       {in: `abc`, wantErr: "object"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseStore(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tc.wantErr)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("ParseStore = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	tests := map[string]func(*bytes.Buffer) error{
		"get_token":     func(b *bytes.Buffer) error { return WriteToken(b, "eyJ0eXAi.tok") },
		"get_not_found": func(b *bytes.Buffer) error { return WriteNone(b) },
	}
	for name, write := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			if err := write(&b); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, name, b.Bytes())
		})
	}
	if err := WriteToken(&bytes.Buffer{}, ""); err == nil {
		t.Error("WriteToken accepted an empty token")
	}
}

// FuzzParseStore checks that any store input parses or fails cleanly.
func FuzzParseStore(f *testing.F) {
	f.Add(`{"token":"abc"}`)
	f.Add(`{"token":"a","x":null}`)
	f.Fuzz(func(t *testing.T, in string) {
		tok, err := ParseStore(strings.NewReader(in))
		if err == nil && tok == "" {
			t.Fatal("empty token accepted")
		}
	})
}
