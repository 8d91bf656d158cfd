package hostselect

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keyfob/keyfob/host/bazel"
	"github.com/keyfob/keyfob/host/docker"
	"github.com/keyfob/keyfob/host/protocol"
	"github.com/keyfob/keyfob/internal/config"
)

// loadFile parses a configuration file's text.
func loadFile(t *testing.T, text string) *config.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := config.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

const hostsConfig = `
default_profile = "graph"
[profiles.graph]
provider = "client_credentials"
preset = "graph"
tenant_id = "contoso.onmicrosoft.com"
client_id = "c"

[profiles.devops]
provider = "device_code"
preset = "azure-devops"
tenant_id = "contoso.onmicrosoft.com"
client_id = "c"

[profiles.devops-alice]
provider = "device_code"
preset = "azure-devops"
tenant_id = "fabrikam.onmicrosoft.com"
client_id = "c"
hosts = ["alice@dev.azure.com"]

[profiles.org]
provider = "device_code"
tenant_id = "contoso.onmicrosoft.com"
client_id = "c"
hosts = ["https://dev.azure.com/org/"]

[profiles.registry]
provider = "client_credentials"
token_url = "https://idp.example.com/token"
client_id = "c"
hosts = ["registry.example.com", "*.example.com:8443", "127.0.0.1:5000"]

[profiles.broken]
provider = "client_credentials"
preset = "nonsense"
hosts = ["broken.example.org"]
`

func TestChoose(t *testing.T) {
	t.Parallel()
	f := loadFile(t, hostsConfig)
	getenv := func(string) string { return "" }
	tests := map[string]struct {
		flag   string
		req    protocol.Request
		want   string
		wantOK bool
	}{
		"preset hosts count":             {req: protocol.Request{Host: "graph.microsoft.com", URL: "https://graph.microsoft.com/"}, want: "graph", wantOK: true},
		"preset wildcard":                {req: protocol.Request{Host: "contoso.visualstudio.com"}, want: "devops", wantOK: true},
		"user in the remote URL":         {req: protocol.Request{Host: "dev.azure.com", User: "alice", URL: "https://alice@dev.azure.com/x/y/_git/z"}, want: "devops-alice", wantOK: true},
		"other user":                     {req: protocol.Request{Host: "dev.azure.com", User: "bob", URL: "https://bob@dev.azure.com/x/y/_git/z"}, want: "devops", wantOK: true},
		"URL prefix is most specific":    {req: protocol.Request{Host: "dev.azure.com", User: "alice", URL: "https://alice@dev.azure.com/org/p/_git/r"}, want: "org", wantOK: true},
		"wildcard with port":             {req: protocol.Request{Host: "a.example.com:8443"}, want: "registry", wantOK: true},
		"wildcard other port":            {req: protocol.Request{Host: "a.example.com:9443"}},
		"file hosts of a broken profile": {req: protocol.Request{Host: "broken.example.org"}, want: "broken", wantOK: true},
		"nothing here":                   {req: protocol.Request{Host: "github.com", URL: "https://github.com/"}},
		"no default_profile fallback":    {req: protocol.Request{Host: "unknown.example"}},
		"-p wins":                        {flag: "registry", req: protocol.Request{Host: "graph.microsoft.com"}, want: "registry", wantOK: true},
		"no host":                        {req: protocol.Request{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := Choose(f, getenv, tc.flag, tc.req)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("Choose = %q, %v; want %q, %v", got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestChooseIgnoresKeyfobProfile(t *testing.T) {
	t.Parallel()
	f := loadFile(t, hostsConfig)
	getenv := func(k string) string {
		return map[string]string{"KEYFOB_PROFILE": "graph"}[k]
	}
	if name, ok := Choose(f, getenv, "", protocol.Request{Host: "github.com"}); ok {
		t.Errorf("Choose picked %q for an unserved host", name)
	}
}

func TestRefusal(t *testing.T) {
	t.Parallel()
	withHosts := map[string]string{"hosts": `["git.example.com"]`}
	tests := map[string]struct {
		values   map[string]string
		req      protocol.Request
		explicit bool
		want     string
	}{
		"https served":                   {withHosts, protocol.Request{Host: "git.example.com", URL: "https://git.example.com/r"}, true, ""},
		"-p outside its hosts":           {withHosts, protocol.Request{Host: "github.com", URL: "https://github.com/r"}, true, "does not serve github.com"},
		"matched profile":                {withHosts, protocol.Request{Host: "github.com"}, false, ""},
		"-p without hosts serves all":    {map[string]string{}, protocol.Request{Host: "github.com", URL: "https://github.com/"}, true, ""},
		"plain http to another machine":  {withHosts, protocol.Request{Host: "git.example.com", URL: "http://git.example.com/r"}, false, "plain text"},
		"plain http to loopback":         {withHosts, protocol.Request{Host: "127.0.0.1:8080", URL: "http://127.0.0.1:8080/r"}, false, ""},
		"plain http to localhost":        {withHosts, protocol.Request{Host: "localhost:8080", URL: "http://localhost:8080/r"}, false, ""},
		"plain http to ::1":              {withHosts, protocol.Request{Host: "[::1]:8080", URL: "http://[::1]:8080/r"}, false, ""},
		"grpc (Bazel) to another host":   {withHosts, bazelReq("grpc://cache.example.com"), false, "plain text"},
		"grpcs (Bazel)":                  {withHosts, bazelReq("grpcs://cache.example.com"), false, ""},
		"grpc (Bazel) to loopback":       {withHosts, bazelReq("grpc://127.0.0.1:9092"), false, ""},
		"ws (Bazel)":                     {withHosts, bazelReq("ws://cache.example.com/x"), false, "over ws://"},
		"wss (Bazel has none)":           {withHosts, bazelReq("wss://cache.example.com/x"), false, "over wss://"},
		"ftp (Bazel)":                    {withHosts, bazelReq("ftp://cache.example.com/x"), false, "over ftp://"},
		"file (Bazel)":                   {withHosts, bazelReq("file://cache.example.com/x"), false, "over file://"},
		"grpcs not for git":              {withHosts, protocol.Request{Host: "git.example.com", URL: "grpcs://git.example.com/r"}, false, "over grpcs://"},
		"no URL: https implied":          {withHosts, protocol.Request{Host: "git.example.com"}, false, ""},
		"docker bare host counts as TLS": {withHosts, docker.Server{URL: "git.example.com", Host: "git.example.com"}.Selection(), false, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := Refusal("p", tc.values, tc.req, tc.explicit)
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("Refusal = %q, want %q", got, tc.want)
			}
		})
	}
}

// bazelReq is the request of a Bazel get for uri.
func bazelReq(uri string) protocol.Request {
	req, err := bazel.ParseRequest(strings.NewReader(`{"uri":"` + uri + `"}`))
	if err != nil {
		panic(err)
	}
	return req.Selection()
}
