package grant

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/keyfob/keyfob/plugin"
	"github.com/keyfob/keyfob/plugin/oauth"
)

func TestScopes(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		req  plugin.Request
		want []string
	}{
		"request wins":         {req: plugin.Request{Scopes: []string{"a"}, Config: plugin.Config{"scopes": `["b"]`}}, want: []string{"a"}},
		"profile list":         {req: plugin.Request{Config: plugin.Config{"scopes": `["b","c"]`}}, want: []string{"b", "c"}},
		"resource to .default": {req: plugin.Request{Config: plugin.Config{"resource": "https://graph.microsoft.com/"}}, want: []string{"https://graph.microsoft.com/.default"}},
		"none":                 {req: plugin.Request{Config: plugin.Config{}}, want: nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Scopes(&tc.req)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Scopes() (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStateRoundTrip(t *testing.T) {
	t.Parallel()
	b, err := State{RefreshToken: "rt-1", Account: "alice"}.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(State{V: 1, RefreshToken: "rt-1", Account: "alice"}, DecodeState(b)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range [][]byte{nil, []byte("garbage"), []byte(`{"v":2,"rt":"x"}`)} {
		if got := DecodeState(bad); got != (State{}) {
			t.Errorf("DecodeState(%q) = %+v, want zero", bad, got)
		}
	}
}

func TestToTokenKeepsRefreshTokenInState(t *testing.T) {
	t.Parallel()
	exp := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tr := &oauth.TokenResponse{AccessToken: plugin.NewSecret("at"), TokenType: "Bearer", ExpiresAt: exp,
		RefreshToken: plugin.NewSecret("rt"), Scope: "api"}
	tok, err := ToToken(tr, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if got := DecodeState(tok.State); got.RefreshToken != "rt" || got.Account != "alice" {
		t.Errorf("state = %+v, want the refresh token and account", got)
	}
	if tok.AccessToken.Reveal() != "at" || !tok.ExpiresAt.Equal(exp) || tok.Scope != "api" || tok.Account != "alice" {
		t.Errorf("token = %+v", tok)
	}
	tr.RefreshToken = plugin.Secret{}
	if tok, _ := ToToken(tr, ""); tok.State != nil {
		t.Errorf("state without a refresh token = %q, want nil", tok.State)
	}
}
