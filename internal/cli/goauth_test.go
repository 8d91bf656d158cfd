package cli

import (
	"strings"
	"testing"
)

func TestGoauth(t *testing.T) {
	t.Parallel()
	vars := newToolVars(t)
	response := "HTTP/1.1 401 Unauthorized\nWww-Authenticate: Bearer realm=\"x\"\nContent-Length: 0\n\n"
	tests := map[string]struct {
		vars       map[string]string
		args       []string
		golden     string // "" means no output
		wantStderr string
	}{
		"announce, host matching":    {vars: vars, args: []string{"goauth"}},
		"announce, -p":               {vars: vars, args: []string{"goauth", "-p", "repos"}, golden: "goauth-announce"},
		"announce, -p without hosts": {vars: vars, args: []string{"goauth", "-p", "nohosts"}, wantStderr: "no hosts"},
		"announce, -p --hosts": {vars: vars, args: []string{"goauth", "-p", "nohosts", "--hosts", "proxy.example.com"},
			golden: "goauth-announce-hosts-flag"},
		"url, host":                {vars: vars, args: []string{"goauth", "https://dev.azure.com/contoso/p/_git/r?go-get=1"}, golden: "goauth-url-host"},
		"url, host and port":       {vars: vars, args: []string{"goauth", "https://127.0.0.1:8443/example.com/m/@v/list"}, golden: "goauth-url-port"},
		"url, prefix pattern":      {vars: vars, args: []string{"goauth", "https://r.example.com/cargo/x/y"}, golden: "goauth-url-prefix"},
		"url, wildcard":            {vars: vars, args: []string{"goauth", "https://a.wild.example.com/m"}, golden: "goauth-url-wildcard"},
		"url, -p matching":         {vars: vars, args: []string{"goauth", "-p", "repos", "https://dev.azure.com/x"}, golden: "goauth-url-host-p"},
		"url, no profile":          {vars: vars, args: []string{"goauth", "https://proxy.golang.org/x/@v/list"}},
		"url, -p not matching":     {vars: vars, args: []string{"goauth", "-p", "repos", "https://proxy.golang.org/x/@v/list"}},
		"url, -p without hosts":    {vars: vars, args: []string{"goauth", "-p", "nohosts", "https://dev.azure.com/x"}},
		"url, http":                {vars: vars, args: []string{"goauth", "http://dev.azure.com/x"}},
		"url, KEYFOB_PROFILE":      {vars: with(vars, "KEYFOB_PROFILE", "nohosts"), args: []string{"goauth", "https://proxy.golang.org/x"}},
		"announce, KEYFOB_PROFILE": {vars: with(vars, "KEYFOB_PROFILE", "repos"), args: []string{"goauth"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := toolRun(t, tc.vars, response, tc.args...)
			if code != 0 {
				t.Fatalf("exit %d, want 0; stderr: %s", code, stderr)
			}
			if tc.golden != "" {
				toolGolden(t, tc.golden, stdout)
			} else if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if !strings.Contains(stderr, tc.wantStderr) || (tc.wantStderr == "" && stderr != "") {
				t.Errorf("stderr = %q, want %q", stderr, tc.wantStderr)
			}
		})
	}
}

func TestGoauthErrors(t *testing.T) {
	t.Parallel()
	vars := newToolVars(t)
	tests := map[string]struct {
		args     []string
		wantCode int
		want     string
	}{
		"unknown profile": {args: []string{"goauth", "-p", "nope"}, wantCode: ExitUsage, want: `"nope"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := toolRun(t, vars, "", tc.args...)
			if code != tc.wantCode || stdout != "" || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, no stdout, stderr naming %q", code, stdout, stderr, tc.wantCode, tc.want)
			}
		})
	}
}
