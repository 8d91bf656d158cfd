package bearer

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckToken(t *testing.T) {
	t.Parallel()
	good := []string{"abc", "eyJ0eXAi.eyJzdWIi.c2ln", "a-b_c~d+e/f", "YWJj==", "0", strings.Repeat("x", 20000)}
	bad := []string{"", "=", "==", "abc\r\nX-Injected: evil", "abc\n", "a b", "a\tb", "\x1b]0;t\x07", "a=b", "tök", "a\x00b", "a;b", `a"b`}
	for _, tok := range good {
		if err := CheckToken(tok); err != nil {
			t.Errorf("CheckToken(%.20q) = %v, want nil", tok, err)
		}
	}
	for _, tok := range bad {
		if err := CheckToken(tok); !errors.Is(err, ErrToken) {
			t.Errorf("CheckToken(%q) = %v, want ErrToken", tok, err)
		}
	}
}

func TestCheckType(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "Bearer", "bearer", "BEARER"} {
		if got, err := CheckType(in); err != nil || got != Type {
			t.Errorf("CheckType(%q) = %q, %v; want Bearer", in, got, err)
		}
	}
	for _, in := range []string{"mac", "DPoP", "N_A", "Bearer\r\nX-Evil: 1", "Bearer ", strings.Repeat("z", 100)} {
		if _, err := CheckType(in); err == nil || !strings.Contains(err.Error(), "is not supported") {
			t.Errorf("CheckType(%q) = %v, want an error", in, err)
		}
	}
	if _, err := CheckType("Bearer\r\nX-Evil: 1"); strings.ContainsAny(err.Error(), "\r\n") {
		t.Errorf("the error holds a raw CR/LF: %q", err)
	}
}

func FuzzCheckToken(f *testing.F) {
	for _, s := range []string{"abc", "a\r\nb", "YWJj==", "=", "a b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		if CheckToken(tok) == nil && strings.ContainsAny(tok, "\r\n \t\x1b:;,\"\x00") {
			t.Fatalf("accepted %q", tok)
		}
	})
}

// FuzzCheckType: an accepted type is always "Bearer", and a refusal's
// message never carries a raw control character.
func FuzzCheckType(f *testing.F) {
	for _, s := range []string{"Bearer", "bearer", "", "mac", "Bearer\r\nX-Evil: 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, tokenType string) {
		got, err := CheckType(tokenType)
		switch {
		case err == nil && got != Type:
			t.Fatalf("CheckType(%q) = %q", tokenType, got)
		case err != nil && strings.ContainsAny(err.Error(), "\r\n\x1b\x00"):
			t.Fatalf("error %q holds a control character", err)
		}
	})
}
