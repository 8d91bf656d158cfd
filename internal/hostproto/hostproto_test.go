package hostproto

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/host/bazel"
	"github.com/keyfob/keyfob/host/cache"
	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/host/docker"
	"github.com/keyfob/keyfob/host/git"
	"github.com/keyfob/keyfob/internal/config"
)

func TestDispatch(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		argv0 string
		args  []string
		want  []string
	}{
		"keyfob":                {"/usr/bin/keyfob", []string{"token"}, []string{"token"}},
		"git helper":            {"/home/u/bin/git-credential-keyfob", []string{"-p", "repos", "get"}, []string{"git", "-p", "repos", "get"}},
		"docker helper":         {"docker-credential-keyfob", []string{"get"}, []string{"docker", "get"}},
		"terraform helper":      {"/h/.terraform.d/plugins/terraform-credentials-keyfob", []string{"get", "h"}, []string{"terraform", "get", "h"}},
		"terraform versioned":   {"terraform-credentials-keyfob_v1.2.0", []string{"forget", "h"}, []string{"terraform", "forget", "h"}},
		"bazel helper":          {"./bazel-credential-keyfob", []string{"get"}, []string{"bazel", "get"}},
		"windows exe":           {`C:\bin\git-credential-keyfob.exe`, []string{"get"}, []string{"git", "get"}},
		"windows EXE":           {`C:\bin\docker-credential-keyfob.EXE`, []string{"list"}, []string{"docker", "list"}},
		"other name":            {"git-credential-other", []string{"get"}, []string{"get"}},
		"keyfob-engine itself":  {"/usr/bin/keyfob-engine", []string{"version"}, []string{"version"}},
		"no args to the helper": {"git-credential-keyfob", nil, []string{"git"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, Dispatch(tc.argv0, tc.args)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

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
		req    Request
		want   string
		wantOK bool
	}{
		"preset hosts count":             {req: Request{Host: "graph.microsoft.com", URL: "https://graph.microsoft.com/"}, want: "graph", wantOK: true},
		"preset wildcard":                {req: Request{Host: "contoso.visualstudio.com"}, want: "devops", wantOK: true},
		"user in the remote URL":         {req: Request{Host: "dev.azure.com", User: "alice", URL: "https://alice@dev.azure.com/x/y/_git/z"}, want: "devops-alice", wantOK: true},
		"other user":                     {req: Request{Host: "dev.azure.com", User: "bob", URL: "https://bob@dev.azure.com/x/y/_git/z"}, want: "devops", wantOK: true},
		"URL prefix is most specific":    {req: Request{Host: "dev.azure.com", User: "alice", URL: "https://alice@dev.azure.com/org/p/_git/r"}, want: "org", wantOK: true},
		"wildcard with port":             {req: Request{Host: "a.example.com:8443"}, want: "registry", wantOK: true},
		"wildcard other port":            {req: Request{Host: "a.example.com:9443"}},
		"file hosts of a broken profile": {req: Request{Host: "broken.example.org"}, want: "broken", wantOK: true},
		"nothing here":                   {req: Request{Host: "github.com", URL: "https://github.com/"}},
		"no default_profile fallback":    {req: Request{Host: "unknown.example"}},
		"-p wins":                        {flag: "registry", req: Request{Host: "graph.microsoft.com"}, want: "registry", wantOK: true},
		"no host":                        {req: Request{}},
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
	if name, ok := Choose(f, getenv, "", Request{Host: "github.com"}); ok {
		t.Errorf("Choose picked %q for an unserved host", name)
	}
}

func TestRefusal(t *testing.T) {
	t.Parallel()
	withHosts := map[string]string{"hosts": `["git.example.com"]`}
	tests := map[string]struct {
		values   map[string]string
		req      Request
		explicit bool
		want     string
	}{
		"https served":                   {withHosts, Request{Host: "git.example.com", URL: "https://git.example.com/r"}, true, ""},
		"-p outside its hosts":           {withHosts, Request{Host: "github.com", URL: "https://github.com/r"}, true, "does not serve github.com"},
		"matched profile":                {withHosts, Request{Host: "github.com"}, false, ""},
		"-p without hosts serves all":    {map[string]string{}, Request{Host: "github.com", URL: "https://github.com/"}, true, ""},
		"plain http to another machine":  {withHosts, Request{Host: "git.example.com", URL: "http://git.example.com/r"}, false, "plain text"},
		"plain http to loopback":         {withHosts, Request{Host: "127.0.0.1:8080", URL: "http://127.0.0.1:8080/r"}, false, ""},
		"plain http to localhost":        {withHosts, Request{Host: "localhost:8080", URL: "http://localhost:8080/r"}, false, ""},
		"plain http to ::1":              {withHosts, Request{Host: "[::1]:8080", URL: "http://[::1]:8080/r"}, false, ""},
		"grpc (Bazel) to another host":   {withHosts, bazelReq("grpc://cache.example.com"), false, "plain text"},
		"grpcs (Bazel)":                  {withHosts, bazelReq("grpcs://cache.example.com"), false, ""},
		"grpc (Bazel) to loopback":       {withHosts, bazelReq("grpc://127.0.0.1:9092"), false, ""},
		"ws (Bazel)":                     {withHosts, bazelReq("ws://cache.example.com/x"), false, "over ws://"},
		"wss (Bazel has none)":           {withHosts, bazelReq("wss://cache.example.com/x"), false, "over wss://"},
		"ftp (Bazel)":                    {withHosts, bazelReq("ftp://cache.example.com/x"), false, "over ftp://"},
		"file (Bazel)":                   {withHosts, bazelReq("file://cache.example.com/x"), false, "over file://"},
		"grpcs not for git":              {withHosts, Request{Host: "git.example.com", URL: "grpcs://git.example.com/r"}, false, "over grpcs://"},
		"no URL: https implied":          {withHosts, Request{Host: "git.example.com"}, false, ""},
		"docker bare host counts as TLS": {withHosts, FromDocker(docker.Server{URL: "git.example.com", Host: "git.example.com"}), false, ""},
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
func bazelReq(uri string) Request {
	req, err := bazel.ParseRequest(strings.NewReader(`{"uri":"` + uri + `"}`))
	if err != nil {
		panic(err)
	}
	return req.Selection()
}

func TestFromGit(t *testing.T) {
	t.Parallel()
	got, ok := FromGit(&git.Request{Protocol: "https", Host: "dev.azure.com", Username: "alice", Path: "o/p"})
	want := Request{Host: "dev.azure.com", User: "alice", URL: "https://alice@dev.azure.com/o/p"}
	if !ok || got != want {
		t.Errorf("FromGit = %+v, %v; want %+v", got, ok, want)
	}
	for _, p := range []string{"cert", "ssh", ""} {
		if _, ok := FromGit(&git.Request{Protocol: p, Host: "h"}); ok {
			t.Errorf("FromGit accepted protocol %q", p)
		}
	}
}

var (
	now   = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	entry = &cache.Entry{AccessToken: "at", IssuedAt: now, ExpiresAt: now.Add(time.Hour)}
)

func TestGitCredential(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		req    git.Request
		values map[string]string
		want   git.Credential
	}{
		"default user": {git.Request{}, nil, git.Credential{Username: "oauth2", Token: "at", Expiry: now.Add(55 * time.Minute)}},
		"url user":     {git.Request{Username: "alice"}, nil, git.Credential{Username: "alice", Token: "at", Expiry: now.Add(55 * time.Minute)}},
		"git_username": {git.Request{Username: "alice"}, map[string]string{"git_username": "azure-devops"},
			git.Credential{Username: "azure-devops", Token: "at", Expiry: now.Add(55 * time.Minute)}},
		"authtype": {git.Request{Capabilities: []string{"authtype", "state"}}, nil,
			git.Credential{Username: "oauth2", Token: "at", Expiry: now.Add(55 * time.Minute), Bearer: true}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tc.want, GitCredential(&tc.req, tc.values, entry)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDockerUsername(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		values map[string]string
		want   string
	}{
		"default":        {nil, "oauth2"},
		"configured":     {map[string]string{"docker_username": "svc"}, "svc"},
		"acr exchange":   {map[string]string{"acr_exchange": "true", "docker_username": "x"}, docker.IdentityTokenUser},
		"never <token> ": {map[string]string{"acr_exchange": "false"}, "oauth2"},
	}
	for name, tc := range tests {
		if got := DockerUsername(tc.values); got != tc.want {
			t.Errorf("%s: DockerUsername = %q, want %q", name, got, tc.want)
		}
	}
}

// idToken is an unsigned JWT expiring at exp.
func idToken(exp time.Time) string {
	return "eyJhbGciOiJub25lIn0." + b64(`{"exp":`+itoa(exp.Unix())+`}`) + ".x"
}

func TestKubeToken(t *testing.T) {
	t.Parallel()
	idTok := func(exp time.Time) *cache.Entry {
		e := *entry
		e.IDToken = idToken(exp)
		return &e
	}
	useID := map[string]string{"use_id_token": "true"}
	tests := map[string]struct {
		values     map[string]string
		e          *cache.Entry
		wantToken  string
		wantExpiry time.Time
		wantFresh  bool
		wantErr    bool
	}{
		"access token":         {nil, entry, "at", now.Add(55 * time.Minute), true, false},
		"id token, same life":  {useID, idTok(now.Add(time.Hour)), idToken(now.Add(time.Hour)), now.Add(55 * time.Minute), true, false},
		"id token, shorter":    {useID, idTok(now.Add(20 * time.Minute)), idToken(now.Add(20 * time.Minute)), now.Add(15 * time.Minute), true, false},
		"id token, nearly due": {useID, idTok(now.Add(5*time.Minute + 30*time.Second)), idToken(now.Add(5*time.Minute + 30*time.Second)), now.Add(30 * time.Second), false, false},
		"no id token":          {useID, entry, "", time.Time{}, false, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tok, exp, fresh, err := KubeToken(tc.values, tc.e, now, time.Minute)
			if (err != nil) != tc.wantErr || tok != tc.wantToken || !exp.Equal(tc.wantExpiry) || fresh != tc.wantFresh {
				t.Errorf("KubeToken = %q, %v, %v, %v; want %q, %v, %v, error %v", tok, exp, fresh, err, tc.wantToken, tc.wantExpiry, tc.wantFresh, tc.wantErr)
			}
		})
	}
}

func TestACRKey(t *testing.T) {
	t.Parallel()
	req := tokenkey.Request{Values: map[string]string{"provider": "client_credentials", "client_id": "c", "acr_exchange": "true"}}
	base := tokenkey.Access(req, config.IsSecret)
	a, b := ACRKey(req, "a.azurecr.io"), ACRKey(req, "B.azurecr.io")
	if a == base || a == b || a != ACRKey(req, "A.AZURECR.IO") {
		t.Errorf("keys: base %s, a %s, b %s; want distinct per registry, case-insensitive", base, a, b)
	}
	if _, ok := req.Values[acrRegistryKey]; ok {
		t.Error("ACRKey changed the request's values")
	}
}

func TestACRTenant(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		values map[string]string
		want   string
	}{
		"tenant_id":     {map[string]string{"tenant_id": "contoso", "authority": "https://login.microsoftonline.com/other"}, "contoso"},
		"authority":     {map[string]string{"authority": "https://login.microsoftonline.com/contoso.onmicrosoft.com/"}, "contoso.onmicrosoft.com"},
		"organizations": {map[string]string{"authority": "https://login.microsoftonline.com/organizations"}, ""},
		"none":          {nil, ""},
	}
	for name, tc := range tests {
		if got := ACRTenant(tc.values); got != tc.want {
			t.Errorf("%s: ACRTenant = %q, want %q", name, got, tc.want)
		}
	}
}

func TestDockerList(t *testing.T) {
	t.Parallel()
	f := loadFile(t, hostsConfig+`
[profiles.acr]
provider = "client_credentials"
preset = "acr"
tenant_id = "contoso.onmicrosoft.com"
client_id = "c"
hosts = ["myacr.azurecr.io"]
`)
	want := map[string]string{
		"graph.microsoft.com": "oauth2", "dev.azure.com": "oauth2", "registry.example.com": "oauth2",
		"127.0.0.1:5000": "oauth2", "myacr.azurecr.io": docker.IdentityTokenUser,
	}
	if diff := cmp.Diff(want, DockerList(f, func(string) string { return "" })); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
