package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/host"
	"github.com/keyfob/keyfob/host/msi"
	"github.com/keyfob/keyfob/plugin"
)

// execChildArg, as the first argument of this test binary, makes it the
// command keyfob exec runs (see init): it asks the endpoint in its
// environment for a token and prints what it got.
const execChildArg = "keyfob-exec-test-child"

func init() {
	if len(os.Args) > 2 && os.Args[1] == execChildArg {
		os.Exit(execChild(os.Args[2:]))
	}
}

// execChild runs as the child: "token RESOURCE" prints the endpoint's
// answer for RESOURCE; "env VAR" prints $VAR; "exit N" exits N.
func execChild(args []string) int {
	switch args[0] {
	case "token":
		q := "?api-version=2019-08-01&resource=" + args[1]
		req, err := http.NewRequest(http.MethodGet, os.Getenv("IDENTITY_ENDPOINT")+q, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		req.Header.Set(msi.SecretHeader2019, os.Getenv("IDENTITY_HEADER"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		fmt.Printf("%d %s", resp.StatusCode, b)
	case "env":
		fmt.Print(os.Getenv(args[1]))
	case "exit":
		n, _ := strconv.Atoi(args[1])
		return n
	}
	return 0
}

// execWorld is a config with a profile against a loopback token
// endpoint that answers "tok-SCOPES".
type execWorld struct {
	cfg      string
	requests atomic.Int64
}

func newExecWorld(t *testing.T) *execWorld {
	t.Helper()
	w := &execWorld{}
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.requests.Add(1)
		_ = r.ParseForm()
		rw.Header().Set("Content-Type", "application/json")
		tok := "tok-" + strings.NewReplacer(" ", "+", ":", "_").Replace(r.PostForm.Get("scope"))
		_ = json.NewEncoder(rw).Encode(map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600})
	}))
	t.Cleanup(srv.Close)
	w.cfg = filepath.Join(t.TempDir(), "config.toml")
	toml := fmt.Sprintf("[profiles.generic]\nprovider = \"client_credentials\"\ntoken_url = %q\nclient_id = \"app\"\nclient_secret = \"s\"\nscopes = [\"api\"]\n", srv.URL+"/token")
	if err := os.WriteFile(w.cfg, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestExecRunsTheCommand(t *testing.T) {
	t.Parallel()
	w := newExecWorld(t)
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		args       []string
		wantCode   int
		wantOut    string
		wantStderr string
	}{
		"token from the endpoint": {args: []string{"-p", "generic", "--", self, execChildArg, "token", "api"}, wantOut: `200 {"access_token":"tok-api"`},
		"resource not in scopes":  {args: []string{"-p", "generic", "--", self, execChildArg, "token", "other"}, wantOut: `400 {"error":"invalid_request","error_description":"profile \"generic\" is not Microsoft Entra ID's`},
		"exit status passes":      {args: []string{"-p", "generic", "--", self, execChildArg, "exit", "7"}, wantCode: 7},
		"--env token":             {args: []string{"-p", "generic", "--env", "TOK", "--", self, execChildArg, "env", "TOK"}, wantOut: "tok-api"},
		"no -- needed":            {args: []string{"-p", "generic", self, execChildArg, "exit", "3"}, wantCode: 3},
		"command not found":       {args: []string{"-p", "generic", "--", "/nonexistent/cmd"}, wantCode: 127, wantStderr: "/nonexistent/cmd"},
		"command not runnable":    {args: []string{"-p", "generic", "--", w.cfg}, wantCode: 126, wantStderr: "permission denied"},
		"no command":              {args: []string{"-p", "generic", "--"}, wantCode: ExitUsage, wantStderr: "needs a command"},
		"bad --env name":          {args: []string{"-p", "generic", "--env", "A=B", "--", self}, wantCode: ExitUsage, wantStderr: "A=B"},
		"unknown profile":         {args: []string{"-p", "nope", "--", self}, wantCode: ExitUsage, wantStderr: "nope"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := run(t, map[string]string{"KEYFOB_CONFIG": w.cfg}, append([]string{"exec"}, tc.args...)...)
			if code != tc.wantCode || !strings.HasPrefix(stdout, tc.wantOut) || !strings.Contains(stderr, tc.wantStderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout starting %q, stderr naming %q", code, stdout, stderr, tc.wantCode, tc.wantOut, tc.wantStderr)
			}
		})
	}
}

