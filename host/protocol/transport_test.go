package protocol

import (
	"strings"
	"testing"
)

func TestTransportNote(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		t    Transport
		url  string
		want string // in the note; "" when the token may go
	}{
		"https":                  {HTTPS, "https://registry.example.com/index/", ""},
		"HTTPS upper case":       {HTTPS, "HTTPS://registry.example.com/", ""},
		"http to another host":   {HTTPS, "http://registry.example.com/index/", `not sending the token of profile "p" in plain text to registry.example.com (use https)`},
		"http to 127.0.0.1":      {HTTPS, "http://127.0.0.1:8080/index/", ""},
		"http to localhost":      {HTTPS, "http://localhost:8080/", ""},
		"http to x.localhost":    {HTTPS, "http://reg.localhost/", ""},
		"http to [::1]":          {HTTPS, "http://[::1]:8080/", ""},
		"http, user in the URL":  {HTTPS, "http://127.0.0.1@evil.example.com/", "in plain text to evil.example.com"},
		"http to 127.0.0.1.evil": {HTTPS, "http://127.0.0.1.evil.example.com/", "in plain text"},
		"ws":                     {HTTPS, "ws://registry.example.com/", `not sending the token of profile "p" over ws:// to registry.example.com (use https)`},
		"ws to loopback":         {HTTPS, "ws://127.0.0.1/", "over ws://"},
		"wss":                    {HTTPS, "wss://registry.example.com/", "over wss://"},
		"ftp":                    {HTTPS, "ftp://registry.example.com/", "over ftp://"},
		"file":                   {HTTPS, "file://localhost/etc/passwd", "over file://"},
		"grpc not for HTTPS":     {HTTPS, "grpcs://cache.example.com", "over grpcs://"},
		"no scheme":              {HTTPS, "registry.example.com/index/", "not an absolute URL"},
		"no host":                {HTTPS, "https:///index/", "not an absolute URL"},
		"file without host":      {HTTPS, "file:///srv/index/", "not an absolute URL"},
		"bazel grpcs":            {Bazel, "grpcs://cache.example.com:443", ""},
		"bazel https":            {Bazel, "https://cache.example.com/cas/1", ""},
		"bazel grpc to another":  {Bazel, "grpc://cache.example.com", "in plain text to cache.example.com (use https or grpcs)"},
		"bazel grpc to loopback": {Bazel, "grpc://localhost:9092", ""},
		"bazel unix":             {Bazel, "unix://localhost/run/cache.sock", "over unix://"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := tc.t.Note("p", tc.url)
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("Note(%q) = %q, want %q", tc.url, got, tc.want)
			}
		})
	}
}
