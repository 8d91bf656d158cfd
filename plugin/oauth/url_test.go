package oauth

import (
	"testing"

	"github.com/keyfob/keyfob/plugin"
)

func TestCheckURL(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		url     string
		wantErr string
	}{
		"https":                 {url: "https://login.microsoftonline.com/t/oauth2/v2.0/token"},
		"http 127.0.0.1":        {url: "http://127.0.0.1:8080/token"},
		"http 127.1.2.3":        {url: "http://127.1.2.3/token"},
		"http ::1":              {url: "http://[::1]:9/token"},
		"http localhost":        {url: "http://localhost:9/token"},
		"http LOCALHOST":        {url: "http://LOCALHOST/token"},
		"http elsewhere":        {url: "http://example.invalid/token", wantErr: "refusing plain http:// URL http://example.invalid/token (only loopback may use http)"},
		"http localhost suffix": {url: "http://localhost.example.com/", wantErr: "refusing plain http:// URL"},
		"http 128.0.0.1":        {url: "http://128.0.0.1/", wantErr: "refusing plain http:// URL"},
		"http password redacted": {
			url: "http://user:pw@example.com/", wantErr: "refusing plain http:// URL http://user:xxxxx@example.com/ (only loopback may use http)",
		},
		"ftp":      {url: "ftp://example.com/", wantErr: "refusing URL ftp://example.com/: scheme must be https"},
		"no host":  {url: "https:///token", wantErr: "has no host"},
		"relative": {url: "/token", wantErr: "has no host"},
		"empty":    {url: "", wantErr: "empty URL"},
		"bad":      {url: "https://[::1", wantErr: "invalid URL"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := CheckURL(tc.url)
			if tc.wantErr == "" {
				if err != nil {
					t.Errorf("CheckURL(%q) = %v, want nil", tc.url, err)
				}
				return
			}
			if err == nil || !contains(err.Error(), tc.wantErr) || plugin.KindOf(err) != plugin.KindConfig {
				t.Errorf("CheckURL(%q) = %v, want a config error containing %q", tc.url, err, tc.wantErr)
			}
		})
	}
}