// fixedTokens is an execTokens answering "tok" plus the scopes it was
// asked for, or err.
type fixedTokens struct {
	err    error
	scopes [][]string
}

func (f *fixedTokens) Token(_ context.Context, scopes []string) (*host.CacheEntry, error) {
	f.scopes = append(f.scopes, scopes)
	if f.err != nil {
		return nil, f.err
	}
	return &host.CacheEntry{AccessToken: "tok" + strings.Join(scopes, ","), TokenType: "Bearer", ExpiresAt: time.Unix(2_000_000_000, 0)}, nil
}

func TestExecEndpointScopes(t *testing.T) {
	t.Parallel()
	generic := map[string]string{"provider": "client_credentials", "token_url": "https://idp.example.com/token", "client_id": "app", "scopes": `["api","openid"]`}
	withKey := func(base map[string]string, k, v string) map[string]string {
		out := map[string]string{}
		for key, val := range base {
			out[key] = val
		}
		out[k] = v
		return out
	}
	tests := map[string]struct {
		values     map[string]string
		flagScopes []string
		resource   string
		want       []string // nil: the profile's own scopes
		wantErr    string
	}{
		"Entra authority":         {values: map[string]string{"provider": "client_credentials", "authority": "https://login.microsoftonline.com/t"}, resource: "https://vault.azure.net", want: []string{"https://vault.azure.net/.default"}},
		"Entra, trailing slash":   {values: map[string]string{"provider": "device_code", "authority": "https://login.microsoftonline.com/t"}, resource: "https://management.azure.com/", want: []string{"https://management.azure.com/.default"}},
		"Entra token_url":         {values: map[string]string{"provider": "client_credentials", "token_url": "https://login.microsoftonline.com/t/oauth2/v2.0/token"}, resource: "api://x", want: []string{"api://x/.default"}},
		"Entra issuer":            {values: map[string]string{"provider": "password", "issuer": "https://login.microsoftonline.com/t/v2.0"}, resource: "api://x", want: []string{"api://x/.default"}},
		"managed_identity":        {values: map[string]string{"provider": "managed_identity"}, resource: "api://x", want: []string{"api://x/.default"}},
		"azure_cli":               {values: map[string]string{"provider": "azure_cli"}, resource: "api://x", want: []string{"api://x/.default"}},
		"generic, named":          {values: generic, resource: "api", want: nil},
		"generic, /.default form": {values: withKey(generic, "scopes", `["https://api.example.com/.default"]`), resource: "https://api.example.com", want: nil},
		"generic, resource key":   {values: withKey(generic, "resource", "https://api.example.com/"), resource: "https://api.example.com", want: nil},
		"generic, --scope":        {values: generic, flagScopes: []string{"other"}, resource: "other", want: []string{"other"}},
		"generic, --scope wins":   {values: generic, flagScopes: []string{"other"}, resource: "api", wantErr: `serves only the resources its scopes name (other), not "api"`},
		"generic, not named":      {values: generic, resource: "https://vault.azure.net", wantErr: `profile "p" is not Microsoft Entra ID's: it serves only the resources its scopes name (api openid), not "https://vault.azure.net"`},
		"generic, no prefix":      {values: generic, resource: "ap", wantErr: `not "ap"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src := &fixedTokens{}
			x := newExecEndpoint(&profile{Name: "p", Values: tc.values}, tc.flagScopes, src)
			tok, err := x.token(t.Context(), msi.Request{APIVersion: msi.APIVersion2019, Resource: tc.resource})
			if tc.wantErr != "" {
				var e *msi.Error
				if !errors.As(err, &e) || e.Status != http.StatusBadRequest || !strings.Contains(e.Description, tc.wantErr) {
					t.Fatalf("error %v, want a 400 naming %q", err, tc.wantErr)
				}
				if len(src.scopes) != 0 {
					t.Errorf("asked the pipeline for %v", src.scopes)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([][]string{tc.want}, src.scopes); diff != "" {
				t.Errorf("scopes asked for (-want +got):\n%s", diff)
			}
			if tok.AccessToken == "" || tok.ClientID != tc.values["client_id"] {
				t.Errorf("token %+v", tok)
			}
		})
	}
}

func TestExecEndpointIdentity(t *testing.T) {
	t.Parallel()
	p := &profile{Name: "p", Values: map[string]string{"provider": "client_credentials", "authority": "https://login.microsoftonline.com/t", "client_id": "app"}}
	tests := map[string]struct {
		req     msi.Request
		wantErr string
	}{
		"system-assigned":     {req: msi.Request{}},
		"the profile's":       {req: msi.Request{ClientID: "app"}},
		"another client":      {req: msi.Request{ClientID: "other"}, wantErr: `profile "p" is client "app", not the client_id "other"`},
		"an object id":        {req: msi.Request{ObjectID: "oid"}, wantErr: `"oid"`},
		"a resource id":       {req: msi.Request{ResourceID: "/subscriptions/s"}, wantErr: `"/subscriptions/s"`},
		"client and resource": {req: msi.Request{ClientID: "app", ResourceID: "r"}, wantErr: `"r"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := tc.req
			req.APIVersion, req.Resource = msi.APIVersion2019, "api://x"
			_, err := newExecEndpoint(p, nil, &fixedTokens{}).token(t.Context(), req)
			if tc.wantErr == "" && err != nil {
				t.Fatal(err)
			}
			var e *msi.Error
			if tc.wantErr != "" && (!errors.As(err, &e) || e.Status != 400 || !strings.Contains(e.Description, tc.wantErr)) {
				t.Fatalf("error %v, want a 400 naming %q", err, tc.wantErr)
			}
		})
	}
}

func TestExecEndpointErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		err        error
		wantStatus int
		wantCode   string
	}{
		"config":       {plugin.Configf("bad key"), 400, "invalid_request"},
		"refused":      {&plugin.OAuthError{Code: "invalid_client", StatusCode: 401}, 400, "unauthorized_client"},
		"interaction":  {fmt.Errorf("no terminal: %w; run: keyfob login -p p", plugin.ErrInteractionRequired), 400, "interaction_required"},
		"server_error": {&plugin.OAuthError{Code: "server_error", StatusCode: 500}, 503, "temporarily_unavailable"},
		"deadline":     {context.DeadlineExceeded, 503, "temporarily_unavailable"},
		"internal":     {errors.New("boom\nsecond line"), 500, "server_error"},
	}
	p := &profile{Name: "p", Values: map[string]string{"provider": "managed_identity"}}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := newExecEndpoint(p, nil, &fixedTokens{err: tc.err}).token(t.Context(), msi.Request{APIVersion: msi.APIVersion2019, Resource: "r"})
			var e *msi.Error
			if !errors.As(err, &e) || e.Status != tc.wantStatus || e.Code != tc.wantCode || strings.Contains(e.Description, "\n") {
				t.Fatalf("got %#v, want %d %s on one line", err, tc.wantStatus, tc.wantCode)
			}
		})
	}
}

func TestChildEnv(t *testing.T) {
	t.Parallel()
	environ := []string{"PATH=/bin", "IDENTITY_ENDPOINT=http://169.254.169.254/x", "IDENTITY_SERVER_THUMBPRINT=ab", "KEYFOB_CONFIG_WARNED=/c", "MSI_SECRET=old", "HOME=/h"}
	got := childEnv(environ, []string{"IDENTITY_ENDPOINT=http://127.0.0.1:1/msi/token", "MSI_SECRET=new", "TOK=t"})
	want := []string{"PATH=/bin", "HOME=/h", "IDENTITY_ENDPOINT=http://127.0.0.1:1/msi/token", "MSI_SECRET=new", "TOK=t"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("childEnv (-want +got):\n%s", diff)
	}
	if environ[1] != "IDENTITY_ENDPOINT=http://169.254.169.254/x" {
		t.Error("childEnv changed its argument")
	}
}
