package config

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// hostsFile is a File whose profiles have the given hosts patterns.
func hostsFile(t *testing.T, hosts map[string][]string) *File {
	t.Helper()
	f := &File{profiles: map[string]*Profile{}}
	for name, pats := range hosts {
		f.profiles[name] = &Profile{Name: name, Values: map[string]string{"hosts": jsonList(pats)}}
	}
	return f
}

func TestMatchHost(t *testing.T) {
	t.Parallel()
	f := hostsFile(t, map[string][]string{
		"exact":      {"dev.azure.com"},
		"exactport":  {"dev.azure.com:8443"},
		"alice":      {"alice@dev.azure.com"},
		"wild":       {"*.azure.com"},
		"wilder":     {"*.visualstudio.com", "*.example.com"},
		"deeper":     {"*.corp.example.com"},
		"wildport":   {"*.corp.example.com:8443"},
		"org":        {"https://dev.azure.com/org"},
		"orgproject": {"https://dev.azure.com/org/project/"},
		"orgbob":     {"https://bob@dev.azure.com/org"},
		"aaa-tie":    {"tie.example.org"},
		"bbb-tie":    {"TIE.example.org."},
		"ipv6":       {"[::1]:5000"},
		"unusable":   {"", "*.", "https://"},
	})
	tests := map[string]struct {
		host, port, user, url string
		want                  string
	}{
		"exact host":                     {host: "dev.azure.com", want: "exact"},
		"host case-insensitive":          {host: "DEV.Azure.COM", want: "exact"},
		"host:port beats host":           {host: "dev.azure.com", port: "8443", want: "exactport"},
		"port inside host":               {host: "dev.azure.com:8443", want: "exactport"},
		"other port falls to host":       {host: "dev.azure.com:9000", want: "exact"},
		"user-specific beats no user":    {host: "dev.azure.com", user: "alice", want: "alice"},
		"other user gets no-user one":    {host: "dev.azure.com", user: "carol", want: "exact"},
		"wildcard":                       {host: "foo.azure.com", want: "wild"},
		"wildcard is not the apex":       {host: "azure.com", want: ""},
		"wildcard any depth":             {host: "a.b.visualstudio.com", want: "wilder"},
		"longest wildcard domain wins":   {host: "git.corp.example.com", want: "deeper"},
		"wildcard with port wins":        {host: "git.corp.example.com", port: "8443", want: "wildport"},
		"no match":                       {host: "github.com", want: ""},
		"suffix is not a subdomain":      {host: "notazure.com", want: ""},
		"url prefix beats host":          {host: "dev.azure.com", url: "https://dev.azure.com/org/repo", want: "org"},
		"longer url prefix wins":         {host: "dev.azure.com", url: "https://dev.azure.com/org/project/_git/r", want: "orgproject"},
		"url prefix at path boundary":    {host: "dev.azure.com", url: "https://dev.azure.com/organization/r", want: "exact"},
		"url prefix exact":               {host: "dev.azure.com", url: "https://dev.azure.com/org", want: "org"},
		"url scheme and host case":       {url: "HTTPS://DEV.AZURE.COM/org/x", want: "org"},
		"url user-specific":              {host: "dev.azure.com", user: "bob", url: "https://dev.azure.com/org/x", want: "orgbob"},
		"url user taken from url":        {url: "https://bob@dev.azure.com/org/x", want: "orgbob"},
		"url default port dropped":       {url: "https://dev.azure.com:443/org/x", want: "org"},
		"url other port does not match":  {url: "https://dev.azure.com:8443/org/x", want: "exactport"},
		"host only from url":             {url: "https://foo.azure.com/", want: "wild"},
		"ties go to first profile name":  {host: "tie.example.org", want: "aaa-tie"},
		"trailing dot ignored":           {host: "tie.example.org.", want: "aaa-tie"},
		"ipv6 with port":                 {host: "[::1]:5000", want: "ipv6"},
		"empty request":                  {want: ""},
		"url user does not override arg": {user: "carol", url: "https://bob@dev.azure.com/org/x", want: "org"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := f.MatchHost(tc.host, tc.port, tc.user, tc.url)
			if diff := cmp.Diff([2]any{tc.want, tc.want != ""}, [2]any{got, ok}); diff != "" {
				t.Errorf("MatchHost(%q, %q, %q, %q) (-want +got):\n%s", tc.host, tc.port, tc.user, tc.url, diff)
			}
		})
	}
}

func TestMatchHostDefaultPort(t *testing.T) {
	t.Parallel()
	f := hostsFile(t, map[string][]string{
		"https": {"example.com:443"},
		"http":  {"example.com:80"},
	})
	tests := map[string]struct{ url, want string }{
		"https": {url: "https://example.com/x", want: "https"},
		"http":  {url: "http://example.com/x", want: "http"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, _ := f.MatchHost("example.com", "", "", tc.url)
			if got != tc.want {
				t.Errorf("MatchHost = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestMatchHostNoFile(t *testing.T) {
	t.Parallel()
	var f *File
	if name, ok := f.MatchHost("dev.azure.com", "", "", ""); ok {
		t.Errorf("nil File matched %q", name)
	}
}
