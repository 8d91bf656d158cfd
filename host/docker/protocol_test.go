package docker

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/keyfob/keyfob/host/cache/tokenkey"
	"github.com/keyfob/keyfob/host/keyspec"
	"github.com/keyfob/keyfob/host/protocol"
)

func TestUsername(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		values map[string]string
		want   string
	}{
		"default":        {nil, "oauth2"},
		"configured":     {map[string]string{"docker_username": "svc"}, "svc"},
		"acr exchange":   {map[string]string{"acr_exchange": "true", "docker_username": "x"}, IdentityTokenUser},
		"never <token> ": {map[string]string{"acr_exchange": "false"}, "oauth2"},
	}
	for name, tc := range tests {
		if got := Username(tc.values); got != tc.want {
			t.Errorf("%s: Username = %q, want %q", name, got, tc.want)
		}
	}
}

func TestACRKey(t *testing.T) {
	t.Parallel()
	req := tokenkey.Request{Values: map[string]string{"provider": "client_credentials", "client_id": "c", "acr_exchange": "true"}}
	base := tokenkey.Access(req, keyspec.IsSecret)
	a, b := ACRKey(req, "a.azurecr.io"), ACRKey(req, "B.azurecr.io")
	if a == base || a == b || a != ACRKey(req, "A.AZURECR.IO") || a != ACRKeyOf("a.azurecr.io")(req) {
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

// stub is a Session with configured profiles and a request on stdin.
type stub struct {
	protocol.Session // nil: the methods the tests do not reach
	cacheOnly        bool
	stdin            string
	profiles         []protocol.Profile
	hosts            [][]string
	out              bytes.Buffer
}

func (s *stub) CacheOnly() bool                                    { return s.cacheOnly }
func (s *stub) Stdin(string) io.Reader                             { return strings.NewReader(s.stdin) }
func (s *stub) Stdout() io.Writer                                  { return &s.out }
func (s *stub) Select(protocol.Request) (*protocol.Profile, error) { return nil, nil }

func (s *stub) EachProfile(fn func(*protocol.Profile, []string)) error {
	for i := range s.profiles {
		fn(&s.profiles[i], s.hosts[i])
	}
	return nil
}

func TestList(t *testing.T) {
	t.Parallel()
	s := &stub{
		profiles: []protocol.Profile{{Name: "acr", Values: map[string]string{"acr_exchange": "true"}}, {Name: "b"}, {Name: "c"}},
		hosts: [][]string{{"MyACR.azurecr.io"}, {"*.example.com", "alice@dev.azure.com", "https://dev.azure.com/org/", "127.0.0.1:5000", "myacr.azurecr.io"},
			{"registry.example.com", " "}},
	}
	got, err := List(s)
	want := map[string]string{"myacr.azurecr.io": IdentityTokenUser, "127.0.0.1:5000": "oauth2", "registry.example.com": "oauth2"}
	if diff := cmp.Diff(want, got); err != nil || diff != "" {
		t.Errorf("List: %v (-want +got):\n%s", err, diff)
	}
}

func TestServeWritesErrorsInTheEngineOnly(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cacheOnly bool
		action    string
		stdin     string
		want      string
		wantErr   error
	}{
		"engine: unknown action":    {false, "frobnicate", "", "unknown docker credential helper action \"frobnicate\"\n", nil},
		"engine: bad request":       {false, "get", "", ErrNoServerURL.Error() + "\n", ErrNoServerURL},
		"front: bad request":        {true, "get", "", "", ErrNoServerURL},
		"front: hands off an erase": {true, "erase", "r.example.com", "", protocol.ErrHandOff},
		"nothing here":              {false, "get", "r.example.com", NotFound + "\n", nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := &stub{cacheOnly: tc.cacheOnly, stdin: tc.stdin}
			err := Protocol{}.Serve(context.Background(), s, []string{tc.action})
			if err == nil || tc.wantErr != nil && !errors.Is(err, tc.wantErr) || s.out.String() != tc.want {
				t.Errorf("Serve = %v, stdout %q; want %v and %q", err, s.out.String(), tc.wantErr, tc.want)
			}
		})
	}
}
