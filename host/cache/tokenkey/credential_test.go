package tokenkey

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func isSecretForTest(k string) bool {
	return strings.HasSuffix(k, "_secret") || strings.HasSuffix(k, "_token") || k == "password" || k == "assertion"
}

func TestKeyed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cert := filepath.Join(dir, "cert.pem")
	if err := os.WriteFile(cert, []byte("cert"), 0o600); err != nil {
		t.Fatal(err)
	}
	salt := []byte(strings.Repeat("s", 32))
	env := map[string]string{"S": "secret"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok && v != "" }
	base := map[string]string{"client_id": "c", "client_secret": "env:S", "client_certificate": cert}
	keyed := func(values map[string]string) Request {
		t.Helper()
		r, err := Keyed(Request{Values: values}, salt, isSecretForTest, lookup)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for key, val := range base {
			m[key] = val
		}
		m[k] = v
		return m
	}
	b := keyed(base)
	if b.Credential == "" || b.UserCredential != "" {
		t.Fatalf("Credential %q, UserCredential %q; want a credential and no user credential", b.Credential, b.UserCredential)
	}
	tests := map[string]struct {
		values             map[string]string
		sameCred, sameUser bool
	}{
		"literal equal to the reference's value": {with("client_secret", "secret"), true, true},
		"volatile assertion":                     {with("assertion", "eyJ.new.jwt"), true, true},
		"volatile subject token":                 {with("subject_token", "st"), true, true},
		"non-secret key (in Extra instead)":      {with("resource", "r"), true, true},
		"password":                               {with("password", "pw"), false, false},
		"refresh token":                          {with("refresh_token", "rt"), false, false},
		"plugin secret key":                      {with("x_api_secret", "k"), false, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := keyed(tc.values)
			if (r.Credential == b.Credential) != tc.sameCred || (r.UserCredential == b.UserCredential) != tc.sameUser {
				t.Errorf("same credential %v, same user credential %v; want %v, %v",
					r.Credential == b.Credential, r.UserCredential == b.UserCredential, tc.sameCred, tc.sameUser)
			}
		})
	}
	for ref, want := range map[string]string{"env:UNSET": "key client_secret: environment variable UNSET is not set"} {
		if _, err := Keyed(Request{Values: with("client_secret", ref)}, salt, isSecretForTest, lookup); err == nil || err.Error() != want {
			t.Errorf("Keyed(%s) error %v, want %q", ref, err, want)
		}
	}
	if _, err := Keyed(Request{Values: with("client_certificate", filepath.Join(dir, "none"))}, salt, isSecretForTest, lookup); err == nil ||
		!strings.HasPrefix(err.Error(), "key client_certificate: file ") {
		t.Errorf("missing certificate: %v", err)
	}
}
