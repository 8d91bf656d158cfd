package goauth

import (
	"bytes"
	"fmt"
	goldenfile "github.com/keyfob/keyfob/internal/golden"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, name, got)
}

func TestWriteGolden(t *testing.T) {
	t.Parallel()
	tests := map[string][]Credential{
		"bearer":          {Bearer("eyJ0eXAi.test.token", "https://dev.azure.com")},
		"bearer-prefixes": {Bearer("eyJ0eXAi.test.token", "https://dev.azure.com/contoso", "https://127.0.0.1:8443")},
		"two-sets":        {Bearer("tok-a", "https://a.example.com"), {Prefixes: []string{"https://b.example.com/x"}, Header: http.Header{"X-B": {"1", "2"}, "Authorization": {"Basic Yjpi"}}}},
		"not-found":       nil,
	}
	for name, creds := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := Write(&buf, creds...); err != nil {
				t.Fatal(err)
			}
			golden(t, name, buf.Bytes())
			got, err := Parse(buf.String())
			if err != nil {
				t.Fatalf("the go command's parser rejects the output: %v", err)
			}
			if len(creds) == 0 {
				creds = nil
			}
			if diff := cmp.Diff(creds, got); diff != "" {
				t.Errorf("round trip (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteRefuses(t *testing.T) {
	t.Parallel()
	tests := map[string]Credential{
		"no prefix":       Bearer("t"),
		"no header":       {Prefixes: []string{"https://h"}},
		"http prefix":     Bearer("t", "http://h"),
		"relative prefix": Bearer("t", "h/x"),
		"space in prefix": Bearer("t", "https://h/a b"),
		"newline token":   Bearer("t\nX-Evil: 1", "https://h"),
		"cr token":        Bearer("t\r", "https://h"),
		"space in token":  Bearer("t ", "https://h"),
		"bad name":        {Prefixes: []string{"https://h"}, Header: http.Header{"Bad Name": {"v"}}},
		"empty value":     {Prefixes: []string{"https://h"}, Header: http.Header{"X": {""}}},
	}
	for name, c := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := Write(&buf, Bearer("ok", "https://ok"), c); err == nil {
				t.Errorf("Write succeeded: %q", buf.String())
			}
			if buf.Len() != 0 {
				t.Errorf("Write wrote %q before failing", buf.String())
			}
		})
	}
}

func TestCredentialStringRedacts(t *testing.T) {
	t.Parallel()
	c := Bearer("SECRET", "https://h")
	for _, s := range []string{c.String(), fmt.Sprintf("%v", c), fmt.Sprintf("%#v", c)} {
		if strings.Contains(s, "SECRET") {
			t.Errorf("formatted credential shows the token: %s", s)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      string
		want    []Credential
		wantErr bool
	}{
		"empty": {in: ""},
		"go help example": {
			in: "https://example.com\nhttps://example.net/api/\n\nAuthorization: Basic <token>\n\nhttps://another-example.org/\n\nExample: Data\n\n",
			want: []Credential{
				{Prefixes: []string{"https://example.com", "https://example.net/api/"}, Header: http.Header{"Authorization": {"Basic <token>"}}},
				{Prefixes: []string{"https://another-example.org/"}, Header: http.Header{"Example": {"Data"}}},
			},
		},
		"no blank after urls":    {in: "https://h\n", wantErr: true},
		"no blank after headers": {in: "https://h\n\nA: b\n", wantErr: true},
		"bad header":             {in: "https://h\n\nA:b\n\n", wantErr: true},
		"bad url":                {in: "h\n\nA: b\n\n", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.in)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Parse error = %v, want error %v", err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Parse (-want +got):\n%s", diff)
			}
		})
	}
}

func TestPrefixes(t *testing.T) {
	t.Parallel()
	hosts := []string{
		"dev.azure.com", "Pkgs.Dev.Azure.com", "127.0.0.1:8443", "example.org:443", "*.visualstudio.com",
		"alice@dev.azure.com", "https://dev.azure.com/contoso/", "http://plain.example.com",
		"https://bob@dev.azure.com/x", "dev.azure.com", "[::1]:9443", "https://h.example.com:443/a?b=c", "",
	}
	want := []string{"https://dev.azure.com", "https://pkgs.dev.azure.com", "https://127.0.0.1:8443",
		"https://example.org", "https://dev.azure.com/contoso", "https://[::1]:9443"}
	if diff := cmp.Diff(want, Prefixes(hosts)); diff != "" {
		t.Errorf("Prefixes (-want +got):\n%s", diff)
	}
}

func TestPrefixFor(t *testing.T) {
	t.Parallel()
	hosts := []string{"dev.azure.com", "https://dev.azure.com/contoso/", "https://dev.azure.com/contoso/proj", "https://dev.azure.com/con"}
	tests := map[string]struct {
		url, want string
		wantErr   bool
	}{
		"deepest pattern":  {url: "https://dev.azure.com/contoso/proj/_git/repo?go-get=1", want: "https://dev.azure.com/contoso/proj"},
		"pattern":          {url: "https://dev.azure.com/contoso/other", want: "https://dev.azure.com/contoso"},
		"path boundary":    {url: "https://dev.azure.com/contosoevil/x", want: "https://dev.azure.com"},
		"origin with port": {url: "https://127.0.0.1:8443/example.com/m/@v/list", want: "https://127.0.0.1:8443"},
		"http":             {url: "http://dev.azure.com/x", wantErr: true},
		"not a url":        {url: "dev.azure.com/x", wantErr: true},
		"user":             {url: "https://u@dev.azure.com/x", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := PrefixFor(tc.url, hosts)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("PrefixFor(%q) = %q, %v; want %q, error %v", tc.url, got, err, tc.want, tc.wantErr)
			}
		})
	}
}
