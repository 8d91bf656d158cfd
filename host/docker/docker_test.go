package docker

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/internal/golden"
)

func TestParseServer(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      string
		want    Server
		wantURL string
		wantErr bool
	}{
		"bare host (Go client, no newline)": {in: "myacr.azurecr.io", want: Server{URL: "myacr.azurecr.io", Host: "myacr.azurecr.io"}, wantURL: "https://myacr.azurecr.io"},
		"host and port, newline":            {in: "127.0.0.1:18767\n", want: Server{URL: "127.0.0.1:18767", Host: "127.0.0.1:18767"}, wantURL: "https://127.0.0.1:18767"},
		"docker hub key": {in: "https://index.docker.io/v1/", want: Server{URL: "https://index.docker.io/v1/", Scheme: "https", Host: "index.docker.io", Path: "/v1/"},
			wantURL: "https://index.docker.io/v1/"},
		"crane repository lookup": {in: "Reg.Example.com/org/repo", want: Server{URL: "Reg.Example.com/org/repo", Host: "reg.example.com", Path: "/org/repo"}, wantURL: "https://reg.example.com/org/repo"},
		"http registry":           {in: "http://localhost:5000", want: Server{URL: "http://localhost:5000", Scheme: "http", Host: "localhost:5000"}, wantURL: "http://localhost:5000"},
		"userinfo ignored":        {in: "https://evil@reg.example.com/", want: Server{URL: "https://evil@reg.example.com/", Scheme: "https", Host: "reg.example.com", Path: "/"}, wantURL: "https://reg.example.com/"},
		"empty":                   {in: " \n", wantErr: true},
		"no host":                 {in: "https:///v2/", wantErr: true},
		"space in host":           {in: "a b", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseServer(strings.NewReader(tc.in))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if tc.wantErr {
				return
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if u := got.RequestURL(); u != tc.wantURL {
				t.Errorf("RequestURL() = %q, want %q", u, tc.wantURL)
			}
		})
	}
}

func TestParseServerEmptyIsTheLibraryError(t *testing.T) {
	t.Parallel()
	if _, err := ParseServerURL(""); !errors.Is(err, ErrNoServerURL) || err.Error() != "no credentials server URL" {
		t.Errorf("err = %v", err)
	}
}

func TestParseStore(t *testing.T) {
	t.Parallel()
	got, err := ParseStore(strings.NewReader(`{"ServerURL":"r.example.com","Username":"u","Secret":"s"}` + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Credentials{ServerURL: "r.example.com", Username: "u", Secret: "s"}); got != want {
		t.Errorf("ParseStore = %+v, want %+v", got, want)
	}
	for _, bad := range []string{"", "{", `{"Username":"u"}`, "r.example.com"} {
		if _, err := ParseStore(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseStore(%q) succeeded", bad)
		}
	}
}

// TestGolden renders each answer: credentials (a plain user name and an
// ACR identity token), nothing here, an error, list and version.
func TestGolden(t *testing.T) {
	t.Parallel()
	tests := map[string]func(*bytes.Buffer) error{
		"get_token": func(b *bytes.Buffer) error {
			return WriteCredentials(b, Credentials{ServerURL: "registry.example.com", Username: "oauth2", Secret: "eyJ0eXAi.tok"})
		},
		"get_acr_identity_token": func(b *bytes.Buffer) error {
			return WriteCredentials(b, Credentials{ServerURL: "myacr.azurecr.io", Username: IdentityTokenUser, Secret: "acr-refresh-token"})
		},
		"get_not_found": func(b *bytes.Buffer) error { return WriteNotFound(b) },
		"get_error": func(b *bytes.Buffer) error {
			return WriteError(b, errors.New("profile \"acr\": token endpoint refused:\n invalid_client"))
		},
		"list": func(b *bytes.Buffer) error {
			return WriteList(b, map[string]string{"r.example.com": "oauth2", "myacr.azurecr.io": IdentityTokenUser})
		},
		"list_empty": func(b *bytes.Buffer) error { return WriteList(b, nil) },
		"version": func(b *bytes.Buffer) error {
			return WriteVersion(b, "docker-credential-keyfob", "github.com/keyfob/keyfob", "v1.0.0")
		},
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
}

// FuzzParseServer checks that any stdin of get or erase parses or fails
// cleanly, and that a parsed host is usable for matching.
func FuzzParseServer(f *testing.F) {
	for _, s := range []string{"myacr.azurecr.io", "127.0.0.1:18767\n", "https://index.docker.io/v1/", "host/org/repo", "https://u:p@h/", "", "://", "[::1]:5000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		srv, err := ParseServer(strings.NewReader(in))
		if err != nil {
			return
		}
		if srv.Host == "" || strings.ContainsAny(srv.Host, "/@ \n") {
			t.Fatalf("host %q from %q", srv.Host, in)
		}
		if !strings.HasPrefix(srv.RequestURL(), "http") {
			t.Fatalf("RequestURL %q", srv.RequestURL())
		}
	})
}

// FuzzParseStore checks that any store input parses or fails cleanly.
func FuzzParseStore(f *testing.F) {
	f.Add(`{"ServerURL":"r","Username":"u","Secret":"s"}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ParseStore(strings.NewReader(in))
		if err == nil && strings.TrimSpace(c.ServerURL) == "" {
			t.Fatal("store without a server URL accepted")
		}
	})
}
