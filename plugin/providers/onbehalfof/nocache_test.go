package onbehalfof

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/keyfob/keyfob/plugin"
)

// TestTokenIsNeverCached: the downstream token belongs to the incoming
// assertion's user, which the host's cache key cannot see.
func TestTokenIsNeverCached(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": "downstream", "expires_in": 3600, "refresh_token": "rt"})
	}))
	defer srv.Close()
	req := &plugin.Request{
		Config: plugin.Config{"token_url": srv.URL + "/contoso.onmicrosoft.com/oauth2/v2.0/token", "client_id": "api",
			"client_secret": "s3cret", "assertion": "incoming.jwt.token", "scopes": `["https://graph.microsoft.com/.default"]`},
		Interaction: plugin.NoInteraction{},
	}
	req.Logger = plugin.NewPluginLogger(nil, "off")
	tok, err := Provider{}.GetToken(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if !tok.NoCache || tok.State != nil {
		t.Errorf("NoCache = %v, State = %q; want an uncached token and no state", tok.NoCache, tok.State)
	}
}
